"""The clinic's pages for one sent summary (as HTML, PDF and a FHIR record file), marking it
reviewed, and the audit log. On the staff blueprint, behind its sign-in guard
(decision_aid.staff.auth); each opening, printing and download is written to the audit log."""

import json
import math
import re
from datetime import UTC, datetime

from flask import (
    Response,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from decision_aid import store as store_module
from decision_aid.clinic.clock import age_on
from decision_aid.fields.forms import ActionForm
from decision_aid.pdf import cache as pdf_cache
from decision_aid.staff.auth import JUST_ACTED, audit, bp
from decision_aid.store import get_store
from decision_aid.summary import build_view, own_questions
from decision_aid.summary.quality_rows import followup_rows, quality_rows
from decision_aid.text import i18n
from decision_aid.text.i18n import N_, _
from decision_aid.web.shared import (
    answered_date,
    display_answer,
    guidance_for,
    guidance_readable,
    questionnaire,
    today,
)

AUDIT_PER_PAGE = 50
NO_GUIDANCE = N_("The guidance cannot be shown until the patient has finished their answers.")
ACTED_MESSAGES = {"reviewed": N_("Marked as reviewed."), "reopened": N_("Marked as new again.")}


def page_number():
    """The ?page= number: 400 unless it is whole and positive. A huge one is cut down here; the
    store shows the last page for any page past the end."""
    text = request.args.get("page", "1")
    if not re.fullmatch("[0-9]+", text, re.ASCII):
        abort(400)
    page = int(text) if len(text) <= 18 else 10**18
    if page < 1:
        abort(400)
    return page


# --- summaries ---------------------------------------------------------------------------------


def _sent_or_404(reference):
    submission = get_store(current_app).sent_by_reference(reference)
    if submission is None:
        abort(404)
    return submission


def _sent_with_guidance(reference, title):
    """The sent summary, if its answers give a guidance result; else a 409 page (`title`). The
    result itself is made once, where the PDF is rendered."""
    submission = _sent_or_404(reference)
    if not guidance_readable(submission.answers):
        page = render_template("staff/message.html", title=_(title), text=_(NO_GUIDANCE))
        abort(make_response(page, 409))
    return submission


@bp.route("/summary/<reference>")
def summary(reference):
    """A summary. Opening it logs a view; the redirect straight after "Mark as reviewed" or
    "Mark as new again" (?done=1 with the action noted in the session, so the flag alone
    cannot hide a view) shows what was done and logs nothing more."""
    submission = _sent_or_404(reference)
    acted = session.pop(JUST_ACTED, None)
    if not (
        request.args.get("done") == "1"
        and isinstance(acted, dict)
        and acted.get("reference") == submission.reference
    ):
        acted = None
        audit("viewed", submission.reference)
    result = guidance_for(submission.answers)
    reviewer = None
    if submission.reviewed_by is not None:
        reviewer = get_store(current_app).staff_by_id(submission.reviewed_by)
    return render_template(
        "staff/summary.html",
        submission=submission,
        steps=questionnaire().applicable_steps(submission.answers),
        answers=submission.answers,
        display=display_answer,
        identity=_identity(submission.answers),
        language=patient_language(submission) if submission.language else None,
        view=build_view(result, submission.answers) if result else None,
        own_questions=own_questions(submission.answers),
        quality=quality_rows(result.facts) if result else [],
        followup=followup_rows(submission.answers, submission.followup)
        if submission.followup_sent_at
        else [],
        guidance_problem=_(NO_GUIDANCE),
        reviewer=reviewer,
        done=_(ACTED_MESSAGES[acted["action"]])
        if acted and acted["action"] in ACTED_MESSAGES
        else None,
        form=ActionForm(),
    )


IDENTITY = {
    "name": N_("Name"),
    "date_of_birth": N_("Date of birth"),
    "appointment": N_("Appointment"),
    "appointment_time": N_("Appointment time"),
    "clinic": N_("Clinic"),
}


def _identity(answers):
    """The optional details the patient gave, for checking it is the right person."""
    rows = []
    for question_id, label in IDENTITY.items():
        question = questionnaire().question(question_id)
        lines = display_answer(question, answers) if question else []
        if lines:
            rows.append((_(label), lines))
        age = (
            age_on(answers.get("date_of_birth"), today())
            if question_id == "date_of_birth"
            else None
        )
        if lines and age is not None:
            rows.append((_("Age"), [str(age)]))
    return rows


def patient_language(submission):
    """The language of the patient's pages at their last save, if this app still offers it;
    else the clinic's."""
    if submission.language in i18n.LANGUAGES:
        return submission.language
    return current_app.config.get("CLINIC_LANGUAGE", "en")


def _clinic_pdf(submission, clinician_only=False, consultation_only=False):
    config = current_app.config
    kind = "clinician" if clinician_only else "consultation" if consultation_only else "clinic"
    return pdf_cache.summary(
        current_app,
        submission.reference,
        kind,
        submission.answers,
        reference=submission.reference_display,
        today=today(),
        answered=answered_date(submission),
        clinician_only=clinician_only,
        consultation_only=consultation_only,
        clinic_name=config.get("CLINIC_NAME", ""),
        clinic_logo=config.get("CLINIC_LOGO") or None,
        paper=config.get("PAPER", "a4"),
        sources_url=url_for("wizard.sources", _external=True),
        # Page 1 in the clinic's language, the patient's copy in the language of their pages
        # (the clinic's too for answers saved before the language was kept).
        language=patient_language(submission),
        clinic_language=config.get("CLINIC_LANGUAGE", "en"),
    )


@bp.route("/summary/<reference>/pdf")
def pdf(reference):
    """The PDF, shown in the browser to print, or with ?download=1 saved as a file."""
    submission = _sent_with_guidance(reference, N_("No PDF yet"))
    data = _clinic_pdf(submission)
    download = request.args.get("download") == "1"
    audit("downloaded" if download else "printed", submission.reference)
    return pdf_response(data, f"summary-{submission.reference_display}.pdf", download)


@bp.route("/summary/<reference>/clinician.pdf")
def clinician_pdf(reference):
    """Page 1 alone, the clinician's page, to print for the consultation."""
    submission = _sent_with_guidance(reference, N_("No PDF yet"))
    data = _clinic_pdf(submission, clinician_only=True)
    audit("printed_clinician", submission.reference)
    return pdf_response(data, f"clinician-page-{submission.reference_display}.pdf")


@bp.route("/summary/<reference>/consultation.pdf")
def consultation_pdf(reference):
    """Page 2 alone, "For the consultation" (in the patient's language), to print for the
    appointment."""
    submission = _sent_with_guidance(reference, N_("No PDF yet"))
    data = _clinic_pdf(submission, consultation_only=True)
    audit("printed_consultation", submission.reference)
    return pdf_response(data, f"consultation-{submission.reference_display}.pdf")


def pdf_response(data, filename, download=False):
    """A PDF to show in the browser (to print), or with `download` to save as a file."""
    disposition = "attachment" if download else "inline"
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'{disposition}; filename="{filename}"'},
    )


