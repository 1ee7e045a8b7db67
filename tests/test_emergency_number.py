"""The number to phone in an emergency (issue 32; the translation review's ZH-M1 and ES-A6):
the clinic's EMERGENCY_NUMBER when set, else the examples that fit each language's readers,
on the emergency page (big links to tap) and in the footer of every patient page, each a `tel:`
link. The catalogs hold the places' words; the numbers come from decision_aid.i18n."""

import re

import pytest
from conftest import Patient, make_app
from test_translation_review import visible_text

from decision_aid import i18n
from decision_aid.store import get_store

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
