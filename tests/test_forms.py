"""Each field type's error cases, through the test client with CSRF on. A bad answer gets a
message next to the field and in a summary at the top that links to it, and what the person
typed is shown again."""

import html
import re

import pytest
from test_wizard import LONG_BOTOX, TWITCHING

ERROR_RE = re.compile(
    r'class="error-message"[^>]*><span class="visually-hidden">Error:</span> ([^<]*)<'
)


def reach(patient, step_id, treatments=("botox", "medicines", "mvd")):
    """Answer the steps before `step_id` so that it can be opened."""
    patient.start()
    steps = dict(LONG_BOTOX)
    steps["treatments"] = {"treatments": list(treatments)}
    steps["mvd"] = {"mvd_helped": "yes", "mvd_recurred": "no"}
    order = [
        "twitching",
        "time",
        "symptoms",
        "diagnosis",
        "treatments",
        "botox",
        "medicines",
        "mvd",
        "daily_life",
        "priorities",
        "sure",
        "your_questions",
    ]
    for previous in order[: order.index(step_id)]:
        response = patient.post_step(previous, steps[previous])
        assert response.status_code == 302, previous


def is_checked(page, name, value):
    pattern = rf'<input[^>]*name="{name}" value="{re.escape(value)}"\s*checked'
    return re.search(pattern, page) is not None


def submit(patient, step_id, data):
    response = patient.post_step(step_id, data)
    assert response.status_code == 200, "a bad answer must re-show the page, not redirect"
    page = response.get_data(as_text=True)
    assert "<title>Error: " in page
    assert 'class="error-summary"' in page
    for anchor in re.findall(r'<li><a href="#([^"]+)">', page):
        assert f'id="{anchor}"' in page, f"the summary links to #{anchor}, which is not on the page"
    return page, [html.unescape(m).strip() for m in ERROR_RE.findall(page)]


@pytest.mark.parametrize(
    "step_id, data, message, kept",
    [
        ("twitching", TWITCHING | {"side": ""}, "Select one answer", None),
        ("twitching", TWITCHING | {"side": "middle"}, "Select one of the answers shown", None),
        (
            "symptoms",
            {"red_flags": ["none", "lump"], "bells_palsy": "no", "onset_before_40": "no"},
            "Select 'None of these' on its own, or untick it and keep the others you selected",
            "checked:red_flags=lump",
        ),
        (
            "symptoms",
            {"bells_palsy": "no", "onset_before_40": "no"},
            "Select at least one answer, or select 'None of these'",
            None,
        ),
        (
            "time",
            {"onset__month": "3", "onset__year": "20x1", "course": "same", "frequency": "daily"},
            "Enter a year between 1950 and 2026",
            'value="20x1"',
        ),
        (
            "time",
            {"onset__month": "13", "onset__year": "2020", "course": "same", "frequency": "daily"},
            "Enter a month from 1 to 12, or its name, like March",
            'value="13"',
        ),
        (
            "time",
            {"onset__month": "12", "onset__year": "2026", "course": "same", "frequency": "daily"},
            "The date must be this month or earlier",
            None,
        ),
        (
            "time",
            {"onset__month": "5", "course": "same", "frequency": "daily"},
            "Enter the year, like 2021",
            'value="5"',
        ),
        (
            "time",
            {
                "onset_ago__amount": "two",
                "onset_ago__unit": "years",
                "course": "same",
                "frequency": "daily",
            },
            "Enter a whole number of years from 0 to 100",
            'value="two"',
        ),
        (
            "time",
            {"onset_ago__amount": "2", "course": "same", "frequency": "daily"},
            "Select weeks, months or years",
            'value="2"',
        ),
        (
            "time",
            {
                "onset__year": "2020",
                "onset_ago__amount": "2",
                "onset_ago__unit": "years",
                "course": "same",
                "frequency": "daily",
            },
            "Give the date or how long ago, not both. Clear one of them",
            'value="2020"',
        ),
        (
            "botox",
            dict(LONG_BOTOX)["botox"] | {"botox_weeks_now": "60"},
            "Enter a whole number from 0 to 52",
            'value="60"',
        ),
        (
            "botox",
            dict(LONG_BOTOX)["botox"] | {"botox_rounds": "-3"},
            "Enter a whole number from 1 to 200",
            'value="-3"',
        ),
        (
            "botox",
            dict(LONG_BOTOX)["botox"] | {"botox_last__month": ""},
            "Enter the month, as a number from 1 to 12",
            'value="2026"',
        ),
        (
            "mvd",
            {"mvd_year": "1900", "mvd_helped": "yes", "mvd_recurred": "no"},
            "Enter a year between 1950 and 2026",
            'value="1900"',
        ),
        (
            "sure",
            {
                "sure__sure_of_choice": "yes",
                "sure__know_options": "yes",
                "sure__enough_support": "no",
            },
            "Answer every row. 'Are you clear about which good and bad points matter most to "
            "you?' has no answer",
            None,
        ),
        (
            "sure",
            {"sure__sure_of_choice": "yes", "sure__know_options": "yes"},
            "Answer every row. These have no answer: 'Are you clear about which good and bad "
            "points matter most to you?'; 'Do you have enough help and advice to make a choice?'",
            None,
        ),
        (
            "your_questions",
            {"patient_questions__own": "\n".join(f"Question {i}?" for i in range(21))},
            "You can list up to 20 questions. You have 21. Remove 1",
            "Question 20?",
        ),
        (
            "your_questions",
            {"patient_questions__own": "Short?\n" + "x" * 501},
            "Question 2 has 501 characters. Make it 500 characters or fewer",
            "x" * 501,
        ),
        (
            "your_questions",
            {"name": "N" * 121},
            "This must be 120 characters or fewer. It has 121. Remove 1.",
            "N" * 121,
        ),
        (
            "your_questions",
            {
                "date_of_birth__day": "31",
                "date_of_birth__month": "2",
                "date_of_birth__year": "1960",
            },
            "February 1960 has 29 days. Enter a day between 1 and 29",
            'value="31"',
        ),
        (
            "your_questions",
            {"date_of_birth__day": "1", "date_of_birth__month": "1", "date_of_birth__year": "2030"},
            "Enter a year between 1900 and 2026",
            'value="2030"',
        ),
        (
            "your_questions",
            {"appointment__day": "1", "appointment__year": "2027"},
            "The date must include a month",
            'value="2027"',
        ),
    ],
)
def test_bad_input_gets_a_clear_message_and_is_kept(patient, step_id, data, message, kept):
    reach(patient, step_id)
    page, messages = submit(patient, step_id, data)
    assert message in messages
    summary = [html.unescape(m) for m in re.findall(r'<li><a href="#[^"]+">([^<]*)</a>', page)]
    assert any(line.endswith(message) for line in summary), summary
    if kept and kept.startswith("checked:"):
        name, value = kept.removeprefix("checked:").split("=")
        assert is_checked(page, name, value)
    elif kept:
        assert kept in page
    # Nothing from this failed page was saved.
    assert step_id not in patient.stored().completed_steps


