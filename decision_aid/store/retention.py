"""The retention purge: answers not changed for the retention period are deleted, a batch at a
time, and sign-in failures older than the rate-limit window are forgotten."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from decision_aid.store.audit import RETENTION, record_audit
from decision_aid.store.schema import login_failures, responses
from decision_aid.store.staff_accounts import FAILURE_WINDOW

PURGE_BATCH = 1000  # rows deleted per transaction, so that saves wait at most one batch


@dataclass
class PurgeResult:
    submissions: int = 0  # sets of answers deleted
    sent: list = field(default_factory=list)  # the reference codes of those the clinic had
    login_failures: int = 0


class Retention:
    """The purge's part of `Store` (needs `self.engine`)."""

    def purge(self, retention_days, now=None, failure_window=FAILURE_WINDOW, batch=PURGE_BATCH):
        """Delete every set of answers not changed (or sent) for `retention_days` days, judged by
        `updated_at`. Each purged summary that had been sent leaves an audit entry; nothing else
        of it remains. Also forgets sign-in failures older than the rate-limit window.

        At most `batch` rows go in one transaction, so a patient's save waits for one batch at
        most, never for the whole backlog."""
        if retention_days < 1:
            raise ValueError("the retention period must be at least 1 day")
        now = now or datetime.now(UTC)
        cutoff = now - timedelta(days=retention_days)
        outcome = PurgeResult()
        while True:
            with self.engine.begin() as conn:
                rows = conn.execute(
                    select(responses.c.id, responses.c.reference, responses.c.sent_at)
                    .where(responses.c.updated_at < cutoff)
                    .order_by(responses.c.id)
                    .limit(batch)
                ).all()
                ids = [row.id for row in rows]
                # Checked again: a row saved since it was read is not old any more.
                gone = responses.c.id.in_(ids) & (responses.c.updated_at < cutoff)
                deleted = conn.execute(
                    delete(responses).where(gone).returning(responses.c.reference)
                )
                deleted = {row.reference for row in deleted}
                outcome.submissions += len(deleted)
                for row in rows:
                    if row.sent_at is not None and row.reference in deleted:
                        outcome.sent.append(row.reference)
                        record_audit(conn, RETENTION, "purged", row.reference, at=now)
            if len(rows) < batch:
                break
        with self.engine.begin() as conn:
            outcome.login_failures = conn.execute(
                delete(login_failures).where(login_failures.c.at < now - failure_window)
            ).rowcount
        return outcome
