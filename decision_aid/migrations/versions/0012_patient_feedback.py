"""Patients' feedback for the development record (issue 31): "Was anything unclear or missing?".
A table of its own, apart from the answers: the day it was given, the page language and the
text, with no reference code, token or link to any answers.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("given_on", sa.Date, nullable=False),
        sa.Column("language", sa.String(16)),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_feedback_given_on", "feedback", ["given_on"])


def downgrade():
    op.drop_index("ix_feedback_given_on", "feedback")
    op.drop_table("feedback")
