"""Issue 27: the text-size control (A, A+, A++) on every page, without JavaScript, remembered;
at 200 % the header takes at most a quarter of a phone's first screen and does not repeat the
page's title. The emergency page's number is a large tel: button. The rows of the daily-life
rating are boxes with bold labels."""

import io

import pytest
from browser_support import PHONE, describe_violations, new_page, run_axe
from PIL import Image
from test_browser_path import patient_in_browser
from test_browser_summary import contrast
from test_wizard import LONG_BOTOX, RED_FLAG, opening

from decision_aid.web.text_size import safe_next

pytestmark = pytest.mark.browser

ROOT_SIZE_JS = "() => parseFloat(getComputedStyle(document.documentElement).fontSize)"
HEADER_BOTTOM_JS = """() => {
    const parts = [...document.querySelectorAll('.toolbar, .site-header')];
    return Math.max(...parts.map(el => el.getBoundingClientRect().bottom));
}"""
HEADER_TEXT_JS = """() => [...document.querySelectorAll('.toolbar, .site-header')]
    .map(el => el.innerText).join(' ')"""


def click_size(page, size):
    with page.expect_navigation():
        page.click(f".text-size__link--{size}")


def test_the_text_size_works_without_script_and_is_remembered(browser, live_server):
    page = new_page(browser, viewport=PHONE, java_script_enabled=False)
    try:
        patient_in_browser(live_server, page, steps=LONG_BOTOX)
        pages = ["/", "/step/time", "/check", "/summary", "/saved", "/sources"]
        page.goto(live_server.url + "/step/time")
        assert page.evaluate(ROOT_SIZE_JS) == 16
        click_size(page, "largest")
        assert page.url.endswith("/step/time")  # back on the same page
        assert page.evaluate(ROOT_SIZE_JS) == 32
        for path in pages:  # on every page, and remembered from page to page
            page.goto(live_server.url + path)
            assert page.evaluate(ROOT_SIZE_JS) == 32, path
            current = page.locator('.text-size__link[aria-current="true"]')
            assert current.locator("[aria-hidden]").inner_text() == "A++", path
            assert current.get_attribute("href").startswith("/text-size/largest"), path
            # The header at 200 %: a quarter of the first screen at most.
            bottom = page.evaluate(HEADER_BOTTOM_JS)
            assert bottom <= PHONE["height"] / 4, (path, bottom)
            # The page's title is not said twice: the header does not repeat the heading.
            heading = page.locator("h1").inner_text().strip()
            header = page.evaluate(HEADER_TEXT_JS)
            assert heading not in header, (path, heading, header)
            name = "Hemifacial spasm"  # the service's name: in the header or the heading
            assert not (name in heading and name in header), (path, heading, header)
        click_size(page, "large")
        assert page.evaluate(ROOT_SIZE_JS) == 24
        click_size(page, "normal")
        assert page.evaluate(ROOT_SIZE_JS) == 16
        sizes = page.locator(".text-size__link")
        assert page.locator(".text-size__link [aria-hidden]").all_inner_texts() == [
            "A",
            "A+",
            "A++",
        ]
        for i in range(3):
            box = sizes.nth(i).bounding_box()
            assert box["width"] >= 44 and box["height"] >= 44, box
    finally:
        page.context.close()


def test_the_size_link_goes_back_only_to_this_site():
    assert safe_next("/step/time?lang=es") == "/step/time?lang=es"
    for bad in ["//evil.example/", "https://evil.example/", "/\\evil.example", "", None]:
        assert safe_next(bad) == "/"


NUMBER_BOTTOM_JS = """(el) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.data.search(/[0-9]+/);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + node.data.slice(at).match(/[0-9]+/)[0].length);
        return range.getBoundingClientRect().bottom;
    }
    return Infinity;
}"""


@pytest.mark.parametrize(
    "size,lang", [("normal", "en"), ("largest", "en"), ("largest", "es"), ("largest", "zh_Hans")]
)
def test_the_emergency_number_is_a_large_tel_button_on_the_first_screen(
    browser, live_server, size, lang
):
    """Even at 200 % text (A++), the number to call is on a phone's first screen: it comes
    straight after the heading, before the reasons (and, in a translation, before the note that
    it is not yet checked)."""
    page = new_page(browser, viewport=PHONE)
    try:
        patient_in_browser(live_server, page, prefix=opening()[:3])
        emergency = f"/emergency%3Fnext%3D/step/diagnosis%26lang%3D{lang}"
        page.goto(f"{live_server.url}/text-size/{size}?next={emergency}")
        assert "/emergency?next=/step/diagnosis" in page.url
        call = page.locator('main a[href^="tel:"]').first
        assert call.is_visible()
        box = call.bounding_box()
        body = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
        font = call.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")
        assert box["height"] >= 44 and box["width"] >= 0.5 * PHONE["width"], box
        assert font >= 1.25 * body, (font, body)
        assert "button" in call.get_attribute("class")
        # The number itself is on the first screen (a long place name may wrap below it).
        number = call.evaluate(NUMBER_BOTTOM_JS)
        assert number <= PHONE["height"], (size, lang, number, box)
    finally:
        page.context.close()


