"""The summary page, the short page before the PDF (the name and date of birth for the page for
the doctor) and the PDF itself."""

from pathlib import Path

from flask import abort, current_app, redirect, render_template, request, url_for

from decision_aid.fields.forms import build_form, check_step, field_name
from decision_aid.guidance import quality
from decision_aid.pdf import ahead
from decision_aid.pdf import cache as pdf_cache
from decision_aid.summary import build_view
from decision_aid.text import i18n
from decision_aid.text.i18n import N_, _
from decision_aid.web import limits, saving
from decision_aid.web.patient_session import current_submission, require_finished
from decision_aid.web.shared import (
    answered_date,
    clinic_name,
    display_answer,
    guidance_for,
    guidance_readable,
    keeping,
    other_clinic,
    questionnaire,
    today,
)
from decision_aid.wizard.blueprint import bp
from decision_aid.wizard.check import answered_steps

# What the page before the PDF leads to: its button, and its way on without a name.
PDF_ACTIONS = {
    "download": (N_("Download the PDF"), N_("Download it without a name")),
    "print": (N_("Print the PDF"), N_("Print it without a name")),
}


# docs/development.md (IPDAS development criteria, issue 30), linked from the summary's "About
# this guide": served as it is written, in English, from the checkout the app runs from.
DEVELOPMENT_DOC = Path(__file__).resolve().parent.parent.parent / "docs" / "development.md"


@bp.route("/about-this-guide")
def development():
    if not DEVELOPMENT_DOC.is_file():
        abort(404)
    response = current_app.response_class(
        DEVELOPMENT_DOC.read_text(encoding="utf-8"), mimetype="text/plain"
    )
    response.headers["Content-Language"] = "en"
    return response


@bp.route("/summary")
def summary():
    submission, elsewhere = require_finished()
    if elsewhere:
        return elsewhere
    result = guidance_for(submission.answers)
    if result is not None:
        # Download usually finds the PDF made by now; the page does not wait for it.
        ahead.queue_render(
            current_app,
            submission.reference,
            "patient",
            submission.answers,
            **pdf_options(submission),
        )
    return render_template(
        "summary.html",
        submission=submission,
        steps=answered_steps(submission.answers),
        answers=submission.answers,
        display=display_answer,
        view=build_view(result) if result else None,
        knowledge=quality.knowledge_check(submission.answers),
        sure_before=quality.sure_total(submission.answers.get("sure")),
        sure_after=quality.sure_total((submission.followup or {}).get("sure_after")),
        clinic=clinic_name(),
        other_clinic=other_clinic(submission.answers),
        kept=keeping(submission, submission.sent_answers or submission.answers)
        if submission.sent_at
        else None,
        retention_days=current_app.config["RETENTION_DAYS"],
    )


def pdf_url(action, without_name=False):
    return url_for(
        "wizard.summary_pdf",
        print=1 if action == "print" else None,
        without_name=1 if without_name else None,
    )


@bp.route("/summary/your-name", methods=["GET", "POST"])
def pdf_name():
    """The short page before the PDF is downloaded or printed: the name and date of birth for
    the page for the doctor. The guidance does not use them, so they are asked only when the
    summary is shared (here and on the send page): optional, filled in when known, checked as
    on any question page. A change here, like any change, reaches a clinic that was sent the
    summary only when the summary is made again."""
    submission, elsewhere = require_finished()
    if elsewhere:
        return elsewhere
    action = request.values.get("then")
    if action not in PDF_ACTIONS:
        action = "download"
    step = questionnaire().sharing_step()
    if step is None:
        return redirect(pdf_url(action))  # nothing to ask
    errors = []
    if request.method == "POST":
        form = build_form(step, submission.answers, formdata=request.form)
        if form.validate():  # CSRF only; the checks below are per question
            given, errors, _complete = check_step(step, form, today(), submission.answers)
            if not errors:
                # Merged into the answers as stored now (decision_aid.web.saving).
                saving.save_patient(
                    lambda stored: (
                        {k: v for k, v in stored.answers.items() if k not in step.stored_ids}
                        | given,
                        stored.completed_steps,
                    )
                )
                return redirect(pdf_url(action))
    else:
        form = build_form(step, submission.answers)
    button, without = (_(words) for words in PDF_ACTIONS[action])
    return render_template(
        "pdf_name.html",
        step=step,
        form=form,
        errors=errors,
        errors_by_key={e.key: e for e in reversed(errors)},
        field_name=field_name,
        action=action,
        button=button,
        without=without,
        without_url=pdf_url(action, without_name=True),
    )


def pdf_options(submission):
    """How the patient's PDF is made (render_summary_pdf's options), the same for the render
    ahead from the summary page and for Download, so that both have one cache key."""
    config = current_app.config
    return dict(
        reference=submission.reference_display,
        today=today(),
        answered=answered_date(submission),
        clinic_name=config["CLINIC_NAME"],
        clinic_logo=config["CLINIC_LOGO"] or None,
        paper=config["PAPER"],
        sources_url=url_for("wizard.sources", _external=True),  # the QR code's link
        language=i18n.current(),  # the patient's copy in the patient's language
        clinic_language=config["CLINIC_LANGUAGE"],  # page 1 in the clinic's
    )


@bp.route("/summary/consultation.pdf")
def consultation_pdf():
    """Page 2 alone, "For the consultation", for the patient to print for the appointment:
    only for the owner of the answers."""
    submission = current_submission()
    if submission is None or submission.finished_at is None:
        abort(404)
    if not guidance_readable(submission.answers):  # the render process makes the guidance
        abort(404)
    limits.check("pdf", submission.reference)
    limits.check("pdf_address", request.remote_addr)
    body = pdf_cache.summary(
        current_app,
        submission.reference,
        "patient-consultation",
        submission.answers,
        consultation_only=True,
        **pdf_options(submission),
    )
    filename = f"consultation-{submission.reference_display}.pdf"
    return current_app.response_class(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@bp.route("/summary.pdf")
def summary_pdf():
    """The PDF, only for the owner of the answers: anyone else gets a 404. With
    ?without_name=1 it leaves out the name and date of birth (the way on without them from the
    page before the PDF), and page 1 says they were not given."""
    submission = current_submission()
    if submission is None or submission.finished_at is None:
        abort(404)
    answers = submission.answers
    sharing = questionnaire().sharing_step()
    if request.args.get("without_name") == "1" and sharing:
        answers = {k: v for k, v in answers.items() if k not in sharing.stored_ids}
    if not guidance_readable(answers):  # the render process makes the guidance, once
        abort(404)
    limits.check("pdf", submission.reference)
    limits.check("pdf_address", request.remote_addr)  # many patients from one Start (M2)
    report = {}
    body = pdf_cache.summary(
        current_app, submission.reference, "patient", answers, report, **pdf_options(submission)
    )
    filename = f"hfs-summary-{submission.reference_display}.pdf"
    # ?print=1 opens the same PDF in the browser, to print it from there.
    disposition = "inline" if request.args.get("print") == "1" else "attachment"
    return current_app.response_class(
        body,
        mimetype="application/pdf",
        # Whether it was made ahead (or earlier): `make load` reports the share of hits.
        headers={
            "Content-Disposition": f'{disposition}; filename="{filename}"',
            "X-PDF-Cache": "hit" if report.get("hit") else "miss",
        },
    )
