"""Shared pieces of the browser tests: a live server, Debian's chromium driven by Playwright, one
patient who visits every page of the path, axe-core, and the in-page measurements.

The fixtures `live_server` and `browser` are session-scoped (one server and one chromium for the
whole run) and are made available to every test by tests/conftest.py."""

import json
import os
import threading
from pathlib import Path

import pytest
from conftest import TEST_CLINIC, TODAY
from werkzeug.serving import make_server

from decision_aid import create_app
from decision_aid.store import get_store
from decision_aid.text import i18n

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VENDOR = Path(__file__).parent / "vendor"
AXE_JS = VENDOR / "axe.min.js"
AXE_VERSION = "4.14.1"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SUBMIT = "main form button[type=submit]"


# ---------------------------------------------------------------------------------------------
# Server and browser


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=5)
        get_store(self.app).engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The real app (CSRF on, strict CSP) on a free port of 127.0.0.1, in a thread."""
    instance = tmp_path_factory.mktemp("browser-instance")
    app = create_app(
        {"INSTANCE_PATH": str(instance), "TODAY": TODAY.isoformat(), "CLINIC_NAME": TEST_CLINIC}
    )
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    """One headless Debian chromium for the run. If it cannot start, every browser test fails
    and says why: these tests are never skipped."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        pytest.fail(f"Playwright is not installed ({exc}); run `make setup`.", pytrace=False)
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium, "
            "or `make system-deps`). Playwright's own browser download is not used.",
            pytrace=False,
        )
    manager = sync_playwright()
    playwright = manager.start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as exc:
        manager.__exit__(None, None, None)
        pytest.fail(f"chromium at {CHROMIUM} did not start: {exc}", pytrace=False)
    try:
        yield chromium
    finally:
        chromium.close()
        manager.__exit__(None, None, None)


def new_page(browser, *, viewport=PHONE, **context_options):
    """A page in a fresh context: its own cookies, so its own patient."""
    context = browser.new_context(viewport=viewport, **context_options)
    context.set_default_timeout(10_000)
    return context.new_page()


# ---------------------------------------------------------------------------------------------
# The patient who sees every page


class Step:
    """One question page: what the patient does on it, and how to make it show errors.

    `actions` are ("check", selector) or ("fill", selector, text), in page order. Every radio
    the patient picks is the first of its group, so a keyboard user can pick it with Tab and
    Space alone (a radio group is one tab stop, and Tab lands on its first radio).
    `error_actions` is what to do before a submit that must fail ([] = submit the page empty),
    or None when the page has no way to be wrong."""

    def __init__(self, step_id, actions, error_actions=()):
        self.id = step_id
        self.actions = actions
        self.error_actions = None if error_actions is None else list(error_actions)


