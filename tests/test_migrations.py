"""Alembic migrations: from an empty database, from revision 0001 with data in it, from a database
made before migrations existed, and down again. The migrated schema must equal the store's
MetaData. Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set (the database is
emptied first)."""

import json

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from clinic_support import columns
from conftest import TEST_DATABASE_URL
from sqlalchemy import JSON, Column, DateTime, Integer, MetaData, String, Table, inspect, text

from decision_aid import create_app
from decision_aid.store import (
    Store,
    alembic_config,
    current_revision,
    get_store,
    hash_token,
    metadata,
    upgrade,
)

HEAD = "0013"
CLINIC_TABLES = {"staff", "audit_log", "login_failures"}


@pytest.fixture
def store(tmp_path):
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    store = Store(url)
    _drop_everything(store.engine)
    yield store
    store.engine.dispose()


def _drop_everything(engine):
    if engine.dialect.name != "postgresql":
        return  # a new SQLite file each time
    with engine.begin() as conn:
        conn.execute(
            text(
                "DROP TABLE IF EXISTS api_tokens, audit_log, login_failures, responses, staff, "
                "rate_limit_hits, feedback, alembic_version CASCADE"
            )
        )
        conn.execute(text("DROP FUNCTION IF EXISTS audit_log_append_only() CASCADE"))


def _tables(engine):
    return set(inspect(engine).get_table_names())


def _schema_differences(engine):
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), metadata)


def _insert_revision_1_row(engine, token="the-token", reference="ABCDEFGH"):
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO responses (token_hash, reference, answers, completed_steps, "
                "created_at, updated_at, finished_at) VALUES (:hash, :ref, :answers, :steps, "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {
                "hash": hash_token(token),
                "ref": reference,
                "answers": '{"side": "left", "red_flags": ["none"]}',
                "steps": '["twitching"]',
            },
        )


def test_upgrade_from_an_empty_database(store):
    assert current_revision(store.engine) is None
    store.upgrade()
    assert current_revision(store.engine) == HEAD
    assert {"responses", "alembic_version"} | CLINIC_TABLES <= _tables(store.engine)
    assert _schema_differences(store.engine) == []
    store.upgrade()  # a second run changes nothing
    assert current_revision(store.engine) == HEAD


def test_upgrade_from_revision_1_keeps_the_rows(store):
    upgrade(store.engine, "0001")
    assert current_revision(store.engine) == "0001"
    assert _tables(store.engine) & CLINIC_TABLES == set()
    _insert_revision_1_row(store.engine)
    store.upgrade()
    assert current_revision(store.engine) == HEAD
    kept = store.load("the-token")
    assert kept.reference == "ABCDEFGH"
    assert kept.answers == {"side": "left", "red_flags": ["none"]}
    assert kept.completed_steps == ["twitching"]
    assert kept.sent_at is None and kept.reviewed_at is None
    assert kept.finished_at is not None
    # The upgraded row works with the new features.
    listed = columns(store, {"side": "left", "red_flags": ["none"]})
    assert store.send("the-token", listed).sent_at is not None
    assert store.find_sent("abcd efgh").id == kept.id


def test_a_database_from_before_the_migrations_is_adopted(store):
    """The first release made the table with create_all and had no alembic_version."""
    old = MetaData()
    Table(
        "responses",
        old,
        Column("id", Integer, primary_key=True),
        Column("token_hash", String(64), nullable=False, unique=True),
        Column("reference", String(16), nullable=False, unique=True),
        Column("answers", JSON, nullable=False),
        Column("completed_steps", JSON, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        Column("finished_at", DateTime(timezone=True)),
    )
    old.create_all(store.engine)
    _insert_revision_1_row(store.engine)
    store.upgrade()
    assert current_revision(store.engine) == HEAD
    assert store.load("the-token").reference == "ABCDEFGH"
    assert _schema_differences(store.engine) == []


def test_downgrade_to_revision_1_and_up_again(store):
    store.upgrade()
    _insert_revision_1_row(store.engine)
    with store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0001")
    assert current_revision(store.engine) == "0001"
    assert _tables(store.engine) & CLINIC_TABLES == set()
    columns = {c["name"] for c in inspect(store.engine).get_columns("responses")}
    assert "sent_at" not in columns
    store.upgrade()
    assert store.load("the-token").reference == "ABCDEFGH"


def test_create_app_migrates_its_database(tmp_path):
    if TEST_DATABASE_URL:
        pytest.skip("covered by every other test on PostgreSQL")
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True})
    engine = get_store(app).engine
    assert current_revision(engine) == HEAD
    engine.dispose()


