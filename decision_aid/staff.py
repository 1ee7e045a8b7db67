"""The clinic side for staff: sign-in, the list of sent summaries, look-up by reference code,
the summary as HTML and PDF, review status and the audit log.

Every route here except the sign-in page needs a signed-in, active staff account
(`require_staff` runs before each of them). A patient's session carries only the patient's token,
which never signs anyone in here; staff sessions carry no token, so staff cannot reach or change a
patient's answers through the patient's pages.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106), at most CONCURRENT_CHECKS
at a time. Each sign-in attempt is recorded in the database before the password is checked, per
email address and IP address (hashed together) and per IP address alone: past MAX_FAILURES for
the pair, or MAX_ADDRESS_FAILURES for the address, within FAILURE_WINDOW, the attempt is refused
until the window has passed, whatever the password. Recording first means that attempts sent at
the same moment cannot all get through. Past MAX_ACCOUNT_FAILURES for one email address from any
addresses, the account's sign-in is paused for the window too, with one audit entry.

Each account has a session generation, raised on sign-out, a password change and disabling; a
session signed in with an older one is signed out, so a copied cookie does not outlive them."""

import hashlib
import json
import math
import re
import threading
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException
from wtforms import PasswordField, StringField

from decision_aid import store as store_module
from decision_aid.clinic_time import age_on
from decision_aid.forms import ActionForm
from decision_aid.pdf import cache as pdf_cache
from decision_aid.store import FAILURE_WINDOW, get_store, normalise_email
from decision_aid.summary import build_view, own_questions
from decision_aid.wizard import answered_date, display_answer, guidance_for, questionnaire, today

bp = Blueprint("staff", __name__, url_prefix="/staff")
login_manager = LoginManager()
hasher = PasswordHasher()  # argon2id

MAX_FAILURES = 5  # per email address and IP address
MAX_ADDRESS_FAILURES = 20  # per IP address, whatever the email addresses
MAX_ACCOUNT_FAILURES = 30  # per email address, from any IP addresses (an audit entry when hit)
CONCURRENT_CHECKS = 4  # argon2id verifications at once, per process (each takes time and memory)
PER_PAGE = 25
AUDIT_PER_PAGE = 50
MIN_PASSWORD_LENGTH = 12
PUBLIC_ENDPOINTS = {"staff.sign_in"}

SIGN_IN_FAILED = "The email address or password is not right, or the account cannot sign in."
TOO_MANY = "Too many attempts to sign in. Wait 15 minutes, then try again."
NO_GUIDANCE = "The guidance cannot be shown until the patient has finished their answers."

# Set by a review action for the redirect back to the summary, which then logs no second view.
JUST_ACTED = "staff_just_acted"
ACTED_MESSAGES = {"reviewed": "Marked as reviewed.", "reopened": "Marked as new again."}

_checks = threading.BoundedSemaphore(CONCURRENT_CHECKS)


# --- accounts and passwords --------------------------------------------------------------------


def hash_password(password):
    return hasher.hash(password)


