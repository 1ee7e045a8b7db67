"""Each field type's error cases, through the test client with CSRF on. A bad answer gets a
message next to the field and in a summary at the top that links to it, and what the person
typed is shown again."""

import html
import re

import pytest
from conftest import TODAY
from test_wizard import LONG_BOTOX, TWITCHING

from decision_aid.guidance import validate
from decision_aid.guidance.model import QUESTIONS

ERROR_RE = re.compile(
    r'class="error-message"[^>]*><span class="visually-hidden">Error:</span> ([^<]*)<'
)


ORDER = [step_id for step_id, _data in LONG_BOTOX]
ORDER.insert(ORDER.index("daily_life"), "mvd")


def reach(patient, step_id, treatments=("botox", "medicines", "mvd")):
    """Answer the steps before `step_id` so that it can be opened."""
    patient.start()
    steps = dict(LONG_BOTOX)
    steps["treatments"] = {"treatments": list(treatments)}
    steps["mvd"] = {"mvd_helped": "yes", "mvd_recurred": "no"}
    for previous in ORDER[: ORDER.index(step_id)]:
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


DATE_SHOWN = {"onset_known": "date", "onset_known__shown": "date", "course": "same"}
AGO_SHOWN = {"onset_known": "ago", "onset_known__shown": "ago", "course": "same"}
BOTOX = dict(LONG_BOTOX)["botox"]
EFFECTS = dict(LONG_BOTOX)["botox_effects"]


@pytest.mark.parametrize(
    "step_id, data, message, kept",
    [
        ("twitching", TWITCHING | {"side": ""}, "Select which side of your face twitches", None),
        (
            "twitching",
            TWITCHING | {"side": "middle"},
            "Select which side of your face twitches",
            None,
        ),
        (
            "symptoms",
            {"red_flags": ["none", "lump"], "bells_palsy": "no", "onset_before_40": "no"},
            "Select 'None of these' on its own, or untick it and keep the others you selected",
            "checked:red_flags=lump",
        ),
        (
            "symptoms",
            {"bells_palsy": "no", "onset_before_40": "no"},
            'Select the symptoms you have had, or select "None of these"',
            None,
        ),
        (
            "time",
            {"course": "same"},
            "Select whether you know when the twitching started",
            None,
        ),
        (
            "time",
            DATE_SHOWN,
            "Enter the month and year the twitching started",
            "checked:onset_known=date",
        ),
        (
            "time",
            DATE_SHOWN | {"onset__month": "3", "onset__year": "20x1"},
            "The year of the date the twitching started must be between 1950 and 2026",
            'value="20x1"',
        ),
        (
            "time",
            DATE_SHOWN | {"onset__month": "13", "onset__year": "2020"},
            "The month of the date the twitching started must be its name, like March, "
            "or a number from 1 to 12",
            'value="13"',
        ),
        (
            "time",
            DATE_SHOWN | {"onset__month": "12", "onset__year": "2026"},
            "The date the twitching started must be in the past",
            None,
        ),
        (
            "time",
            DATE_SHOWN | {"onset__month": "5"},
            "The date the twitching started must include a year",
            'value="5"',
        ),
        (
            "time",
            AGO_SHOWN | {"onset_ago__amount": "two", "onset_ago__unit": "years"},
            "Enter a whole number of years from 0 to 100",
            'value="two"',
        ),
        (
            "time",
            AGO_SHOWN | {"onset_ago__amount": "2"},
            "Select weeks, months or years",
            'value="2"',
        ),
        (
            "pattern",
            {"in_sleep": "yes"},
            "Select how often the spasms come",
            None,
        ),
        (
            "botox_effects",
            EFFECTS | {"botox_weeks_now": "60"},
            "The number of weeks now must be a whole number from 0 to 52",
            'value="60"',
        ),
        (
            "botox",
            BOTOX | {"botox_rounds": "-3"},
            "The number of times must be a whole number from 1 to 200",
            'value="-3"',
        ),
        (
            "botox",
            BOTOX | {"botox_last__month": ""},
            "The date of your last injection must include a month",
            'value="2026"',
        ),
        (
            "botox",
            BOTOX | {"botox_last__month": "12", "botox_last__year": "2026"},
            "The date of your last injection must be in the past",
            'value="12"',
        ),
        (
            "mvd",
            {"mvd_year": "1900", "mvd_helped": "yes", "mvd_recurred": "no"},
            "The year of the operation must be a year between 1950 and 2026",
            'value="1900"',
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
            "about_you",
            {"name": "N" * 121},
            "Your name must be 120 characters or fewer. It has 121. Remove 1.",
            "N" * 121,
        ),
        (
            "about_you",
            {
                "date_of_birth__day": "31",
                "date_of_birth__month": "2",
                "date_of_birth__year": "1960",
            },
            "February 1960 has 29 days. Enter a day between 1 and 29",
            'value="31"',
        ),
        (
            "about_you",
            {"date_of_birth__day": "1", "date_of_birth__month": "1", "date_of_birth__year": "2030"},
            "The year of your date of birth must be between 1900 and 2026",
            'value="2030"',
        ),
        (
            "your_questions",
            {"appointment__day": "1", "appointment__year": "2027"},
            "The date of your appointment must include a month",
            'value="2027"',
        ),
    ],
)
def test_bad_input_gets_a_clear_message_and_is_kept(patient, step_id, data, message, kept):
    reach(patient, step_id)
    page, messages = submit(patient, step_id, data)
    assert message in messages
    summary = [html.unescape(m) for m in re.findall(r'<li><a href="#[^"]+">([^<]*)</a>', page)]
    assert message in summary  # the same words at the top, linked to the field
    if kept and kept.startswith("checked:"):
        name, value = kept.removeprefix("checked:").split("=")
        assert is_checked(page, name, value)
    elif kept:
        assert kept in page
    # Nothing from this failed page was saved (on the first page: no record was made at all).
    stored = patient.stored()
    assert stored is None or step_id not in stored.completed_steps


