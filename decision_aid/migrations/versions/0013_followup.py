"""After the consultation (issue 31): "How did your appointment go?". Stored beside the answers,
on the same row (so the retention purge takes it with them): the follow-up answers, when they
were given, and when the patient chose to send them to the clinic (NULL: not sent).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

from decision_aid.migrations.helpers import drop_column

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("responses", sa.Column("followup", sa.JSON))
    op.add_column("responses", sa.Column("followup_at", sa.DateTime(timezone=True)))
    op.add_column("responses", sa.Column("followup_sent_at", sa.DateTime(timezone=True)))


def downgrade():
    for column in ("followup_sent_at", "followup_at", "followup"):
        drop_column("responses", column)
