"""The clinic's day (issue 28), through the test client with CSRF on: dates of birth typed in
the clinic's date order (DATE_ORDER), the list's and day list's language and urgent columns,
the urgent-only filter, the appointment time, and one print of every clinician page for a
day. Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""

import re

import pytest
from clinic_support import (
    answers_file,
    cheap_password_hashing,  # noqa: F401 (an autouse fixture)
    sent_summary,
    staff_client,
)
from conftest import make_app
from test_staff import text_of

from decision_aid.clinic_time import default_date_order, read_typed_date
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
