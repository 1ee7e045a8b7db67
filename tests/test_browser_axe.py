"""axe-core (vendored, tests/vendor) on every page and state of the patient's path, in the light
and the dark colour scheme: zero violations of the WCAG 2.2 A and AA rules. Also checks that the
stylesheet honours prefers-reduced-motion and prefers-color-scheme."""

import pytest
from browser_support import (
    AXE_TAGS,
    AXE_VERSION,
    DESKTOP,
    PHONE,
    SUBMIT,
    describe_violations,
    new_page,
    run_axe,
    submit,
    walk,
)

pytestmark = pytest.mark.browser

EXPECTED_STATES = {
    "start",
    "emergency",
    "check-answers",
    "summary",
    "pdf-name",
    "pdf-name-errors",
    "delete",
    "deleted",
    "step-twitching",
    "step-twitching-errors",
    "step-your_questions-errors",
    "step-sure-errors",
    "saved",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_violations_on_any_page(browser, live_server, scheme):
    """Every page, every step with and without its errors, the emergency page, check answers,
    the summary, delete and "deleted". The light scheme runs at phone width, the dark one at
    desktop width, so both layouts are checked too."""
    viewport = PHONE if scheme == "light" else DESKTOP
    page = new_page(browser, viewport=viewport, color_scheme=scheme, bypass_csp=True)
    problems, states = [], []
    try:
        for state in walk(page, live_server.url):
            result = run_axe(page)
            assert result["version"] == AXE_VERSION
            states.append(state)
            problems += describe_violations(state, result["violations"])
    finally:
        page.context.close()
    print(f"\naxe {AXE_VERSION} ({scheme}, tags {', '.join(AXE_TAGS)}): {len(states)} states")
    assert EXPECTED_STATES <= set(states)
    assert not problems, "\n".join(problems)


REDUCED_MOTION_JS = """() => {
    const moving = [];
    for (const el of document.querySelectorAll('*')) {
        for (const pseudo of [null, '::before', '::after']) {
            const style = getComputedStyle(el, pseudo);
            const durations = (style.transitionDuration + ',' + style.animationDuration)
                .split(',').map(parseFloat);
            if (durations.some(d => d > 0) || style.scrollBehavior === 'smooth') {
                moving.push(el.tagName.toLowerCase() + (pseudo || ''));
            }
        }
    }
    return {moving, animations: document.getAnimations().length};
}"""


def test_reduced_motion_stops_every_animation(browser, live_server):
    """app.css turns off every transition, animation and smooth scroll under
    prefers-reduced-motion: checked on the start page and a step with its errors (the rule is
    global, so two pages are enough)."""
    page = new_page(browser, reduced_motion="reduce")
    try:
        page.goto(live_server.url + "/")
        assert page.evaluate(REDUCED_MOTION_JS) == {"moving": [], "animations": 0}
        submit(page, "text=Start now")
        submit(page, SUBMIT)
        assert page.locator(".error-summary").is_visible()
        assert page.evaluate(REDUCED_MOTION_JS) == {"moving": [], "animations": 0}
    finally:
        page.context.close()


COLOURS_JS = """() => {
    const body = getComputedStyle(document.body);
    const lead = getComputedStyle(document.querySelector('.lead'));
    return {background: body.backgroundColor, text: body.color, lead: lead.color};
}"""


def test_dark_colour_scheme_changes_the_colours(browser, live_server):
    """The dark media query is not dead code: the page is dark, text is light. (Contrast in the
    dark scheme is checked by axe above.)"""
    seen = {}
    for scheme in ("light", "dark"):
        page = new_page(browser, color_scheme=scheme)
        try:
            page.goto(live_server.url + "/")
            seen[scheme] = page.evaluate(COLOURS_JS)
        finally:
            page.context.close()
    assert seen["light"]["background"] != seen["dark"]["background"], seen
    assert seen["light"]["text"] != seen["dark"]["text"], seen
    assert seen["dark"]["background"] == "rgb(18, 26, 31)", seen
    assert seen["dark"]["lead"] == seen["dark"]["text"] == "rgb(240, 244, 245)", seen
