"""Staff session generation: a number on each staff account, raised on sign-out, a password
change and disabling. A session carries the number it was signed in with and ends when they
differ, so a copied cookie stops working.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

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
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and bind.dialect.server_version_info < (3, 35):
        # No DROP COLUMN before SQLite 3.35: copy the table instead.
        with op.batch_alter_table("staff") as batch:
            batch.drop_column("session_generation")
    else:
        # In place: on SQLite a copy would drop the old table, and the foreign key from
        # responses.reviewed_by (ON DELETE SET NULL) would forget who reviewed what.
        op.drop_column("staff", "session_generation")