def test_everything_typed_is_kept_when_one_field_is_wrong(patient):
    reach(patient, "your_questions")
    data = {
        "patient_questions__common": ["What happens if I do nothing?"],
        "patient_questions__own": "Can I drive after MVD?\n王小明の質問 <b>bold</b>",
        "clinic": "Clinique <Sainte-Anne>",
        "appointment__day": "40",
        "appointment__month": "1",
        "appointment__year": "2027",
    }
    page, messages = submit(patient, "your_questions", data)
    assert messages == ["January 2027 has 31 days. Enter a day between 1 and 31"]
    assert is_checked(page, "patient_questions__common", "What happens if I do nothing?")
    assert "王小明の質問 &lt;b&gt;bold&lt;/b&gt;" in page
    assert 'value="Clinique &lt;Sainte-Anne&gt;"' in page
    assert "<b>bold</b>" not in page
    patient.post_step("your_questions", data | {"appointment__day": "4"})
    page, _messages = submit(
        patient,
        "about_you",
        {
            "name": "Алексей Петров",
            "date_of_birth__day": "40",
            "date_of_birth__month": "1",
            "date_of_birth__year": "1970",
        },
    )
    assert 'value="Алексей Петров"' in page


def test_month_names_are_accepted(patient):
    reach(patient, "time")
    response = patient.post_step(
        "time", DATE_SHOWN | {"onset__month": "March", "onset__year": "2019"}
    )
    assert response.status_code == 302
    assert patient.stored().answers["onset"] == "2019-03"


