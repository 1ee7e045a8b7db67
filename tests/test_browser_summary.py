"""Issue 27, "readable with one eye": the summary in Chromium as a patient sees it on a phone.

A short part first (what to do next, any urgent card in full, the actions, a short "what
matters to you") of at most 400 words; the rest folded away. The words counted are those the
page shows before anything is opened (`innerText`, which leaves out a closed <details>). The
pictures of 100 people: at least 160 px wide on a phone, larger on a desktop, and painted in
the theme's colours, which the dark-mode test checks by sampling the screenshot's pixels."""

import io

import pytest
from browser_support import DESKTOP, PHONE, new_page
from PIL import Image
from test_browser_path import patient_in_browser, top_of
from test_wizard import LONG_BOTOX, PREVIOUS_MVD, RED_FLAG

pytestmark = pytest.mark.browser

SHORT_WORDS = 400  # the short part, in English
VISIBLE_WORDS = 1200  # everything shown before anything is opened, on a 360 px phone
WORDS_JS = "(el) => el.innerText.split(/\\s+/).filter(Boolean).length"

PERSONAS = [
    ("long-botox", LONG_BOTOX, None),
    ("red-flag", RED_FLAG, "symptoms"),
    ("previous-mvd", PREVIOUS_MVD, None),
]


def summary_page(browser, live_server, steps, emergency_after, **options):
    page = new_page(browser, **options)
    patient_in_browser(live_server, page, steps=steps, emergency_after=emergency_after)
    page.goto(live_server.url + "/summary")
    return page


@pytest.mark.parametrize("name,steps,emergency_after", PERSONAS, ids=[p[0] for p in PERSONAS])
def test_the_short_summary_fits_in_400_words_and_next_steps_on_the_first_screen(
    browser, live_server, name, steps, emergency_after
):
    page = summary_page(browser, live_server, steps, emergency_after, viewport=PHONE)
    try:
        short = page.locator("#summary-short").evaluate(WORDS_JS)
        visible = page.locator("body").evaluate(WORDS_JS)
        assert short <= SHORT_WORDS, short
        assert visible <= VISIBLE_WORDS, visible
        # "What to do next" is on the first screen, with its lines in full on it.
        assert page.locator("#next-title").is_visible()
        lines = page.locator(".next-links a")
        assert 1 <= lines.count() <= 3
        bottom = lines.last.evaluate("(el) => el.getBoundingClientRect().bottom")
        assert bottom <= PHONE["height"], bottom
        # Each line jumps to its card, which opens even when it sits in a folded part.
        for i in range(lines.count()):
            target = lines.nth(i).get_attribute("href")
            lines.nth(i).click()
            assert page.locator(target).is_visible(), target
            page.goto(live_server.url + "/summary")
        # The actions are in the short part: send, download, print and save.
        short_part = page.locator("#summary-short")
        for words in ["Download PDF", "Print the PDF", "Save and come back later"]:
            assert short_part.get_by_text(words, exact=True).is_visible(), words
        assert short_part.locator("#send-to-clinic a.button").is_visible()
        # The rest is folded: the grid, the other cards, the answers.
        assert not page.locator("#option-grid").is_visible()
        assert not page.locator("#about-title").is_visible()
        assert not page.locator("#answers-title + details > :not(summary)").first.is_visible()
        folds = ["Compare your choices", "What your answers mean, in full", "Show your answers"]
        for words in folds:
            assert page.get_by_text(words, exact=True).is_visible(), words
        # One link to the sources page, instead of "Sources:" under every card.
        assert page.locator('a[href="/sources"]').count() == 1
        assert page.locator(".sources-inline").count() == 0
    finally:
        page.context.close()


def test_urgent_cards_are_in_the_short_part_in_full(browser, live_server):
    page = summary_page(browser, live_server, RED_FLAG, "symptoms", viewport=PHONE)
    try:
        short = page.locator("#summary-short")
        card = short.locator("#item-emergency")
        assert card.is_visible()
        assert "call now" in card.inner_text()
        first = page.locator(".next-links a").first.inner_text()
        assert first.startswith("Urgent:"), first
        assert (
            top_of(page, "#next-title")
            < top_of(page, "#item-emergency")
            < top_of(page, "#actions-title")
        )
    finally:
        page.context.close()


def test_the_grid_keeps_its_phone_layout_when_opened(browser, live_server):
    page = summary_page(browser, live_server, LONG_BOTOX, None, viewport=PHONE)
    try:
        page.get_by_text("Compare your choices", exact=True).click()
        assert page.locator("#option-grid table").is_visible()
        assert page.locator("#option-grid thead").is_hidden()  # each cell names its choice
        assert page.locator(".option-grid__name").first.is_visible()
    finally:
        page.context.close()


