"""The resources around a response: OperationOutcome, the health-record Bundle (the response
and a DocumentReference holding the clinician PDF), search Bundles and the server's
CapabilityStatement."""

import base64
import hashlib
import uuid
from datetime import UTC

from decision_aid.fhir.canon import FHIR_VERSION

# OperationOutcome issue codes (http://hl7.org/fhir/issue-type) used here, and what they mean.
ISSUE_CODES = {
    "structure",
    "required",
    "invalid",
    "code-invalid",
    "not-found",
    "not-supported",
    "duplicate",
    "login",
    "forbidden",
    "throttled",
    "exception",
    "processing",
    "too-costly",
}
RECORD_TITLE = "Hemifacial spasm decision aid: summary for the clinician"


def instant(moment, precise=False):
    """A FHIR instant in UTC ("2026-11-25T10:00:00Z"); `precise` keeps the microseconds, so
    that `_lastUpdated` searches can tell apart changes within one second."""
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    fraction = f".{moment.microsecond:06d}" if precise else ""
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + fraction + "Z"


def issue(code, diagnostics, expression=None, severity="error"):
    assert code in ISSUE_CODES, code
    entry = {"severity": severity, "code": code, "diagnostics": diagnostics}
    if expression:
        entry["expression"] = [expression]
    return entry


def operation_outcome(issues):
    return {"resourceType": "OperationOutcome", "issue": list(issues)}


def outcome_lines(issues):
    """One line per issue, as the command line prints them:
    `error [code-invalid] QuestionnaireResponse.item[0]...: side: unknown code 'purple'`."""
    lines = []
    for entry in issues:
        where = f" {', '.join(entry['expression'])}" if entry.get("expression") else ""
        lines.append(f"{entry['severity']} [{entry['code']}]{where}: {entry['diagnostics']}")
    return lines


def _urn(*parts):
    """A fullUrl that is the same for the same summary in the same state (so two downloads of
    an unchanged summary can be recognised), and different otherwise."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, '|'.join(parts))}"


def record_bundle(response, pdf, *, created, title=RECORD_TITLE):
    """A transaction Bundle for the patient's health record: the QuestionnaireResponse and a
    DocumentReference whose attachment is the clinician PDF (base64, SHA-1 hash as FHIR R4
    defines `Attachment.hash`). Each entry is a POST, so the Bundle can be sent to a FHIR
    server as it is; `id` and `meta` are left out, as a server assigns its own."""
    stored = {k: v for k, v in response.items() if k not in ("id", "meta")}
    key = response.get("meta", {}).get("lastUpdated", "") or response.get("authored", "")
    reference = response.get("identifier", {}).get("value", "")
    response_url = _urn(reference, key, "QuestionnaireResponse")
    document = {"resourceType": "DocumentReference"}
    if "contained" in stored:
        document["contained"] = stored["contained"]
    if "identifier" in stored:
        document["identifier"] = [{**stored["identifier"]}]
    document.update(
        {
            "status": "current",
            # A summary the patient is changing again is not the final word yet.
            "docStatus": "final" if response.get("status") == "completed" else "preliminary",
            "type": {"text": "Hemifacial spasm decision aid summary"},
        }
    )
    if "subject" in stored:
        document["subject"] = stored["subject"]
    document["date"] = instant(created)
    document["description"] = title
    document["content"] = [
        {
            "attachment": {
                "contentType": "application/pdf",
                "language": "en",
                "data": base64.b64encode(pdf).decode("ascii"),
                "size": len(pdf),
                "hash": base64.b64encode(hashlib.sha1(pdf).digest()).decode("ascii"),
                "title": f"{title} ({reference})" if reference else title,
                "creation": instant(created),
            }
        }
    ]
    document["context"] = {"related": [{"reference": response_url}]}
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "timestamp": instant(created),
        "entry": [
            _post(response_url, stored),
            _post(_urn(reference, key, "DocumentReference"), document),
        ],
    }


def _post(full_url, resource):
    return {
        "fullUrl": full_url,
        "resource": resource,
        "request": {"method": "POST", "url": resource["resourceType"]},
    }


def searchset(resources, *, base_url, total, links):
    """A searchset Bundle of `resources` (each with an id), `total` matches in all, and
    `links` as {relation: url} (self, first, previous, next, last)."""
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": [{"relation": relation, "url": url} for relation, url in links.items()],
        "entry": [
            {
                "fullUrl": f"{base_url}/{resource['resourceType']}/{resource['id']}",
                "resource": resource,
                "search": {"mode": "match"},
            }
            for resource in resources
        ],
    }


def capability_statement(canon, *, base_url, date, software_version, max_count):
    """What the read API offers, for `GET /fhir/metadata`."""
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": date,
        "kind": "instance",
        "software": {"name": "decision_aid", "version": software_version},
        "implementation": {
            "description": "Hemifacial spasm decision aid: summaries sent to the clinic",
            "url": base_url,
        },
        "fhirVersion": FHIR_VERSION,
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "description": (
                        "Every request except this one needs an API token, sent as "
                        "'Authorization: Bearer <token>'. Tokens are made with "
                        "'decision-aid api-token add NAME'. Every read is audited."
                    )
                },
                "resource": [
                    {
                        "type": "QuestionnaireResponse",
                        "interaction": [{"code": "read"}, {"code": "search-type"}],
                        "searchParam": [
                            {"name": "status", "type": "token"},
                            {"name": "_lastUpdated", "type": "date"},
                            {
                                "name": "_count",
                                "type": "number",
                                "documentation": f"page size, at most {max_count}",
                            },
                        ],
                    },
                    {
                        "type": "Questionnaire",
                        "interaction": [{"code": "read"}],
                    },
                    {"type": "CodeSystem", "interaction": [{"code": "read"}]},
                ],
            }
        ],
    }
