"""Abuse fixes from the security review of December 2026 (issue 24).

- `responses.start_hash`: the SHA-256 of the token "Start" put in the cookie, kept on the record
  its first save made. A unique index lets one start make one record: a replayed first save with
  the cookie from before it finds the start used, and makes nothing (finding M1).
- The audit log's gaps (finding L7): on SQLite, `INSERT OR REPLACE` over an existing id deleted
  the old row without firing the delete trigger; on PostgreSQL, `TRUNCATE` fired no row trigger.
  Both are refused now.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

from decision_aid.migrations.helpers import drop_column

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
       WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
]
POSTGRESQL_TRIGGERS = [
    """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
       FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()""",
]


def upgrade():
    op.add_column("responses", sa.Column("start_hash", sa.String(64)))
    op.create_index("ix_responses_start_hash", "responses", ["start_hash"], unique=True)
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS}.get(
        dialect, []
    ):
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_replace")
    op.drop_index("ix_responses_start_hash", "responses")
    drop_column("responses", "start_hash")
