"""Staff sign-in, sessions and the guard on every staff page (`require_staff`, before each
request of the /staff blueprint).

Every staff page except the sign-in page needs a signed-in, active staff account. A patient's
session carries only the patient's token, which never signs anyone in here; staff sessions carry
no token, so staff cannot reach or change a patient's answers through the patient's pages.

Each sign-in attempt is recorded in the database before the password is checked
(decision_aid.staff.passwords), per email address and IP address (hashed together), per IP
address alone and per account: past MAX_FAILURES for the pair, or MAX_ADDRESS_FAILURES for the
address, within FAILURE_WINDOW, the attempt is refused until the window has passed, whatever the
password. Recording first means that attempts sent at the same moment cannot all get through.

Nobody can lock someone else out (OWASP ASVS 2.2.1). Past MAX_ACCOUNT_FAILURES for one account
from any addresses, the account is slowed down, not locked: an address that has failed for it
waits longer between tries (ACCOUNT_DELAYS), while the right password from an address that has
not failed for it still gets in. Every lock-out and slow-down leaves one audit entry per window,
under the account's email when there is such an account (the typed text is never logged).

Each account has a session generation, raised on sign-out, a password change and disabling; a
session signed in with an older one is signed out, so a copied cookie does not outlive them."""

import hashlib
import re
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException
from wtforms import PasswordField, StringField

from decision_aid import store as store_module
from decision_aid.fields.forms import Form
from decision_aid.staff.passwords import check_password
from decision_aid.store import FAILURE_WINDOW, get_store, normalise_email, reading
from decision_aid.text.i18n import N_, _
from decision_aid.web.limits import (
    ACCOUNT_DELAYS,
    MAX_ACCOUNT_FAILURES,
    MAX_ADDRESS_FAILURES,
    MAX_FAILURES,
)

bp = Blueprint("staff", __name__, url_prefix="/staff")
login_manager = LoginManager()

PUBLIC_ENDPOINTS = {"staff.sign_in"}

SIGN_IN_FAILED = N_("The email address or password is not right, or the account cannot sign in.")
TOO_MANY = N_("Too many attempts to sign in. Wait 15 minutes, then try again.")
SLOWED = N_("Too many attempts to sign in to this account. Wait a minute, then try again.")

UNKNOWN_ACCOUNT = "unknown account"  # the audit actor of a lock-out for no account

# Set by a review action for the redirect back to the summary, which then logs no second view.
JUST_ACTED = "staff_just_acted"


# --- sign-in limits ----------------------------------------------------------------------------


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
    lifetime = current_app.config["STAFF_SESSION_MAX_HOURS"] * 3600
    if now - session.get("staff_seen", 0) > idle_limit:
        _end_session()
        return redirect(_sign_in_url(timeout=1))
    if now - session.get("staff_signed_in", 0) > lifetime:  # however busy (ASVS 3.3.2, L4)
        _end_session()
        return redirect(_sign_in_url(expired=1))
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


def audit(action, reference=None, detail=None):
    get_store(current_app).audit(current_user.email, action, reference, detail)


# --- sign-in and sign-out ----------------------------------------------------------------------


class SignInForm(Form):
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
    """(account, error, status, seconds to wait). The attempt is recorded before the password is
    checked and refused past a limit (see the module's notes); it stays recorded as a failure
    unless the password is right."""
    pair, address = failure_key(email, request.remote_addr), address_key(request.remote_addr)
    since = datetime.now(UTC) - FAILURE_WINDOW
    keys = [pair, address, account_key(email)]
    ids, (pair_count, address_count, account_count) = store.begin_attempt(keys, since)
    if pair_count > MAX_FAILURES or address_count > MAX_ADDRESS_FAILURES:
        store.forget_attempts(ids)  # a refusal is not a failure: the lock is not extended
        _audit_once(store, email, "sign_in_paused", f"address {address[:8]}", since)
        return None, TOO_MANY, 429, int(FAILURE_WINDOW.total_seconds())
    if account_count > MAX_ACCOUNT_FAILURES and pair_count > 1:
        # This address has failed for this account already (pair_count counts this attempt).
        excess = account_count - MAX_ACCOUNT_FAILURES
        delay = ACCOUNT_DELAYS[min(excess, len(ACCOUNT_DELAYS)) - 1]
        last = store.last_failure(keys[2], excluding=ids)
        wait = delay - (datetime.now(UTC) - last).total_seconds() if last else 0
        if wait > 0:
            store.forget_attempts(ids)
            _audit_once(store, email, "sign_in_slowed", None, since)
            return None, SLOWED, 429, max(1, round(wait))
    account = check_password(store, email, password)
    if account is None:
        return None, SIGN_IN_FAILED, 200, 0
    store.clear_failures(pair)
    store.forget_attempts(ids)
    return account, None, 200, 0


def _audit_once(store, email, action, detail, since):
    """One audit entry per lock-out (or slow-down) and window, not one per refused attempt.
    The actor is the account's email, or "unknown account": never text a stranger typed."""
    actor = email if store.staff_by_email(email) is not None else UNKNOWN_ACCOUNT
    log = store_module.audit_log
    query = select(func.count()).where(
        log.c.action == action, log.c.actor == actor, log.c.at >= since
    )
    if detail is not None:
        query = query.where(log.c.detail == detail)
    with reading(store.engine) as conn:
        if conn.execute(query).scalar_one():
            return
    store.audit(actor, action, detail=detail)


def _start_session(store, account):
    target = _next_url(request.args.get("next")) or url_for("staff.summaries")
    session.clear()  # drops any patient token and the old CSRF token
    login_user(StaffUser(account))
    session["staff_generation"] = account.session_generation
    session["staff_seen"] = session["staff_signed_in"] = time.time()
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
        account, error, status, wait = _attempt_sign_in(store, email, form.password.data)
        if account is not None:
            return _start_session(store, account)
    form.password.data = ""
    headers = {"Retry-After": str(wait)} if status == 429 else {}
    return (
        render_template(
            "staff/sign_in.html",
            form=form,
            error=_(error) if error else None,
            next_path=request.args.get("next") if _next_url(request.args.get("next")) else None,
            timed_out=request.args.get("timeout") == "1",
            expired=request.args.get("expired") == "1",
            minutes=current_app.config["STAFF_SESSION_MINUTES"],
            hours=f"{current_app.config['STAFF_SESSION_MAX_HOURS']:g}",
        ),
        status,
        headers,
    )


@bp.post("/sign-out")
def sign_out():
    """Signs the account out everywhere: a copy of this session's cookie stops working too."""
    audit("signed_out")
    get_store(current_app).end_staff_sessions(int(current_user.id))
    _end_session()
    return redirect(url_for("staff.sign_in"))
