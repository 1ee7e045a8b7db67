"""The language the patient's pages were in at their last save, so that the clinic's print of
the patient's copy is in that language (issue 17). Existing rows have none: their copy is printed
in the clinic's language, as before.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

from decision_aid.migrations.helpers import drop_column

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("responses", sa.Column("language", sa.String(16)))


def downgrade():
    drop_column("responses", "language")
