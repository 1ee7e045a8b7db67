"""The patient's path without traps (issue 13), in Debian's chromium: continue or start again,
save and come back in another browser with the QR code, the onset question with and without
script, the return to the changed row, the send page (a name and date of birth, the red-flag
notice), the name asked on the way to the PDF, the summary's order on a phone, and axe at zero
on each new page and state in the light and the dark scheme."""

import pytest
from browser_support import (
    DESKTOP,
    PHONE,
    SUBMIT,
    assert_focus_on_error_summary,
    describe_violations,
    new_page,
    run_axe,
    submit,
)
from conftest import Patient
from test_wizard import NOTHING_TRIED, RED_FLAG, opening, walk

pytestmark = pytest.mark.browser

SCHEMES = ["light", "dark"]


def axe_clean(page, state):
    problems = describe_violations(state, run_axe(page)["violations"])
    assert not problems, "\n".join(problems)


def patient_in_browser(live_server, page, steps=None, emergency_after=None, prefix=None):
    """Answers made quickly through the test client of the live server's app, then handed to
    the browser page as its session cookie: the same patient, without clicking every page."""
    app = live_server.app
    patient = Patient(app, app.test_client())
    if steps is not None:
        walk(patient, steps, emergency_after)
    else:
        patient.start()
        for step_id, data in prefix:
            assert patient.post_step(step_id, data).status_code == 302
    cookie = patient.client.get_cookie("decision_aid")
    page.context.add_cookies(
        [{"name": "decision_aid", "value": cookie.value, "url": live_server.url}]
    )
    return patient


def top_of(page, selector):
    return page.locator(selector).first.evaluate("(el) => el.getBoundingClientRect().top")


# ---- continue or start again ---------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_continue_or_start_again_with_the_old_answers_still_there(browser, live_server, scheme):
    page = new_page(browser, color_scheme=scheme, bypass_csp=True)
    try:
        patient_in_browser(live_server, page, prefix=opening()[:1])
        page.goto(live_server.url + "/")
        primary = page.locator("main a.button--start")
        assert primary.inner_text() == "Continue your answers"
        assert top_of(page, "main a.button--start") < top_of(page, "text=Start again")
        assert page.locator("text=Start now").count() == 0
        axe_clean(page, f"start with answers ({scheme})")

        submit(page, "text=Start again")
        assert page.locator("h1").inner_text() == "Start again?"
        assert "we delete the answers saved on this device" in page.locator("main").inner_text()
        axe_clean(page, f"start again ({scheme})")
        submit(page, "text=No, continue my answers")
        assert page.url.endswith("/step/time")
        page.goto(live_server.url + "/step/twitching")
        assert page.is_checked("#side-0")  # the old answers are still there

        page.goto(live_server.url + "/")
        submit(page, "main >> text=Continue your answers")
        assert page.url.endswith("/step/time")

        page.goto(live_server.url + "/start-again")
        submit(page, "text=Yes, delete them and start again")
        assert page.url.endswith("/step/twitching")
        assert not page.is_checked("#side-0")
    finally:
        page.context.close()


# ---- save and come back later --------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_save_on_step_3_and_carry_on_in_another_browser(browser, live_server, scheme):
    page = new_page(browser, color_scheme=scheme, bypass_csp=True)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    other = new_page(browser, viewport=DESKTOP, color_scheme=scheme)
    try:
        patient_in_browser(live_server, page, prefix=opening()[:2])
        page.goto(live_server.url + "/step/pattern")
        page.check("#frequency-1")
        submit(page, "text=Save and come back later")
        assert page.url.endswith("/saved")
        assert page.locator("h1").inner_text() == "Your answers are saved"
        qr = page.locator("main svg.qr-code")
        assert qr.count() == 1 and qr.get_attribute("role") == "img"
        assert qr.locator("path").count() >= 2
        box = qr.bounding_box()
        assert box["width"] >= 150 and abs(box["width"] - box["height"]) < 1
        # For another device (a clinic tablet to one's phone, or one phone to another).
        assert page.get_by_role("heading", name="Carry on on another phone or tablet").is_visible()
        link = page.locator(".resume-link a").get_attribute("href")
        assert "/resume/" in link and len(link.rsplit("/", 1)[1]) >= 43
        copy = page.locator("button[data-copy]")
        assert copy.is_visible()  # script is on
        copy.click()
        page.wait_for_function(
            "() => document.querySelector('[data-copy-status]').textContent !== ''"
        )
        assert page.locator("[data-copy-status]").inner_text() == "Link copied."
        assert page.evaluate("() => navigator.clipboard.readText()") == link
        assert "30 days" in page.locator("main").inner_text()
        axe_clean(page, f"saved ({scheme})")

        other.goto(link)
        submit(other, "text=Continue with these answers")
        assert other.url.endswith("/step/pattern")
        assert other.is_checked("#frequency-1")
    finally:
        page.context.close()
        other.context.close()