@bp.route("/summary/<reference>/fhir")
def fhir_bundle(reference):
    """The summary for the patient's health record: a FHIR transaction Bundle with the
    QuestionnaireResponse and a DocumentReference holding the clinic PDF (docs/fhir.md)."""
    from decision_aid.fhir import record_bundle
    from decision_aid.fhir.canon import FHIR_JSON
    from decision_aid.web.shared import submission_resource

    submission = _sent_with_guidance(reference, N_("No record file yet"))
    bundle = record_bundle(
        submission_resource(submission),
        _clinic_pdf(submission),
        created=datetime.now(UTC),
    )
    audit("fhir_downloaded", submission.reference)
    filename = f"summary-{submission.reference_display}-fhir.json"
    return Response(
        json.dumps(bundle, ensure_ascii=False, indent=2),
        content_type=f"{FHIR_JSON}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.post("/summary/<reference>/status")
def status(reference):
    """Mark a summary reviewed, or new again. Answers are never changed here."""
    submission = _sent_or_404(reference)
    reviewed = request.form.get("status") != "new"
    get_store(current_app).set_reviewed(
        submission.reference, int(current_user.id), reviewed=reviewed
    )
    action = "reviewed" if reviewed else "reopened"
    audit(action, submission.reference)
    session[JUST_ACTED] = {"reference": submission.reference, "action": action}
    return redirect(url_for("staff.summary", reference=submission.reference, done=1))


# --- the audit log -----------------------------------------------------------------------------


@bp.route("/audit", endpoint="audit")
def audit_log():
    code = store_module.normalise_reference(request.args.get("code"))[:16]
    page = page_number()
    entries, total = get_store(current_app).audit_entries(
        page=page, per_page=AUDIT_PER_PAGE, reference=code or None
    )
    pages = max(math.ceil(total / AUDIT_PER_PAGE), 1)
    return render_template(
        "staff/audit.html",
        entries=entries,
        total=total,
        page=min(page, pages),
        pages=pages,
        code=code,
    )
