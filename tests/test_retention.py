"""Keeping what was sent (issue 28): a sent summary is kept until the later of its retention
period and 14 days after its appointment, at most MAX_RETENTION_DAYS after its last change;
unsent answers keep RETENTION_DAYS. The clock is moved (the purge's `now`), never slept on.
Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""

from datetime import UTC, date, datetime, timedelta

import pytest
from clinic_support import (  # cheap_password_hashing: an autouse fixture
    answers_file,
    cheap_password_hashing,  # noqa: F401
    sent_summary,
    staff_client,
)
from sqlalchemy import update

from decision_aid import create_app
from decision_aid.fhir import tokens as api_tokens
from decision_aid.store import audit_log, get_store, kept_until, responses

SENT_AT = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def _place(app, reference, moment):
    """The summary was last changed (and sent) at `moment`."""
    with get_store(app).engine.begin() as conn:
        conn.execute(
            update(responses)
            .where(responses.c.reference == reference)
            .values(updated_at=moment, created_at=moment, sent_at=moment)
        )


def _sent(app, appointment, send=True):
    answers = answers_file("typical_botox")
    if appointment is None:
        answers.pop("appointment")
    else:
        answers["appointment"] = appointment
    token, submission = sent_summary(app, answers, send=send)
    _place(app, submission.reference, SENT_AT)
    if not send:
        with get_store(app).engine.begin() as conn:
            conn.execute(
                update(responses)
                .where(responses.c.reference == submission.reference)
                .values(sent_at=None)
            )
    return token, submission


def _purge(app, day, hour=3):
    """The daily purge, run at `hour` on `day` (UTC, the tests' CLINIC_TZ)."""
    now = datetime(day.year, day.month, day.day, hour, 15, tzinfo=UTC)
    return get_store(app).purge(30, now=now, max_days=180)


def test_kept_until_is_the_later_of_the_retention_period_and_the_appointment():
    # No appointment, or an early one: the retention period.
    assert kept_until(SENT_AT, None, 30, 180).day == date(2026, 12, 25)
    assert kept_until(SENT_AT, "2026-12-01", 30, 180).day == date(2026, 12, 25)
    # A later appointment: 14 days after it.
    later = kept_until(SENT_AT, "2027-03-25", 30, 180)
    assert later.day == date(2027, 4, 8) and not later.appointment_after_cap
    # Past the cap (180 days after the last change: 24 May 2027): the cap, and it says so.
    capped = kept_until(SENT_AT, "2027-06-10", 30, 180)
    assert capped.day == date(2027, 5, 24) == capped.cap and capped.appointment_after_cap
    # Unsent answers keep the retention period, whatever the appointment.
    assert kept_until(SENT_AT, "2027-03-25", 30, 180, sent=False).day == date(2026, 12, 25)


def test_a_summary_sent_months_ahead_is_kept_until_14_days_after_the_appointment(app):
    store = get_store(app)
    ahead_token, ahead = _sent(app, "2027-03-25")  # four months ahead
    plain_token, plain = _sent(app, None)
    unsent_token, _unsent = _sent(app, "2027-03-25", send=False)
    # 31 days on: the retention period is over for the unsent answers and the one without an
    # appointment; the one with an appointment stays.
    outcome = _purge(app, date(2026, 12, 26))
    assert sorted(outcome.sent) == [plain.reference] and outcome.submissions == 2
    assert store.load(plain_token) is None and store.load(unsent_token) is None
    assert store.sent_by_reference(ahead.reference) is not None
    # The appointment, and 14 days after it: still kept.
    for day in (date(2027, 3, 25), date(2027, 4, 8)):
        assert _purge(app, day).submissions == 0
        assert store.load(ahead_token) is not None
    # The day after: gone, with an audit line that says why.
    assert _purge(app, date(2027, 4, 9)).sent == [ahead.reference]
    assert store.load(ahead_token) is None
    entries = store.audit_entries(per_page=50)[0]
    details = {entry.reference: entry.detail for entry in entries if entry.action == "purged"}
    assert "14 days after the appointment on 2027-03-25" in details[ahead.reference]
    assert "no appointment date" in details[plain.reference]


def test_max_retention_days_caps_a_far_appointment(app):
    store = get_store(app)
    token, far = _sent(app, "2027-09-01")  # after the cap of 180 days (24 May 2027)
    assert _purge(app, date(2027, 5, 24), hour=9).submissions == 0
    assert _purge(app, date(2027, 5, 25)).sent == [far.reference]
    assert store.load(token) is None
    entry = store.audit_entries(per_page=5)[0][0]
    assert entry.detail.startswith("kept the longest time, 180 days")


def test_a_change_after_sending_starts_the_retention_period_again(app):
    store = get_store(app)
    token, sent = _sent(app, "2026-12-01")  # an early appointment: the retention period counts
    changed = SENT_AT + timedelta(days=20)  # remade on 15 December
    with store.engine.begin() as conn:
        query = update(responses).where(responses.c.reference == sent.reference)
        conn.execute(query.values(updated_at=changed))
    assert _purge(app, date(2026, 12, 26)).submissions == 0
    assert _purge(app, date(2027, 1, 14)).submissions == 0
    assert _purge(app, date(2027, 1, 15)).submissions == 1
    assert store.load(token) is None


def test_max_retention_days_below_retention_days_stops_the_app(tmp_path):
    with pytest.raises(ValueError, match="MAX_RETENTION_DAYS"):
        create_app(
            {
                "INSTANCE_PATH": str(tmp_path / "instance"),
                "RETENTION_DAYS": 30,
                "MAX_RETENTION_DAYS": 20,
            }
        )


def test_staff_fhir_and_pdf_cache_follow_the_rule(app):
    """Two months after sending, the summary of a later appointment still opens for staff, as
    a PDF (cached) and through the FHIR API; after the purge that lets it go, none of them has
    it, and its cached PDFs are gone."""
    from decision_aid.pdf import cache as pdf_cache

    _token, ahead = _sent(app, "2027-03-25")
    client = staff_client(app)
    api_token = api_tokens.add(get_store(app), "records")
    headers = {"Authorization": f"Bearer {api_token}"}
    assert _purge(app, date(2027, 1, 25)).submissions == 0
    assert client.get(f"/staff/summary/{ahead.reference}").status_code == 200
    pdf = client.get(f"/staff/summary/{ahead.reference}/clinician.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert (pdf_cache.cache_dir(app) / ahead.reference).is_dir()
    read = app.test_client().get(f"/fhir/QuestionnaireResponse/{ahead.reference}", headers=headers)
    assert read.status_code == 200
    _purge(app, date(2027, 4, 9))
    assert pdf_cache.drop_missing(app, get_store(app)) == 1
    assert not (pdf_cache.cache_dir(app) / ahead.reference).exists()
    assert client.get(f"/staff/summary/{ahead.reference}").status_code == 404
    read = app.test_client().get(f"/fhir/QuestionnaireResponse/{ahead.reference}", headers=headers)
    assert read.status_code == 404
    with get_store(app).engine.connect() as conn:
        purged = conn.execute(
            audit_log.select().where(
                audit_log.c.reference == ahead.reference, audit_log.c.action == "purged"
            )
        ).all()
    assert len(purged) == 1
