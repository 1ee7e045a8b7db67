"""The clinic's list without rerunning the guidance for each row: the name, date of birth,
appointment and red-flag marker of a sent summary are stored with it (filled in for the
summaries already sent), when the patient last changed their answers, and a detail for audit
entries that name no reference code (the date of a printed day list).

Revision ID: 0006
Revises: 0005
"""

import datetime

import sqlalchemy as sa
from alembic import op

from decision_aid.migrations.helpers import responses_table, rows_in_batches

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

LIST_COLUMNS = ("patient_name", "name_key", "date_of_birth", "appointment", "red_flags")


def upgrade():
    # ADD COLUMN needs no table copy, not even on SQLite, so the audit log keeps its triggers.
    op.add_column("responses", sa.Column("answered_at", sa.DateTime(timezone=True)))
    op.add_column("responses", sa.Column("patient_name", sa.String(200)))
    op.add_column("responses", sa.Column("name_key", sa.String(200)))
    op.add_column("responses", sa.Column("date_of_birth", sa.String(10)))
    op.add_column("responses", sa.Column("appointment", sa.String(10)))
    op.add_column("responses", sa.Column("red_flags", sa.Boolean))
    op.create_index("ix_responses_appointment", "responses", ["appointment"])
    op.create_index("ix_responses_date_of_birth", "responses", ["date_of_birth"])
    op.add_column("audit_log", sa.Column("detail", sa.String(120)))
    _fill_in()


def _fill_in():
    """answered_at from updated_at; the list columns of every sent summary."""
    from decision_aid.clinic.listing import fields

    bind = op.get_bind()
    moment = sa.DateTime(timezone=True)
    table = responses_table(
        answers=sa.JSON,
        updated_at=moment,
        sent_at=moment,
        answered_at=moment,
        **dict.fromkeys(LIST_COLUMNS),
    )
    bind.execute(sa.update(table).values(answered_at=table.c.updated_at))
    today = datetime.datetime.now(datetime.UTC).date()
    for row in rows_in_batches(table, where=table.c.sent_at.is_not(None)):
        values = fields(dict(row.answers or {}), today)
        values = {key: values[key] for key in LIST_COLUMNS}  # later columns: later revisions
        bind.execute(sa.update(table).where(table.c.id == row.id).values(values))


def downgrade():
    op.drop_column("audit_log", "detail")
    op.drop_index("ix_responses_date_of_birth", "responses")
    op.drop_index("ix_responses_appointment", "responses")
    for name in ("red_flags", "appointment", "date_of_birth", "name_key", "patient_name"):
        op.drop_column("responses", name)
    op.drop_column("responses", "answered_at")