def password_problem(password):
    """None if the password is acceptable, else a message."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        return f"The password must have at least {MIN_PASSWORD_LENGTH} characters."
    return None


_dummy_hash = None


def _verify(password_hash, password):
    try:
        return hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def check_password(store, email, password):
    """The active account for these credentials, or None. Unknown and disabled accounts cost
    the same hashing time as a wrong password, so timing does not tell them apart. At most
    CONCURRENT_CHECKS run at once; the others wait their turn."""
    global _dummy_hash
    password = password or ""
    account = store.staff_by_email(email)
    with _checks:
        if account is None or not account.active:
            if _dummy_hash is None:
                _dummy_hash = hasher.hash("not a real password, only for timing")
            _verify(_dummy_hash, password)
            return None
        if not _verify(account.password_hash, password):
            return None
        if hasher.check_needs_rehash(account.password_hash):
            store.set_staff_password(account.email, hasher.hash(password), rehash=True)
    return account


def failure_key(email, ip):
    return hashlib.sha256(f"{normalise_email(email)}|{ip or ''}".encode()).hexdigest()


def address_key(ip):
    """The key for every attempt from one IP address (no "|", so never a `failure_key`)."""
    return hashlib.sha256(f"address {ip or ''}".encode()).hexdigest()


def account_key(email):
    """The key for every attempt at one account, from whatever address."""
    return hashlib.sha256(f"account {normalise_email(email)}".encode()).hexdigest()


class StaffUser(UserMixin):
    def __init__(self, account):
        self.account = account
        self.id = str(account.id)

    @property
    def email(self):
        return self.account.email

    @property
    def is_active(self):
        return self.account.active


def load_user(user_id):
    """Called on each staff request: a disabled (or removed) account is signed out at once, and
    so is a session from before the account's last sign-out, password change or disabling."""
    try:
        account = get_store(current_app).staff_by_id(int(user_id))
    except (TypeError, ValueError):
        return None
    if account is None or not account.active:
        return None
    if session.get("staff_generation") != account.session_generation:
        return None
    return StaffUser(account)


def init_app(app):
    from decision_aid import staff_list  # noqa: F401 (the list's routes, on this blueprint)

    login_manager.init_app(app)
    login_manager.login_view = "staff.sign_in"
    login_manager.login_message = None  # no flash: the sign-in page explains itself
    login_manager.user_loader(load_user)
    app.register_blueprint(bp)


# --- every staff request -----------------------------------------------------------------------


@bp.before_request
def require_staff():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        session.pop("_user_id", None)
        return redirect(_sign_in_url())
    now = time.time()
    idle_limit = current_app.config["STAFF_SESSION_MINUTES"] * 60
    if now - session.get("staff_seen", 0) > idle_limit:
        _end_session()
        return redirect(_sign_in_url(timeout=1))
    session["staff_seen"] = now
    if request.endpoint != "staff.summary":
        session.pop(JUST_ACTED, None)  # only the redirect straight after an action uses it
    return None


def _sign_in_url(**args):
    """The sign-in page, with `next` set to the page asked for (a GET of a staff page other than
    the list, where sign-in goes anyway)."""
    if request.method == "GET" and request.endpoint != "staff.summaries":
        if _next_url(request.path):
            args["next"] = request.path
    return url_for("staff.sign_in", **args)


def _end_session():
    logout_user()
    session.clear()


def _audit(action, reference=None, detail=None):
    get_store(current_app).audit(current_user.email, action, reference, detail)


def _page_number():
    """The ?page= number: 400 unless it is whole and positive. A huge one is cut down here; the
    store shows the last page for any page past the end."""
    text = request.args.get("page", "1")
    if not re.fullmatch("[0-9]+", text, re.ASCII):
        abort(400)
    page = int(text) if len(text) <= 18 else 10**18
    if page < 1:
        abort(400)
    return page


# --- sign-in and sign-out ----------------------------------------------------------------------


class SignInForm(FlaskForm):
    email = StringField("Email address")
    password = PasswordField("Password")


# Whitespace, control characters and backslashes never belong in a staff page's path.
_UNSAFE_IN_NEXT = re.compile(r"[\s\x00-\x1f\x7f-\x9f\\]")