PATH = [
    # Only the eyelid: the page after asks whether it is only a fine ripple of one eyelid.
    Step(
        "twitching",
        [("check", "#side-0"), ("check", "#started_where-0"), ("check", "#current_areas-0")],
    ),
    # "Yes, I know the month and year": the month and year fields appear under the choice (with
    # script at once, without script after Continue: see `do`).
    Step(
        "time",
        [
            ("check", "#onset_known-0"),
            ("check", "#course-0"),
            ("fill", "#onset__month", "3"),
            ("fill", "#onset__year", "2019"),
        ],
    ),
    Step(
        "pattern",
        [("check", "#frequency-0"), ("check", "#in_sleep-0"), ("check", "#eyelid_ripple_only-0")],
    ),
    # "Today or in the last few days, a sudden sign of a stroke": the emergency page follows.
    Step(
        "symptoms",
        [("check", "#red_flags-0"), ("check", "#bells_palsy-0"), ("check", "#onset_before_40-0")],
    ),
    Step(
        "diagnosis",
        [("check", "#seen_by-1"), ("check", "#diagnosed_hfs-0"), ("check", "#mri-0")],
    ),
    # Botox, medicines and an operation: every branch of the path opens.
    Step(
        "treatments",
        [("check", "#treatments-0"), ("check", "#treatments-1"), ("check", "#treatments-4")],
    ),
    Step(
        "botox",
        [
            ("fill", "#botox_rounds", "24"),
            ("fill", "#botox_last__month", "9"),
            ("fill", "#botox_last__year", "2026"),
            ("check", "#botox_satisfaction-0"),
        ],
    ),
    Step(
        "botox_effects",
        [
            ("fill", "#botox_weeks_first", "12"),
            ("fill", "#botox_weeks_now", "6"),
            ("check", "#botox_side_effects-0"),
        ],
    ),
    # Botox goes on: the follow-up about a weak face is not asked (no weak face ticked).
    Step("botox_now", [("check", "#botox_current-0")], error_actions=None),
    Step("medicines", [("check", "#medicines-0"), ("check", "#medicine_current-0")]),
    Step(
        "medicine_effects",
        [("check", "#medicine_helped-0"), ("check", "#medicine_side_effects-4")],
    ),
    Step(
        "mvd",
        [("fill", "#mvd_year", "2021"), ("check", "#mvd_helped-0"), ("check", "#mvd_recurred-0")],
    ),
    Step(
        "daily_life",
        [("check", "#impact__reading-0"), ("check", "#impact__mood-0")],
        error_actions=None,
    ),
    # Optional: the age band and nothing else.
    Step("health", [("check", "#age_band-0")], error_actions=None),
    Step("priorities", [("check", "#priorities__lasting_fix-0"), ("check", "#leaning-0")]),
    Step(
        "sure",
        [
            ("check", f"#sure__{key}-0")
            for key in ("sure_of_choice", "know_options", "clear_values", "enough_support")
        ],
    ),
    # "Making your decision" (issue 31): optional pages, with an answer or two.
    Step("role", [("check", "#preferred_role-0")], error_actions=None),
    Step(
        "support", [("check", "#others_involved-0"), ("check", "#pressure-0")], error_actions=None
    ),
    Step(
        "knowledge",
        [("check", "#knowledge__botox_repeats-0"), ("check", "#knowledge__tablets_most-0")],
        error_actions=None,
    ),
    Step(
        "your_questions",
        [
            ("check", "#patient_questions__common-0"),
            ("fill", "#patient_questions__own", "Why does my Botox wear off sooner?"),
        ],
        # Every question here is optional: a question too long shows the errors (the action
        # above replaces it).
        error_actions=[("fill", "#patient_questions__own", "Why? " + "x" * 500)],
    ),
]
EMERGENCY_AFTER = "symptoms"
CHOICES_BEFORE = "priorities"
# The page before the PDF (Download PDF on the summary): the name and date of birth, asked only
# when the summary is shared. A 31 February is its error.
PDF_NAME = Step(
    "pdf-name",
    [
        ("fill", "#name", "Zoë Ångström"),
        ("fill", "#date_of_birth__day", "7"),
        ("fill", "#date_of_birth__month", "2"),
        ("fill", "#date_of_birth__year", "1956"),
    ],
    error_actions=[
        ("fill", "#date_of_birth__day", "31"),
        ("fill", "#date_of_birth__month", "2"),
        ("fill", "#date_of_birth__year", "1960"),
    ],
)


def do(page, action):
    kind, selector, *text = action
    if kind == "check":
        page.check(selector)
        return
    if not page.is_visible(selector) and page.locator(f".conditional {selector}").count():
        # Without script a follow-up question appears after Continue, with no error.
        submit(page)
        assert not page.locator(".error-summary").count(), page.url
        assert page.is_visible(selector), selector
    page.fill(selector, text[0])


def submit(page, selector=SUBMIT):
    with page.expect_navigation():
        page.click(selector)


