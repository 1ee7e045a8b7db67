"""The store: reference codes and their look-alikes, sending, review status, the clinic's list,
purge. Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""

from datetime import UTC, datetime, timedelta

import pytest
from clinic_support import (
    answers_file,
    cheap_password_hashing,  # noqa: F401 (an autouse fixture)
    columns,
    sent_summary,
)
from sqlalchemy import update

from decision_aid.store import (
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    Submission,
    format_reference,
    get_store,
    hash_token,
    login_failures,
    new_reference,
    normalise_reference,
    reference_candidates,
    responses,
)


def test_new_references_use_only_the_alphabet():
    for _ in range(200):
        code = new_reference()
        assert len(code) == REFERENCE_LENGTH and set(code) <= set(REFERENCE_ALPHABET)
    assert not set("01ILO") & set(REFERENCE_ALPHABET)


@pytest.mark.parametrize(
    "typed, stored",
    [("abcd-efgh", "ABCDEFGH"), (" AB CD–EF.GH ", "ABCDEFGH"), (None, ""), ("ÄBCD", "BCD")],
)
def test_normalise_reference_ignores_case_spaces_and_punctuation(typed, stored):
    assert normalise_reference(typed) == stored


def test_reference_candidates_expand_look_alikes():
    assert reference_candidates("abcd-efgh") == ["ABCDEFGH"]
    assert sorted(reference_candidates("0BCD-EFGH")) == ["DBCDEFGH", "QBCDEFGH"]
    assert sorted(reference_candidates("OBCD-EFG1")) == sorted(
        f"{a}BCDEFG{b}" for a in "DQ" for b in "7JT"
    )
    assert sorted(reference_candidates("ABCD-EFGl")) == ["ABCDEFG7", "ABCDEFGJ", "ABCDEFGT"]
    assert reference_candidates("ABCD-EFG") == []  # too short
    assert reference_candidates("ABCD-EFGH-J") == []  # too long
    assert reference_candidates("00000000") == []  # too many guesses to be sure


def test_submission_dataclass_keeps_the_old_positional_form():
    submission = Submission(1, "ABCDEFGH", {}, [], None, None, None)
    assert submission.sent_at is None
    assert submission.reference_display == format_reference("ABCDEFGH")


def test_create_load_save_delete_round_trip(app):
    store = get_store(app)
    token, response = store.create()
    assert store.load(token).reference == response.reference
    assert store.by_reference(format_reference(response.reference).lower()).id == response.id
    assert store.save(token, {"side": "left"}, ["twitching"], finished=False)
    loaded = store.load(token)
    assert loaded.answers == {"side": "left"} and loaded.finished_at is None
    assert loaded.created_at.tzinfo is not None
    assert store.delete(token) and store.load(token) is None
    assert not store.save(token, {}, []) and not store.delete(token)
    assert store.load("") is None and store.load("nope") is None


def test_send_needs_finished_answers_and_is_idempotent(app):
    store = get_store(app)
    token, _ = store.create()
    minimal = answers_file("minimal")
    assert store.send(token, columns(store, minimal)) is None
    store.save(token, minimal, [], finished=True)
    first = store.send(token, columns(store, minimal))
    assert first.sent_at is not None
    again = store.send(token, columns(store, minimal))
    assert again.sent_at == first.sent_at
    assert store.send("not a token", columns(store, minimal)) is None


def test_find_sent_only_finds_sent_summaries_and_refuses_ambiguous_look_alikes(app):
    store = get_store(app)
    _t, unsent = sent_summary(app, send=False)
    assert store.find_sent(unsent.reference) is None
    tokens = []
    for code in ("DAAAAAAA", "QAAAAAAA"):
        token, _ = sent_summary(app)
        tokens.append(token)
        with store.engine.begin() as conn:
            conn.execute(
                update(responses)
                .where(responses.c.token_hash == hash_token(token))
                .values(reference=code)
            )
    assert store.find_sent("daaa-aaaa").reference == "DAAAAAAA"
    assert store.find_sent("0AAA AAAA") is None  # D or Q: both exist, so neither is guessed
    store.delete(tokens[1])
    assert store.find_sent("0AAA AAAA").reference == "DAAAAAAA"


def test_list_sent_is_newest_first_and_paged(app):
    store = get_store(app)
    made = []
    for hours in range(5):
        token, response = sent_summary(app)
        with store.engine.begin() as conn:
            conn.execute(
                update(responses)
                .where(responses.c.id == response.id)
                .values(sent_at=datetime.now(UTC) - timedelta(hours=hours))
            )
        made.append(response.reference)
    page1, total = store.list_sent(page=1, per_page=2)
    page3, _ = store.list_sent(page=3, per_page=2)
    assert total == 5
    assert [i.reference for i in page1] == made[:2] and [i.reference for i in page3] == made[4:]
    assert all(isinstance(i.sent_at, datetime) and i.finished for i in page1)
    assert not hasattr(page1[0], "answers")  # the list holds no answers
    assert page1[0].red_flags is False  # stored when sent (decision_aid.clinic.listing)
    # A page past the end is the last page, however large the number.
    for page in (4, 10**30):
        past, _ = store.list_sent(page=page, per_page=2)
        assert [i.reference for i in past] == made[4:]


def test_list_sent_shows_what_was_stored_when_sent_and_when_changed(app):
    store = get_store(app)
    token, both = sent_summary(app, answers_file("typical_botox") | {"side": "both"})
    sent_summary(app)
    items, _total = store.list_sent()
    assert sorted(i.red_flags for i in items) == [False, True]
    assert not hasattr(items[0], "answers")
    assert {i.patient_name for i in items} == {answers_file("typical_botox")["name"]}
    # The patient changes an answer after sending: the list shows the summary remade.
    changed = answers_file("typical_botox") | {"name": "Ana Changed"}
    store.save(token, changed, [], finished=True, listed=columns(store, changed))
    items, _total = store.list_sent()
    changed = next(i for i in items if i.reference == both.reference)
    assert changed.red_flags is False and changed.patient_name == "Ana Changed"
    assert store.load(token).answered_at >= both.answered_at


def test_audit_entries_past_the_end_give_the_last_page(app):
    store = get_store(app)
    for n in range(3):
        store.audit("someone", "viewed", f"ABCDEFG{n + 2}")
    entries, total = store.audit_entries(page=10**30, per_page=2)
    assert total == 3 and [e.reference for e in entries] == ["ABCDEFG2"]


def test_review_status_and_a_changed_answer_resets_it(app):
    store = get_store(app)
    token, response = sent_summary(app)
    assert store.set_reviewed(response.reference, None)
    assert store.load(token).reviewed_at is not None
    listed = columns(store, response.answers)
    store.save(token, response.answers, [], finished=True, listed=listed)  # unchanged: stays
    assert store.load(token).reviewed_at is not None
    right = response.answers | {"side": "right"}
    store.save(token, right, [], finished=True, listed=columns(store, right))
    assert store.load(token).reviewed_at is None
    _t, unsent = sent_summary(app, send=False)
    assert not store.set_reviewed(unsent.reference, None)


def test_purge_boundary_is_updated_at(app):
    store = get_store(app)
    now = datetime.now(UTC)
    token, response = sent_summary(app)
    with store.engine.begin() as conn:
        conn.execute(
            update(responses)
            .where(responses.c.id == response.id)
            .values(
                updated_at=now - timedelta(days=10, seconds=1),
                created_at=now - timedelta(days=99),
            )
        )
    assert store.purge(10, now=now + timedelta(seconds=-2)).submissions == 0
    assert store.purge(10, now=now).submissions == 1
    assert store.load(token) is None


@pytest.mark.parametrize("days", [0, -1])
def test_purge_refuses_a_retention_of_less_than_a_day(app, days):
    token, _response = sent_summary(app, send=False)
    with pytest.raises(ValueError):
        get_store(app).purge(days)
    assert get_store(app).load(token) is not None


def test_purge_forgets_old_sign_in_failures(app):
    store = get_store(app)
    store.begin_attempt(["a" * 64, "b" * 64], datetime.now(UTC))
    with store.engine.begin() as conn:
        conn.execute(
            update(login_failures)
            .where(login_failures.c.key == "a" * 64)
            .values(at=datetime.now(UTC) - timedelta(hours=1))
        )
    assert store.purge(30).login_failures == 1
    since = datetime.now(UTC) - timedelta(days=1)
    assert store.count_failures("a" * 64, since) == 0
    assert store.count_failures("b" * 64, since) == 1


def test_staff_accounts(app):
    store = get_store(app)
    staff_id = store.add_staff("Nurse@Clinic.example", "$argon2id$fake")
    with pytest.raises(ValueError):
        store.add_staff("nurse@clinic.example", "$argon2id$other")
    assert store.staff_by_email("NURSE@clinic.example").id == staff_id
    assert store.staff_by_id(staff_id).active
    assert store.set_staff_active("nurse@clinic.example", False)
    assert not store.staff_by_id(staff_id).active
    assert not store.set_staff_active("nobody@clinic.example", False)
    assert [a.email for a in store.list_staff()] == ["nurse@clinic.example"]


def test_attempts_are_counted_before_anything_is_checked(app):
    store = get_store(app)
    since = datetime.now(UTC) - timedelta(minutes=15)
    ids, counts = store.begin_attempt(["a" * 64, "b" * 64], since)
    assert len(ids) == 2 and counts == [1, 1]
    ids2, counts = store.begin_attempt(["a" * 64, "c" * 64], since)
    assert counts == [2, 1]
    store.forget_attempts(ids2)
    assert store.count_failures("a" * 64, since) == 1
    assert store.count_failures("c" * 64, since) == 0
    store.forget_attempts([])


def test_session_generation_rises_on_sign_out_password_change_and_disable(app):
    store = get_store(app)
    staff_id = store.add_staff("nurse@clinic.example", "$argon2id$fake")

    def generation():
        return store.staff_by_id(staff_id).session_generation

    assert generation() == 0
    store.end_staff_sessions(staff_id)
    assert generation() == 1
    store.set_staff_password("nurse@clinic.example", "$argon2id$new")
    assert generation() == 2
    store.set_staff_password("nurse@clinic.example", "$argon2id$rehashed", rehash=True)
    assert generation() == 2  # a rehash at sign-in keeps the sessions
    store.set_staff_active("nurse@clinic.example", False)
    assert generation() == 3
    store.set_staff_active("nurse@clinic.example", True)
    assert generation() == 3
