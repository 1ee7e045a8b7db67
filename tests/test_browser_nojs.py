"""The whole path with JavaScript turned off, start page to summary (and on to delete): every
page works, errors come from the server, the error summary is first in the main content, the
Back link works, and a "None" ticked with another box gets the server's message."""

import pytest
from browser_support import SUBMIT, new_page, submit, walk

pytestmark = pytest.mark.browser


def test_whole_path_without_javascript(browser, live_server):
    page = new_page(browser, java_script_enabled=False)
    seen = []
    try:
        for state in walk(page, live_server.url, js=False):
            seen.append(state)
            assert page.evaluate("() => typeof window.axe") == "undefined"
            if state.endswith("-errors"):
                first = page.locator("main > *").first
                assert "error-summary" in first.get_attribute("class"), state
                # Its links jump to the question in error (a plain #fragment link).
                target = page.locator(".error-summary a").first.get_attribute("href")
                assert page.locator(target).count() == 1, (state, target)
            elif state == "step-time":
                # Back shows the previous page as the patient left it, and Continue returns.
                submit(page, "a.back-link")
                assert page.url.endswith("/step/twitching")
                assert page.is_checked("#side-0") and page.is_checked("#current_areas-1")
                submit(page, SUBMIT)
                assert page.url.endswith("/step/time")
            if state == "step-treatments-errors":
                # Without JS ticking "None yet" does not untick the others: the server says so.
                page.check("#treatments-0")
                page.check("#treatments-5")
                submit(page, SUBMIT)
                message = page.locator("#treatments-error").inner_text()
                assert "None yet" in message, message
                assert page.is_checked("#treatments-0")  # the input is kept
                page.uncheck("#treatments-5")
            elif state == "summary":
                assert page.locator(".reference").is_visible()
                for button in page.locator("[data-print]").all():
                    assert not button.is_visible()  # Print needs script, so it stays hidden
    finally:
        page.context.close()
    assert {"emergency", "check-answers", "summary", "deleted"} <= set(seen)
