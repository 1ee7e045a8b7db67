"""The choices side by side, before "Making your decision" (issue 31): the option table for the
answers so far, then the way on to the first step that opens with it (`opens_with: choices` in
the question data: what matters to you, the leaning, the SURE test, the knowledge check)."""

from flask import redirect, render_template, url_for

from decision_aid.summary import build_view
from decision_aid.web.patient_session import require_submission
from decision_aid.web.shared import guidance_for, questionnaire
from decision_aid.wizard.blueprint import bp


def _opening_step(answers):
    """The first step that opens with the choices, and the page before it."""
    steps = questionnaire().sequence(answers)
    for position, step in enumerate(steps):
        if step.opens_with == "choices":
            before = steps[position - 1] if position else None
            return step, before
    return None, None


@bp.route("/choices")
def choices():
    submission, go_start = require_submission()
    if go_start:
        return go_start
    step, before = _opening_step(submission.answers)
    result = guidance_for(submission.answers)
    if step is None or result is None:
        return redirect(url_for("wizard.start"))
    return render_template(
        "choices.html",
        view=build_view(result),
        next_url=url_for("wizard.step", step_id=step.id),
        back_url=url_for("wizard.step", step_id=before.id) if before else url_for("wizard.start"),
    )
