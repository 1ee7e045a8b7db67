"""The pages about answers that are kept: after "Save and come back later" (the resume link and
its QR code), the resume link itself, taking the answers off this device, and deleting them."""

from flask import current_app, redirect, render_template, request, session, url_for
from markupsafe import escape

from decision_aid.fields.forms import ActionForm
from decision_aid.pdf import cache as pdf_cache
from decision_aid.store import get_store
from decision_aid.text.i18n import _
from decision_aid.text.languages import use_answers_language
from decision_aid.web.patient_session import (
    continue_url,
    current_submission,
    has_answers,
    require_submission,
)
from decision_aid.web.shared import questionnaire, urgent_now
from decision_aid.wizard.blueprint import bp

try:  # segno draws the QR code of the resume link; without it the page shows the link only
    import segno
except ImportError:  # pragma: no cover - a dependency in setup.cfg
    segno = None


@bp.route("/saved")
def saved():
    """The page after "Save and come back later": the resume link (with a Copy button when
    script runs), a QR code of it for carrying on on one's own phone, the reference code and
    how long the answers are kept. Only the owner of the answers gets here."""
    submission, go_start = require_submission(allow_new=False)
    if go_start:
        return go_start
    return saved_page(submission, mailed=request.args.get("mailed") == "1")


def saved_page(submission, **mail):
    """The saved page; `mail` says how "Email me the link" went (decision_aid.wizard.mail_link)."""
    resume_url = url_for("wizard.resume", token=session["token"], _external=True)
    return render_template(
        "saved.html",
        submission=submission,
        resume_url=resume_url,
        qr_svg=qr_svg(resume_url),
        continue_url=continue_url(submission),
        retention_days=current_app.config["RETENTION_DAYS"],
        urgent_items=urgent_now(submission.answers),
        mail_on=bool(current_app.config.get("MAIL_URL")),
        **mail,
    )


def qr_svg(text):
    """The QR code of `text` as inline SVG markup: no style attributes (the CSP forbids them),
    black on a white square with its quiet zone, so it scans in the dark colour scheme too."""
    if segno is None:  # pragma: no cover
        return None
    code = segno.make(text, error="m")
    svg = code.svg_inline(
        scale=1, border=4, dark="#000", light="#fff", omitsize=True, svgclass="qr-code"
    )
    label = escape(_("QR code of your resume link"))
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


@bp.route("/resume/<token>", methods=["GET", "POST"])
def resume(token):
    """A resume link opens a page that asks before it changes anything: a GET alone must not
    switch this browser to someone else's answers (a link sent by another person, or an image
    on a web page, could otherwise make a patient type into a record that person can read)."""
    store = get_store(current_app)
    submission = store.load(token)
    if submission is None:
        return render_template(
            "resume_missing.html", retention_days=current_app.config["RETENTION_DAYS"]
        ), 404
    use_answers_language(submission.language)  # on any device, in the answers' language
    if request.method == "GET":
        current = current_submission()
        pages = [s.id for s in questionnaire().sequence(submission.answers)]
        return render_template(
            "resume.html",
            submission=submission,
            done=len(set(pages) & set(submission.completed_steps)),
            total=len(pages),
            other=current if has_answers(current) and current.id != submission.id else None,
            form=ActionForm(),
        )
    session.clear()
    session.permanent = True
    session["token"] = token
    use_answers_language(submission.language)  # after the clear: the pages after it too
    if request.form.get("then") == "followup":  # "How did your appointment go?" (issue 31)
        return redirect(url_for("wizard.followup"))
    return redirect(continue_url(submission))


@bp.post("/forget")
def forget():
    """Take the answers off this device (a shared tablet) and keep them on the server: the
    resume link and reference code still work."""
    submission, go_start = require_submission(allow_new=False)
    if go_start:
        return go_start
    session.clear()
    return render_template("forgotten.html", submission=submission)


@bp.route("/delete", methods=["GET", "POST"])
def delete():
    submission, go_start = require_submission(allow_new=False)
    if go_start:
        return go_start
    if request.method == "POST":
        get_store(current_app).delete(session["token"])
        pdf_cache.drop(current_app, submission.reference)
        session.clear()
        return render_template("deleted.html")
    return render_template("delete.html", form=ActionForm(), submission=submission)
