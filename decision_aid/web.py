"""What the blueprints share, so that none imports another: the app's questionnaire, the
clinic's date, the guidance for stored answers, and an answer in words as the pages show it.
No clinical logic: the guidance comes from `decision_aid.guidance`."""

from flask import current_app

from decision_aid import clinic_time, guidance, i18n
from decision_aid.clinic_time import app_today
from decision_aid.fields import question_type
from decision_aid.questions.translate import in_language


def questionnaire():
    """The questionnaire in the page's language (its ids and values are the same in all)."""
    return in_language(current_app.extensions["questionnaire"], i18n.current())


def today():
    """The only place the web layer reads the date; tests may pin it with TODAY in config."""
    return app_today(current_app)  # the clinic's date (CLINIC_TZ), or TODAY when pinned


def answered_date(response):
    """When the patient last changed their answers, as a date in the clinic's time zone."""
    moment = response.answered_at or response.updated_at
    tz = current_app.extensions["clinic_tz"]
    return clinic_time.local(moment, tz).date() if moment else None


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
        return [i18n.gettext("Not known")]
    return []


def clinic_name(answers):
    """The clinic the patient named, or the one this tool runs for (CLINIC_NAME), or None."""
    return answers.get("clinic") or current_app.config.get("CLINIC_NAME") or None


def guidance_for(answers):
    """The guidance result (a GuidanceResult), or None if the engine finds the stored answers
    invalid (which the forms should prevent); the page then says so instead of failing."""
    try:
        return guidance.result_for(answers, today())
    except guidance.ValidationError as exc:
        current_app.logger.warning(
            "stored answers failed validation: %d problems", len(exc.problems)
        )
        return None
