""" "Email me the link" on the saved page (issue 27): the resume link, sent to an address the
patient types, through the SMTP server of MAIL_URL. Off when MAIL_URL is unset: then the saved
page shows no such form and the route is a 404.

    MAIL_URL=smtp://host:25?from=noreply@clinic.example        plain SMTP
    MAIL_URL=smtp+starttls://user:password@host:587?from=...   STARTTLS, then log in
    MAIL_URL=smtps://user:password@host:465?from=...           SMTP over TLS

The address is used once, to send this mail, and never stored or logged (the rate limits keep
only a hash of it: decision_aid.web.limits). The mail says nothing about the condition: only "your
saved answers", the link, and that anyone with the link can see them. It is limited per address
and per patient (limits "mail_address" and "mail_patient")."""

import logging
import re
import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from flask import abort, current_app, redirect, request, session, url_for

from decision_aid.text.i18n import _
from decision_aid.web import limits
from decision_aid.web.patient_session import require_submission
from decision_aid.wizard.blueprint import bp

log = logging.getLogger(__name__)
ADDRESS = re.compile(r"[^@\s<>,;\"]{1,64}@[^@\s<>,;\"]{1,190}\.[^@\s<>,;\".]{2,63}")
TIMEOUT = 10  # seconds


def enabled(app=None) -> bool:
    return bool((app or current_app).config.get("MAIL_URL"))


def send(mail_url: str, to: str, subject: str, body: str) -> None:
    """One plain-text mail through the server of `mail_url`. Raises OSError or SMTPException."""
    url = urlsplit(mail_url)
    sender = parse_qs(url.query).get("from", [f"noreply@{url.hostname or 'localhost'}"])[0]
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content(body)
    secure = url.scheme == "smtps"
    smtp_class = smtplib.SMTP_SSL if secure else smtplib.SMTP
    port = url.port or (465 if secure else 25)
    with smtp_class(url.hostname or "localhost", port, timeout=TIMEOUT) as smtp:
        if url.scheme == "smtp+starttls":
            smtp.starttls(context=ssl.create_default_context())
        if url.username:
            smtp.login(unquote(url.username), unquote(url.password or ""))
        smtp.send_message(message)


def mail_text(resume_url: str, days: int) -> tuple[str, str]:
    subject = _("Your saved answers")
    body = "\n\n".join(
        [
            _("Here is the link back to your saved answers:"),
            resume_url,
            _("Keep it private: anyone with this link can see and change your answers."),
            _("We delete them {days} days after your last change.").format(days=days),
            _("You get this email because someone typed this address and asked for it."),
        ]
    )
    return subject, body + "\n"


@bp.post("/saved/email")
def email_link():
    """Send the resume link to the address typed, then back to the saved page, which says
    whether it went. The address is not kept: not in the session, the store or the logs."""
    if not enabled():
        abort(404)
    submission, go_start = require_submission(allow_new=False)
    if go_start:
        return go_start
    from decision_aid.wizard.saved import saved_page  # the saved page, with a message

    address = (request.form.get("email") or "").strip()
    if not ADDRESS.fullmatch(address) or len(address) > 254:
        message = _("Enter an email address in the right form, like name@example.com")
        return saved_page(submission, mail_error=message, mail_typed=address)
    limits.check("mail_address", address.lower())  # first: a refusal here costs no patient hit
    limits.check("mail_patient", submission.reference)
    resume_url = url_for("wizard.resume", token=session["token"], _external=True)
    subject, body = mail_text(resume_url, current_app.config["RETENTION_DAYS"])
    try:
        send(current_app.config["MAIL_URL"], address, subject, body)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("the resume link could not be mailed (%s)", type(exc).__name__)
        message = _("We could not send the email. Copy the link or scan the code instead.")
        return saved_page(submission, mail_error=message, mail_typed=address)
    return redirect(url_for("wizard.saved", mailed=1) + "#email-link")
