"""The clinic side for staff: sign-in, the list of sent summaries, look-up by reference code,
the summary as HTML and PDF, review status and the audit log.

Every route here except the sign-in page needs a signed-in, active staff account
(`require_staff` runs before each of them). A patient's session carries only the patient's token,
which never signs anyone in here; staff sessions carry no token, so staff cannot reach or change a
patient's answers through the patient's pages.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106). Failed sign-ins are counted
in the database per email address and IP address (hashed together): after MAX_FAILURES within
FAILURE_WINDOW, that pair is refused until the window has passed, whatever the password."""

import hashlib
import math
import time
from datetime import UTC, datetime

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
from wtforms import PasswordField, StringField

from decision_aid import store as store_module
from decision_aid.forms import ActionForm
from decision_aid.store import FAILURE_WINDOW, as_utc, get_store, normalise_email

bp = Blueprint("staff", __name__, url_prefix="/staff")
login_manager = LoginManager()
hasher = PasswordHasher()  # argon2id

MAX_FAILURES = 5
PER_PAGE = 25
AUDIT_PER_PAGE = 50
MIN_PASSWORD_LENGTH = 12
PUBLIC_ENDPOINTS = {"staff.sign_in"}

SIGN_IN_FAILED = "The email address or password is not right, or the account cannot sign in."
TOO_MANY = "Too many attempts to sign in. Wait 15 minutes, then try again."


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
    the same hashing time as a wrong password, so timing does not tell them apart."""
    global _dummy_hash
    account = store.staff_by_email(email)
    if account is None or not account.active:
        if _dummy_hash is None:
            _dummy_hash = hasher.hash("not a real password, only for timing")
        _verify(_dummy_hash, password or "")
        return None
    if not _verify(account.password_hash, password or ""):
        return None
    if hasher.check_needs_rehash(account.password_hash):
        store.set_staff_password(account.email, hasher.hash(password), rehash=True)
    return account


def failure_key(email, ip):
    return hashlib.sha256(f"{normalise_email(email)}|{ip or ''}".encode()).hexdigest()


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
    """Called on each staff request: a disabled (or removed) account is signed out at once."""
    try:
        account = get_store(current_app).staff_by_id(int(user_id))
    except (TypeError, ValueError):
        return None
    return StaffUser(account) if account is not None and account.active else None


def init_app(app):
    login_manager.init_app(app)
    login_manager.login_view = "staff.sign_in"
    login_manager.login_message = None  # no flash: the sign-in page explains itself
    login_manager.user_loader(load_user)
    app.register_blueprint(bp)


# --- every staff request -----------------------------------------------------------------------


def today():
    from decision_aid.wizard import today as wizard_today

    return wizard_today()


@bp.before_request
def require_staff():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        session.pop("_user_id", None)
        return redirect(url_for("staff.sign_in"))
    now = time.time()
    idle_limit = current_app.config["STAFF_SESSION_MINUTES"] * 60
    if now - session.get("staff_seen", 0) > idle_limit:
        _end_session()
        return redirect(url_for("staff.sign_in", timeout=1))
    session["staff_seen"] = now
    return None


def _end_session():
    logout_user()
    session.clear()


@bp.app_template_filter("staff_time")
def staff_time(moment):
    """A date and time in the server's time zone, e.g. "25 Nov 2026, 14:05"."""
    if moment is None:
        return ""
    local = as_utc(moment).astimezone()
    return f"{local.day} {local:%b %Y, %H:%M}"


def _audit(action, reference=None):
    get_store(current_app).audit(current_user.email, action, reference)


def _page_number():
    try:
        return max(int(request.args.get("page", "1")), 1)
    except ValueError:
        return 1


# --- sign-in and sign-out ----------------------------------------------------------------------


class SignInForm(FlaskForm):
    email = StringField("Email address")
    password = PasswordField("Password")


def _safe_next(target):
    if target and target.startswith("/staff/") and "//" not in target and "\\" not in target:
        return target
    return url_for("staff.summaries")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("staff.summaries"))
    form = SignInForm()
    error, status = None, 200
    if form.validate_on_submit():
        store = get_store(current_app)
        email = normalise_email(form.email.data)
        key = failure_key(email, request.remote_addr)
        since = datetime.now(UTC) - FAILURE_WINDOW
        account = None
        if store.count_failures(key, since) >= MAX_FAILURES:
            error, status = TOO_MANY, 429
        else:
            account = check_password(store, email, form.password.data)
            if account is None:
                store.add_failure(key)
                error, status = SIGN_IN_FAILED, 200
        if account is not None:
            store.clear_failures(key)
            target = _safe_next(request.args.get("next"))
            session.clear()  # drops any patient token and the old CSRF token
            login_user(StaffUser(account))
            session["staff_seen"] = time.time()
            store.record_sign_in(account.id)
            store.audit(account.email, "signed_in")
            return redirect(target)
    form.password.data = ""
    return render_template(
        "staff/sign_in.html",
        form=form,
        error=error,
        timed_out=request.args.get("timeout") == "1",
        minutes=current_app.config["STAFF_SESSION_MINUTES"],
    ), status


