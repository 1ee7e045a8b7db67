"""Issue 27, coming back: a resume link opens in the language the answers were given in, on
any device; without script, the page after Continue says why it came back; and the small traps
of the question pages (a needed follow-up not marked optional, a month typed with its year, a
text over its limit)."""

import re
import sys
from pathlib import Path

from conftest import Patient, csrf_from
from test_wizard import LONG_BOTOX, TWITCHING, walk


def test_a_resume_link_opens_in_the_answers_language_on_another_device(app, patient):
    patient.client.get("/?lang=es")
    walk(patient, LONG_BOTOX)
    token = patient.token()
    other = app.test_client()  # another phone: English, and never chose a language
    page = other.get(f"/resume/{token}", headers={"Accept-Language": "en-GB"})
    html = page.get_data(as_text=True)
    assert '<html lang="es"' in html
    assert "Continue with these answers" not in html  # in Spanish
    done = other.post(f"/resume/{token}", data={"csrf_token": csrf_from(html)})
    assert done.status_code == 302
    summary = other.get(done.location, headers={"Accept-Language": "en-GB"})
    assert '<html lang="es"' in summary.get_data(as_text=True)


def test_a_language_asked_for_in_the_link_still_wins(app, patient):
    patient.client.get("/?lang=zh-Hans")
    patient.start()
    patient.post_step("twitching", TWITCHING)
    other = app.test_client()
    html = other.get(f"/resume/{patient.token()}?lang=en").get_data(as_text=True)
    assert '<html lang="en"' in html
    assert "Continue with these answers" in html


def test_resume_in_english_stays_english(app, patient):
    walk(patient, LONG_BOTOX)
    other = Patient(app, app.test_client())
    html = other.client.get(
        f"/resume/{patient.token()}", headers={"Accept-Language": "es"}
    ).get_data(as_text=True)
    assert '<html lang="en"' in html
    assert re.search(r"Continue with these answers", html)


# ---- without script, the page after Continue says why -------------------------------------

TIME_CHOSEN = {"onset_known": "date", "course": "worse"}  # the follow-up was not on the screen


def test_without_script_the_page_after_continue_says_why(patient):
    patient.start()
    patient.post_step("twitching", TWITCHING)
    page = patient.post_step("time", TIME_CHOSEN)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="now-enter"' in html
    assert "Now enter the date the twitching started." in html
    assert "There is a problem" not in html
    # The follow-up the answer makes necessary is not labelled "(optional)".
    optional = r"(<span class=\"optional\">[^<]*</span>)?"
    label = re.search(r"Month and year it started[^<]*" + optional, html)
    assert label and not label.group(1), label.group(0)


def month_year_page(app, month, year):
    patient = Patient(app, app.test_client())
    patient.start()
    patient.post_step("twitching", TWITCHING)
    data = TIME_CHOSEN | {"onset_known__shown": "date", "onset__month": month, "onset__year": year}
    return patient, patient.post_step("time", data)


def test_march_2019_in_the_month_box_is_understood(app):
    for month, year in [("March 2019", ""), ("3/2019", ""), ("03-2019", "2019"), ("2019-03", "")]:
        patient, response = month_year_page(app, month, year)
        assert response.status_code == 302, (month, response.get_data(as_text=True)[:500])
        assert patient.stored().answers["onset"] == "2019-03", month


def test_a_year_in_the_month_box_gets_a_message_saying_where_it_goes(app):
    for month, year in [("2019", ""), ("March 2019", "2018")]:
        html = month_year_page(app, month, year)[1].get_data(as_text=True)
        assert "Type the year in the Year box, and only the month here" in html
        assert f'value="{month}"' in html  # what was typed is kept


def test_the_limit_shows_before_typing_and_text_over_it_is_kept(patient):
    patient.start()
    for step_id, data in LONG_BOTOX:
        if step_id == "your_questions":
            break
        assert patient.post_step(step_id, data).status_code == 302, step_id
    html = patient.client.get("/step/your_questions").get_data(as_text=True)
    assert "Up to 500 characters for each question." in html
    too_long = "Why? " + "x" * 500
    html = patient.post_step("your_questions", {"patient_questions__own": too_long}).get_data(
        as_text=True
    )
    assert "There is a problem" in html
    assert too_long in html  # kept on the page, with its message


# ---- the start page states a time the walks support -----------------------------------------

BOTOX_USER = "Botox user, 68 (the issue's walk)"


def _scripts():
    """scripts/path_taps.py and its time model, path_time.py."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    import path_taps
    import path_time

    return path_taps, path_time


def test_the_start_page_states_a_time_the_persona_walks_support(app, client):
    """The minutes of scripts/path_taps.py's five persona walks to the summary (its time model,
    scripts/path_time.py) fall within the range the start page states."""
    path_taps, path_time = _scripts()
    page = client.get("/").get_data(as_text=True)
    low, high = map(int, re.search(r"about (\d+) to (\d+) minutes", page).groups())
    assert "You can stop at any time and come back later" in page
    for name, persona in path_taps.PERSONAS.items():
        clock = path_time.Clock()
        path_taps.walk(app.test_client(), persona, clock)
        assert low <= clock.minutes <= high, (name, clock.minutes)


def test_the_readme_states_the_minutes_of_the_botox_users_walk(app):
    """README's "How long it takes" gives the 68-year-old Botox user's minutes as the script
    counts them today, so a change to the pages that moves them shows up here."""
    path_taps, path_time = _scripts()
    clock = path_time.Clock()
    path_taps.walk(app.test_client(), path_taps.PERSONAS[BOTOX_USER], clock)
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"the 68-year-old Botox user takes {clock.minutes:.1f} minutes" in readme


def test_a_question_left_out_with_without_is_neither_read_nor_tapped(app, monkeypatch):
    """path_taps.py --without: the walk goes the same way, but the questions left out are not
    counted, and a page left with none is not counted at all."""
    path_taps, path_time = _scripts()
    counts = {}
    for without in ((), ("frequency", "in_sleep", "started_where")):
        monkeypatch.setattr(path_taps, "WITHOUT", without)
        clock = path_time.Clock()
        pages, taps, seen, _summary = path_taps.walk(
            app.test_client(), path_taps.PERSONAS[BOTOX_USER], clock
        )
        counts[without] = (pages, taps, clock.words, seen)
    (pages, taps, words, seen), (less_pages, less_taps, less_words, less_seen) = counts.values()
    assert "/step/pattern" in seen and "/step/pattern" not in less_seen
    assert less_pages == pages - 1
    assert less_taps == taps - 4  # how often, in sleep, and the pattern page's Continue; where
    assert words - less_words > 50  # it started
