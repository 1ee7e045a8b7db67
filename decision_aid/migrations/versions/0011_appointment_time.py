"""The clinic's day (issue 28): the list shows the appointment's time (`appointment_time`,
"14:30"), stored when a summary is sent or remade like the other list columns
(decision_aid.clinic.listing.clinic_day). Filled in here for the summaries already sent. And a
summary with no urgent item holds NULL in `urgent` (revision 0010 wrote JSON null).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

from decision_aid.migrations.helpers import drop_column, responses_table, rows_in_batches

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("responses", sa.Column("appointment_time", sa.String(5)))
    # Revision 0010 stored "no urgent item" as JSON null; the list's "Urgent only" needs NULL.
    op.execute("UPDATE responses SET urgent = NULL WHERE CAST(urgent AS TEXT) = 'null'")
    _fill_in()


def _fill_in():
    from decision_aid.clinic.listing import clinic_day

    bind = op.get_bind()
    table = responses_table(
        answers=sa.JSON, sent_answers=sa.JSON, sent_at=sa.DateTime, appointment_time=sa.String(5)
    )
    for row in rows_in_batches(table, where=table.c.sent_at.is_not(None)):
        values = clinic_day(dict(row.sent_answers or row.answers or {}))
        if values["appointment_time"]:
            bind.execute(sa.update(table).where(table.c.id == row.id).values(values))


def downgrade():
    drop_column("responses", "appointment_time")
