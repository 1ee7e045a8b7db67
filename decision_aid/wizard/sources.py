"""The public page of every source the guidance cites, at /sources (issue 27). The PDF prints
its address as a link and a QR code, and the summary page links to it once instead of a list of
sources under every card. It needs no session and shows no answers: the sources in the order
of the content, each with its short name and full citation, then which source each row of the
option grid ("Compare your choices") rests on, and who wrote the guide."""

from flask import render_template

from decision_aid.guidance import content
from decision_aid.guidance.engine import build_provenance
from decision_aid.web.patient_session import current_submission
from decision_aid.wizard.blueprint import bp


def grid_sources(catalogue):
    """For each choice, its grid rows with the sources they cite: [(title, [(row label,
    [(source id, short name)])])]. Rows that cite nothing (cost: "ask your clinic") are left
    out."""
    options = content.load("options")
    labels = options["rows"]
    choices = []
    for option in options["options"].values():
        rows = [
            (label, [(sid, catalogue[sid]["short"]) for sid in option[row]["sources"]])
            for row, label in labels.items()
            if option.get(row, {}).get("sources")
        ]
        choices.append((option["title"], rows))
    return choices


@bp.route("/sources")
def sources():
    catalogue = content.load("sources")
    submission = current_submission()
    return render_template(
        "sources.html",
        sources=[
            {"id": sid, "short": entry["short"], "citation": entry["citation"]}
            for sid, entry in catalogue.items()
        ],
        choices=grid_sources(catalogue),
        provenance=build_provenance(),
        back_to_summary=submission is not None and submission.finished_at is not None,
    )
