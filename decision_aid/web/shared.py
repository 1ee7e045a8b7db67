"""What the blueprints share, so that none imports another: the app's questionnaire, the
clinic's date, the guidance for stored answers, an answer in words as the pages show it, and a
stored summary as FHIR.
No clinical logic: the guidance comes from `decision_aid.guidance`."""

from datetime import UTC, datetime

from flask import current_app

from decision_aid import fhir, guidance
from decision_aid.clinic import clock as clinic_time
from decision_aid.clinic.clock import app_today
from decision_aid.clinic.listing import name_key
from decision_aid.fields import question_type
from decision_aid.questions.translate import in_language
from decision_aid.text import i18n


def questionnaire():
    """The questionnaire in the page's language (its ids and values are the same in all)."""
    return in_language(current_app.extensions["questionnaire"], i18n.current())


def fhir_canon():
    """The FHIR names of this deployment (FHIR_BASE_URL and the content version)."""
    return fhir.Canon.from_base(current_app.config["FHIR_BASE_URL"])


def submission_resource(submission):
    """A stored summary as a QuestionnaireResponse: completed when finished, in-progress while
    the patient is changing it; `authored` is when they finished (or last saved). The FHIR API
    serves it, and the staff's record file holds it."""
    return fhir.questionnaire_response(
        fhir_canon(),
        current_app.extensions["questionnaire"],  # English: a record is language-free
        submission.answers,
        authored=submission.finished_at or submission.updated_at,
        status="completed" if submission.finished_at else "in-progress",
        reference=submission.reference_display,
        resource_id=submission.reference,
        last_updated=submission.updated_at,
    )


def today():
    """The only place the web layer reads the date; tests may pin it with TODAY in config."""
    return app_today(current_app)  # the clinic's date (CLINIC_TZ), or TODAY when pinned


def now():
    """The moment, for what counts from it (until when a summary sent now is kept); tests move
    it."""
    return datetime.now(UTC)


def answered_date(submission):
    """When the patient last changed their answers, as a date in the clinic's time zone."""
    moment = submission.answered_at or submission.updated_at
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


def clinic_name(answers=None):
    """The clinic that receives a sent summary: the one that runs this service (CLINIC_NAME),
    or None when it is not set (then sending is not offered). Never the clinic the patient
    typed: see `other_clinic`."""
    return (current_app.config.get("CLINIC_NAME") or "").strip() or None


def other_clinic(answers):
    """The clinic the patient typed, when it is not the one that receives sent summaries (the
    send page says so, and offers the PDF for it instead), else None."""
    typed = str(answers.get("clinic") or "").strip()
    receiving = clinic_name()
    if not typed or (receiving and name_key(typed) == name_key(receiving)):
        return None
    return typed


def keeping(submission, answers):
    """Until when the clinic keeps a summary sent now (or, once sent, since its last change):
    decision_aid.store.KeptUntil, by the retention rule of decision_aid.store.retention."""
    from decision_aid.store import kept_until

    config = current_app.config
    last_change = submission.updated_at if submission.sent_at else now()
    return kept_until(
        last_change,
        answers.get("appointment"),
        config["RETENTION_DAYS"],
        config["MAX_RETENTION_DAYS"],
        current_app.extensions["clinic_tz"],
    )


def guidance_for(answers):
    """The guidance result (a GuidanceResult), or None if the engine finds the stored answers
    invalid (which the forms should prevent); the page then says so instead of failing."""
    try:
        return guidance.result_for(answers, today())
    except guidance.ValidationError as exc:
        _log_invalid(exc.problems)
        return None


def guidance_readable(answers) -> bool:
    """Whether `guidance_for(answers)` gives a result, without making it: for a route that hands
    the answers to the PDF's render process, which makes the guidance once, there."""
    problems = guidance.validate(answers, today())
    if problems:
        _log_invalid(problems)
    return not problems


def _log_invalid(problems) -> None:
    current_app.logger.warning("stored answers failed validation: %d problems", len(problems))


def urgent_now(answers, item_id=None):
    """The guidance item `item_id` when these answers make it urgent (None otherwise); without
    an id, every such item that interrupts the patient's path (guidance.INTERRUPT_ITEMS), for
    the start and saved pages. Unreadable answers give none."""
    try:
        result = guidance.result_for(answers, today())
    except guidance.ValidationError:
        return None if item_id else []
    found = [
        item
        for item in result.items
        if item.level == "urgent"
        and item.id in (item_id,) + (() if item_id else guidance.INTERRUPT_ITEMS)
    ]
    if item_id:
        return found[0] if found else None
    return found
