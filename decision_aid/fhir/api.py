"""The FHIR read API for a clinic's record system (`/fhir/`): sent summaries as
QuestionnaireResponses, read one by one or searched by `status` and `_lastUpdated`, plus the
Questionnaire, the CodeSystem and the CapabilityStatement (`/fhir/metadata`, the only request
that needs no token).

Every other request needs an API token (`decision-aid api-token add NAME`) sent as
`Authorization: Bearer <token>`. A request without a valid token is recorded, and past
MAX_ADDRESS_FAILURES from one address within FAILURE_WINDOW the address's requests without a
valid token are refused (429) until the window has passed; a valid token always gets in. Every
summary read, one by one or in a search, leaves an audit entry. Errors are OperationOutcomes,
never a page or a stack trace. The mapping itself is in `decision_aid.fhir`; this module only
serves it."""

import hashlib
import json
import math
import re
from datetime import UTC, datetime
from urllib.parse import urlencode

from flask import Blueprint, current_app, g, request, url_for

from decision_aid import fhir
from decision_aid.fhir import tokens as api_tokens
from decision_aid.fhir.canon import CODESYSTEM_ID, FHIR_JSON, QUESTIONNAIRE_ID
from decision_aid.fhir.search import SearchError, parse_search
from decision_aid.store import FAILURE_WINDOW, REFERENCE_ALPHABET, get_store
from decision_aid.web import shared as web
from decision_aid.web.limits import MAX_ADDRESS_FAILURES
from decision_aid.web.shared import fhir_canon, submission_resource

bp = Blueprint("fhir_api", __name__, url_prefix="/fhir")

MAX_COUNT = 50  # resources in one search page, whatever _count asks for
DEFAULT_COUNT = 20
PUBLIC_ENDPOINTS = {"fhir_api.metadata"}
JSON_FORMATS = {"json", "application/json", FHIR_JSON}
REALM = 'Bearer realm="decision_aid"'
ERRORS = {
    400: ("invalid", "The request could not be read."),
    404: ("not-found", "There is no such resource or operation here."),
    405: ("not-supported", "This API only reads: use GET."),
    413: ("too-costly", "The request is too large."),
    500: ("exception", "Something went wrong on our side. Please try again later."),
}


def fhir_json(resource, status=200, headers=None):
    return current_app.response_class(
        json.dumps(resource, ensure_ascii=False),
        status=status,
        content_type=f"{FHIR_JSON}; charset=utf-8",
        headers=headers,
    )


def outcome(status, code, diagnostics, headers=None):
    return fhir_json(fhir.operation_outcome([fhir.issue(code, diagnostics)]), status, headers)


def is_api_request():
    return request.path == bp.url_prefix or request.path.startswith(f"{bp.url_prefix}/")


def error_outcome(status):
    """The OperationOutcome for an HTTP error under /fhir (used by decision_aid.web.errors)."""
    code, text = ERRORS.get(status, ERRORS[500])
    return outcome(status if status in ERRORS else 500, code, text)


# --- every request: the token ------------------------------------------------------------------


def api_address_key(ip):
    """The rate-limit key for API requests from one IP address (never a staff sign-in key)."""
    return hashlib.sha256(f"fhir api {ip or ''}".encode()).hexdigest()


def _bearer_token():
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


