"""Holding under load: a version on each set of answers (raised by every save, so that two saves
at once merge instead of one losing the other), the table of rate-limit hits (POST /start, sending
to the clinic, PDF downloads, per address or per patient; decision_aid.web.limits), and stored free
text cleaned of NUL, control and bidirectional override characters (decision_aid.text.clean).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from decision_aid.migrations.helpers import create_hits_table, responses_table, rows_in_batches

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("responses", sa.Column("version", sa.Integer, nullable=False, server_default="0"))
    create_hits_table("rate_limit_hits")
    _clean_stored_text()


def _clean_stored_text():
    """Answers stored before text was cleaned: cleaned now, a batch at a time."""
    from decision_aid.text.clean import clean_value

    bind = op.get_bind()
    table = responses_table(answers=sa.JSON, sent_answers=sa.JSON)
    for row in rows_in_batches(table):
        values = {}
        for name in ("answers", "sent_answers"):
            stored = getattr(row, name)
            if stored is not None and clean_value(stored) != stored:
                values[name] = clean_value(stored)
        if values:
            bind.execute(sa.update(table).where(table.c.id == row.id).values(values))


def downgrade():
    op.drop_index("ix_rate_limit_hits_key_at", "rate_limit_hits")
    op.drop_table("rate_limit_hits")
    op.drop_column("responses", "version")
