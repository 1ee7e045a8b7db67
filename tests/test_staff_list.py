"""The clinic's list as a clinic day needs it: name, date of birth and appointment; finding by
code, name or date of birth (only among sent summaries); sorting by appointment; the next 7
days; the printed day list and its audit entry; CLINIC_TZ; and no engine run per row."""

import io
import re

from clinic_support import (
    answers_file,
    cheap_password_hashing,  # noqa: F401 (an autouse fixture)
    sent_summary,
    staff_client,
)
from conftest import TODAY
from pypdf import PdfReader
from sqlalchemy import event
from test_staff import text_of

from decision_aid import create_app
from decision_aid.guidance import engine
from decision_aid.store import get_store


def _sent(app, name, birth, appointment, **extra):
    answers = answers_file("typical_botox") | {"name": name, "date_of_birth": birth}
    answers["appointment"] = appointment
    return sent_summary(app, answers | extra)[1]


def _rows(page):
    return re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]


def test_list_shows_name_birth_date_appointment_sent_status_and_marker(app):
    _sent(app, "Zoë Ångström", "1962-04-17", "2026-12-03")
    plain = answers_file("typical_botox")
    for key in ("name", "date_of_birth", "appointment"):
        plain.pop(key, None)
    sent_summary(app, plain)
    page = text_of(staff_client(app).get("/staff/"))
    headers = re.findall(r'<th scope="col">([^<]*)</th>', page)
    assert headers == [
        "Reference code", "Name", "Date of birth", "Appointment", "Language", "Sent", "Status",
        "Red flags",
    ]  # fmt: skip
    assert "Zoë Ångström" in page and "17 April 1962" in page and "3 December 2026" in page
    assert page.count("Not given") >= 2  # no name, no date of birth


def test_find_by_name_and_birth_date_through_the_form(app):
    ana = _sent(app, "Ana María López", "1961-04-12", "2026-12-01")
    _sent(app, "Bob Stone", "1970-01-01", "2026-12-02")
    client = staff_client(app)
    page = text_of(client.get("/staff/"))
    assert 'action="/staff/find"' in page and 'name="q"' in page
    for typed in ("lopez", "ANA MARÍA", "  maria  lóp"):
        found = client.get("/staff/find", query_string={"q": typed})
        assert found.status_code == 200
        html = text_of(found)
        assert ana.reference_display in html and "Bob Stone" not in html
    for typed in ("1961-04-12", "12 April 1961", "12 Apr 1961"):
        html = text_of(client.get("/staff/find", query_string={"q": typed}))
        assert ana.reference_display in html and "Bob Stone" not in html
    # A code still opens the summary.
    found = client.get("/staff/find", query_string={"q": ana.reference.lower()})
    assert found.status_code == 302 and found.location.endswith(f"/summary/{ana.reference}")


def test_name_search_finds_nothing_that_was_not_sent(app):
    store = get_store(app)
    token, _ = store.create()
    store.save(token, answers_file("typical_botox") | {"name": "Hidden Person"}, [], True)
    _sent(app, "Shown Person", "1950-05-05", "2026-12-01")
    client = staff_client(app)
    hidden = client.get("/staff/find", query_string={"q": "hidden"})
    assert hidden.status_code == 404 and "Hidden Person" not in text_of(hidden)
    shown = text_of(client.get("/staff/find", query_string={"q": "person"}))
    assert "Shown Person" in shown and "Hidden Person" not in shown
    wildcard = client.get("/staff/find", query_string={"q": "%_%"})
    assert wildcard.status_code == 404  # LIKE wildcards are taken literally


def test_sort_by_appointment_and_the_next_7_days(app):
    late = _sent(app, "Late", "1960-01-01", "2027-01-20")
    soon = _sent(app, "Soon", "1960-01-01", "2026-11-26")
    week_end = _sent(app, "Week end", "1960-01-01", "2026-12-01")
    past = _sent(app, "Past", "1960-01-01", "2026-11-20")
    client = staff_client(app)
    page = text_of(client.get("/staff/?sort=appointment"))
    order = [page.index(r.reference_display) for r in (past, soon, week_end, late)]
    assert order == sorted(order)
    page = text_of(client.get("/staff/?when=week&sort=appointment"))
    assert soon.reference_display in page and week_end.reference_display in page
    assert late.reference_display not in page and past.reference_display not in page
    assert 'aria-current="true">Appointments in the next 7 days' in page