# ---- pictures of 100 people --------------------------------------------------------------------

PICTURE_JS = """(el) => {
    const box = el.getBoundingClientRect();
    const big = el.closest('figure').querySelector('.figure-100__big');
    const bigBox = big.getBoundingClientRect();
    return {width: box.width, height: box.height, top: box.top, right: box.right,
            bigLeft: bigBox.left, bigTop: bigBox.top,
            bigSize: parseFloat(getComputedStyle(big).fontSize),
            bigText: big.innerText, bodySize: parseFloat(getComputedStyle(document.body).fontSize),
            words: el.closest('figure').querySelector('.figure-100__words').innerText,
            label: el.getAttribute('aria-label')};
}"""


@pytest.mark.parametrize("viewport,least", [(PHONE, 160), (DESKTOP, 190)], ids=["phone", "desktop"])
def test_pictures_of_100_people_are_big_with_the_figure_beside(
    browser, live_server, viewport, least
):
    page = summary_page(browser, live_server, LONG_BOTOX, None, viewport=viewport)
    try:
        page.get_by_text("Compare your choices", exact=True).click()
        pictures = page.locator("#option-grid svg.icon-array")
        assert pictures.count() >= 4
        for i in range(pictures.count()):
            m = pictures.nth(i).evaluate(PICTURE_JS)
            assert m["width"] >= least and m["height"] >= least, m
            assert m["bigSize"] >= 1.5 * m["bodySize"], m  # the figure in large text
            assert "in 100 people" in m["bigText"], m
            # What the picture counts is written beside it, in the words of its text
            # alternative, and it counts people, as the caption says (not injections).
            assert m["words"] and m["words"] in m["label"], m
            assert "100 people" in m["words"] and "injection" not in m["words"], m
            if viewport is PHONE:
                assert m["right"] <= PHONE["width"], m
        first = pictures.first.evaluate(PICTURE_JS)
        if viewport is DESKTOP:
            return
        # Beside the picture when there is room: on a 360 px phone, beside or just under it.
        assert first["bigLeft"] >= first["right"] or first["bigTop"] >= first["top"], first
    finally:
        page.context.close()


COLOURS_JS = """(el) => {
    const colour = (sel, prop) => getComputedStyle(el.querySelector(sel))[prop];
    return {sure: colour('.icon-sure', 'fill'), rest: colour('.icon-rest', 'fill'),
            text: getComputedStyle(document.body).color,
            background: getComputedStyle(document.body).backgroundColor};
}"""


def luminance(rgb):
    def channel(v):
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    x, y = sorted([luminance(a), luminance(b)], reverse=True)
    return (x + 0.05) / (y + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_counted_people_stand_out_in_light_and_dark_mode(browser, live_server, scheme):
    """Sampled from a screenshot: the darkest and lightest pixels of a picture that counts
    about 85 to 95 in 100 must differ by at least 3:1 (WCAG 1.4.11), and the counted people
    must contrast with the page behind them."""
    page = summary_page(browser, live_server, LONG_BOTOX, None, viewport=PHONE, color_scheme=scheme)
    try:
        page.get_by_text("Compare your choices", exact=True).click()
        picture = page.locator("#option-grid svg.icon-array").first
        picture.scroll_into_view_if_needed()
        shot = Image.open(io.BytesIO(picture.screenshot())).convert("RGB")
        pixels = [shot.getpixel((x, y)) for y in range(shot.height) for x in range(shot.width)]
        background = shot.getpixel((0, 0))  # the corner: no person there
        counted = max(pixels, key=lambda p: contrast(p, background))
        assert contrast(counted, background) >= 3, (scheme, counted, background)
        if scheme == "dark":
            assert luminance(counted) > luminance(background), (counted, background)
            assert luminance(background) < 0.1, background  # the page really is dark
        else:
            assert luminance(counted) < luminance(background), (counted, background)
        # Many people are painted in the counted colour, not a few stray pixels.
        painted = sum(1 for p in pixels if contrast(p, background) >= 3)
        assert painted > len(pixels) * 0.15, painted / len(pixels)
    finally:
        page.context.close()


def test_in_forced_colours_the_pictures_follow_the_system_colours(browser, live_server):
    page = summary_page(
        browser, live_server, LONG_BOTOX, None, viewport=PHONE, forced_colors="active"
    )
    try:
        page.get_by_text("Compare your choices", exact=True).click()
        colours = page.locator("#option-grid svg.icon-array").first.evaluate(COLOURS_JS)
        assert colours["sure"] == colours["text"], colours
        assert colours["rest"] == colours["background"], colours
    finally:
        page.context.close()
