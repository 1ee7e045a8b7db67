"""The patient's side of the store: a set of answers is created under a new token, loaded and
saved by that token, sent to the clinic and deleted by the patient."""

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from decision_aid.store.audit import PATIENT, record_audit
from decision_aid.store.records import Submission, submission_from_row
from decision_aid.store.references import (
    hash_token,
    new_reference,
    new_token,
    normalise_reference,
)
from decision_aid.store.schema import now, reading, responses

# Built once: every page of the path reads the answers by token.
_BY_TOKEN = select(responses).where(responses.c.token_hash == bindparam("token_hash"))


class Submissions:
    """The patient's answers' part of `Store` (needs `self.engine` and `self.today`)."""

    def create(self, answers=None, completed_steps=None, language=None, start_token=None):
        """A new set of answers (empty unless given), under a new token. Returns (token,
        Submission). `language`: the patient's pages' language (as for `save`). `start_token`:
        the token "Start" gave (decision_aid.web.saving); one start makes one record, so None is
        returned when a record was made from it already."""
        token = new_token()
        answers, completed_steps = answers or {}, completed_steps or []
        start_hash = hash_token(start_token) if start_token else None
        moment = now()
        for _ in range(10):  # a reference clash is rare; try again with a new code
            reference = new_reference()
            try:
                with self.engine.begin() as conn:
                    result = conn.execute(
                        insert(responses).values(
                            token_hash=hash_token(token),
                            reference=reference,
                            answers=answers,
                            completed_steps=completed_steps,
                            created_at=moment,
                            updated_at=moment,
                            answered_at=moment,
                            language=language,
                            start_hash=start_hash,
                        )
                    )
                    row_id = result.inserted_primary_key[0]
                submission = Submission(row_id, reference, answers, completed_steps, moment, moment)
                submission.answered_at, submission.language = moment, language
                return token, submission
            except IntegrityError:
                if start_hash and self._start_used(start_hash):
                    return None
                continue
        raise RuntimeError("could not make a unique reference code")

    def _start_used(self, start_hash):
        with reading(self.engine) as conn:
            found = conn.execute(select(responses.c.id).where(responses.c.start_hash == start_hash))
            return found.first() is not None

    def load(self, token):
        if not token:
            return None
        with reading(self.engine) as conn:
            row = conn.execute(_BY_TOKEN, {"token_hash": hash_token(token)}).first()
        return submission_from_row(row) if row else None

    def by_reference(self, text):
        reference = normalise_reference(text)
        with reading(self.engine) as conn:
            row = conn.execute(select(responses).where(responses.c.reference == reference)).first()
        return submission_from_row(row) if row else None

    def save(
        self, token, answers, completed_steps, finished=None, language=None, read=None, listed=None
    ):
        """Save the answers. The clinic's copy of a sent summary changes only when the patient
        makes the summary again (`finished=True`): answers being changed never reach the clinic
        half-done. When that copy changes after the clinic reviewed it, it is new again. With
        `language`, the language the patient's pages are in is kept too (the clinic prints their
        copy in it).

        With `read` (the Submission the answers were merged from) nothing is written if another
        save came first: False, and the caller merges again (decision_aid.web.saving). A save that
        does not make the summary is then one statement: while the version is the one `read`
        has, the row is as `read` found it (only this method writes answers, and it always
        raises the version). Otherwise the version is raised first, so the row is locked before
        it is read.

        `listed`: the list columns of these answers (clinic.listing.columns), needed when
        a sent summary is made again: its list row follows."""
        moment = now()
        values = {"answers": answers, "completed_steps": completed_steps, "updated_at": moment}
        if finished is not None:
            values["finished_at"] = moment if finished else None
        if language is not None:
            values["language"] = language
        where = responses.c.token_hash == hash_token(token)
        claim = where if read is None else where & (responses.c.version == read.version)
        if read is not None and not finished:
            if read.answers != answers:
                values["answered_at"] = moment
            with self.engine.begin() as conn:
                claimed = update(responses).where(claim)
                result = conn.execute(claimed.values(version=responses.c.version + 1, **values))
            return result.rowcount == 1
        with self.engine.begin() as conn:
            bumped = conn.execute(
                update(responses).where(claim).values(version=responses.c.version + 1)
            )
            if bumped.rowcount != 1:
                return False
            current = conn.execute(
                select(
                    responses.c.answers,
                    responses.c.sent_at,
                    responses.c.sent_answers,
                    responses.c.reviewed_at,
                ).where(where)
            ).first()
            if current is None:
                return False
            if dict(current.answers or {}) != answers:
                values["answered_at"] = moment
            if finished and current.sent_at is not None:
                # The clinic's copy, and what its list shows, follow the remade summary.
                if listed is None:
                    raise ValueError("remaking a sent summary needs its list columns (listed=)")
                values["sent_answers"] = answers
                values.update(listed)
                changed = dict(current.sent_answers or {}) != answers
                if current.reviewed_at is not None and changed:
                    values.update(reviewed_at=None, reviewed_by=None)
            result = conn.execute(update(responses).where(where).values(values))
        return result.rowcount == 1

    def delete(self, token):
        """The patient deletes their answers. A summary they had sent leaves a line in the audit
        log, so the clinic can see why it is gone."""
        where = responses.c.token_hash == hash_token(token)
        with self.engine.begin() as conn:
            row = conn.execute(select(responses.c.reference, responses.c.sent_at).where(where))
            row = row.first()
            if row is None:
                return False
            result = conn.execute(delete(responses).where(where))
            if row.sent_at is not None:
                record_audit(conn, PATIENT, "patient_deleted", row.reference)
        return result.rowcount == 1

    def send(self, token, listed):
        """The patient sends their finished summary to the clinic. Returns the Submission, or
        None when there is nothing finished to send. Sending again changes nothing. `listed`:
        the list columns of the answers being sent (clinic.listing.columns), computed by
        the caller from the Submission it read."""
        where = responses.c.token_hash == hash_token(token)
        with self.engine.begin() as conn:
            row = conn.execute(select(responses).where(where)).first()
            if row is None or row.finished_at is None:
                return None
            if row.sent_at is None:
                moment = now()
                # Sending counts as a change: the retention period starts again from here. The
                # clinic gets a copy of the answers as they are now (see `save`), and its list
                # shows what that copy says.
                conn.execute(
                    update(responses)
                    .where(where)
                    .values(sent_at=moment, updated_at=moment, sent_answers=row.answers, **listed)
                )
                record_audit(conn, PATIENT, "sent", row.reference)
                row = conn.execute(select(responses).where(where)).first()
        return submission_from_row(row)
