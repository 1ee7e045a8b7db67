"""The patient's record as the pages of the path read it: the answers this browser's session
holds (a token, decision_aid.saving), where "Continue your answers" leads, and the guidance for
them. No routes and no clinical logic: the pages of `decision_aid.wizard` and the send page
(decision_aid.clinic_send) share these."""

from flask import current_app, redirect, session, url_for

from decision_aid import clinic_time, guidance, saving
from decision_aid.clinic_time import app_today
from decision_aid.store import get_store


def questionnaire():
    return current_app.extensions["questionnaire"]


def today():
    """The only place the web layer reads the date; tests may pin it with TODAY in config."""
    return app_today(current_app)  # the clinic's date (CLINIC_TZ), or TODAY when pinned


def answered_date(response):
    """When the patient last changed their answers, as a date in the clinic's time zone."""
    moment = response.answered_at or response.updated_at
    tz = current_app.extensions["clinic_tz"]
    return clinic_time.local(moment, tz).date() if moment else None


def current_response():
    """The patient's answers; for a new start with nothing saved yet, empty answers
    (decision_aid.saving)."""
    if saving.is_new():
        return saving.new_response()
    return get_store(current_app).load(session.get("token"))


def require_response(allow_new=True):
    """The patient's answers (a new start's are empty: decision_aid.saving), or a redirect to the
    start page when there are none. Pages about a record that exists (the resume link, remove
    from this device, delete) pass `allow_new=False`: a new start has none yet."""
    if saving.is_new() and not allow_new:
        return None, redirect(url_for("wizard.start"))
    response = current_response()
    if response is None:
        session.pop("token", None)
        return None, redirect(url_for("wizard.start", missing=1))
    return response, None


def require_finished():
    """(response, redirect): the patient's answers once the check page has made the summary,
    or where to go instead (the start page, or the check page)."""
    response, go_start = require_response()
    if go_start:
        return None, go_start
    if response.finished_at is None:
        return None, redirect(url_for("wizard.check"))
    return response, None


def has_answers(response):
    return response is not None and bool(response.answers or response.completed_steps)


def first_incomplete(response):
    for step in questionnaire().sequence(response.answers):
        if step.id not in response.completed_steps:
            return step
    return None


def next_unanswered_url(response):
    """The first unanswered page, else the check page."""
    step = first_incomplete(response)
    return url_for("wizard.step", step_id=step.id) if step else url_for("wizard.check")


def continue_url(response):
    """Where "Continue your answers" goes: the first unanswered page, else the summary (or the
    check page when it has not been made yet)."""
    if first_incomplete(response) is None and response.finished_at:
        return url_for("wizard.summary")
    return next_unanswered_url(response)


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
