"""The whole path, start page to summary, with the keyboard alone: Tab to move, Space to tick or
choose, Enter to press a button or follow a link, and typing in text fields. After every Tab the
focused element must show a focus indicator that differs from its unfocused look and stands out
(3:1) from what is around it, and must be on screen. After a failed submit, focus is on the error
summary.

A radio group is one tab stop and Tab enters it on its first radio, so with Tab and Space alone a
patient picks the first answer of each radio group: the patient in browser_support.PATH does
exactly that (arrow keys would pick the others)."""

import pytest
from browser_support import (
    CHOICES_BEFORE,
    DESKTOP,
    PATH,
    PDF_NAME,
    PHONE,
    SUBMIT,
    assert_focus_on_error_summary,
    new_page,
)

pytestmark = pytest.mark.browser

MAX_TABS = 150  # more than any page has tab stops

# Remember how every focusable element looks before it has focus.
BASELINE_JS = """() => {
    const keys = ['outlineStyle', 'outlineWidth', 'outlineColor', 'boxShadow',
                  'backgroundColor', 'color', 'borderTopColor', 'textDecorationLine'];
    window.__unfocused = new Map();
    const focusable = 'a[href], button, input, select, textarea, summary';
    for (const el of document.querySelectorAll(focusable)) {
        const style = getComputedStyle(el);
        window.__unfocused.set(el, Object.fromEntries(keys.map(k => [k, style[k]])));
    }
    window.__keys = keys;
}"""

# Describe the focused element and whether its focus indicator can be seen.
FOCUS_JS = """(selector) => {
    const el = document.activeElement;
    if (!el || el === document.body) return {none: true};
    const rgba = (text) => {
        const m = /rgba?\\(([^)]+)\\)/.exec(text || '');
        if (!m) return null;
        const [r, g, b, a = 1] = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
        return {r, g, b, a};
    };
    const luminance = ({r, g, b}) => {
        const f = (c) => {
            c /= 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const contrast = (x, y) => {
        const [a, b] = [luminance(x), luminance(y)].sort((p, q) => q - p);
        return (a + 0.05) / (b + 0.05);
    };
    const behind = (node) => {  // the first solid background behind the element
        for (let n = node.parentElement; n; n = n.parentElement) {
            const c = rgba(getComputedStyle(n).backgroundColor);
            if (c && c.a > 0) return c;
        }
        return {r: 255, g: 255, b: 255, a: 1};
    };
    const before = window.__unfocused.get(el) || {};
    const style = getComputedStyle(el);
    const now = Object.fromEntries(window.__keys.map(k => [k, style[k]]));
    const around = behind(el);
    const colours = [];
    if (now.outlineStyle !== 'none' && parseFloat(now.outlineWidth) >= 2
        && (now.outlineStyle !== before.outlineStyle || now.outlineColor !== before.outlineColor
            || now.outlineWidth !== before.outlineWidth)) {
        colours.push(rgba(now.outlineColor));
    }
    if (now.boxShadow !== before.boxShadow && now.boxShadow !== 'none') {
        for (const m of now.boxShadow.matchAll(/rgba?\\([^)]+\\)/g)) colours.push(rgba(m[0]));
    }
    if (now.backgroundColor !== before.backgroundColor) colours.push(rgba(now.backgroundColor));
    const best = Math.max(0, ...colours.filter(c => c && c.a > 0).map(c => contrast(c, around)));
    const box = el.getBoundingClientRect();
    return {
        none: false,
        matches: selector ? el.matches(selector) : false,
        name: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
              + ' "' + (el.innerText || el.value || '').trim().slice(0, 30) + '"',
        contrast: Math.round(best * 100) / 100,
        onScreen: box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth,
        errorSummary: el.matches('[data-error-summary]'),
    };
}"""


class Keyboard:
    def __init__(self, page):
        self.page = page
        self.tabs = 0
        self.page.evaluate(BASELINE_JS)

    def tab_to(self, selector):
        """Press Tab until `selector` has focus, checking the focus indicator at every stop."""
        if self.page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        for _ in range(MAX_TABS):
            self.page.keyboard.press("Tab")
            self.tabs += 1
            focus = self.page.evaluate(FOCUS_JS, selector)
            if focus["none"]:
                continue  # past the last element: the next Tab starts again from the top
            assert focus["contrast"] >= 3, f"no visible focus on {focus['name']} ({self.page.url})"
            assert focus["onScreen"], f"{focus['name']} has focus but is off screen"
            if focus["matches"]:
                return
        raise AssertionError(f"Tab never reached {selector} on {self.page.url}")

    def press(self, selector, key="Enter"):
        """Tab to a button or link and press it: a new page loads."""
        self.tab_to(selector)
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.page.evaluate(BASELINE_JS)

    def do(self, action):
        kind, selector, *text = action
        self.tab_to(selector)
        if kind == "check":
            self.page.keyboard.press("Space")
            assert self.page.is_checked(selector), selector
        else:
            self.page.keyboard.type(text[0])


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_whole_path_with_the_keyboard_alone(browser, live_server, scheme):
    """Light at phone width (with large targets) and dark at desktop width."""
    viewport = PHONE if scheme == "light" else DESKTOP
    page = new_page(browser, viewport=viewport, color_scheme=scheme)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    try:
        page.goto(live_server.url + "/")
        keys = Keyboard(page)
        keys.press("button.button--start")
        for step in PATH:
            if step.id == CHOICES_BEFORE:  # the choices side by side first (issue 31)
                assert page.url.endswith("/choices"), page.url
                keys.press("#choices-continue")
            assert page.url.endswith(f"/step/{step.id}"), page.url
            if step.id == "twitching":  # a failed submit first
                keys.press(SUBMIT)
                assert page.title().startswith("Error: ")
                assert_focus_on_error_summary(page)
                # The next Tab goes to the first link of the error summary.
                page.keyboard.press("Tab")
                assert page.evaluate("() => !!document.activeElement.closest('.error-summary')")
                page.keyboard.press("Enter")  # it moves focus to the question in error
                assert page.evaluate("() => document.activeElement.id") == "side-0"
            for action in step.actions:
                keys.do(action)
            keys.press(SUBMIT)
            if step.id == "symptoms":
                assert "/emergency" in page.url
                keys.press("main a.button--secondary")  # past the call buttons (tel: links)
        assert page.url.endswith("/check"), page.url
        check = page.locator("main").inner_text()
        for answer in ("Left side", "September 2026"):
            assert answer in check
        keys.press(SUBMIT)
        assert page.url.endswith("/summary"), page.url
        assert page.locator("h1").inner_text() == "Your summary"
        assert page.locator(".reference").is_visible()
        # Download PDF asks for the name to put on it first.
        keys.press("main a[href='/summary/your-name']")
        assert page.url.endswith("/summary/your-name"), page.url
        for action in PDF_NAME.actions:
            keys.do(action)
        keys.tab_to(SUBMIT)
        with page.expect_download(timeout=60_000) as download:  # the PDF is made first
            page.keyboard.press("Enter")
        assert download.value.suggested_filename.startswith("hfs-summary-")
        keys.press("main a[href='/summary']")
        answers = page.locator("#answers-title + details").text_content()
        assert "Zoë Ångström" in answers and "7 February 1956" in answers
        print(f"\nkeyboard walk ({scheme}): {keys.tabs} presses of Tab")
    finally:
        page.context.close()
    assert not errors, errors
