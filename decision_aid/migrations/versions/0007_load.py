"""Holding under load: a version on each set of answers (raised by every save, so that two saves
at once merge instead of one losing the other), the table of rate-limit hits (POST /start, sending
to the clinic, PDF downloads, per address or per patient; decision_aid.limits), and stored free
text cleaned of NUL, control and bidirectional override characters (decision_aid.clean_text).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade():
    op.add_column("responses", sa.Column("version", sa.Integer, nullable=False, server_default="0"))
    op.create_table(
        "rate_limit_hits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_rate_limit_hits_key_at", "rate_limit_hits", ["key", "at"])
    _clean_stored_text()


def _clean_stored_text():
    """Answers stored before text was cleaned: cleaned now, a batch at a time."""
    from decision_aid.clean_text import clean_value

    bind = op.get_bind()
    table = sa.table(
        "responses",
        sa.column("id", sa.Integer),
        sa.column("answers", sa.JSON),
        sa.column("sent_answers", sa.JSON),
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(table.c.id, table.c.answers, table.c.sent_answers)
            .where(table.c.id > last)
            .order_by(table.c.id)
            .limit(BATCH)
        ).all()
        for row in rows:
            values = {}
            for name in ("answers", "sent_answers"):
                stored = getattr(row, name)
                if stored is not None and clean_value(stored) != stored:
                    values[name] = clean_value(stored)
            if values:
                bind.execute(sa.update(table).where(table.c.id == row.id).values(values))
        if len(rows) < BATCH:
            return
        last = rows[-1].id


def downgrade():
    op.drop_index("ix_rate_limit_hits_key_at", "rate_limit_hits")
    op.drop_table("rate_limit_hits")
    op.drop_column("responses", "version")
