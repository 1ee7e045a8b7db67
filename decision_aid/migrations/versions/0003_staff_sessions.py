"""Staff session generation: a number on each staff account, raised on sign-out, a password
change and disabling. A session carries the number it was signed in with and ends when they
differ, so a copied cookie stops working.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from decision_aid.migrations.helpers import drop_column

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    # Adding a column with a constant default needs no table copy, not even on SQLite.
    op.add_column(
        "staff",
        sa.Column("session_generation", sa.Integer, nullable=False, server_default="0"),
    )


def downgrade():
    drop_column("staff", "session_generation")