def walk(page, base, *, errors=True, language="en"):
    """Walk the whole path with Playwright's pointer actions, start page to the "deleted" page
    and the pages for a lost session. Yields a name at every page and state worth checking.
    With `language`, the walk chooses it on the start page and finds buttons by their words in
    it (tests/test_languages.py)."""

    def words(text):
        with i18n.using(language):
            return i18n.gettext(text)

    chosen = "" if language == i18n.DEFAULT else f"?lang={i18n.html_lang(language)}"
    page.goto(f"{base}/{chosen}")
    yield "start"
    submit(page, f"text={words('Start now')}")
    for step in PATH:
        if step.id == CHOICES_BEFORE:  # the choices side by side come first (issue 31)
            assert page.url.endswith("/choices"), page.url
            yield "choices"
            submit(page, "#choices-continue")
        assert page.url.endswith(f"/step/{step.id}"), (step.id, page.url)
        yield f"step-{step.id}"
        if errors and step.error_actions is not None:
            for action in step.error_actions:
                do(page, action)
            submit(page)
            assert page.title().startswith(words("Error:") + " "), (step.id, page.title())
            assert page.locator(".error-summary").is_visible()
            assert_focus_on_error_summary(page)  # app.js, or autofocus without script
            yield f"step-{step.id}-errors"
        for action in step.actions:
            do(page, action)
        submit(page)
        if step.id == EMERGENCY_AFTER:
            assert "/emergency" in page.url, page.url
            yield "emergency"
            submit(page, f"text={words('I am safe: go on with the questions')}")
    assert page.url.endswith("/check"), page.url
    yield "check-answers"
    submit(page, f"text={words('Make my summary')}")
    assert page.url.endswith("/summary"), page.url
    yield "summary"
    closed = page.locator("main details:not([open]) > summary")
    if closed.count():  # answers and option details folded away: open them, to check them too
        for _ in range(closed.count()):
            closed.first.click()  # an opened one leaves the list
        assert closed.count() == 0
        yield "summary-details-open"
    submit(page, f"main >> text={words('Download PDF')}")
    assert page.url.endswith("/summary/your-name"), page.url
    yield "pdf-name"
    for action in PDF_NAME.error_actions:
        do(page, action)
    submit(page)
    assert page.title().startswith(words("Error:") + " "), page.title()
    assert_focus_on_error_summary(page)
    yield "pdf-name-errors"
    for action in PDF_NAME.actions:
        do(page, action)
    # The PDF is made on the server first: allow for a slow, busy machine (not a time test).
    with page.expect_download(timeout=60_000) as download:
        # A download is a navigation that never ends: do not wait for it.
        page.click(SUBMIT, no_wait_after=True)
    assert download.value.suggested_filename.startswith("hfs-summary-")
    submit(page, 'main p a[href="/summary"]')  # "back to your summary"
    assert page.url.endswith("/summary"), page.url
    assert "Zoë Ångström" in page.locator("#answers-title + details").text_content()
    submit(page, f"main >> text={words('Save and come back later')}")
    assert page.url.endswith("/saved"), page.url
    yield "saved"
    page.goto(page.locator(".resume-link a").get_attribute("href"))
    yield "resume-confirm"
    submit(page, f"text={words('Continue with these answers')}")
    assert page.url.endswith("/summary"), page.url
    submit(page, f"text={words('Delete my answers')}")
    yield "delete"
    submit(page, f"text={words('Yes, delete my answers')}")
    assert page.locator("h1").inner_text() == words("Your answers are deleted")
    yield "deleted"
    page.goto(base + "/summary")  # the session is gone: back to the start, with a notice
    assert "missing=1" in page.url
    yield "start-answers-missing"
    page.goto(base + "/resume/no-such-link")
    yield "resume-link-not-found"
    page.goto(base + "/no-such-page")
    yield "page-not-found"


FOCUS_ON_ERROR_SUMMARY = (
    "() => document.activeElement && document.activeElement.matches('[data-error-summary]')"
)


