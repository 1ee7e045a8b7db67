"""The clinic's day (issue 28): the list names the urgent items of a sent summary in words
(`urgent`, their titles in the clinic's language, NULL when there are none) and shows the
appointment's time (`appointment_time`, "14:30"), stored when it is sent or remade like the
other list columns (decision_aid.listing.clinic_day). Filled in here for the summaries already
sent, in CLINIC_LANGUAGE as the environment sets it (English by default).

Revision ID: 0010
Revises: 0009
"""

import datetime
import os

import sqlalchemy as sa
from alembic import op

from decision_aid.migrations.helpers import drop_column, responses_table, rows_in_batches

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("responses", sa.Column("urgent", sa.JSON(none_as_null=True)))
    op.add_column("responses", sa.Column("appointment_time", sa.String(5)))
    _fill_in()


def _fill_in():
    from decision_aid import i18n
    from decision_aid.listing import clinic_day

    language = os.environ.get("CLINIC_LANGUAGE", "en")
    if language not in i18n.LANGUAGES:
        language = i18n.DEFAULT
    bind = op.get_bind()
    table = responses_table(
        answers=sa.JSON,
        sent_answers=sa.JSON,
        sent_at=sa.DateTime(timezone=True),
        urgent=sa.JSON(none_as_null=True),
        appointment_time=sa.String(5),
    )
    today = datetime.datetime.now(datetime.UTC).date()
    for row in rows_in_batches(table, where=table.c.sent_at.is_not(None)):
        answers = dict(row.sent_answers or row.answers or {})
        values = clinic_day(answers, today, language)
        if any(values.values()):
            bind.execute(sa.update(table).where(table.c.id == row.id).values(values))


def downgrade():
    drop_column("responses", "appointment_time")
    drop_column("responses", "urgent")