def test_everything_typed_is_kept_when_one_field_is_wrong(patient):
    reach(patient, "your_questions")
    data = {
        "patient_questions__common": ["What happens if I do nothing?"],
        "patient_questions__own": "Can I drive after MVD?\n王小明の質問 <b>bold</b>",
        "name": "Алексей Петров",
        "clinic": "Clinique <Sainte-Anne>",
        "date_of_birth__day": "40",
        "date_of_birth__month": "1",
        "date_of_birth__year": "1970",
    }
    page, messages = submit(patient, "your_questions", data)
    assert messages == ["January 1970 has 31 days. Enter a day between 1 and 31"]
    assert is_checked(page, "patient_questions__common", "What happens if I do nothing?")
    assert "王小明の質問 &lt;b&gt;bold&lt;/b&gt;" in page
    assert 'value="Алексей Петров"' in page
    assert 'value="Clinique &lt;Sainte-Anne&gt;"' in page
    assert "<b>bold</b>" not in page


def test_month_names_are_accepted(patient):
    reach(patient, "time")
    response = patient.post_step(
        "time",
        {"onset__month": "March", "onset__year": "2019", "course": "same", "frequency": "daily"},
    )
    assert response.status_code == 302
    assert patient.stored().answers["onset"] == "2019-03"


def test_unticked_none_plus_others_is_fine_and_saved_in_option_order(patient):
    reach(patient, "symptoms")
    response = patient.post_step(
        "symptoms", {"red_flags": ["lump", "limb"], "bells_palsy": "no", "onset_before_40": "no"}
    )
    assert response.status_code == 302
    assert patient.stored().answers["red_flags"] == ["limb", "lump"]


def test_the_error_summary_takes_focus(patient):
    reach(patient, "twitching")
    page, _ = submit(patient, "twitching", {})
    assert re.search(r'class="error-summary"[^>]*tabindex="-1"[^>]*data-error-summary', page)
    assert 'src="/static/app.js"' in page


@pytest.mark.parametrize("typed", ["½", "¹²³" * 3, "9" * 5000, "1e3", "٣", "12 weeks", "0x10"])
def test_strange_numbers_get_a_message_not_an_error_page(patient, typed):
    reach(patient, "botox")
    data = dict(LONG_BOTOX)["botox"] | {"botox_weeks_now": typed, "botox_last__month": typed}
    page, messages = submit(patient, "botox", data)
    assert "Enter a whole number from 0 to 52" in messages
    assert "Enter a month from 1 to 12, or its name, like March" in messages


def test_full_width_digits_are_read_as_numbers(patient):
    reach(patient, "botox")
    data = dict(LONG_BOTOX)["botox"] | {"botox_weeks_now": "１２"}
    assert patient.post_step("botox", data).status_code == 302
    assert patient.stored().answers["botox_weeks_now"] == 12


def test_only_the_part_in_error_is_marked(patient):
    reach(patient, "your_questions")
    data = {"date_of_birth__day": "31", "date_of_birth__month": "2", "date_of_birth__year": "1960"}
    page, _ = submit(patient, "your_questions", data)
    marked = re.findall(r'class="input [^"]*input--error"[^>]*\sid="([^"]+)"', page)
    assert marked == ["date_of_birth__day"]
    assert 'id="date_of_birth__day" aria-invalid="true"' in page
