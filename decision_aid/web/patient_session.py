"""The patient's answers as the pages of the path read them: the answers this browser's session
holds (a token, decision_aid.web.saving) and where "Continue your answers" leads. No routes and no
clinical logic: the pages of `decision_aid.wizard` and the send page (decision_aid.web.clinic_send)
share these, so neither blueprint imports the other."""

from flask import current_app, redirect, session, url_for

from decision_aid.store import get_store
from decision_aid.web import saving
from decision_aid.web.shared import questionnaire


def current_submission():
    """The patient's answers; for a new start with nothing saved yet, empty answers
    (decision_aid.web.saving)."""
    if saving.is_new():
        return saving.new_submission()
    return get_store(current_app).load(session.get("token"))


def require_submission(allow_new=True):
    """The patient's answers (a new start's are empty: web.saving), or a redirect to the
    start page when there are none. Pages about a record that exists (the resume link, remove
    from this device, delete) pass `allow_new=False`: a new start has none yet."""
    if saving.is_new() and not allow_new:
        return None, redirect(url_for("wizard.start"))
    submission = current_submission()
    if submission is None:
        session.pop("token", None)
        return None, redirect(url_for("wizard.start", missing=1))
    return submission, None


def require_finished():
    """(submission, redirect): the patient's answers once the check page has made the summary,
    or where to go instead (the start page, or the check page)."""
    submission, go_start = require_submission()
    if go_start:
        return None, go_start
    if submission.finished_at is None:
        return None, redirect(url_for("wizard.check"))
    return submission, None


def has_answers(submission):
    return submission is not None and bool(submission.answers or submission.completed_steps)


def first_incomplete(submission):
    for step in questionnaire().sequence(submission.answers):
        if step.id not in submission.completed_steps:
            return step
    return None


def next_unanswered_url(submission):
    """The first unanswered page (through the choices side by side, when that page opens with
    them: a patient who comes back there sees them first, as on the way through), else the
    check page."""
    step = first_incomplete(submission)
    if step is None:
        return url_for("wizard.check")
    if step.opens_with:
        return url_for("wizard.choices")
    return url_for("wizard.step", step_id=step.id)


def continue_url(submission):
    """Where "Continue your answers" goes: the first unanswered page, else the summary (or the
    check page when it has not been made yet)."""
    if first_incomplete(submission) is None and submission.finished_at:
        return url_for("wizard.summary")
    return next_unanswered_url(submission)