def _next_url(target):
    """Where `next=` may send a member of staff after sign-in: the URL of a staff page that
    `target`, a path, names (built again from the URL map, never `target` itself), or None.
    Anything with a scheme, host, query, backslash, whitespace or control character is
    refused, so it can never be an open redirect."""
    if not target or not target.startswith("/") or _UNSAFE_IN_NEXT.search(target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.query or parts.fragment:
        return None
    try:
        endpoint, values = current_app.url_map.bind("localhost").match(parts.path, method="GET")
    except HTTPException:  # no such page, not a GET page, or a redirect
        return None
    if not endpoint.startswith(f"{bp.name}.") or endpoint in PUBLIC_ENDPOINTS:
        return None
    url = url_for(endpoint, **values)
    return url if url == request.script_root + target else None


def _attempt_sign_in(store, email, password):
    """(account, error, status). The attempt is recorded before the password is checked and
    refused past either limit; it stays recorded as a failure unless the password is right."""
    pair, address = failure_key(email, request.remote_addr), address_key(request.remote_addr)
    since = datetime.now(UTC) - FAILURE_WINDOW
    keys = [pair, address, account_key(email)]
    ids, (pair_count, address_count, account_count) = store.begin_attempt(keys, since)
    if account_count > MAX_ACCOUNT_FAILURES:
        store.forget_attempts(ids)
        _audit_pause(store, email, since)
        return None, TOO_MANY, 429
    if pair_count > MAX_FAILURES or address_count > MAX_ADDRESS_FAILURES:
        store.forget_attempts(ids)  # a refusal is not a failure: the lock is not extended
        return None, TOO_MANY, 429
    account = check_password(store, email, password)
    if account is None:
        return None, SIGN_IN_FAILED, 200
    store.clear_failures(pair)
    store.forget_attempts(ids)
    return account, None, 200


def _audit_pause(store, email, since):
    """One audit entry when an account's sign-in is paused (failures from many addresses),
    not one per refused attempt."""
    log = store_module.audit_log
    query = select(func.count()).where(
        log.c.action == "sign_in_paused", log.c.actor == email[:254], log.c.at >= since
    )
    with store.engine.connect() as conn:
        if conn.execute(query).scalar_one():
            return
    store.audit(email, "sign_in_paused")


def _start_session(store, account):
    target = _next_url(request.args.get("next")) or url_for("staff.summaries")
    session.clear()  # drops any patient token and the old CSRF token
    login_user(StaffUser(account))
    session["staff_generation"] = account.session_generation
    session["staff_seen"] = time.time()
    store.record_sign_in(account.id)
    store.audit(account.email, "signed_in")
    return redirect(target)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("staff.summaries"))
    form = SignInForm()
    error, status = None, 200
    if form.validate_on_submit():
        store = get_store(current_app)
        email = normalise_email(form.email.data)
        account, error, status = _attempt_sign_in(store, email, form.password.data)
        if account is not None:
            return _start_session(store, account)
    form.password.data = ""
    return render_template(
        "staff/sign_in.html",
        form=form,
        error=error,
        next_path=request.args.get("next") if _next_url(request.args.get("next")) else None,
        timed_out=request.args.get("timeout") == "1",
        minutes=current_app.config["STAFF_SESSION_MINUTES"],
    ), status


@bp.post("/sign-out")
def sign_out():
    """Signs the account out everywhere: a copy of this session's cookie stops working too."""
    _audit("signed_out")
    get_store(current_app).end_staff_sessions(int(current_user.id))
    _end_session()
    return redirect(url_for("staff.sign_in"))


# --- summaries ---------------------------------------------------------------------------------


def _sent_or_404(reference):
    response = get_store(current_app).sent_by_reference(reference)
    if response is None:
        abort(404)
    return response


@bp.route("/summary/<reference>")
def summary(reference):
    """A summary. Opening it logs a view; the redirect straight after "Mark as reviewed" or
    "Mark as new again" (?done=1 with the action noted in the session, so the flag alone
    cannot hide a view) shows what was done and logs nothing more."""
    response = _sent_or_404(reference)
    acted = session.pop(JUST_ACTED, None)
    if not (
        request.args.get("done") == "1"
        and isinstance(acted, dict)
        and acted.get("reference") == response.reference
    ):
        acted = None
        _audit("viewed", response.reference)
    result = guidance_for(response.answers)
    reviewer = None
    if response.reviewed_by is not None:
        reviewer = get_store(current_app).staff_by_id(response.reviewed_by)
    return render_template(
        "staff/summary.html",
        response=response,
        steps=questionnaire().applicable_steps(response.answers),
        answers=response.answers,
        display=display_answer,
        identity=_identity(response.answers),
        view=build_view(result, response.answers) if result else None,
        own_questions=own_questions(response.answers),
        guidance_problem=NO_GUIDANCE,
        reviewer=reviewer,
        done=ACTED_MESSAGES.get(acted["action"]) if acted else None,
        form=ActionForm(),
    )


