"""Patients' feedback for the development record (issue 31): "Was anything unclear or
missing?". Stored apart from the answers, with no reference code; the day it was given and the
page language only. Kept no longer than the longest any answers are kept (MAX_RETENTION_DAYS,
or RETENTION_DAYS): the purge takes it out with the answers (store.retention)."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, insert, select

from decision_aid.store.schema import feedback, reading


@dataclass(frozen=True)
class FeedbackEntry:
    given_on: date
    language: str
    text: str


class Feedback:
    def add_feedback(self, text, language, given_on):
        with self.engine.begin() as conn:
            conn.execute(insert(feedback).values(given_on=given_on, language=language, text=text))

    def feedback_entries(self, since=None, until=None):
        """The feedback given from `since` to `until` (days, both included), oldest first."""
        query = select(feedback.c.given_on, feedback.c.language, feedback.c.text)
        if since is not None:
            query = query.where(feedback.c.given_on >= since)
        if until is not None:
            query = query.where(feedback.c.given_on <= until)
        with reading(self.engine) as conn:
            rows = conn.execute(query.order_by(feedback.c.given_on, feedback.c.id)).all()
        return [FeedbackEntry(row.given_on, row.language or "", row.text) for row in rows]

    def purge_feedback(self, today, keep_days):
        """Delete the feedback given more than `keep_days` days before `today`."""
        with self.engine.begin() as conn:
            gone = feedback.c.given_on < today - timedelta(days=keep_days)
            return conn.execute(delete(feedback).where(gone)).rowcount