@bp.post("/sign-out")
def sign_out():
    _audit("signed_out")
    _end_session()
    return redirect(url_for("staff.sign_in"))


# --- summaries ---------------------------------------------------------------------------------


@bp.route("/")
def summaries():
    status = request.args.get("status")
    if status not in ("new", "reviewed"):
        status = None
    page = _page_number()
    items, total = get_store(current_app).list_sent(page=page, per_page=PER_PAGE, status=status)
    pages = max(math.ceil(total / PER_PAGE), 1)
    return render_template(
        "staff/list.html",
        items=items,
        total=total,
        page=page,
        pages=pages,
        status=status,
        code="",
        not_found=False,
    )


@bp.route("/find")
def find():
    """Look-up by reference code: case, spaces, dashes and look-alike characters forgiven."""
    code = (request.args.get("code") or "").strip()[:40]
    found = get_store(current_app).find_sent(code) if code else None
    if found is not None:
        return redirect(url_for("staff.summary", reference=found.reference))
    items, total = get_store(current_app).list_sent(page=1, per_page=PER_PAGE)
    return render_template(
        "staff/list.html",
        items=items,
        total=total,
        page=1,
        pages=max(math.ceil(total / PER_PAGE), 1),
        status=None,
        code=code,
        not_found=True,
    ), 404


def _sent_or_404(reference):
    response = get_store(current_app).sent_by_reference(reference)
    if response is None:
        abort(404)
    return response


def guidance_for(answers):
    """(result, problem): the guidance engine's result, or why there is none."""
    try:
        from decision_aid.guidance import ValidationError, evaluate
    except ImportError:
        return None, "The guidance is not available in this version."
    try:
        return evaluate(answers, today()), None
    except ValidationError:
        return None, "The guidance cannot be shown until the patient has finished their answers."


@bp.route("/summary/<reference>")
def summary(reference):
    from decision_aid.wizard import display_answer, questionnaire

    response = _sent_or_404(reference)
    _audit("viewed", response.reference)
    result, guidance_problem = guidance_for(response.answers)
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
        flag_labels=_red_flag_labels(response.answers),
        result=result,
        guidance_problem=guidance_problem,
        reviewer=reviewer,
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
    from decision_aid.wizard import display_answer, questionnaire

    rows = []
    for question_id, label in IDENTITY.items():
        question = questionnaire().question(question_id)
        lines = display_answer(question, answers) if question else []
        if lines:
            rows.append((label, lines))
    return rows


def _red_flag_labels(answers):
    from decision_aid.wizard import questionnaire

    flags = [flag for flag in answers.get("red_flags") or [] if flag != "none"]
    question = questionnaire().question("red_flags")
    return [question.option_label(flag) for flag in flags] if question else flags


@bp.route("/summary/<reference>/pdf")
def pdf(reference):
    """The PDF, shown in the browser to print, or with ?download=1 saved as a file."""
    response = _sent_or_404(reference)
    try:
        from decision_aid.pdf import render_summary_pdf
    except ImportError:
        abort(404)
    result, problem = guidance_for(response.answers)
    if result is None:
        return render_template("staff/message.html", title="No PDF yet", text=problem), 409
    config = current_app.config
    data = render_summary_pdf(
        response.answers,
        result,
        reference=response.reference_display,
        today=today(),
        clinic_name=config.get("CLINIC_NAME", ""),
        clinic_logo=config.get("CLINIC_LOGO") or None,
        paper=config.get("PAPER", "a4"),
    )
    download = request.args.get("download") == "1"
    _audit("downloaded" if download else "printed", response.reference)
    disposition = "attachment" if download else "inline"
    filename = f"summary-{response.reference_display}.pdf"
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'{disposition}; filename="{filename}"'},
    )


@bp.post("/summary/<reference>/status")
def status(reference):
    """Mark a summary reviewed, or new again. Answers are never changed here."""
    response = _sent_or_404(reference)
    reviewed = request.form.get("status") != "new"
    get_store(current_app).set_reviewed(response.reference, int(current_user.id), reviewed=reviewed)
    _audit("reviewed" if reviewed else "reopened", response.reference)
    return redirect(url_for("staff.summary", reference=response.reference))


# --- the audit log -----------------------------------------------------------------------------


@bp.route("/audit")
def audit():
    code = store_module.normalise_reference(request.args.get("code"))[:16]
    page = _page_number()
    entries, total = get_store(current_app).audit_entries(
        page=page, per_page=AUDIT_PER_PAGE, reference=code or None
    )
    return render_template(
        "staff/audit.html",
        entries=entries,
        total=total,
        page=page,
        pages=max(math.ceil(total / AUDIT_PER_PAGE), 1),
        code=code,
    )
