"""Screenshots of the start page, one question and the summary in each language (issue 17), at
360 px and 1280 px wide, in headless Debian chromium: build/screenshots/lang-<language>-*.png.
Run by `make screenshots`. The summary is of tests/data/answers/typical_botox.json, made
through the resume link as a patient on another device would reach it."""

import json
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright
from screenshots import CHROMIUM, CHROMIUM_ARGS, OUT, WIDTHS, serve

from decision_aid import create_app
from decision_aid.store import get_store
from decision_aid.text import i18n

ANSWERS = Path(__file__).resolve().parents[1] / "tests" / "data" / "answers" / "typical_botox.json"
LANGUAGES = [language for language in i18n.LANGUAGES if language != i18n.DEFAULT]
SUBMIT = "main form button[type=submit]"


def finished_answers(app):
    """A finished set of answers in the store, and its resume path."""
    store = get_store(app)
    token, _response = store.create()
    store.save(token, json.loads(ANSWERS.read_text()), [], finished=True)
    return f"/resume/{token}"


def shots(page, base, resume, language):
    """(name, page) at each stop: the start page, the first question, the summary."""
    tag = i18n.html_lang(language)
    page.goto(f"{base}/?lang={tag}")
    yield "start"
    page.goto(base + resume)
    with page.expect_navigation():
        page.click(SUBMIT)  # "Continue with these answers"
    page.goto(base + "/step/twitching")
    yield "step-twitching"
    page.goto(base + "/summary")
    yield "summary"


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"INSTANCE_PATH": instance, "TODAY": "2026-11-25"})
        server, base = serve(app)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for language in LANGUAGES:
                    for device, (width, height) in WIDTHS.items():
                        context = browser.new_context(viewport={"width": width, "height": height})
                        page = context.new_page()
                        resume = finished_answers(app)
                        for name in shots(page, base, resume, language):
                            path = OUT / f"lang-{i18n.html_lang(language)}-{name}-{device}.png"
                            page.screenshot(path=path, full_page=True)
                            print(path.name)
                        context.close()
                browser.close()
        finally:
            server.shutdown()
            get_store(app).engine.dispose()


if __name__ == "__main__":
    main()
