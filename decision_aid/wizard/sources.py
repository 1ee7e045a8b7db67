"""A minimal public page of every source the guidance cites, at /sources: the PDF's "Where to
read more" links to it (with a QR code), so the PDF holds only a short list. Issue 27 builds
the full page; this one needs no session and shows no answers."""

from flask import render_template

from decision_aid.guidance import content
from decision_aid.wizard.blueprint import bp


@bp.route("/sources")
def sources():
    catalogue = content.load("sources")
    return render_template(
        "sources.html",
        sources=[{"id": sid, "citation": entry["citation"]} for sid, entry in catalogue.items()],
    )