def test_day_list_is_a_one_page_pdf_and_is_audited(app):
    ana = _sent(app, "Ana López", "1961-04-12", "2026-12-03", red_flags=["hearing_loss"])
    _sent(app, "Other Day", "1970-01-01", "2026-12-04")
    client = staff_client(app)
    response = client.get("/staff/day-list", query_string={"date": "2026-12-03"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Appointments on 3 Dec 2026" in text
    assert ana.reference_display in text and "Ana López" in text and "12 Apr 1961" in text
    assert "Red flags" in text and "New" in text and "Other Day" not in text
    audit = text_of(client.get("/staff/audit"))
    assert "Printed the day list" in audit and "appointments on 2026-12-03, 1 summary" in audit
    assert client.get("/staff/day-list?date=nonsense").status_code == 400


def test_summary_page_shows_the_age_and_the_scales(app):
    ana = _sent(app, "Ana López", "1961-04-12", "2026-12-03")
    page = text_of(staff_client(app).get(f"/staff/summary/{ana.reference}"))
    assert re.search(r">Age</dt>\s*<dd[^>]*>65</dd>", page)
    assert "(higher is worse, 0 to 21)" in page and "(higher is better, 0 to 4)" in page


def test_clinician_page_pdf_is_audited(app):
    _token, stored = sent_summary(app)
    client = staff_client(app)
    response = client.get(f"/staff/summary/{stored.reference}/clinician.pdf")
    assert response.status_code == 200
    assert len(PdfReader(io.BytesIO(response.data)).pages) == 1
    assert "Opened the clinician page to print" in text_of(client.get("/staff/audit"))


def _list_statements(client, app, path):
    """The SQL statements one request of `path` runs."""
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = get_store(app).engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return statements


def test_the_list_reads_no_answers_and_never_runs_the_guidance(app, monkeypatch):
    client = staff_client(app)
    for n in range(3):
        _sent(app, f"Person {n}", "1960-01-01", "2026-12-01")
    calls = []
    monkeypatch.setattr(engine, "build_items", lambda *a: calls.append(a))  # inside evaluate
    path = "/staff/?sort=appointment&when=week"
    few = _list_statements(client, app, path)
    monkeypatch.undo()
    for n in range(3, 9):
        _sent(app, f"Person {n}", "1960-01-01", "2026-12-01")
    monkeypatch.setattr(engine, "build_items", lambda *a: calls.append(a))
    many = _list_statements(client, app, path)
    assert calls == []
    assert len(many) == len(few)  # not one more statement per row
    assert not any("answers" in statement for statement in many)


def test_staff_times_are_in_the_clinic_time_zone(tmp_path):
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "TESTING": True,
            "TODAY": TODAY.isoformat(),
            "CLINIC_TZ": "Pacific/Auckland",
        }
    )
    _token, stored = sent_summary(app)
    moment = stored.sent_at.astimezone(app.extensions["clinic_tz"])
    page = text_of(staff_client(app).get("/staff/"))
    assert f"{moment:%H:%M}" in page
    get_store(app).engine.dispose()


def test_an_unknown_clinic_time_zone_stops_the_app(tmp_path):
    import pytest

    with pytest.raises(ValueError, match="CLINIC_TZ"):
        create_app({"INSTANCE_PATH": str(tmp_path / "i"), "CLINIC_TZ": "Mars/Olympus"})


def test_the_pages_of_a_name_search_stay_within_the_search(app, monkeypatch):
    monkeypatch.setattr("decision_aid.staff.list_pages.PER_PAGE", 2)
    for index in range(3):
        _sent(app, f"Ana Test {index}", "1961-04-12", "2026-12-01")
    _sent(app, "Bob Stone", "1970-01-01", "2026-12-02")
    client = staff_client(app)
    first = text_of(client.get("/staff/find", query_string={"q": "ana test"}))
    assert "Page 1 of 2" in first and "Bob Stone" not in first
    link = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    assert link.startswith("/staff/find?") and "q=ana+test" in link
    second = text_of(client.get(link))
    assert "Page 2 of 2" in second and "Bob Stone" not in second and "Ana Test" in second
