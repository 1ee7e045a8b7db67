"""The audit log: who did what to which reference code, append-only (database triggers refuse
UPDATE and DELETE), never answers."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select

from decision_aid.store.references import format_reference
from decision_aid.store.schema import as_utc, audit_log, now, reading
from decision_aid.text.i18n import N_

# The words of each action (translated where shown: the staff audit page).
AUDIT_ACTIONS = {
    "viewed": N_("Opened the summary"),
    "printed": N_("Opened the PDF to print"),
    "downloaded": N_("Downloaded the PDF"),
    "reviewed": N_("Marked as reviewed"),
    "reopened": N_("Marked as new again"),
    "purged": N_("Deleted after the retention period"),
    "patient_deleted": N_("Deleted by the patient"),
    "sent": N_("Sent by the patient"),
    "signed_in": N_("Signed in"),
    "signed_out": N_("Signed out"),
    "staff_added": N_("Staff account added"),
    "staff_disabled": N_("Staff account disabled"),
    "staff_enabled": N_("Staff account enabled"),
    "password_set": N_("Staff password changed"),
    "printed_clinician": N_("Opened the clinician page to print"),
    "printed_consultation": N_("Opened the page for the consultation to print"),
    "day_list_printed": N_("Printed the day list"),
    "clinician_pages_printed": N_("Printed the clinician pages of a day"),
    "fhir_downloaded": N_("Downloaded for the health record (FHIR)"),
    "fhir_read": N_("Read through the FHIR API"),
    "fhir_searched": N_("Found by a FHIR API search"),
    "api_token_added": N_("API token added"),
    "feedback_viewed": N_("Read the patients' feedback"),
    "report_viewed": N_("Opened the clinic report"),
    "report_exported": N_("Printed the clinic report"),
    "feedback_exported": N_("Exported the patients' feedback"),
    "api_token_revoked": N_("API token revoked"),
    "sign_in_paused": N_("Sign-in paused after many failed attempts"),
    "sign_in_slowed": N_("Sign-in slowed after failures from many addresses"),
}
# Actors that are not a staff account.
PATIENT = "patient"
RETENTION = "retention purge"
COMMAND_LINE = "command line"


@dataclass
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    reference: str | None
    detail: str | None = None

    @property
    def action_label(self):
        return AUDIT_ACTIONS.get(self.action, self.action)

    @property
    def reference_display(self):
        return format_reference(self.reference) if self.reference else ""


def record_audit(conn, actor, action, reference=None, at=None, detail=None):
    """One audit line, in the caller's transaction (so it is written only if the change is)."""
    conn.execute(
        insert(audit_log).values(
            at=at or now(), actor=actor[:254], action=action, reference=reference, detail=detail
        )
    )


def page_offset(page, per_page, total):
    """The first row of `page` (counted from 1), for a page past the end that of the last page,
    so that no number, however large, reaches the database."""
    last = max(-(-total // per_page), 1)
    return (min(max(page, 1), last) - 1) * per_page


class AuditLog:
    """The audit log's part of `Store` (needs `self.engine`)."""

    def audit(self, actor, action, reference=None, detail=None):
        with self.engine.begin() as conn:
            record_audit(conn, actor, action, reference, detail=detail)

    def audit_entries(self, page=1, per_page=50, reference=None):
        """Newest first. Returns (list of AuditEntry, total count)."""
        condition = audit_log.c.reference == reference if reference else None
        query = select(audit_log).order_by(audit_log.c.id.desc())
        count = select(func.count()).select_from(audit_log)
        if condition is not None:
            query, count = query.where(condition), count.where(condition)
        with reading(self.engine) as conn:
            total = conn.execute(count).scalar_one()
            query = query.limit(per_page).offset(page_offset(page, per_page, total))
            rows = conn.execute(query).all()
        entries = [
            AuditEntry(row.id, as_utc(row.at), row.actor, row.action, row.reference, row.detail)
            for row in rows
        ]
        return entries, total
