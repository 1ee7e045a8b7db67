"""Staff accounts (made and changed from the command line, signed in to on the web) and the
sign-in limits: each attempt is counted under hashed keys in `login_failures`."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from decision_aid.store.audit import COMMAND_LINE, record_audit
from decision_aid.store.schema import as_utc, login_failures, now, reading, staff

FAILURE_WINDOW = timedelta(minutes=15)  # sign-in failures count for this long


@dataclass
class StaffAccount:
    id: int
    email: str
    password_hash: str
    active: bool
    created_at: datetime | None = None
    last_sign_in_at: datetime | None = None
    session_generation: int = 0


def normalise_email(email):
    return (email or "").strip().lower()


def _staff_from_row(row):
    return StaffAccount(
        id=row.id,
        email=row.email,
        password_hash=row.password_hash,
        active=bool(row.active),
        created_at=as_utc(row.created_at),
        last_sign_in_at=as_utc(row.last_sign_in_at),
        session_generation=row.session_generation,
    )


def _audit_account(conn, action, email):
    """An account change made on the command line: the account's email goes in the actor, after
    the command line marker, e.g. "command line: a@b.org"."""
    record_audit(conn, f"{COMMAND_LINE}: {normalise_email(email)}", action)


class StaffAccounts:
    """The staff accounts' and sign-in limits' part of `Store` (needs `self.engine`)."""

    def add_staff(self, email, password_hash):
        """A new, active account. Raises ValueError if the email is taken."""
        values = {"email": normalise_email(email), "password_hash": password_hash}
        values.update(active=True, created_at=now())
        try:
            with self.engine.begin() as conn:
                result = conn.execute(insert(staff).values(values))
                _audit_account(conn, "staff_added", email)
                return result.inserted_primary_key[0]
        except IntegrityError:
            raise ValueError("an account with that email already exists") from None

    def staff_by_id(self, staff_id):
        with reading(self.engine) as conn:
            row = conn.execute(select(staff).where(staff.c.id == staff_id)).first()
        return _staff_from_row(row) if row else None

    def staff_by_email(self, email):
        with reading(self.engine) as conn:
            row = conn.execute(select(staff).where(staff.c.email == normalise_email(email)))
            row = row.first()
        return _staff_from_row(row) if row else None

    def list_staff(self):
        with reading(self.engine) as conn:
            rows = conn.execute(select(staff).order_by(staff.c.email)).all()
        return [_staff_from_row(row) for row in rows]

    def set_staff_active(self, email, active):
        """Enable or disable an account. Disabling also ends its sessions."""
        values = {"active": active}
        if not active:
            values["session_generation"] = staff.c.session_generation + 1
        action = "staff_enabled" if active else "staff_disabled"
        return self._change_account(email, values, action)

    def set_staff_password(self, email, password_hash, rehash=False):
        """A new password (the command line: ends the account's sessions), or the same one
        hashed with newer parameters (`rehash`, at sign-in: not audited, sessions kept)."""
        values = {"password_hash": password_hash}
        if not rehash:
            values["session_generation"] = staff.c.session_generation + 1
        return self._change_account(email, values, None if rehash else "password_set")

    def _change_account(self, email, values, action):
        """Change the account with this email, audited as `action` (None: not audited). Returns
        False when there is no such account."""
        with self.engine.begin() as conn:
            result = conn.execute(
                update(staff).where(staff.c.email == normalise_email(email)).values(values)
            )
            if result.rowcount and action:
                _audit_account(conn, action, email)
        return result.rowcount == 1

    def record_sign_in(self, staff_id):
        with self.engine.begin() as conn:
            conn.execute(update(staff).where(staff.c.id == staff_id).values(last_sign_in_at=now()))

    def end_staff_sessions(self, staff_id):
        """Sign the account out everywhere: sessions from before this no longer count."""
        with self.engine.begin() as conn:
            conn.execute(
                update(staff)
                .where(staff.c.id == staff_id)
                .values(session_generation=staff.c.session_generation + 1)
            )

    # --- sign-in limits -----------------------------------------------------------------------

    def begin_attempt(self, keys, since):
        """Record a sign-in attempt under each of `keys` before anything is checked, then count.
        Returns (row ids, count per key since `since`, this attempt included). The rows are
        committed before counting, so of attempts made at the same moment each counts all that
        came before it: a limit cannot be passed by sending many at once."""
        moment = now()
        with self.engine.begin() as conn:
            ids = [
                conn.execute(
                    insert(login_failures).values(key=key, at=moment)
                ).inserted_primary_key[0]
                for key in keys
            ]
        return ids, [self.count_failures(key, since) for key in keys]

    def forget_attempts(self, ids):
        """Remove attempt rows that did not end in a failure (refused, or the password was
        right)."""
        if ids:
            with self.engine.begin() as conn:
                conn.execute(delete(login_failures).where(login_failures.c.id.in_(ids)))

    def count_failures(self, key, since):
        with reading(self.engine) as conn:
            return conn.execute(
                select(func.count())
                .select_from(login_failures)
                .where(login_failures.c.key == key, login_failures.c.at >= since)
            ).scalar_one()

    def last_failure(self, key, excluding=()):
        """When the latest attempt under `key` (other than the rows `excluding`) was recorded."""
        query = select(func.max(login_failures.c.at)).where(login_failures.c.key == key)
        if excluding:
            query = query.where(login_failures.c.id.not_in(list(excluding)))
        with reading(self.engine) as conn:
            return as_utc(conn.execute(query).scalar_one())

    def clear_failures(self, key):
        with self.engine.begin() as conn:
            conn.execute(delete(login_failures).where(login_failures.c.key == key))
