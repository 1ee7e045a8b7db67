"""The retention purge: answers not changed for the retention period are deleted, a batch at a
time, and sign-in failures older than the rate-limit window are forgotten.

A summary sent to the clinic is kept longer when its appointment is later: until the later of
its retention period and `APPOINTMENT_GRACE_DAYS` after the appointment, but never more than
`max_days` (MAX_RETENTION_DAYS) after its last change. `kept_until` says until when (the send
page shows it); `Retention.purge` applies the same rule in SQL."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import delete, or_, select

from decision_aid.store.audit import RETENTION, record_audit
from decision_aid.store.schema import as_utc, login_failures, responses
from decision_aid.store.staff_accounts import FAILURE_WINDOW

PURGE_BATCH = 1000  # rows deleted per transaction, so that saves wait at most one batch
APPOINTMENT_GRACE_DAYS = 14  # a sent summary is kept until this many days after the appointment


@dataclass
class PurgeResult:
    submissions: int = 0  # sets of answers deleted
    sent: list = field(default_factory=list)  # the reference codes of those the clinic had
    login_failures: int = 0
    feedback: int = 0  # patients' feedback entries deleted (store.feedback)


@dataclass(frozen=True)
class KeptUntil:
    """Until when a set of answers is kept (the last day, in the clinic's time zone), and
    whether the appointment falls after the longest time a sent summary is kept."""

    day: date
    appointment_after_cap: bool = False
    cap: date | None = None  # the last day of the longest time, for a sent summary


def kept_until(last_change, appointment, retention_days, max_days, zone=UTC, sent=True):
    """The day a set of answers changed last at `last_change` is kept until (the purge deletes
    it the day after). Unsent answers, or a sent summary without an appointment (`appointment`:
    a date, an ISO date or None): `retention_days` after the last change. A sent summary with
    an appointment: the later of that and `APPOINTMENT_GRACE_DAYS` after the appointment, but
    at most `max_days` after the last change."""
    moment = as_utc(last_change)
    retention_end = (moment + timedelta(days=retention_days)).astimezone(zone).date()
    if not sent:
        return KeptUntil(retention_end)
    cap = (moment + timedelta(days=max(max_days, retention_days))).astimezone(zone).date()
    if isinstance(appointment, str):
        appointment = _iso_date(appointment)
    if appointment is None:
        return KeptUntil(retention_end, cap=cap)
    grace_end = appointment + timedelta(days=APPOINTMENT_GRACE_DAYS)
    return KeptUntil(
        max(retention_end, min(grace_end, cap)), appointment_after_cap=appointment > cap, cap=cap
    )


def _iso_date(text):
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def _why(row, retention_days, max_days, appointment_cutoff):
    """The audit entry's detail: which part of the rule let the summary go."""
    if row.appointment is None:
        return f"kept {retention_days} days after the last change; no appointment date"
    if row.appointment < appointment_cutoff:
        return (
            f"kept {retention_days} days after the last change and "
            f"{APPOINTMENT_GRACE_DAYS} days after the appointment on {row.appointment}"
        )
    return f"kept the longest time, {max_days} days; appointment on {row.appointment}"


class Retention:
    """The purge's part of `Store` (needs `self.engine` and `self.zone`, the clinic's time
    zone)."""

    def purge(
        self,
        retention_days,
        now=None,
        failure_window=FAILURE_WINDOW,
        batch=PURGE_BATCH,
        max_days=None,
    ):
        """Delete every set of answers not changed (or sent) for `retention_days` days, judged by
        `updated_at`; a sent summary with a later appointment only once its appointment is
        `APPOINTMENT_GRACE_DAYS` past, or `max_days` (MAX_RETENTION_DAYS; None: no longer than
        `retention_days`) after its last change, as `kept_until` says. Each purged summary that
        had been sent leaves an audit entry that says why; nothing else of it remains. Also
        forgets sign-in failures older than the rate-limit window.

        At most `batch` rows go in one transaction, so a patient's save waits for one batch at
        most, never for the whole backlog."""
        if retention_days < 1:
            raise ValueError("the retention period must be at least 1 day")
        max_days = retention_days if max_days is None else max(max_days, retention_days)
        now = now or datetime.now(UTC)
        today = now.astimezone(self.zone).date()
        # The appointment is kept through its grace days: ISO dates compare as text.
        appointment_cutoff = (today - timedelta(days=APPOINTMENT_GRACE_DAYS)).isoformat()
        cutoff = now - timedelta(days=retention_days)
        old = (responses.c.updated_at < cutoff) & or_(
            responses.c.sent_at.is_(None),
            responses.c.appointment.is_(None),
            responses.c.appointment < appointment_cutoff,
            responses.c.updated_at < now - timedelta(days=max_days),
        )
        outcome = PurgeResult()
        while True:
            with self.engine.begin() as conn:
                rows = conn.execute(
                    select(
                        responses.c.id,
                        responses.c.reference,
                        responses.c.sent_at,
                        responses.c.appointment,
                    )
                    .where(old)
                    .order_by(responses.c.id)
                    .limit(batch)
                ).all()
                ids = [row.id for row in rows]
                # Checked again: a row saved since it was read is not old any more.
                gone = responses.c.id.in_(ids) & old
                deleted = conn.execute(
                    delete(responses).where(gone).returning(responses.c.reference)
                )
                deleted = {row.reference for row in deleted}
                outcome.submissions += len(deleted)
                for row in rows:
                    if row.sent_at is not None and row.reference in deleted:
                        outcome.sent.append(row.reference)
                        why = _why(row, retention_days, max_days, appointment_cutoff)
                        record_audit(conn, RETENTION, "purged", row.reference, at=now, detail=why)
            if len(rows) < batch:
                break
        outcome.feedback = self.purge_feedback(today, max_days)
        with self.engine.begin() as conn:
            outcome.login_failures = conn.execute(
                delete(login_failures).where(login_failures.c.at < now - failure_window)
            ).rowcount
        return outcome