def assert_focus_on_error_summary(page):
    """Chromium applies `autofocus` at its next rendering update, not at load, so without script
    the focus may arrive a moment after the page: wait for it (up to 5 s) instead of reading
    document.activeElement once."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(FOCUS_ON_ERROR_SUMMARY, timeout=5000)
    except PlaywrightTimeout:
        raise AssertionError(
            f"focus is not on the error summary after a failed submit ({page.url})"
        ) from None


# ---------------------------------------------------------------------------------------------
# axe-core


def run_axe(page):
    """axe-core's WCAG 2.2 A and AA rules on the page as it is now. The page's context must
    have bypass_csp=True: the app's CSP blocks the injected script otherwise."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
            });
            return {version: axe.version, violations: result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                          summary: n.failureSummary}))}))};
        }""",
        AXE_TAGS,
    )


def describe_violations(state, violations):
    lines = []
    for v in violations:
        lines.append(f"{state}: {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}: {summary[:300]}")
    return lines


# ---------------------------------------------------------------------------------------------
# Measurements taken inside the page

# Controls too small to hit: input, button, select, textarea, a link that is not part of a
# sentence, and the label of a radio or checkbox. WCAG 2.5.8 exempts links inside running text;
# a link is "in running text" when its block holds other words than the link's own.
SMALL_TARGETS_JS = """(minimum) => {
    const blockOf = (el) => {
        let node = el.parentElement;
        while (node && getComputedStyle(node).display.startsWith('inline')) {
            node = node.parentElement;
        }
        return node;
    };
    const words = (el) => (el.textContent || '').replace(/\\s+/g, ' ').trim();
    const found = [];
    const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, label';
    for (const el of document.querySelectorAll(selector)) {
        const choice = el.control && ['radio', 'checkbox'].includes(el.control.type);
        if (el.tagName === 'LABEL' && !choice) continue;
        if (el.closest('.visually-hidden, [hidden]')) continue;  // not on screen at all
        const style = getComputedStyle(el);
        if (style.display === 'none' || style.visibility === 'hidden') continue;
        if (el.tagName === 'A' && style.display === 'inline' && words(blockOf(el)) !== words(el)) {
            continue;  // a link in a sentence
        }
        const box = el.getBoundingClientRect();
        if (box.width < minimum || box.height < minimum) {
            found.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}`
                       + ` "${words(el).slice(0, 40)}"`
                       + ` is ${box.width.toFixed(1)}x${box.height.toFixed(1)}`);
        }
    }
    return found;
}"""

SIDEWAYS_JS = """() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
        if (el.closest('.visually-hidden, .skip-link')) continue;
        const box = el.getBoundingClientRect();
        if (box.width && (box.right > width + 0.5 || box.left < -0.5)) {
            wide.push(`${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''}`
                      + ` spans ${box.left.toFixed(0)}..${box.right.toFixed(0)}`);
        }
    }
    return {scrollWidth: root.scrollWidth, clientWidth: width, wide: wide.slice(0, 8)};
}"""

# Text cut off: an element that hides its overflow while its content is bigger than its box, or
# a text field whose value no longer fits (the screen-reader-only text is meant to be clipped).
CLIPPED_JS = """() => {
    const found = [];
    for (const el of document.body.querySelectorAll('*')) {
        if (el.closest('.visually-hidden')) continue;
        const style = getComputedStyle(el);
        if (style.display === 'none') continue;
        const field = el.matches('input[type=text], textarea');
        const hides = ['hidden', 'clip'].includes(style.overflowX)
            || ['hidden', 'clip'].includes(style.overflowY) || style.textOverflow === 'ellipsis';
        if (!field && !hides) continue;
        if (field && !el.value) continue;
        const tall = !field && el.scrollHeight > el.clientHeight + 1;
        if (el.scrollWidth > el.clientWidth + 1 || tall) {
            found.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}`
                       + ` content ${el.scrollWidth}x${el.scrollHeight}`
                       + ` in ${el.clientWidth}x${el.clientHeight}`);
        }
    }
    return found;
}"""

# The computed font size of every element that holds text directly.
FONT_SIZES_JS = """() => {
    const sizes = [];
    for (const el of document.body.querySelectorAll('*')) {
        const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
        if (own || el.matches('input[type=text], textarea, button')) {
            sizes.push(parseFloat(getComputedStyle(el).fontSize));
        }
    }
    return sizes;
}"""

SET_ROOT_FONT_SIZE_JS = "(size) => { document.documentElement.style.fontSize = size; }"


def page_json(page, script, arg=None):
    """Evaluate and return plain data (for messages)."""
    return json.loads(json.dumps(page.evaluate(script, arg)))
