"""Issue 27: "Listen" reads the page aloud with the browser's own speech synthesis, in the
page's language, with Pause and Stop, and shows only when the browser has a voice for it.

Chromium's `speechSynthesis` is replaced, before any page script runs, by a stub of the test's
that records what it is asked to say and in which language; the voices it offers are the
test's too. Nothing is spoken and no outside service is used."""

import pytest
from browser_support import PHONE, new_page
from test_browser_path import patient_in_browser
from test_wizard import LONG_BOTOX, opening

pytestmark = pytest.mark.browser

STUB_JS = """(voices) => {
    const log = window.__speech = {spoken: [], calls: []};
    const stub = {
        paused: false, speaking: false,
        getVoices: () => voices.map(lang => ({lang, name: 'stub ' + lang, localService: true})),
        speak(u) { log.spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.lang});
                   this.speaking = true; },
        pause() { log.calls.push('pause'); this.paused = true; },
        resume() { log.calls.push('resume'); this.paused = false; },
        cancel() { log.calls.push('cancel'); this.speaking = false; },
        addEventListener() {},
    };
    Object.defineProperty(window, 'speechSynthesis', {value: stub, configurable: true});
    window.SpeechSynthesisUtterance = function (text) { this.text = text; };
}"""


def listening_page(browser, live_server, voices, **options):
    page = new_page(browser, viewport=PHONE, **options)
    voice_list = ", ".join(f"'{v}'" for v in voices)
    page.add_init_script(f"({STUB_JS})([{voice_list}])")
    return page


def spoken(page):
    return page.evaluate("() => window.__speech")


def test_listen_reads_a_question_page_in_english_with_pause_and_stop(browser, live_server):
    page = listening_page(browser, live_server, ["en-GB", "es-ES"])
    try:
        patient_in_browser(live_server, page, prefix=opening()[:1])
        page.goto(live_server.url + "/step/time")
        listen = page.get_by_role("button", name="Listen")
        assert listen.is_visible()
        assert not page.get_by_role("button", name="Pause").is_visible()
        listen.click()
        said = spoken(page)["spoken"]
        text = " ".join(s["text"] for s in said)
        assert "When it started" in text  # the page's heading
        assert "Do you know the month and year" in text  # its question
        assert "Listen" not in text and "Pause" not in text  # not the controls' own words
        assert {s["lang"] for s in said} == {"en-GB"}, said
        page.get_by_role("button", name="Pause").click()
        assert spoken(page)["calls"][-1] == "pause"
        page.get_by_role("button", name="Resume").click()
        assert spoken(page)["calls"][-1] == "resume"
        page.get_by_role("button", name="Stop").click()
        assert spoken(page)["calls"][-1] == "cancel"
        assert not page.get_by_role("button", name="Pause").is_visible()
    finally:
        page.context.close()


def test_listen_reads_in_the_pages_language(browser, live_server):
    page = listening_page(browser, live_server, ["en-US", "zh-CN"])
    try:
        patient_in_browser(live_server, page, prefix=opening()[:1])
        page.goto(live_server.url + "/step/time?lang=zh-Hans")
        page.locator("[data-listen-start]").click()
        said = spoken(page)["spoken"]
        assert said and {s["lang"] for s in said} == {"zh-CN"}, said
        assert any("\u4e00" <= ch <= "\u9fff" for ch in said[0]["text"]), said[0]
    finally:
        page.context.close()


def test_no_listen_button_without_a_voice_for_the_language(browser, live_server):
    page = listening_page(browser, live_server, ["en-GB"])
    try:
        patient_in_browser(live_server, page, prefix=opening()[:1])
        page.goto(live_server.url + "/step/time?lang=es")
        assert page.locator("[data-listen-for]").count() == 1
        assert not page.locator("[data-listen-start]").is_visible()
    finally:
        page.context.close()


def test_listen_on_the_emergency_page_and_the_short_summary(browser, live_server):
    page = listening_page(browser, live_server, ["en-GB"])
    try:
        patient_in_browser(live_server, page, steps=LONG_BOTOX)
        page.goto(live_server.url + "/summary")
        page.get_by_role("button", name="Listen").click()
        text = " ".join(s["text"] for s in spoken(page)["spoken"])
        assert "What to do next" in text
        assert "Your choices, side by side" not in text  # only the short part
        page.goto(live_server.url + "/emergency?next=/step/diagnosis")
        page.get_by_role("button", name="Listen").click()
        text = " ".join(s["text"] for s in spoken(page)["spoken"])
        assert "Call your local emergency number now" in text
    finally:
        page.context.close()


def test_without_script_there_is_no_listen_button(browser, live_server):
    page = new_page(browser, viewport=PHONE, java_script_enabled=False)
    try:
        patient_in_browser(live_server, page, prefix=opening()[:1])
        page.goto(live_server.url + "/step/time")
        assert not page.locator("[data-listen-start]").is_visible()
    finally:
        page.context.close()


def test_listen_on_the_rash_page(browser, live_server):
    page = listening_page(browser, live_server, ["en-GB"])
    try:
        rash = [
            ("treatments", {"treatments": "medicines"}),
            ("medicines", {"medicines": "carbamazepine", "medicine_current": "yes"}),
            ("medicine_effects", {"medicine_helped": "no", "medicine_side_effects": "rash"}),
        ]
        patient_in_browser(live_server, page, prefix=rash)
        page.goto(live_server.url + "/urgent/medicine_rash")
        page.get_by_role("button", name="Listen").click()
        text = " ".join(s["text"] for s in spoken(page)["spoken"])
        assert "Today, tell your doctor about your rash" in text
    finally:
        page.context.close()
