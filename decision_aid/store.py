"""Answer storage. One row per patient's set of answers, found by the hash of a long random token
(the patient's key, carried in a signed cookie and the resume link) or by a short reference code
(for clinic look-up). SQLite in the instance folder by default; `DATABASE_URL` for PostgreSQL."""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

metadata = MetaData()

responses = Table(
    "responses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("reference", String(16), nullable=False, unique=True),
    Column("answers", JSON, nullable=False),
    Column("completed_steps", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
)

# No look-alikes: 0/O, 1/I/L are left out, so a code read aloud or from paper is unambiguous.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 8
TOKEN_BYTES = 32  # 256 random bits


def _now():
    return datetime.now(UTC)


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def new_reference():
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def format_reference(reference):
    """ABCD-EFGH: easier to read out and to copy."""
    return f"{reference[:4]}-{reference[4:]}"


def normalise_reference(text):
    """What a person typed -> the stored form: case, spaces and dashes ignored."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


@dataclass
class Response:
    id: int
    reference: str
    answers: dict
    completed_steps: list = field(default_factory=list)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def reference_display(self):
        return format_reference(self.reference)


def _row_to_response(row):
    return Response(
        id=row.id,
        reference=row.reference,
        answers=dict(row.answers or {}),
        completed_steps=list(row.completed_steps or []),
        created_at=row.created_at,
        updated_at=row.updated_at,
        finished_at=row.finished_at,
    )


class Store:
    def __init__(self, url):
        self.engine = create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)

    def create_tables(self):
        metadata.create_all(self.engine)

    def create(self):
        """A new, empty set of answers. Returns (token, Response)."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        now = _now()
        for _ in range(10):  # a reference clash is rare; try again with a new code
            reference = new_reference()
            try:
                with self.engine.begin() as conn:
                    result = conn.execute(
                        insert(responses).values(
                            token_hash=hash_token(token),
                            reference=reference,
                            answers={},
                            completed_steps=[],
                            created_at=now,
                            updated_at=now,
                        )
                    )
                    row_id = result.inserted_primary_key[0]
                return token, Response(row_id, reference, {}, [], now, now, None)
            except IntegrityError:
                continue
        raise RuntimeError("could not make a unique reference code")

    def load(self, token):
        if not token:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(
                select(responses).where(responses.c.token_hash == hash_token(token))
            ).first()
        return _row_to_response(row) if row else None

    def by_reference(self, text):
        reference = normalise_reference(text)
        with self.engine.connect() as conn:
            row = conn.execute(select(responses).where(responses.c.reference == reference)).first()
        return _row_to_response(row) if row else None

    def save(self, token, answers, completed_steps, finished=None):
        values = {"answers": answers, "completed_steps": completed_steps, "updated_at": _now()}
        if finished is not None:
            values["finished_at"] = _now() if finished else None
        with self.engine.begin() as conn:
            result = conn.execute(
                update(responses).where(responses.c.token_hash == hash_token(token)).values(values)
            )
        return result.rowcount == 1

    def delete(self, token):
        with self.engine.begin() as conn:
            result = conn.execute(
                delete(responses).where(responses.c.token_hash == hash_token(token))
            )
        return result.rowcount == 1


def _sqlite_pragmas(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def init_app(app):
    store = Store(app.config["DATABASE_URL"])
    store.create_tables()
    app.extensions["store"] = store


def get_store(app):
    return app.extensions["store"]
