"""The patient sends their summary to the clinic: an explicit step with a confirm page that names
the clinic and says what it will see. The summary goes to the clinic that runs this service
(`CLINIC_NAME`), never to the one the patient typed: the page names only the receiving clinic,
says so plainly when the patient typed another one (and offers the PDF for it), and says until
when the clinic keeps the summary. Without `CLINIC_NAME` sending is not offered. The clinic
needs the patient's name and date of birth to match the summary to a person: the page asks for
them when they were not given. Only sent summaries appear to staff, as they were when sent or
last remade (the store keeps the clinic's copy). Deleting the answers (the wizard's delete
page) removes a sent summary from the clinic's list too."""

from dataclasses import replace

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for

from decision_aid import guidance
from decision_aid.clinic import clock as clinic_time
from decision_aid.clinic import listing
from decision_aid.clinic.clock import parse_date
from decision_aid.fields.forms import build_form, check_step, field_name
from decision_aid.store import as_utc, get_store
from decision_aid.text import dates
from decision_aid.text.i18n import N_, _
from decision_aid.web import limits, saving
from decision_aid.web.patient_session import require_finished
from decision_aid.web.shared import (
    clinic_name,
    guidance_for,
    keeping,
    other_clinic,
    questionnaire,
    today,
)

bp = Blueprint("clinic_send", __name__)

# The questions the clinic needs answered, with the send page's message when one is missing.
NEEDED = {
    "name": N_("Enter your name, so the clinic knows whose summary it is"),
    "date_of_birth": N_("Enter your date of birth, so the clinic can tell you apart from others"),
}
# Hints of the "About you" step that do not fit the send page: the name's says what happens
# "if you send your summary", written for the page before the PDF.
SEND_HINTS = {"name": ""}


def identity_step(answers):
    """The part of the "About you" step (asked when sharing) still to answer before sending,
    made required, or None when the name and date of birth were given."""
    step = questionnaire().sharing_step()
    missing = tuple(
        replace(q, required=True, error=_(NEEDED[q.id]), hint=SEND_HINTS.get(q.id, q.hint))
        for q in step.questions
        if q.id in NEEDED and q.id not in answers
    )
    return replace(step, questions=missing) if missing else None


def urgent_titles(result):
    """The titles of the urgent guidance items (red flags), in the patient's words, to repeat
    before sending."""
    return guidance.urgent_titles(result) if result else []


@bp.route("/send-to-clinic", methods=["GET", "POST"])
def send():
    submission, elsewhere = require_finished()
    if elsewhere:
        return elsewhere
    if clinic_name() is None:  # no clinic runs this service: nobody to send to
        return redirect(url_for("wizard.summary"))
    answers = submission.answers
    step = identity_step(answers)
    if submission.sent_at is not None and request.method == "GET":
        return redirect(url_for("clinic_send.sent"))
    formdata = request.form if request.method == "POST" else None
    form = build_form(step or questionnaire().sharing_step(), answers, formdata=formdata)
    errors = []
    if request.method == "POST" and form.validate():  # CSRF
        given = {}
        if step:
            given, errors, _complete = check_step(step, form, today(), answers)
        if not errors:
            limits.check("send", request.remote_addr)
            if given:
                merged = saving.save_patient(
                    lambda stored: (stored.answers | given, stored.completed_steps)
                )
                answers = merged.answers if merged else answers
            store = get_store(current_app)
            store.send(session["token"], listing.columns(answers, store.today()))
            return redirect(url_for("clinic_send.sent"))
    result = guidance_for(answers)
    return render_template(
        "clinic_send/confirm.html",
        submission=submission,
        form=form,
        step=step,
        errors=errors,
        errors_by_key={e.key: e for e in reversed(errors)},
        field_name=field_name,
        clinic=clinic_name(),
        other_clinic=other_clinic(answers),
        red_flag=bool(urgent_titles(result)),
        urgent_titles=urgent_titles(result),
        kept=keeping(submission, answers),
        appointment=parse_date(answers.get("appointment")),
    )


@bp.route("/send-to-clinic/sent")
def sent():
    submission, elsewhere = require_finished()
    if elsewhere:
        return elsewhere
    if submission.sent_at is None:
        return redirect(url_for("clinic_send.send"))
    sent_answers = submission.sent_answers or submission.answers
    return render_template(
        "clinic_send/sent.html",
        submission=submission,
        clinic=clinic_name(),
        kept=keeping(submission, sent_answers),
        appointment=parse_date(sent_answers.get("appointment")),
    )


@bp.app_template_filter("long_date")
def long_date(moment, with_time=False):
    """25 November 2026, or with the time 25 November 2026, 14:05, in the clinic's time zone
    (`CLINIC_TZ`). The patient's and the staff's pages both use it."""
    if moment is None:
        return ""
    local = clinic_time.local(as_utc(moment), current_app.extensions["clinic_tz"])
    return f"{dates.long_date(local)}, {local:%H:%M}" if with_time else dates.long_date(local)