@pytest.mark.parametrize(
    "month, year",
    [("3月", "2019年"), ("３月", "２０１９年"), ("三月", "2019")],
)
def test_a_date_written_the_chinese_way_is_read(client, patient, month, year):
    """Chinese writes a date with its marks (2019年3月); the number before the mark is the part,
    and the page's month names are read too."""
    client.get("/?lang=zh-Hans")
    reach(patient, "time")
    response = patient.post_step("time", DATE_SHOWN | {"onset__month": month, "onset__year": year})
    assert response.status_code == 302
    assert patient.stored().answers["onset"] == "2019-03"


def test_a_year_out_of_range_names_the_range_in_the_pages_language(client, patient):
    reach(patient, "time")
    data = DATE_SHOWN | {"onset__month": "3", "onset__year": "1800"}
    _page, messages = submit(patient, "time", data)
    assert f"must be between 1950 and {TODAY.year}" in " ".join(messages)
    client.get("/?lang=es")
    page = patient.post_step("time", data).get_data(as_text=True)
    assert "El año de" in page and f"1950 y {TODAY.year}" in page


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
    data = BOTOX | {"botox_rounds": typed, "botox_last__month": typed}
    page, messages = submit(patient, "botox", data)
    assert "The number of times must be a whole number from 1 to 200" in messages
    assert (
        "The month of the date of your last injection must be its name, like March, "
        "or a number from 1 to 12"
    ) in messages


def test_full_width_digits_are_read_as_numbers(patient):
    reach(patient, "botox_effects")
    data = EFFECTS | {"botox_weeks_now": "１２"}
    assert patient.post_step("botox_effects", data).status_code == 302
    assert patient.stored().answers["botox_weeks_now"] == 12


def test_only_the_part_in_error_is_marked(patient):
    reach(patient, "about_you")
    data = {"date_of_birth__day": "31", "date_of_birth__month": "2", "date_of_birth__year": "1960"}
    page, _ = submit(patient, "about_you", data)
    marked = re.findall(r'class="input [^"]*input--error"[^>]*\sid="([^"]+)"', page)
    assert marked == ["date_of_birth__day"]
    assert 'id="date_of_birth__day" aria-invalid="true"' in page


def test_each_unanswered_rating_row_gets_its_own_error_linked_to_it(patient):
    reach(patient, "sure")
    page, messages = submit(patient, "sure", {"sure__sure_of_choice": "yes"})
    assert messages == [
        "Select yes or no for: do you know what may help and what may go wrong with each choice",
        "Select yes or no for: are you clear about which of these matter most to you",
        "Select yes or no for: do you have enough help and advice to make a choice",
    ]
    links = re.findall(r'<li><a href="#([^"]+)">', page)
    assert links == ["sure__know_options-0", "sure__clear_values-0", "sure__enough_support-0"]
    # Each message sits in its own row, next to the radios it is about.
    for key in ("know_options", "clear_values", "enough_support"):
        row = re.search(
            rf'<fieldset[^>]*>\s*<legend[^>]*>[^<]*</legend>\s*<p class="error-message" '
            rf'id="sure__{key}-error"',
            page,
        )
        assert row, key
    assert 'id="sure__sure_of_choice-error"' not in page