@bp.before_request
def require_token():
    if request.args.get("_format", "json") not in JSON_FORMATS:
        return outcome(406, "not-supported", "Only JSON is served (_format=json).")
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    store = get_store(current_app)
    token = _bearer_token()
    name = api_tokens.authenticate(store, token)
    if name is not None:
        # A valid token always gets in: bad requests from the record system's shared egress
        # address must not lock the real system out (security review, L14). A token is 256
        # random bits, so the limit below is against hammering, not guessing.
        g.api_client = name
        return None
    since = datetime.now(UTC) - FAILURE_WINDOW
    ids, (count,) = store.begin_attempt([api_address_key(request.remote_addr)], since)
    if count > MAX_ADDRESS_FAILURES:
        store.forget_attempts(ids)  # a refusal is not a failure: the lock is not extended
        minutes = int(FAILURE_WINDOW.total_seconds() // 60)
        message = f"Too many requests without a valid token. Wait {minutes} minutes."
        return outcome(429, "throttled", message, {"Retry-After": str(minutes * 60)})
    if token is None:
        message, challenge = "An API token is needed: Authorization: Bearer <token>.", REALM
    else:
        message = "The API token is not valid, or has been revoked."
        challenge = f'{REALM}, error="invalid_token"'
    return outcome(401, "login", message, {"WWW-Authenticate": challenge})


def _audit(action, reference):
    get_store(current_app).audit(f"API token: {g.api_client}", action, reference)


# --- routes ------------------------------------------------------------------------------------


def _base_url():
    return url_for("fhir_api.metadata", _external=True).rsplit("/", 1)[0]


@bp.get("/metadata")
def metadata():
    from importlib.metadata import PackageNotFoundError, version

    try:
        software_version = version("decision_aid")
    except PackageNotFoundError:  # run from a source tree that is not installed
        software_version = "unknown"
    return fhir_json(
        fhir.capability_statement(
            fhir_canon(),
            base_url=_base_url(),
            date=fhir_canon().date,
            software_version=software_version,
            max_count=MAX_COUNT,
        )
    )


@bp.get("/Questionnaire/<resource_id>")
def questionnaire(resource_id):
    if resource_id != QUESTIONNAIRE_ID:
        return error_outcome(404)
    return fhir_json(fhir.questionnaire(fhir_canon(), web.questionnaire()))


@bp.get("/CodeSystem/<resource_id>")
def codesystem(resource_id):
    if resource_id != CODESYSTEM_ID:
        return error_outcome(404)
    return fhir_json(fhir.codesystem(fhir_canon(), web.questionnaire()))


_REFERENCE = re.compile(f"^[{REFERENCE_ALPHABET}]{{8}}$")


@bp.get("/QuestionnaireResponse/<reference>")
def read_response(reference):
    """One sent summary by its id (the reference code without the dash)."""
    code = reference.upper()
    found = get_store(current_app).sent_by_reference(code) if _REFERENCE.match(code) else None
    if found is None:
        return outcome(404, "not-found", "No summary sent to the clinic has this id.")
    _audit("fhir_read", found.reference)
    return fhir_json(submission_resource(found))


@bp.get("/QuestionnaireResponse")
def search_responses():
    """Sent summaries, oldest change first, `_count` a page (at most MAX_COUNT)."""
    try:
        search = parse_search(request.args, max_count=MAX_COUNT, default_count=DEFAULT_COUNT)
    except SearchError as error:
        return outcome(400, error.code, str(error))
    store = get_store(current_app)
    offset = (search.page - 1) * search.count
    found, total = store.search_sent(
        statuses=search.statuses, updated=search.updated, offset=offset, limit=search.count
    )
    for submission in found:
        _audit("fhir_searched", submission.reference)
    links = _page_links(search, total)
    resources = [submission_resource(submission) for submission in found]
    return fhir_json(fhir.searchset(resources, base_url=_base_url(), total=total, links=links))


def _page_links(search, total):
    kept = [(k, v) for k, v in request.args.items(multi=True) if k not in ("_page", "_count")]

    def url(page):
        query = urlencode([*kept, ("_count", search.count), ("_page", page)])
        return f"{request.base_url}?{query}"

    last = max(math.ceil(total / search.count), 1) if search.count else 1
    links = {"self": url(search.page), "first": url(1)}
    if 1 < search.page <= last:
        links["previous"] = url(search.page - 1)
    if search.page < last:
        links["next"] = url(search.page + 1)
    links["last"] = url(last)
    return links