BOX_JS = """(el) => {
    const s = getComputedStyle(el), legend = getComputedStyle(el.querySelector('legend'));
    return {border: parseFloat(s.borderTopWidth), colour: s.borderTopColor,
            page: getComputedStyle(document.body).backgroundColor,
            weight: parseInt(legend.fontWeight, 10)};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_daily_life_rows_are_boxes_with_bold_labels(browser, live_server, scheme):
    page = new_page(browser, viewport=PHONE, color_scheme=scheme)
    try:
        steps = [s for s in RED_FLAG if s[0] != "symptoms"][:3]
        patient_in_browser(live_server, page, prefix=steps)
        page.goto(live_server.url + "/step/daily_life")
        rows = page.locator(".rating-row")
        assert rows.count() >= 5
        rgb = lambda text: [float(v) for v in text[text.index("(") + 1 : -1].split(",")[:3]]  # noqa: E731
        for i in range(rows.count()):
            m = rows.nth(i).evaluate(BOX_JS)
            assert m["weight"] >= 700, m
            assert m["border"] >= 2, m
            assert contrast(rgb(m["colour"]), rgb(m["page"])) >= 3, m
    finally:
        page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_each_radio_and_box_shows_its_edge_against_the_page(browser, live_server, scheme):
    """Sampled from a screenshot around an unticked radio (daily life) and an unticked box
    (other symptoms): some of its pixels stand out from the background by 3:1 (WCAG 1.4.11),
    so a person reading with one eye sees where to tap, in dark mode too."""
    page = new_page(browser, viewport=PHONE, color_scheme=scheme)
    try:
        steps = [s for s in RED_FLAG if s[0] != "symptoms"][:3]
        patient_in_browser(live_server, page, prefix=steps)
        for path, selector in (
            ("/step/daily_life", "#impact__reading-0"),
            ("/step/symptoms", "#red_flags-1"),
        ):
            page.goto(live_server.url + path)
            control = page.locator(selector)
            control.scroll_into_view_if_needed()
            box = control.bounding_box()
            clip = {k: box[k] - 4 for k in ("x", "y")} | {
                k: box[k] + 8 for k in ("width", "height")
            }
            shot = Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")
            background = shot.getpixel((0, 0))  # the corner, outside the control
            pixels = [shot.getpixel((x, y)) for y in range(shot.height) for x in range(shot.width)]
            # An edge 2 px thick or more all round: at least twice the control's perimeter
            # (the browser's own radio has a 1 px rim, faint for one eye).
            edge = sum(1 for p in pixels if contrast(p, background) >= 3)
            assert edge >= 2 * 4 * box["width"] * 0.8, (scheme, path, edge, box)
            # Ticked: the inside (the dot, or the box behind the tick) stands out from the page
            # too, in a fifth of it at least (a ticked radio's dot is about a third).
            control.check()
            control.evaluate("(el) => el.blur()")  # the focus ring is not the point here
            ticked = Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")
            inside = [
                ticked.getpixel((x, y))
                for y in range(7, ticked.height - 7)
                for x in range(7, ticked.width - 7)
            ]
            marked = sum(1 for p in inside if contrast(p, background) >= 3) / len(inside)
            assert marked >= 0.2, (scheme, path, marked)
    finally:
        page.context.close()


def test_a_dates_day_month_and_year_are_on_one_line_of_a_phone(browser, live_server):
    """On a 360 px phone the three boxes of a date sit side by side, as the hint writes the
    date ("14 1 2027"), not with the year alone on the next line."""
    page = new_page(browser, viewport=PHONE)
    try:
        before = [s for s in LONG_BOTOX if s[0] not in ("your_questions", "about_you")]
        patient_in_browser(live_server, page, prefix=before)
        page.goto(live_server.url + "/step/your_questions")
        tops = [
            page.locator(f"#appointment__{part}").bounding_box()["y"]
            for part in ("day", "month", "year")
        ]
        assert max(tops) - min(tops) < 2, tops
    finally:
        page.context.close()


def test_with_the_browsers_own_text_at_200_percent_the_header_stays_small(browser, live_server):
    """A person who set a large text size in the browser, not with A++: the header still takes
    at most a quarter of a phone's first screen, and the number to call is on it."""
    page = new_page(browser, viewport=PHONE)
    try:
        cdp = page.context.new_cdp_session(page)
        cdp.send("Page.enable")
        cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
        patient_in_browser(live_server, page, prefix=opening()[:3])
        for path in ("/step/diagnosis", "/emergency?next=/step/diagnosis"):
            page.goto(live_server.url + path)
            assert page.evaluate(ROOT_SIZE_JS) == 32, path
            bottom = page.evaluate(HEADER_BOTTOM_JS)
            assert bottom <= PHONE["height"] / 4, (path, bottom)
        number = page.locator('main a[href^="tel:"]').first.evaluate(NUMBER_BOTTOM_JS)
        assert number <= PHONE["height"], number
    finally:
        page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_at_200_percent(browser, live_server, scheme):
    """axe (WCAG 2.2 A and AA) at A++ on a phone, on the pages most changed by the size: the
    start, a question with its errors, the emergency page and the summary (every page at the
    normal size: tests/test_browser_axe.py)."""
    problems = []
    for steps, paths in (
        (LONG_BOTOX, ("/", "/summary", "/emergency?next=/step/diagnosis")),
        (None, ("/step/twitching",)),  # a new patient: Continue with nothing chosen: errors
    ):
        page = new_page(browser, viewport=PHONE, color_scheme=scheme, bypass_csp=True)
        try:
            patient_in_browser(live_server, page, steps=steps, prefix=[])
            page.goto(live_server.url + "/text-size/largest?next=/")
            for path in paths:
                page.goto(live_server.url + path)
                problems += describe_violations(path, run_axe(page)["violations"])
            if steps is None:
                page.locator("main form button[type=submit]").first.click()
                assert page.locator(".error-summary").is_visible()
                problems += describe_violations("errors", run_axe(page)["violations"])
        finally:
            page.context.close()
    assert not problems, "\n".join(problems)
