"""The clinic's side of the patients' answers: the summaries sent to it, listed and searched by
the stored list columns (never by the answers), found by a typed reference code, and marked
reviewed. Staff see the clinic's copy of the answers (see `Submissions.save`)."""

from sqlalchemy import func, select, update

from decision_aid.store.audit import page_offset
from decision_aid.store.records import submission_from_row, summary_from_row
from decision_aid.store.references import normalise_reference, reference_candidates
from decision_aid.store.schema import now, reading, responses

LIST_COLUMNS = (
    responses.c.reference,
    responses.c.sent_at,
    responses.c.reviewed_at,
    responses.c.finished_at,
    responses.c.red_flags,
    responses.c.urgent,
    responses.c.patient_name,
    responses.c.date_of_birth,
    responses.c.appointment,
    responses.c.appointment_time,
    responses.c.language,
)


class SentSummaries:
    """The clinic's part of `Store` (needs `self.engine`)."""

    def list_sent(
        self,
        page=1,
        per_page=25,
        status=None,
        by_appointment=False,
        appointments=None,
        name=None,
        date_of_birth=None,
        urgent_only=False,
    ):
        """Sent summaries, newest first (or by appointment date, soonest first, those without one
        last). Returns (list of SentSummary, total count); a page past the end gives the last
        page. Filters: `status` ("new" or "reviewed"), `appointments` (first, last) ISO dates,
        `name` (a part of the name, as `listing.name_key` compares it), `date_of_birth` (ISO),
        `urgent_only` (those with an urgent item).
        Only the stored list columns are read: never the answers."""
        from decision_aid.clinic.listing import name_key

        condition = responses.c.sent_at.is_not(None)
        if status == "new":
            condition = condition & responses.c.reviewed_at.is_(None)
        elif status == "reviewed":
            condition = condition & responses.c.reviewed_at.is_not(None)
        if appointments:
            first, last = appointments
            condition = condition & responses.c.appointment.between(first, last)
        if name:
            pattern = "%" + _escape_like(name_key(name)) + "%"
            condition = condition & responses.c.name_key.like(pattern, escape="\\")
        if date_of_birth:
            condition = condition & (responses.c.date_of_birth == date_of_birth)
        if urgent_only:
            condition = condition & responses.c.urgent.is_not(None)
        if by_appointment:
            order = (
                responses.c.appointment.is_(None),
                responses.c.appointment,
                responses.c.sent_at.desc(),
                responses.c.id.desc(),
            )
        else:
            order = (responses.c.sent_at.desc(), responses.c.id.desc())
        query = select(*LIST_COLUMNS).where(condition).order_by(*order)
        with reading(self.engine) as conn:
            total = _count(conn, condition)
            query = query.limit(per_page).offset(page_offset(page, per_page, total))
            rows = conn.execute(query).all()
        return [summary_from_row(row) for row in rows], total

    def day_list(self, day, limit=200):
        """The sent summaries with an appointment on `day` (ISO), by name then code."""
        query = (
            select(*LIST_COLUMNS)
            .where(responses.c.sent_at.is_not(None), responses.c.appointment == day)
            .order_by(responses.c.name_key.is_(None), responses.c.name_key, responses.c.reference)
            .limit(limit)
        )
        with reading(self.engine) as conn:
            return [summary_from_row(row) for row in conn.execute(query).all()]

    def search_sent(self, statuses=None, updated=(), offset=0, limit=20):
        """Sent summaries for the FHIR search, oldest change first (so that a record system
        polling with `_lastUpdated` pages through a stable order). `statuses` is a subset of
        {"completed", "in-progress"} (finished or being changed), `updated` a list of
        (operator, moment) with operator one of ge, gt, le, lt. Returns (submissions, total)."""
        condition = responses.c.sent_at.is_not(None)
        if statuses is not None:
            finished = responses.c.finished_at.is_not(None)
            if statuses == {"completed"}:
                condition = condition & finished
            elif statuses == {"in-progress"}:
                condition = condition & responses.c.finished_at.is_(None)
            elif not statuses:
                condition = condition & (responses.c.id < 0)
        column = responses.c.updated_at
        compare = {
            "ge": column.__ge__,
            "gt": column.__gt__,
            "le": column.__le__,
            "lt": column.__lt__,
        }
        for operator, moment in updated:
            condition = condition & compare[operator](moment)
        query = select(responses).where(condition).order_by(column, responses.c.id)
        with reading(self.engine) as conn:
            total = _count(conn, condition)
            rows = conn.execute(query.limit(limit).offset(offset)).all()
        return [submission_from_row(row) for row in rows], total

    def find_sent(self, text):
        """A sent summary by what a person typed (see `reference_candidates`), or None. If
        look-alikes make the input match more than one sent summary, it matches none."""
        candidates = reference_candidates(text)
        if not candidates:
            return None
        query = select(responses).where(
            responses.c.reference.in_(candidates), responses.c.sent_at.is_not(None)
        )
        with reading(self.engine) as conn:
            rows = conn.execute(query.limit(2)).all()
        return submission_from_row(rows[0], clinic_copy=True) if len(rows) == 1 else None

    def sent_by_reference(self, reference):
        """A sent summary by its exact stored code (as in the clinic's URLs), or None."""
        query = select(responses).where(
            responses.c.reference == normalise_reference(reference),
            responses.c.sent_at.is_not(None),
        )
        with reading(self.engine) as conn:
            row = conn.execute(query).first()
        return submission_from_row(row, clinic_copy=True) if row else None

    def set_reviewed(self, reference, staff_id, reviewed=True):
        """Mark a sent summary reviewed (or new again). Returns False if there is none."""
        if reviewed:
            values = {"reviewed_at": now(), "reviewed_by": staff_id}
        else:
            values = {"reviewed_at": None, "reviewed_by": None}
        with self.engine.begin() as conn:
            result = conn.execute(
                update(responses)
                .where(responses.c.reference == reference, responses.c.sent_at.is_not(None))
                .values(values)
            )
        return result.rowcount == 1


def _count(conn, condition):
    return conn.execute(select(func.count()).select_from(responses).where(condition)).scalar_one()


def _escape_like(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