def test_without_script_the_saved_page_has_the_link_and_no_copy_button(browser, live_server):
    page = new_page(browser, java_script_enabled=False)
    try:
        patient_in_browser(live_server, page, prefix=opening()[:1])
        page.goto(live_server.url + "/saved")
        assert page.locator(".resume-link a").is_visible()
        assert not page.locator("button[data-copy]").is_visible()
        assert page.locator("main svg.qr-code").is_visible()
    finally:
        page.context.close()


# ---- the onset question ---------------------------------------------------------------------

FOLLOW_UPS = {"date": "#onset__month", "ago": "#onset_ago__amount"}


def visible_follow_ups(page):
    return {name for name, selector in FOLLOW_UPS.items() if page.is_visible(selector)}


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_onset_question_reveals_only_the_matching_input(browser, live_server, scheme):
    page = new_page(browser, color_scheme=scheme, bypass_csp=True)
    try:
        patient_in_browser(live_server, page, prefix=opening()[:1])
        page.goto(live_server.url + "/step/time")
        assert visible_follow_ups(page) == set()
        page.check("#onset_known-0")
        assert visible_follow_ups(page) == {"date"}
        assert page.get_attribute("#onset_known-0", "aria-controls") == "conditional-onset"
        axe_clean(page, f"onset, month and year shown ({scheme})")
        page.check("#onset_known-1")
        assert visible_follow_ups(page) == {"ago"}
        page.fill("#onset_ago__amount", "2")
        page.check("#onset_ago__unit-2")
        page.check("#onset_known-2")  # "I don't know": the units chosen above no longer count
        assert visible_follow_ups(page) == set()
        page.check("#course-0")
        submit(page, SUBMIT)
        assert page.url.endswith("/step/pattern")
        page.goto(live_server.url + "/step/time")
        assert page.is_checked("#onset_known-2") and visible_follow_ups(page) == set()
        # Errors: the chosen follow-up left empty.
        page.check("#onset_known-0")
        page.fill("#onset__month", "")
        submit(page, SUBMIT)
        assert page.locator(".error-summary").inner_text().count("\n") >= 1
        assert "Enter the month and year the twitching started" in page.locator("main").inner_text()
        assert visible_follow_ups(page) == {"date"}
        axe_clean(page, f"onset with an error ({scheme})")
    finally:
        page.context.close()


def test_the_onset_question_without_script_shows_the_follow_up_after_continue(browser, live_server):
    page = new_page(browser, java_script_enabled=False)
    try:
        patient = patient_in_browser(live_server, page, prefix=opening()[:1])
        page.goto(live_server.url + "/step/time")
        assert visible_follow_ups(page) == set()
        page.check("#onset_known-1")
        page.check("#course-1")
        submit(page, SUBMIT)
        assert page.url.endswith("/step/time")
        assert page.locator(".error-summary").count() == 0  # not an error: the next question
        assert visible_follow_ups(page) == {"ago"}
        assert page.is_checked("#onset_known-1") and page.is_checked("#course-1")
        page.fill("#onset_ago__amount", "3")
        page.check("#onset_ago__unit-1")
        submit(page, SUBMIT)
        assert page.url.endswith("/step/pattern")
        page.goto(live_server.url + "/step/time")
        assert visible_follow_ups(page) == {"ago"}
        assert page.input_value("#onset_ago__amount") == "3"
        # Changing the choice to a date: the month and year appear, the units are dropped.
        page.check("#onset_known-0")
        submit(page, SUBMIT)
        assert visible_follow_ups(page) == {"date"}
        page.fill("#onset__month", "March")
        page.fill("#onset__year", "2020")
        submit(page, SUBMIT)
        assert page.url.endswith("/step/pattern")
        answers = patient.stored().answers
        assert answers["onset"] == "2020-03" and "onset_ago" not in answers
    finally:
        page.context.close()


# ---- the return to the changed row ---------------------------------------------------------


def test_after_a_change_the_check_page_opens_at_the_changed_row(browser, live_server):
    page = new_page(browser, viewport=PHONE)
    try:
        patient_in_browser(live_server, page, steps=NOTHING_TRIED)
        page.goto(live_server.url + "/check")
        submit(page, "#answer-mri >> text=Change")
        assert "question=mri" in page.url and page.url.endswith("#q-mri")
        page.check("#mri-1")
        submit(page, SUBMIT)
        assert page.url.endswith("/check#answer-mri")
        top = top_of(page, "#answer-mri")
        assert -1 < top < PHONE["height"] / 2, top  # on screen, not the page top (sub-pixel)
        assert page.evaluate("() => window.scrollY") > 500
        assert "Yes, and it was normal" in page.locator("#answer-mri").inner_text()
    finally:
        page.context.close()


