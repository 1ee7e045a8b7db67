"""What the clinic's report counts (issue 31, clinic.report): for each summary sent in a
period, the clinic's copy of the answers, whether it had an urgent item, and the follow-up only
if the patient sent it. No names, codes or free text leave this module's caller: the report
keeps only counts."""

from datetime import datetime, time, timedelta

from sqlalchemy import select

from decision_aid.store.schema import reading, responses


class ReportRecords:
    def report_records(self, since, until):
        """The summaries sent from `since` to `until` (days in the clinic's time zone, both
        included), oldest first, as decision_aid.clinic.report.ReportRecord."""
        from decision_aid.clinic.report import ReportRecord

        start = datetime.combine(since, time.min, tzinfo=self.zone)
        end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=self.zone)
        query = (
            select(
                responses.c.answers,
                responses.c.sent_answers,
                responses.c.urgent,
                responses.c.followup,
                responses.c.followup_sent_at,
            )
            .where(responses.c.sent_at >= start, responses.c.sent_at < end)
            .order_by(responses.c.sent_at, responses.c.id)
        )
        with reading(self.engine) as conn:
            rows = conn.execute(query).all()
        return [
            ReportRecord(
                answers=dict(row.sent_answers or row.answers or {}),
                urgent=bool(row.urgent),
                followup=dict(row.followup or {}) if row.followup_sent_at else None,
            )
            for row in rows
        ]