def test_revision_3_adds_the_session_generation_and_keeps_the_staff(store):
    upgrade(store.engine, "0002")
    _insert_revision_1_row(store.engine)
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO staff (email, password_hash, active, created_at) "
                "VALUES ('nurse@clinic.example', 'hash', :active, CURRENT_TIMESTAMP)"
            ),
            {"active": True},
        )
        conn.execute(text("UPDATE responses SET sent_at = CURRENT_TIMESTAMP, reviewed_by = 1"))
    store.upgrade()
    assert current_revision(store.engine) == HEAD
    account = store.staff_by_email("nurse@clinic.example")
    assert account.session_generation == 0
    store.end_staff_sessions(account.id)
    with store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0002")
    columns = {c["name"] for c in inspect(store.engine).get_columns("staff")}
    assert "session_generation" not in columns
    with store.engine.connect() as conn:  # the staff and who reviewed what are kept
        assert conn.execute(text("SELECT email FROM staff")).scalar_one() == "nurse@clinic.example"
        assert conn.execute(text("SELECT reviewed_by FROM responses")).scalar_one() == 1
    store.upgrade()
    assert store.staff_by_email("nurse@clinic.example").session_generation == 0
    assert _schema_differences(store.engine) == []


def test_revision_4_adds_api_tokens_and_keeps_everything_else(store):
    from decision_aid.fhir import tokens as api_tokens

    upgrade(store.engine, "0003")
    _insert_revision_1_row(store.engine)
    assert "api_tokens" not in _tables(store.engine)
    store.upgrade()
    assert current_revision(store.engine) == HEAD
    token = api_tokens.add(store, "epic")
    assert api_tokens.authenticate(store, token) == "epic"
    assert _schema_differences(store.engine) == []
    with store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0003")
    assert "api_tokens" not in _tables(store.engine)
    with store.engine.connect() as conn:  # raw SQL: the store's table has later columns
        assert conn.execute(text("SELECT reference FROM responses")).scalar_one() == "ABCDEFGH"
    store.upgrade()
    assert api_tokens.authenticate(store, token) is None  # the tokens went with the table
    assert store.load("the-token").reference == "ABCDEFGH"


def test_revision_5_gives_each_sent_summary_its_clinic_copy(store):
    upgrade(store.engine, "0004")
    _insert_revision_1_row(store.engine)
    _insert_revision_1_row(store.engine, token="other", reference="BCDEFGHJ")
    with store.engine.begin() as conn:
        conn.execute(
            text("UPDATE responses SET sent_at = CURRENT_TIMESTAMP WHERE reference = 'ABCDEFGH'")
        )
    store.upgrade()
    assert current_revision(store.engine) == HEAD
    with store.engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT reference, sent_answers FROM responses")).all())
    assert rows["BCDEFGHJ"] is None  # not sent: no copy
    sent = store.sent_by_reference("ABCDEFGH")
    assert sent.sent_answers is not None and sent.answers == sent.sent_answers
    with store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0004")
    columns = {c["name"] for c in inspect(store.engine).get_columns("responses")}
    assert "sent_answers" not in columns
    store.upgrade()
    assert _schema_differences(store.engine) == []


def test_revision_6_stores_the_list_columns_of_summaries_already_sent(store):
    """An upgrade from revision 0003 (through 0004 and 0005) fills in what the clinic's list
    each summary already sent, and when its answers last changed; nothing else changes."""
    from clinic_support import answers_file

    answers = answers_file("red_flag") | {"name": "Ana Test", "appointment": "2026-12-03"}
    upgrade(store.engine, "0003")
    _insert_revision_1_row(store.engine)
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE responses SET answers = :answers, sent_at = updated_at, "
                "finished_at = updated_at WHERE reference = 'ABCDEFGH'"
            ),
            {"answers": json.dumps(answers)},
        )
    store.upgrade()
    assert current_revision(store.engine) == HEAD
    assert _schema_differences(store.engine) == []
    [item], total = store.list_sent()
    assert total == 1 and item.red_flags is True
    assert item.patient_name == "Ana Test" and item.appointment == "2026-12-03"
    loaded = store.load("the-token")
    assert loaded.answered_at == loaded.updated_at
    # The audit log keeps its append-only triggers (ADD COLUMN copies no table).
    store.audit("someone", "viewed", "ABCDEFGH")
    with pytest.raises(Exception, match="append-only"), store.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log"))
    with store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0005")
    assert "patient_name" not in {c["name"] for c in inspect(store.engine).get_columns("responses")}


def test_revision_11_stores_the_appointment_time_and_clears_json_null_urgent(store):
    """Revision 0010 wrote "no urgent item" as JSON null, which "Urgent only" took for an urgent
    item; 0011 makes it NULL and fills in the appointment time of summaries already sent."""
    from clinic_support import answers_file

    calm = answers_file("typical_botox") | {
        "appointment": "2026-12-03",
        "appointment_time": "09:40",
    }
    upgrade(store.engine, "0010")
    _insert_revision_1_row(store.engine)
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE responses SET answers = :answers, sent_at = updated_at, "
                "finished_at = updated_at, urgent = 'null' WHERE reference = 'ABCDEFGH'"
            ),
            {"answers": json.dumps(calm)},
        )
    store.upgrade()
    assert current_revision(store.engine) == HEAD
    [item], total = store.list_sent()
    assert total == 1 and item.urgent == () and item.appointment_time == "09:40"
    assert store.list_sent(urgent_only=True)[1] == 0
