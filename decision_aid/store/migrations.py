"""Bringing the schema up to date: the Alembic migrations in decision_aid/migrations/, run in
code (there is no alembic.ini). The schema is never made by `create_all`."""

import contextlib
import functools
import os
from pathlib import Path

from sqlalchemy import inspect, text

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
BASELINE_REVISION = "0001"
_PG_MIGRATION_LOCK = 727_401_001  # pg_advisory_xact_lock key: one migrating process at a time


def alembic_config(connection=None):
    """An Alembic configuration in code (no alembic.ini): the migrations folder, and the
    connection to run on."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade(engine, revision="head"):
    """Run the migrations up to `revision`, in one transaction. A database made before the
    migrations existed (a `responses` table and no `alembic_version`) is first stamped at the
    baseline revision. On PostgreSQL an advisory lock keeps two starting workers apart. A
    database already at the newest revision costs one query, and no lock."""
    from alembic import command

    if revision == "head" and current_revision(engine) == head_revision():
        return
    with _sqlite_file_lock(engine), engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        config = alembic_config(conn)
        tables = set(inspect(conn).get_table_names())
        if "responses" in tables and "alembic_version" not in tables:
            command.stamp(config, BASELINE_REVISION)
        command.upgrade(config, revision)


@contextlib.contextmanager
def _sqlite_file_lock(engine):
    """SQLite has no advisory locks: workers starting together take turns through a lock file
    next to the database file. Other databases (and in-memory SQLite) need none."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    import fcntl

    fd = os.open(f"{database}.migrate-lock", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def current_revision(engine):
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@functools.cache
def head_revision():
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
