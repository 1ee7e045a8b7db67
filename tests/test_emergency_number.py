"""The number to phone in an emergency (issue 32; the translation review's ZH-M1 and ES-A6):
the clinic's EMERGENCY_NUMBER when set, else the examples that fit each language's readers,
on the emergency page (big links to tap) and in the footer of every patient page, each a `tel:`
link. The catalogs hold the places' words; the numbers come from decision_aid.text.i18n."""

import re

import pytest
from conftest import Patient, make_app
from test_translation_review import visible_text

from decision_aid.store import get_store
from decision_aid.text import i18n

# Without EMERGENCY_NUMBER: what each language's reader is told to call, as they read it.
EXAMPLES = {
    "en": {"999": "Call 999 (UK)", "112": "Call 112 (Europe)", "911": "Call 911 (US and Canada)"},
    "es": {
        "112": "Llamar al 112 (España y Europa)",
        "911": "Llamar al 911 (México, Estados Unidos)",
    },
    "zh_Hans": {"120": "拨打120（中国内地）", "999": "拨打999（香港）", "995": "拨打995（新加坡）"},
}
CALL = {"en": "Call {}", "es": "Llamar al {}", "zh_Hans": "拨打{}"}


def parts(html):
    """(the page's main content, its footer)."""
    main = html[html.index("<main") : html.index("</main>")]
    footer = html[html.index("<footer") : html.index("</footer>")]
    return main, footer


def calls(html):
    """Each tel: link, as (number it dials, the words a reader sees)."""
    return [
        (number, visible_text(words).strip())
        for number, words in re.findall(r'<a [^>]*href="tel:([^"]*)"[^>]*>(.*?)</a>', html, re.S)
    ]


def emergency_page(app, language):
    client = app.test_client()
    client.get(f"/?lang={i18n.html_lang(language)}")
    Patient(app, client).start()
    response = client.get("/emergency")
    assert response.status_code == 200
    return client, response.get_data(as_text=True)


@pytest.fixture
def app_with(tmp_path):
    made = []

    def make(**config):
        made.append(make_app(tmp_path / str(len(made)), **config))
        return made[-1]

    yield make
    for app in made:
        get_store(app).engine.dispose()


@pytest.mark.parametrize("language", list(EXAMPLES))
def test_without_a_setting_each_language_shows_its_readers_numbers(app_with, language):
    client, html = emergency_page(app_with(), language)
    main, footer = parts(html)
    expected = list(EXAMPLES[language].items())
    assert calls(main) == expected
    assert 'class="button button--call"' in main  # big links to tap, in the emergency card
    assert calls(footer) == expected
    # Every patient page's footer, a question page too.
    question = client.get("/step/symptoms").get_data(as_text=True)
    assert calls(parts(question)[1]) == expected
    assert calls(parts(question)[0]) == []


@pytest.mark.parametrize("language", list(EXAMPLES))
def test_the_clinics_number_is_the_one_to_call(app_with, language):
    client, html = emergency_page(app_with(EMERGENCY_NUMBER="112"), language)
    main, footer = parts(html)
    only = [("112", CALL[language].format("112"))]
    assert calls(main) == only
    assert calls(footer) == only
    text = visible_text(html)
    for other in EXAMPLES[language].values():
        assert other not in text
    assert calls(parts(client.get("/").get_data(as_text=True))[1]) == only


def test_the_setting_is_read_from_the_environment(monkeypatch, app_with):
    monkeypatch.setenv("EMERGENCY_NUMBER", " 999 ")
    app = app_with()
    assert app.config["EMERGENCY_NUMBER"] == "999"
    _client, html = emergency_page(app, "zh_Hans")
    assert calls(parts(html)[0]) == [("999", "拨打999")]


@pytest.mark.parametrize("value", ["99a", "tel:999", "1", "999 112"])
def test_a_number_a_phone_cannot_dial_stops_the_app(app_with, value):
    with pytest.raises(ValueError, match="EMERGENCY_NUMBER"):
        app_with(EMERGENCY_NUMBER=value)


def test_the_choice_is_one_pure_function():
    assert [(n.number, n.place) for n in i18n.emergency_numbers("", "es")] == [
        ("112", "España y Europa"),
        ("911", "México, Estados Unidos"),
    ]
    assert [(n.number, n.place) for n in i18n.emergency_numbers("120", "en")] == [("120", "")]
    with i18n.using("zh_Hans"):
        assert [n.number for n in i18n.emergency_numbers()] == ["120", "999", "995"]
    # A language with no list of its own (a new catalog) shows the English one.
    assert [n.number for n in i18n.emergency_numbers("", "fr")] == ["999", "112", "911"]


# --- the start page's safety card and the PDF's patient copy -----------------------------------


def start_card(html):
    """The start page's emergency card (its stroke signs), as HTML."""
    at = html.index('class="care-card care-card--emergency"')
    return html[at : html.index("</div>", at)]


@pytest.mark.parametrize("language", list(EXAMPLES))
@pytest.mark.parametrize("configured", ["", "112"])
def test_the_start_pages_safety_card_gives_the_numbers_to_tap(app_with, language, configured):
    client = app_with(EMERGENCY_NUMBER=configured).test_client()
    html = client.get(f"/?lang={i18n.html_lang(language)}").get_data(as_text=True)
    expected = (
        [(configured, CALL[language].format(configured))]
        if configured
        else list(EXAMPLES[language].items())
    )
    card = start_card(html)
    assert calls(card) == expected
    assert 'class="button button--call"' in card


def patient_copy(language, configured):
    """(the text of the PDF's patient copy, the tel: links of the whole PDF)."""
    import copy
    import io

    import pypdf
    from test_pdf import TODAY, pages_text, typical

    from decision_aid import pdf
    from decision_aid.guidance import evaluate

    answers = typical()
    with i18n.using(language), i18n.using_emergency_number(configured):
        result = evaluate(copy.deepcopy(answers), TODAY)
        data = pdf.render_summary_pdf(
            answers, result, reference="ABCD-EFGH", today=TODAY, language=language
        )
    pages = pages_text(data)
    links = [
        annotation.get_object()["/A"].get("/URI")
        for page in pypdf.PdfReader(io.BytesIO(data)).pages
        for annotation in page.get("/Annots") or []
        if "/A" in annotation.get_object()
    ]
    return " ".join(" ".join(pages[2:]).split()), [u for u in links if u and u.startswith("tel:")]


@pytest.mark.parametrize("language", list(EXAMPLES))
def test_the_patient_copy_gives_the_numbers_to_call(language):
    """The PDF's patient copy names the numbers under its "not a diagnosis" line, above the
    urgent advice, each a tel: link; the clinic's own number alone when it is set."""
    text, links = patient_copy(language, "")
    for words in EXAMPLES[language].values():
        assert words.replace(" ", "") in text.replace(" ", ""), (words, text[:600])
    assert links == [f"tel:{number}" for number in EXAMPLES[language]]
    text, links = patient_copy(language, "120")
    assert CALL[language].format("120").replace(" ", "") in text.replace(" ", "")
    for words in EXAMPLES[language].values():
        assert words.replace(" ", "") not in text.replace(" ", "")
    assert links == ["tel:120"]