def test_the_onset_follow_up_without_script_appears_after_continue(patient):
    """Without JavaScript the page does not know the follow-up was never on screen: choosing
    "Yes" and pressing Continue shows the month and year fields, with no error yet."""
    reach(patient, "time")
    response = patient.post_step("time", {"onset_known": "date", "course": "same"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" not in page
    assert re.search(r'id="conditional-onset"[^>]*data-choice="date">', page)  # not hidden
    assert re.search(r'id="conditional-onset_ago"[^>]*hidden', page)
    assert 'name="onset_known__shown" value="date"' in page
    assert "time" not in patient.stored().completed_steps
    response = patient.post_step(
        "time", DATE_SHOWN | {"onset__month": "Mar", "onset__year": "2020"}
    )
    assert response.status_code == 302
    assert patient.stored().answers["onset"] == "2020-03"


def test_changing_the_onset_choice_drops_the_other_follow_up(patient):
    """No choice leaves a value that cannot be cleared: the units of "how long ago" are dropped
    when the person gives a date instead."""
    reach(patient, "pattern")
    data = DATE_SHOWN | {
        "onset__month": "",
        "onset__year": "2020",
        "onset_ago__amount": "2",
        "onset_ago__unit": "years",
    }
    assert patient.post_step("time", data).status_code == 302
    answers = patient.stored().answers
    assert answers["onset"] == "2020" and "onset_ago" not in answers
    unknown = {"onset_known": "unknown", "course": "same", "onset__year": "2020"}
    assert patient.post_step("time", unknown).status_code == 302
    answers = patient.stored().answers
    assert "onset" not in answers and "onset_ago" not in answers
    page = patient.client.get("/step/time").get_data(as_text=True)
    assert is_checked(page, "onset_known", "unknown")


# --- one set of bounds: the form and the guidance engine take them from the question files ---

# (step, question, the field the bound is typed in, the rest of the page's answers)
BOUNDED = [
    ("time", "onset", "onset__year", DATE_SHOWN),
    ("time", "onset_ago", "onset_ago__amount", AGO_SHOWN | {"onset_ago__unit": "weeks"}),
    ("botox", "botox_rounds", "botox_rounds", BOTOX),
    ("botox", "botox_last", "botox_last__year", BOTOX | {"botox_last__month": "3"}),
    ("botox_effects", "botox_weeks_first", "botox_weeks_first", EFFECTS),
    ("botox_effects", "botox_weeks_now", "botox_weeks_now", EFFECTS),
    ("mvd", "mvd_year", "mvd_year", {"mvd_helped": "yes", "mvd_recurred": "no"}),
    ("treatments", "mri_year", "mri_year", {"treatments": "none"}),
    ("your_questions", "appointment", "appointment__year", {"appointment__day": "1"}),
    ("your_questions", "clinic", "clinic", {}),
    ("about_you", "name", "name", {}),
    ("about_you", "date_of_birth", "date_of_birth__year", {"date_of_birth__day": "1"}),
]


def _limits(question):
    """The lowest and highest accepted, and how a typed value is stored."""
    low, high = question.bounds(TODAY)
    if question.type == "ago":
        return low, question.amount_max("weeks"), lambda n: {"amount": n, "unit": "weeks"}
    if question.type in ("text", "textarea"):
        return 0, question.max_length, lambda n: "x" * n
    stored = {
        "number": lambda n: n,
        "month_year": lambda n: f"{n}-03" if question.month_required else str(n),
        "date": lambda n: f"{n}-01-01",
    }[question.type]
    return low, high, stored


def test_every_bounded_question_is_in_the_table():
    bounded = {
        q.id
        for q in QUESTIONS.values()
        if q.type in ("number", "month_year", "date", "ago") or q.max_length
    }
    assert bounded - {"patient_questions"} == {question_id for _s, question_id, *_ in BOUNDED}


@pytest.mark.parametrize("step_id, question_id, field, data", BOUNDED)
def test_the_form_and_the_engine_share_each_bound(patient, step_id, question_id, field, data):
    question = QUESTIONS[question_id]
    low, high, stored = _limits(question)
    month = {f"{question_id}__month": "1"} if question.type == "date" else {}
    typed = (lambda n: "x" * n) if question.type in ("text", "textarea") else str
    reach(patient, step_id)
    outside = [high + 1] + ([low - 1] if low > 0 else [])
    for number in outside:
        _page, messages = submit(patient, step_id, data | month | {field: typed(number)})
        assert messages, number
        assert validate({question_id: stored(number)}, TODAY), number
    for number in (low, high) if low > 0 else (high,):
        response = patient.post_step(step_id, data | month | {field: typed(number)})
        assert response.status_code == 302, (number, response.get_data(as_text=True)[:3000])
        assert patient.stored().answers[question_id] == stored(number)
        assert validate(patient.stored().answers, TODAY) == []
