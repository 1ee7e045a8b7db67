"""The clinic's day (issue 28), through the test client with CSRF on: dates of birth typed in
the clinic's date order (DATE_ORDER), the list's and day list's language and urgent columns,
the urgent-only filter, the appointment time, and one print of every clinician page for a
day. Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""

import io
import re

import pytest
from clinic_support import (
    answers_file,
    cheap_password_hashing,  # noqa: F401 (an autouse fixture)
    columns,
    sent_summary,
    staff_client,
)
from conftest import make_app
from test_staff import text_of

from decision_aid.clinic.clock import default_date_order, read_typed_date
from decision_aid.store import get_store


def _sent(app, name, birth, appointment=None, **extra):
    answers = answers_file("typical_botox") | {"name": name, "date_of_birth": birth}
    answers.pop("appointment", None)
    if appointment:
        answers["appointment"] = appointment
    return sent_summary(app, answers | extra)[1]


# --- DATE_ORDER -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, zone, order",
    [
        ("en", "Europe/London", "dmy"),
        ("en", "Australia/Sydney", "dmy"),
        ("en", "America/New_York", "mdy"),
        ("en", "UTC", "mdy"),  # no country: English's own format, M/d/yy
        ("es", "Europe/Madrid", "dmy"),
        ("es", "America/Mexico_City", "dmy"),
        ("zh_Hans", "Asia/Shanghai", "mdy"),  # y/M/d: the month before the day
    ],
)
def test_the_date_order_defaults_from_the_clinics_language_and_country(language, zone, order):
    assert default_date_order(language, zone) == order


@pytest.mark.parametrize(
    "typed, dmy, mdy",
    [
        ("02/07/1972", "1972-07-02", "1972-02-07"),  # both valid: the setting decides
        ("2.7.1972", "1972-07-02", "1972-02-07"),
        ("2-7-1972", "1972-07-02", "1972-02-07"),
        ("13/02/1972", "1972-02-13", "1972-02-13"),  # only one order is valid
        ("02/13/1972", "1972-02-13", "1972-02-13"),
        ("1972/7/2", "1972-07-02", "1972-07-02"),  # the year first: year, month, day
        ("31/02/1972", None, None),
        ("02/07/72", None, None),  # a two-digit year is not guessed
    ],
)
def test_a_typed_date_is_read_in_the_clinics_order(typed, dmy, mdy):
    for order, expected in (("dmy", dmy), ("mdy", mdy)):
        read = read_typed_date(typed, order)
        assert (read.isoformat() if read else None) == expected


def _find(client, typed):
    return client.get("/staff/find", query_string={"q": typed})


@pytest.mark.parametrize(
    "order, typed, found, read_as",
    [
        ("dmy", "02/07/1972", "July Person", "2 July 1972"),
        ("dmy", "2.7.1972", "July Person", "2 July 1972"),
        ("mdy", "02/07/1972", "February Person", "7 February 1972"),
        ("mdy", "2.7.1972", "February Person", "7 February 1972"),
        ("mdy", "13/02/1972", "Thirteenth Person", "13 February 1972"),
    ],
)
def test_the_search_reads_the_date_of_birth_in_the_date_order(
    tmp_path, order, typed, found, read_as
):
    app = make_app(tmp_path, DATE_ORDER=order)
    _sent(app, "July Person", "1972-07-02")
    _sent(app, "February Person", "1972-02-07")
    _sent(app, "Thirteenth Person", "1972-02-13")
    client = staff_client(app)
    response = _find(client, typed)
    assert response.status_code == 200
    page = text_of(response)
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]
    assert len(rows) == 1 and found in rows[0]
    first = "month first" if order == "mdy" else "day first"
    assert f"“{typed}” read as the date {read_as} ({first}, as this clinic writes dates)." in page
    get_store(app).engine.dispose()


def test_a_date_that_finds_nothing_still_says_how_it_was_read(tmp_path):
    app = make_app(tmp_path, DATE_ORDER="dmy")
    _sent(app, "July Person", "1972-07-02")
    response = _find(staff_client(app), "03/07/1972")
    assert response.status_code == 404
    assert "read as the date 3 July 1972 (day first" in text_of(response)
    get_store(app).engine.dispose()


def test_the_date_order_is_set_and_checked_at_start_up(tmp_path, monkeypatch):
    app = make_app(tmp_path / "a", CLINIC_TZ="Europe/London")
    assert app.config["DATE_ORDER"] == "dmy"
    get_store(app).engine.dispose()
    monkeypatch.setenv("DATE_ORDER", "MDY")
    app = make_app(tmp_path / "b", CLINIC_TZ="Europe/London")
    assert app.config["DATE_ORDER"] == "mdy"
    get_store(app).engine.dispose()
    with pytest.raises(ValueError, match="DATE_ORDER"):
        make_app(tmp_path / "c", DATE_ORDER="ymd")


def test_the_find_hint_gives_an_example_in_the_date_order(tmp_path):
    for order, example in (("dmy", "12/04/1961"), ("mdy", "04/12/1961")):
        app = make_app(tmp_path / order, DATE_ORDER=order)
        assert example in text_of(staff_client(app).get("/staff/"))
        get_store(app).engine.dispose()


# --- the list's and the staff summary's columns: language, urgent items in words ----------

RASH = {
    "treatments": ["medicines"],
    "medicines": ["carbamazepine"],
    "medicine_current": "yes",
    "medicine_helped": "no",
    "medicine_side_effects": ["rash"],
}
RASH_WORDS = "Urgent: rash on carbamazepine, still taking it"


def _typical_without_botox():
    answers = answers_file("typical_botox")
    for key in [k for k in answers if k.startswith("botox_")]:
        answers.pop(key)
    return answers


def _rows(page):
    return re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]


def _row_of(page, submission):
    return next(row for row in _rows(page) if submission.reference_display in row)


def _rash_summary(app, name="Rash Patient", appointment="2026-12-03", language="es"):
    answers = _typical_without_botox() | RASH | {"name": name, "appointment": appointment}
    token, submission = sent_summary(app, answers)
    store = get_store(app)
    listed = columns(store, answers)
    store.save(token, answers, [], finished=True, language=language, listed=listed)
    return store.sent_by_reference(submission.reference)


def test_the_list_names_the_urgent_items_in_words_and_the_language(app):
    rash = _rash_summary(app)
    calm = _sent(app, "Calm Patient", "1960-01-01", "2026-12-03")
    client = staff_client(app)
    page = text_of(client.get("/staff/"))
    row = _row_of(page, rash)
    assert RASH_WORDS in row
    assert 'data-label="Language">Spanish (Español)</td>' in row
    calm_row = _row_of(page, calm)
    assert "Urgent:" not in calm_row and ">None<" in calm_row
    assert 'data-label="Language"><span class="muted">Not known</span>' in calm_row
    # Urgent only: the filter, and its way back.
    urgent = text_of(client.get("/staff/", query_string={"urgent": "1"}))
    assert [rash.reference_display in row for row in _rows(urgent)] == [True]
    assert 'aria-current="true" id="urgent-filter">Urgent only' in urgent
    assert 'id="urgent-filter" href="/staff/?urgent=1">Urgent only' in page
    # The staff summary says the same.
    summary = text_of(client.get(f"/staff/summary/{rash.reference}"))
    assert f'id="urgent-words">{RASH_WORDS}</span>' in summary
    assert 'id="patient-language">Spanish (Español)</dd>' in summary


def test_the_urgent_items_are_stored_as_codes_and_named_in_the_readers_language(tmp_path):
    app = make_app(tmp_path, CLINIC_LANGUAGE="es")
    rash = _rash_summary(app, language="en")
    (item,) = get_store(app).list_sent()[0]
    assert item.reference == rash.reference and item.urgent == ("medicine_rash.current",)
    client = staff_client(app)
    assert RASH_WORDS in text_of(client.get("/staff/"))
    spanish = text_of(client.get("/staff/", headers={"Accept-Language": "es"}))
    assert RASH_WORDS not in spanish and "carbamazepina" in spanish
    get_store(app).engine.dispose()


# --- the clinician pages of a day, in one print ---------------------------------------------


def _pdf_text(data):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return reader, [" ".join(page.extract_text().split()) for page in reader.pages]


def test_the_clinician_pages_of_a_day_print_as_one_tagged_pdf_in_name_order(app):
    zed = _sent(app, "Zed Young", "1950-03-03", "2026-12-03")
    rash = _rash_summary(app, name="Ada Old", language="es")
    _sent(app, "Other Day", "1970-01-01", "2026-12-04")
    client = staff_client(app)
    page = text_of(client.get("/staff/"))
    button = 'id="print-clinician-pages" type="submit" formaction="/staff/day-list/clinician-pages"'
    assert button in page
    response = client.get("/staff/day-list/clinician-pages", query_string={"date": "2026-12-03"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    reader, texts = _pdf_text(response.data)
    assert len(texts) == 2  # one page 1 each, nothing else
    assert "Ada Old" in texts[0] and rash.reference_display in texts[0]
    assert "Zed Young" in texts[1] and zed.reference_display in texts[1]
    assert "Other Day" not in " ".join(texts)
    for text in texts:
        assert "Hemifacial spasm: summary for the clinician" in text
        assert "Riverside Hospital" in text  # each page has its own header
    assert "The patient answered in Spanish (Español)" in texts[0]
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en"
    assert "Clinician pages for 3 Dec 2026" in reader.metadata.title
    audit = text_of(client.get("/staff/audit"))
    assert "Printed the clinician pages of a day" in audit
    assert "appointments on 2026-12-03, 2 pages, 2 summaries" in audit
    assert audit.count("Printed the clinician pages of a day") == 1


def test_the_clinician_pages_need_a_date_with_summaries(app):
    client = staff_client(app)
    assert client.get("/staff/day-list/clinician-pages?date=nonsense").status_code == 400
    empty = client.get("/staff/day-list/clinician-pages", query_string={"date": "2026-12-03"})
    assert empty.status_code == 404
    assert "No sent summary has an appointment on 3 December 2026." in text_of(empty)


def test_the_day_list_has_the_language_and_the_urgent_items_in_words(app):
    rash = _rash_summary(app, name="Ada Old", language="es")
    _sent(app, "Zed Young", "1950-03-03", "2026-12-03")
    response = staff_client(app).get("/staff/day-list", query_string={"date": "2026-12-03"})
    _reader, texts = _pdf_text(response.data)
    assert len(texts) == 1
    text = texts[0]
    assert "Language" in text and "Spanish (Español)" in text and "Not known" in text
    assert (
        rash.reference_display in text and "Urgent: rash on carbamazepine, still taking it" in text
    )


# --- the appointment's time ----------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("14:30", "14:30"),
        ("2:30 pm", "14:30"),
        ("9.05", "09:05"),
        ("12 am", "00:00"),
        ("9", "09:00"),
    ],
)
def test_the_appointment_time_is_read_as_typed(patient, typed, stored):
    from test_wizard import LONG_BOTOX, walk

    walk(patient, LONG_BOTOX)
    date = {"appointment__day": "3", "appointment__month": "12", "appointment__year": "2026"}
    response = patient.post_step("your_questions", date | {"appointment_time": typed})
    assert response.status_code == 302
    assert patient.stored().answers["appointment_time"] == stored


def test_a_wrong_time_gets_a_message_next_to_it_and_is_kept(patient):
    from test_wizard import LONG_BOTOX, walk

    walk(patient, LONG_BOTOX)
    response = patient.post_step("your_questions", {"appointment_time": "25:70"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    message = "Enter the time of your appointment as a time of day, like 14:30 or 2:30 pm"
    assert page.count(message) == 2  # the error summary and the field
    assert 'href="#appointment_time"' in page and 'value="25:70"' in page
    assert "appointment_time" not in patient.stored().answers


def test_the_list_and_the_day_list_show_the_appointment_time(app):
    timed = _sent(app, "Timed Person", "1960-01-01", "2026-12-03", appointment_time="09:40")
    _sent(app, "Untimed Person", "1961-01-01", "2026-12-03")
    client = staff_client(app)
    row = _row_of(text_of(client.get("/staff/")), timed)
    assert '3 December 2026, <span class="appointment-time">09:40</span>' in row
    summary = text_of(client.get(f"/staff/summary/{timed.reference}"))
    assert ">Appointment time</dt>" in summary and "09:40" in summary
    day_list = client.get("/staff/day-list", query_string={"date": "2026-12-03"})
    (text,) = _pdf_text(day_list.data)[1]
    assert text.index("Time") < text.index("Reference code")
    assert "09:40" in text and "—" in text
    pages = client.get("/staff/day-list/clinician-pages", query_string={"date": "2026-12-03"})
    assert "Appointment: 3 Dec 2026, 09:40" in _pdf_text(pages.data)[1][0]
