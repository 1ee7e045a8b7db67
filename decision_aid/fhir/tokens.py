"""API tokens for the FHIR read API (`decision-aid api-token add|list|revoke`).

A token is 256 random bits, shown once when it is made; only its SHA-256 is stored, so a copy
of the database gives no working token. Adding and revoking are written to the audit log."""

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from decision_aid.store import COMMAND_LINE, api_tokens, as_utc, hash_token, reading, record_audit

TOKEN_PREFIX = "da_"  # makes a leaked token easy to recognise (and to search for in code)
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
NAME_RULE = "1 to 80 letters, digits, dots, dashes or underscores, starting with a letter or digit"


@dataclass
class ApiToken:
    name: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None

    @property
    def active(self):
        return self.revoked_at is None


def _now():
    return datetime.now(UTC)


def _actor(name):
    return f"{COMMAND_LINE}: API token {name}"


def add(store, name):
    """Make a token called `name`; returns the token, which is not kept anywhere. Raises
    ValueError when the name breaks NAME_RULE or is taken (revoked tokens keep their name)."""
    if not NAME_PATTERN.match(name or ""):
        raise ValueError(f"A token name has {NAME_RULE}.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    try:
        with store.engine.begin() as conn:
            conn.execute(
                insert(api_tokens).values(
                    name=name, token_hash=hash_token(token), created_at=_now()
                )
            )
            record_audit(conn, _actor(name), "api_token_added")
    except IntegrityError:
        raise ValueError(f"There is already a token called {name}.") from None
    return token


def list_tokens(store):
    with reading(store.engine) as conn:
        rows = conn.execute(select(api_tokens).order_by(api_tokens.c.name)).all()
    return [
        ApiToken(row.name, as_utc(row.created_at), as_utc(row.revoked_at), as_utc(row.last_used_at))
        for row in rows
    ]


def revoke(store, name):
    """Revoke the active token `name`. Returns False when there is none."""
    with store.engine.begin() as conn:
        result = conn.execute(
            update(api_tokens)
            .where(api_tokens.c.name == name, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=_now())
        )
        if result.rowcount:
            record_audit(conn, _actor(name), "api_token_revoked")
    return result.rowcount == 1


def authenticate(store, token):
    """The name of the active token `token`, or None; records when it was last used."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    where = (api_tokens.c.token_hash == hash_token(token)) & api_tokens.c.revoked_at.is_(None)
    with store.engine.begin() as conn:
        row = conn.execute(select(api_tokens.c.id, api_tokens.c.name).where(where)).first()
        if row is None:
            return None
        conn.execute(
            update(api_tokens).where(api_tokens.c.id == row.id).values(last_used_at=_now())
        )
    return row.name
