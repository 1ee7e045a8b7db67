"""The check page ("Check your answers"), and how it and the summary list the answers: which
questions get a row and the answer in words."""

from flask import redirect, render_template, request, url_for

from decision_aid.fields.forms import ActionForm
from decision_aid.web import saving
from decision_aid.web.patient_session import first_incomplete, require_submission
from decision_aid.web.shared import clinic_name, display_answer, questionnaire
from decision_aid.wizard.blueprint import bp


@bp.route("/check", methods=["GET", "POST"])
def check():
    submission, go_start = require_submission()
    if go_start:
        return go_start
    missing = first_incomplete(submission)
    if missing:
        return redirect(url_for("wizard.step", step_id=missing.id))
    if request.method == "POST":
        # The answers as stored now (another tab may have saved since this page was read).
        saving.save_patient(lambda stored: (stored.answers, stored.completed_steps), finished=True)
        return redirect(url_for("wizard.summary"))
    pages = questionnaire().sequence(submission.answers)
    return render_template(
        "check.html",
        steps=answered_steps(submission.answers),
        answers=submission.answers,
        display=display_answer,
        back_url=url_for("wizard.step", step_id=pages[-1].id),
        form=ActionForm(),
        sent=submission.sent_at is not None,
        clinic=clinic_name(),
    )


def answered_steps(answers):
    """The steps the check page and the summary list: the question pages, then the name and
    date of birth (asked when sharing) once either is given."""
    q = questionnaire()
    sharing = q.sharing_step()
    given = [sharing] if sharing and sharing.stored_ids & answers.keys() else []
    return q.sequence(answers) + given


@bp.app_template_global("shown")
def check_rows(step, answers=None):
    """The questions of a step that get a row on the check page and in the summary: the ones
    asked, with a follow-up shown in the row of the question that revealed it."""
    asked = step.shown_questions(answers) if answers is not None else step.questions
    return [q for q in asked if q.id not in step.revealed_ids]
