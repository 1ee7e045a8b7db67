"""The clinic's copy of a sent summary: the answers as they were when the patient sent them or
last made their summary again. Staff read this copy, so answers being changed never reach them
half-done. Existing sent summaries start with their current answers.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from decision_aid.migrations.helpers import drop_column

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("responses", sa.Column("sent_answers", sa.JSON))
    op.execute("UPDATE responses SET sent_answers = answers WHERE sent_at IS NOT NULL")


def downgrade():
    drop_column("responses", "sent_answers")
