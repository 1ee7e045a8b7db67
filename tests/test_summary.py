"""The typed guidance result (decision_aid/guidance/result.py) and the one summary view that
the summary page, the staff summary, the PDF and the text output render
(decision_aid/summary/): the red-flag marker as a field of the result, the patient's own
questions apart from the suggested ones, and level names, the SURE threshold and dates each
defined once and shown the same everywhere."""

import copy
import dataclasses
import datetime
import json
import re
from pathlib import Path

import pytest
from clinic_support import sent_summary, staff_client
from conftest import TODAY
from flask import render_template_string
from test_guidance import PERSONAS

from decision_aid import pdf
from decision_aid.clinic import listing
from decision_aid.guidance import GuidanceResult, ValidationError, evaluate, result_for, thresholds
from decision_aid.guidance.content import load
from decision_aid.guidance.result_facts import Facts
from decision_aid.guidance.thresholds import SURE_CONFLICT_AT_OR_BELOW
from decision_aid.summary import build_view, format_text
from decision_aid.text.dates import long_date, month_year, short_answer_date, short_date

ANSWERS = Path(__file__).parent / "data" / "answers"


def answers_file(name):
    return json.loads((ANSWERS / f"{name}.json").read_text(encoding="utf-8"))


def typical():
    return answers_file("typical_botox")


def flat(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- The typed result ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers", [pytest.param(persona[1], id=persona[0]) for persona in PERSONAS]
)
def test_the_typed_result_is_the_public_json(answers):
    """to_json() is what evaluate() returns, key order included, and from_json() reads it back
    to an equal result."""
    result = result_for(copy.deepcopy(answers), TODAY)
    data = evaluate(copy.deepcopy(answers), TODAY)
    assert json.dumps(result.to_json()) == json.dumps(data)
    assert GuidanceResult.from_json(json.loads(json.dumps(data))) == result