IDENTITY = {
    "name": "Name",
    "date_of_birth": "Date of birth",
    "appointment": "Appointment",
    "clinic": "Clinic",
}


def _identity(answers):
    """The optional details the patient gave, for checking it is the right person."""
    rows = []
    for question_id, label in IDENTITY.items():
        question = questionnaire().question(question_id)
        lines = display_answer(question, answers) if question else []
        if lines:
            rows.append((label, lines))
        age = (
            age_on(answers.get("date_of_birth"), today())
            if question_id == "date_of_birth"
            else None
        )
        if lines and age is not None:
            rows.append(("Age", [str(age)]))
    return rows


def _clinic_pdf(response, result, clinician_only=False):
    config = current_app.config
    return pdf_cache.summary(
        current_app,
        response.reference,
        "clinician" if clinician_only else "clinic",
        response.answers,
        reference=response.reference_display,
        today=today(),
        answered=answered_date(response),
        clinician_only=clinician_only,
        clinic_name=config.get("CLINIC_NAME", ""),
        clinic_logo=config.get("CLINIC_LOGO") or None,
        paper=config.get("PAPER", "a4"),
    )


@bp.route("/summary/<reference>/pdf")
def pdf(reference):
    """The PDF, shown in the browser to print, or with ?download=1 saved as a file."""
    response = _sent_or_404(reference)
    result = guidance_for(response.answers)
    if result is None:
        return render_template("staff/message.html", title="No PDF yet", text=NO_GUIDANCE), 409
    data = _clinic_pdf(response, result)
    download = request.args.get("download") == "1"
    _audit("downloaded" if download else "printed", response.reference)
    return pdf_response(data, f"summary-{response.reference_display}.pdf", download)


@bp.route("/summary/<reference>/clinician.pdf")
def clinician_pdf(reference):
    """Page 1 alone, the clinician's page, to print for the consultation."""
    response = _sent_or_404(reference)
    result = guidance_for(response.answers)
    if result is None:
        return render_template("staff/message.html", title="No PDF yet", text=NO_GUIDANCE), 409
    data = _clinic_pdf(response, result, clinician_only=True)
    _audit("printed_clinician", response.reference)
    return pdf_response(data, f"clinician-page-{response.reference_display}.pdf")


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
    from decision_aid.fhir_api import FHIR_JSON, response_resource

    response = _sent_or_404(reference)
    result = guidance_for(response.answers)
    if result is None:
        title = "No record file yet"
        return render_template("staff/message.html", title=title, text=NO_GUIDANCE), 409
    bundle = record_bundle(
        response_resource(response),
        _clinic_pdf(response, result),
        created=datetime.now(UTC),
    )
    _audit("fhir_downloaded", response.reference)
    filename = f"summary-{response.reference_display}-fhir.json"
    return Response(
        json.dumps(bundle, ensure_ascii=False, indent=2),
        content_type=f"{FHIR_JSON}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.post("/summary/<reference>/status")
def status(reference):
    """Mark a summary reviewed, or new again. Answers are never changed here."""
    response = _sent_or_404(reference)
    reviewed = request.form.get("status") != "new"
    get_store(current_app).set_reviewed(response.reference, int(current_user.id), reviewed=reviewed)
    action = "reviewed" if reviewed else "reopened"
    _audit(action, response.reference)
    session[JUST_ACTED] = {"reference": response.reference, "action": action}
    return redirect(url_for("staff.summary", reference=response.reference, done=1))


# --- the audit log -----------------------------------------------------------------------------


@bp.route("/audit")
def audit():
    code = store_module.normalise_reference(request.args.get("code"))[:16]
    page = _page_number()
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
