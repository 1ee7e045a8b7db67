"""The whole path with JavaScript turned off, start page to summary (and on to delete): every
page works, errors come from the server, the error summary is first in the main content, the
Back link works, and a "None" ticked with another box gets the server's message."""

import pytest
from browser_support import SUBMIT, assert_focus_on_error_summary, new_page, submit, walk

pytestmark = pytest.mark.browser


def check_error_summary(page, state):
    """The error summary comes first in <main>, and its autofocus attribute gives it focus even
    without script."""
    first = page.locator("main > *").first
    assert "error-summary" in first.get_attribute("class"), state
    assert_focus_on_error_summary(page)
    # Its links jump to the question in error (a plain #fragment link).
    target = page.locator(".error-summary a").first.get_attribute("href")
    assert page.locator(target).count() == 1, (state, target)


def check_back_link(page):
    """Back shows the previous page as the patient left it, and Continue comes back."""
    submit(page, "a.back-link")
    assert page.url.endswith("/step/twitching")
    assert page.is_checked("#side-0") and page.is_checked("#current_areas-0")
    submit(page, SUBMIT)
    assert page.url.endswith("/step/time")


def check_none_with_another_box(page):
    """Without JS ticking "None yet" does not untick the others: the server says so."""
    page.check("#treatments-0")
    page.check("#treatments-5")
    assert page.is_checked("#treatments-0")  # with script on, app.js would untick it
    submit(page, SUBMIT)
    message = page.locator("#treatments-error").inner_text()
    assert "None yet" in message, message
    assert page.is_checked("#treatments-0")  # the input is kept
    page.uncheck("#treatments-5")


def check_summary(page):
    assert page.locator(".reference").first.is_visible()
    # Print, like Download, is a link to the page that asks for the name on the PDF, and then
    # to the same PDF: it needs no script.
    assert page.locator("a[href='/summary/your-name?then=print']").is_visible()


EXTRA_CHECKS = {
    "step-time": check_back_link,
    "step-treatments-errors": check_none_with_another_box,
    "summary": check_summary,
}


def test_whole_path_without_javascript(browser, live_server):
    page = new_page(browser, java_script_enabled=False)
    seen = []
    try:
        for state in walk(page, live_server.url):
            seen.append(state)
            if state.endswith("-errors"):
                check_error_summary(page, state)
            if state in EXTRA_CHECKS:
                EXTRA_CHECKS[state](page)
    finally:
        page.context.close()
    assert {"emergency", "check-answers", "summary", "pdf-name-errors", "deleted"} <= set(seen)
    assert set(EXTRA_CHECKS) <= set(seen)