def test_the_result_cannot_be_changed():
    result = result_for(typical(), TODAY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.items = ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.items[0].title = "Something else"
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.facts.side = "right"
    with pytest.raises(TypeError):
        result.facts.impact["reading"] = 0
    data = result.to_json()
    data["facts"]["red_flag_labels"].append("changed")
    data["items"][0]["reasons"].append("changed")
    assert "changed" not in result.facts.red_flag_labels
    assert result.to_json() == evaluate(typical(), TODAY)


def test_a_misspelt_fact_name_fails():
    """The clinician page reads the facts by name: a misspelt name fails, on either side,
    instead of printing "Not answered" (issue 29)."""
    result = result_for(typical(), TODAY)
    with pytest.raises(AttributeError):
        result.facts.onset_yeras  # noqa: B018
    with pytest.raises(TypeError):
        Facts(onset_yeras=7)
    # Read back from its JSON, the result has the same typed facts.
    again = GuidanceResult.from_json(json.loads(json.dumps(result.to_json())))
    assert again.facts == result.facts
    assert again.facts.impact_items[0].label == "reading or screens"


def test_every_fact_the_code_reads_is_a_fact():
    """Each `facts.<name>` in decision_aid/ names a field of Facts: a misspelt name in a branch
    that no test persona reaches fails here rather than in front of a clinician."""
    names = {field.name for field in dataclasses.fields(Facts)}
    package = Path(__file__).resolve().parent.parent / "decision_aid"
    read = set()
    for path in package.rglob("*.py"):
        read |= set(re.findall(r"\bfacts\.([a-z_0-9]+)\b", path.read_text(encoding="utf-8")))
    read -= {"py"}  # "guidance/facts.py" in a docstring
    assert len(read) > 50, "too few reads found: the pattern is wrong"
    assert read <= names, f"not a field of Facts: {sorted(read - names)}"


@pytest.mark.parametrize(
    "answers, flagged",
    [
        pytest.param(answers_file("red_flag"), True, id="urgent red flags"),
        pytest.param(
            {"side": "both", "seen_by": ["neurologist"], "mri": "normal", "red_flags": ["none"]},
            True,
            id="both sides: not urgent, still flagged",
        ),
        pytest.param(typical(), False, id="typical Botox patient"),
        pytest.param({}, False, id="nothing said"),
    ],
)
def test_the_red_flag_marker_is_a_field_of_the_result(app, answers, flagged):
    """The marker the clinic's list stores and the staff summary shows comes from the guidance
    result, whichever of the two reads it."""
    result = result_for(copy.deepcopy(answers), TODAY)
    assert result.red_flag is flagged
    assert GuidanceResult.from_json(result.to_json()).red_flag is flagged
    assert listing.fields(copy.deepcopy(answers), TODAY)["red_flags"] is flagged
    if answers:
        _token, stored = sent_summary(app, answers)
        page = staff_client(app).get(f"/staff/summary/{stored.reference}").get_data(as_text=True)
        row = page[page.index(">Red flags</dt>") : page.index("</dd>", page.index(">Red flags"))]
        # Urgent items are named in words (issue 28); other red flags keep the marker.
        assert ("Red flags</span>" in row or 'id="urgent-words"' in row) is flagged
        assert ("None reported" in row) is not flagged


def test_no_marker_until_the_answers_are_valid():
    with pytest.raises(ValidationError):
        result_for({"side": "middle"}, TODAY)
    assert listing.fields({"side": "middle"}, TODAY)["red_flags"] is None


def test_a_partial_result_reads_as_empty():
    """A result in the public format may leave out whole sections; the view shows them as not
    answered instead of failing."""
    view = build_view({"items": [], "facts": {}})
    assert view.items == () and view.sources == () and view.options == ()
    assert [row.value for row in view.rows] == ["Not answered"] * len(view.rows)
    assert view.scores.impact == "" and view.scores.sure == ""
    assert not view.red_flags.answered and not view.red_flags.marker


# --- Questions -----------------------------------------------------------------------------


def test_a_patients_own_question_is_not_suggested_again(app):
    """The patient asks, in their own words, a question the tool would suggest: it is listed
    once, as the patient's, on the staff page, the PDF and the summary page."""
    generated = "Do I need an MRI scan? What would it look for?"
    assert generated in result_for(typical(), TODAY).suggested_questions
    own = "do i need an MRI scan - what would it look for"
    answers = typical() | {"patient_questions": [own]}
    result = result_for(answers, TODAY)
    assert result.own_questions == (own,)
    assert generated not in result.suggested_questions
    assert result.questions_to_ask[0] == own
    assert generated not in evaluate(answers, TODAY)["questions_to_ask"]

    _token, stored = sent_summary(app, answers)
    page = staff_client(app).get(f"/staff/summary/{stored.reference}").get_data(as_text=True)
    mine = page[page.index("The patient's own questions") : page.index("Questions the tool")]
    assert own in mine
    assert "What would it look for" not in page.replace(own, "")

    html = pdf.render_summary_html(answers, result, reference="ABCD-EFGH", today=TODAY)
    assert html.count(own) == 2  # page 1, and "Your own questions" on the patient's copy
    assert "What would it look for" not in html.replace(own, "")


# --- One name for each thing ---------------------------------------------------------------


def test_level_names_are_the_same_on_every_page(app, monkeypatch):
    """Each level has one name (guidance/labels.yaml), on the summary page, the patient's copy
    of the PDF and the text output; page 1 and the staff page use the clinician's names. A
    name changed there changes everywhere."""
    names, staff_names = load("labels")["levels"], load("labels")["levels_staff"]
    monkeypatch.setitem(names, "recommend", "Worth doing")
    monkeypatch.setitem(staff_names, "inform", "Told")
    answers = typical() | {"red_flags": ["sudden_weakness"]}
    result = result_for(answers, TODAY)
    assert {item.level for item in result.items} == set(names)  # all three levels
    with app.test_request_context("/summary"):
        page = flat(
            render_template_string(
                '{% from "_guidance.html" import urgent_items, other_items with context %}'
                "{{ urgent_items(view) }}{{ other_items(view) }}",
                view=build_view(result),
            )
        )
    html = flat(pdf.render_summary_html(answers, result, reference="ABCD-EFGH", today=TODAY))
    text = " ".join(format_text(result).split())
    for item in result.items:
        name = names[item.level]
        assert f"{name}: {item.title}" in page
        assert f"{name} {item.title}" in html  # the badge, then the title
        assert f"[{name.upper()}] {item.title}" in text
        assert f"{staff_names[item.level]}: {item.staff_title}." in html  # page 1
    assert "Worth doing:" in page and "[WORTH DOING]" in text and "Told:" in html
    assert "We suggest" not in page + html + text and "Information given" not in html


@pytest.mark.parametrize("threshold", [SURE_CONFLICT_AT_OR_BELOW, 2])
def test_the_sure_threshold_is_worded_from_one_constant(app, monkeypatch, threshold):
    """The engine flags conflict at thresholds.SURE_CONFLICT_AT_OR_BELOW, and every page says that
    number: changed there (2 here), it changes everywhere."""
    monkeypatch.setattr(thresholds, "SURE_CONFLICT_AT_OR_BELOW", threshold)
    keys = ("sure_of_choice", "know_options", "clear_values", "enough_support")
    for yes in range(len(keys) + 1):
        sure = {key: "yes" if n < yes else "no" for n, key in enumerate(keys)}
        scores = result_for(typical() | {"sure": sure}, TODAY).scores
        assert (scores.sure, scores.conflict) == (yes, yes <= threshold)
    rule = f"{threshold} or less"
    result = result_for(typical(), TODAY)
    assert result.scores.sure == 2 and result.scores.conflict
    _token, stored = sent_summary(app, typical())
    page = flat(staff_client(app).get(f"/staff/summary/{stored.reference}").get_data(as_text=True))
    assert f"Decisional conflict (SURE {rule})" in page
    html = flat(pdf.render_summary_html(typical(), result, reference="ABCD-EFGH", today=TODAY))
    assert f"{rule} is decisional conflict" in html
    assert f"Not yet sure about the decision (SURE {rule}): yes" in format_text(result)


def test_dates_in_words():
    day = datetime.date(1961, 4, 2)
    assert long_date(day) == "2 April 1961"
    assert short_date(day) == "2 Apr 1961"
    assert month_year(2019, 9) == "September 2019"
    assert month_year(2019, 9, short=True) == "Sep 2019"
    assert short_answer_date("2021-03") == "Mar 2021"
    assert short_answer_date("1961-04-02") == "2 Apr 1961"
    assert short_answer_date(day) == "2 Apr 1961"
    for odd in ("2021-13", "1961-02-30", "about 2019"):
        assert short_answer_date(odd) == odd


def test_the_review_date_is_worded_by_the_one_date_module():
    result = result_for({}, TODAY)
    reviewed = datetime.date.fromisoformat(result.provenance.reviewed)
    assert result.provenance.reviewed_text == long_date(reviewed)
    assert build_view(result).reviewed_on == short_date(reviewed)


# --- The view ------------------------------------------------------------------------------


def test_sources_have_one_number_for_every_renderer():
    """Each cited source has the number of its place in the list of sources; a source the
    result does not list keeps its id."""
    view = build_view(result_for(answers_file("red_flag"), TODAY))
    numbers = {source.id: source.number for source in view.sources}
    assert [source.number for source in view.sources] == list(range(1, len(view.sources) + 1))
    refs = [ref for item in view.items for ref in item.refs]
    refs += [ref for option in view.options for cell in option.rows for ref in cell.refs]
    assert refs and all(ref.number == numbers[ref.id] for ref in refs)
    assert all(ref.label == str(ref.number) for ref in refs)
    hand_made = {"items": [], "sources": {"a": "A. Author. 2020."}}
    hand_made["about"] = {"condition": {"title": "T", "text": "X", "sources": ["a", "b"]}}
    about = build_view(hand_made).about["condition"]
    assert [ref.label for ref in about.refs] == ["1", "b"]


def test_next_actions_are_the_first_three_titles_after_the_urgent_ones():
    answers = typical() | {"red_flags": ["sudden_weakness"]}
    view = build_view(result_for(answers, TODAY))
    assert view.urgent and len(view.others) > 3
    assert view.next_actions == tuple(item.title for item in view.others[:3])
    assert view.items == view.urgent + view.others
