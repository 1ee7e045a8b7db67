"""The patient's answers as the pages of the path read them: the answers this browser's session
holds (a token, decision_aid.saving) and where "Continue your answers" leads. No routes and no
clinical logic: the pages of `decision_aid.wizard` and the send page (decision_aid.clinic_send)
share these, so neither blueprint imports the other."""

from flask import current_app, redirect, session, url_for

from decision_aid import saving
from decision_aid.store import get_store
from decision_aid.web import questionnaire


def current_response():
    """The patient's answers; for a new start with nothing saved yet, empty answers
    (decision_aid.saving)."""
    if saving.is_new():
        return saving.new_submission()
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
