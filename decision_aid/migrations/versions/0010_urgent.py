"""The urgent items of a sent summary, as codes (decision_aid.guidance.urgent), so that the
clinic's list and day list name each one ("Urgent: rash on carbamazepine, still taking it")
without running the guidance for each row (issue 25). Filled in for every sent summary.

Revision ID: 0010
Revises: 0009
"""

import datetime

import sqlalchemy as sa
from alembic import op

from decision_aid.migrations.helpers import drop_column, responses_table, rows_in_batches

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("responses", sa.Column("urgent", sa.JSON))
    _fill_in()


def _fill_in():
    from decision_aid.clinic.listing import fields

    bind = op.get_bind()
    table = responses_table(
        sent_answers=sa.JSON, answers=sa.JSON, sent_at=sa.DateTime, urgent=sa.JSON
    )
    today = datetime.datetime.now(datetime.UTC).date()
    for row in rows_in_batches(table, where=table.c.sent_at.is_not(None)):
        answers = row.sent_answers if row.sent_answers is not None else row.answers
        urgent = fields(dict(answers or {}), today)["urgent"]
        bind.execute(sa.update(table).where(table.c.id == row.id).values(urgent=urgent))


def downgrade():
    drop_column("responses", "urgent")
