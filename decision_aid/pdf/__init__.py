"""The PDFs: the summary (page 1 for the clinician, then the patient's copy) and the day list.

Answers + guidance result -> summary view (decision_aid.summary) -> `view` (the template context:
page 1's limits, the split of the patient's questions; page 2's and the patient's copy's extras in
`parts`) -> Jinja template (autoescaped, templates/pdf/, through the environment in `templates`)
-> `render` (WeasyPrint, through the locked URL fetcher in `fetcher`) -> tagged
PDF/UA-1. No clinical logic, and no environment variables: callers pass the clinic name, logo and
paper.

Web workers never import WeasyPrint: they use `cache` (PDFs kept in the instance folder), `pool`
(renders in a recycled process, the only one that loads `render`) and `slots` (at most
PDF_CONCURRENCY renders on a host). So this package imports nothing heavy until one of the
names below is asked for (`from decision_aid.pdf import render_summary_pdf`)."""

import importlib

# The public names and the module that holds each, imported when first asked for.
PUBLIC = {
    "render_summary_pdf": "render",
    "layout_summary": "render",
    "render_summary_html": "view",
    "reference_for": "view",
    "PAPERS": "templates",
    "TEMPLATES_DIR": "templates",
    "TEMPLATE": "view",
    "STYLESHEET": "templates",
    "LockedFetcher": "fetcher",
    "usable_logo": "fetcher",
    "ASSETS_DIR": "fetcher",
    "ASSET_HOST": "fetcher",
    "BASE_URL": "fetcher",
}

__all__ = sorted(PUBLIC)


def __getattr__(name):
    if name not in PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{PUBLIC[name]}"), name)