# ---- sending to the clinic -----------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_send_page_asks_for_a_name_and_warns_about_red_flags(browser, live_server, scheme):
    page = new_page(browser, color_scheme=scheme, bypass_csp=True)
    try:
        patient_in_browser(live_server, page, steps=RED_FLAG, emergency_after="symptoms")
        page.goto(live_server.url + "/summary")
        submit(page, "text=Send to Riverside Hospital")
        notice = page.locator("#send-red-flag")
        assert notice.is_visible()
        assert "does not watch this list all the time" in notice.inner_text()
        assert top_of(page, "#send-red-flag") < top_of(page, "button[type=submit]")
        axe_clean(page, f"send with a red flag ({scheme})")
        submit(page, "main button[type=submit]")
        assert page.title().startswith("Error: ")
        assert_focus_on_error_summary(page)
        summary = page.locator(".error-summary").inner_text()
        assert "Enter your name" in summary and "Enter your date of birth" in summary
        axe_clean(page, f"send with errors ({scheme})")
        page.fill("#name", "Ann Lee")
        page.fill("#date_of_birth__day", "7")
        page.fill("#date_of_birth__month", "2")
        page.fill("#date_of_birth__year", "1956")
        submit(page, "main button[type=submit]")
        assert page.url.endswith("/send-to-clinic/sent")
        assert page.locator(".button--warning").count() == 0
        assert "Delete my answers" not in page.locator("main").inner_text()
        axe_clean(page, f"sent ({scheme})")
    finally:
        page.context.close()


# ---- the name on the PDF: asked on the way to it ----------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_print_asks_for_the_name_in_its_new_tab_then_opens_the_pdf_there(
    browser, live_server, scheme
):
    """The question pages never asked for a name. Print opens the page that does, in a new tab
    (the summary stays in its own); the PDF then opens in that tab, inline, to print."""
    page = new_page(browser, color_scheme=scheme, bypass_csp=True)
    try:
        patient_in_browser(live_server, page, steps=NOTHING_TRIED)
        page.goto(live_server.url + "/summary")
        assert "only if you send, download or print" in page.locator("#name-hint").inner_text()
        with page.expect_popup() as popup_info:
            page.click("main >> text=Print the PDF")
        tab = popup_info.value
        tab.wait_for_load_state()
        assert tab.url.endswith("/summary/your-name?then=print"), tab.url
        assert tab.locator("h1").inner_text() == "Put your name on the page for your doctor"
        assert tab.locator("main >> text=Print it without a name").is_visible()
        axe_clean(tab, f"the page before the PDF ({scheme})")
        tab.fill("#name", "Ann Lee")
        pdf = tab.expect_response(lambda r: "/summary.pdf" in r.url, timeout=60_000)
        with pdf as answer:  # the PDF is made first: allow for a busy machine
            tab.click("main button[type=submit]", timeout=60_000)  # it waits for the PDF too
        assert answer.value.url.endswith("/summary.pdf?print=1")
        assert answer.value.headers["content-disposition"].startswith("inline;")
        assert page.url.endswith("/summary")  # the summary is still in the first tab
    finally:
        page.context.close()


BUTTON_CONTRAST_JS = """() => {
    const rgb = (t) => t.match(/[\\d.]+/g).slice(0, 3).map(Number);
    const lum = (c) => {
        const f = (v) => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        };
        const [r, g, b] = c.map(f);
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    return [...document.querySelectorAll('.button')].filter(b => b.offsetParent).map(b => {
        const s = getComputedStyle(b);
        const [x, y] = [lum(rgb(s.color)), lum(rgb(s.backgroundColor))].sort((p, q) => q - p);
        return [b.textContent.trim(), (x + 0.05) / (y + 0.05)];
    });
}"""


def test_buttons_in_the_dark_scheme_reach_4_5_to_1(browser, live_server):
    """Every button's text against its own background, and the green also with the white text a
    visited link button would have (a browser does not tell script about visited links)."""
    page = new_page(browser, color_scheme="dark")
    try:
        patient_in_browser(live_server, page, steps=NOTHING_TRIED)
        for path in ("/summary", "/saved", "/step/twitching"):
            page.goto(live_server.url + path)
            for text, ratio in page.evaluate(BUTTON_CONTRAST_JS):
                assert ratio >= 4.5, (path, text, ratio)
        green = page.evaluate(
            "() => getComputedStyle(document.querySelector('main .button:not(.button--secondary)'))"
            ".backgroundColor"
        )
        assert green == "rgb(0, 127, 59)"  # white on it is 5.1:1, visited or not
    finally:
        page.context.close()
