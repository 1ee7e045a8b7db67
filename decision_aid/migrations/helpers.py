"""Steps that more than one revision takes. A revision is history: these helpers must keep doing
exactly what they did when a revision first used them (a new need gets a new helper)."""

import sqlalchemy as sa
from alembic import op

BATCH = 1000  # rows read at a time by a data change


def create_hits_table(name):
    """A table of hashed keys and the times they were counted, indexed for "how many under this
    key since then" (sign-in failures, rate-limit hits)."""
    op.create_table(
        name,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(f"ix_{name}_key_at", name, ["key", "at"])


def drop_column(table, column):
    """In place where the database can (SQLite 3.35 or later, PostgreSQL): on SQLite a table copy
    drops the old table, and the foreign key from responses.reviewed_by (ON DELETE SET NULL)
    would forget who reviewed what. Older SQLite has no DROP COLUMN: the table is copied."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and bind.dialect.server_version_info < (3, 35):
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
    else:
        op.drop_column(table, column)


def responses_table(**types):
    """`responses` as a data change sees it: `id` and the columns named, with their types (None:
    untyped), e.g. `responses_table(answers=sa.JSON)`."""
    columns = (sa.column(name, type_) for name, type_ in types.items())
    return sa.table("responses", sa.column("id", sa.Integer), *columns)


def rows_in_batches(table, where=None):
    """Each row of `table` (those `where` picks), read BATCH at a time in id order, so that the
    caller may update each row it is given and no more than a batch is in memory."""
    bind = op.get_bind()
    last = 0
    while True:
        query = sa.select(table).where(table.c.id > last)
        if where is not None:
            query = query.where(where)
        rows = bind.execute(query.order_by(table.c.id).limit(BATCH)).all()
        yield from rows
        if len(rows) < BATCH:
            return
        last = rows[-1].id
