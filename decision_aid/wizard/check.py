"""The check page ("Check your answers"), and how it and the summary list the answers: which
questions get a row and the answer in words."""

from flask import redirect, render_template, request, url_for

from decision_aid import saving
from decision_aid.fields import question_type
from decision_aid.forms import ActionForm
from decision_aid.wizard import bp
from decision_aid.wizard.record import (
    clinic_name,
    first_incomplete,
    questionnaire,
    require_response,
)


@bp.route("/check", methods=["GET", "POST"])
def check():
    response, go_start = require_response()
    if go_start:
        return go_start
    missing = first_incomplete(response)
    if missing:
        return redirect(url_for("wizard.step", step_id=missing.id))
    if request.method == "POST":
        # The answers as stored now (another tab may have saved since this page was read).
        saving.save_patient(lambda stored: (stored.answers, stored.completed_steps), finished=True)
        return redirect(url_for("wizard.summary"))
    pages = questionnaire().sequence(response.answers)
    return render_template(
        "check.html",
        steps=answered_steps(response.answers),
        answers=response.answers,
        display=display_answer,
        back_url=url_for("wizard.step", step_id=pages[-1].id),
        form=ActionForm(),
        sent=response.sent_at is not None,
        clinic=clinic_name(response.answers),
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


def display_answer(question, answers, step=None):
    """An answer in words, as the check page and summary show it. A list of lines. A page-only
    question shows the answer of the follow-up it revealed ("March 2019")."""
    if question.ui_only:
        return _display_ui_only(question, answers, step)
    value = answers.get(question.id)
    if value is None or value == [] or value == {}:
        return []
    return question_type(question).display(value)


def _display_ui_only(question, answers, step):
    """The row of a page-only question: its follow-up's answer, or "Not known" when the step was
    answered without one."""
    if step is None:
        return []
    for option in question.options:
        if option.reveals and option.reveals in answers:
            follow_up = next(q for q in step.questions if q.id == option.reveals)
            return display_answer(follow_up, answers)
    if any(qid in answers for qid in step.stored_ids):
        return ["Not known"]
    return []
