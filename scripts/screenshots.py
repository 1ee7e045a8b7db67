"""Screenshots of every page of the patient's path, at 360 px and 1280 px wide, in headless
Debian chromium. `make screenshots` writes them to build/screenshots/ (git-ignored;
scripts/curate_screenshots.py copies the ones the documents show to docs/screenshots/)."""

import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from decision_aid import create_app
from decision_aid.cli.main import main as cli

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pdf_screenshots import SOURCES_URL, small_png  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "build" / "screenshots"  # git-ignored
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = {"phone": (360, 740), "desktop": (1280, 900)}
# Extra captures at phone width: the dark colour scheme, and the text at 200 % with the app's
# own A++ control (decision_aid/web/text_size.py: a cookie, as a patient sets it).
VARIANTS = {
    "phone-dark": ({"color_scheme": "dark"}, None),
    "phone-text200": ({}, "largest"),
}
VARIANT_PAGES = {
    "01-start",
    "03-step-twitching-errors",
    "04-step-time",
    "07-emergency",
    "12-step-daily-life",
    "12c-choices",
    "13-step-priorities",
    "17-check-answers",
    "18-summary",
    "18-pdf-name",
    "19-saved",
    "20-send-to-clinic",
}


def serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def fill_path(page, base):
    """A long Botox user, answered through the real pages. Yields (name, page) at each stop."""
    page.goto(base + "/")
    yield "01-start"
    page.click("text=Start now")
    yield "02-step-twitching"
    page.click("text=Continue")
    yield "03-step-twitching-errors"
    for label in ["Left side", "Around the eye", "Eyelid", "Cheek"]:
        page.get_by_label(label, exact=True).check()
    page.click("text=Continue")
    page.locator("#onset_known-0").check()
    page.fill("#onset__month", "March")
    page.fill("#onset__year", "2019")
    yield "04-step-time"
    page.get_by_label("It has got worse").check()
    page.click("text=Continue")
    yield "05-step-pattern"
    page.get_by_label("Every day").check()
    page.locator("#in_sleep-0").check()
    page.click("text=Continue")
    yield "06-step-symptoms"
    page.locator("#red_flags-0").check()  # a sudden sign of a stroke: the emergency page
    page.locator("#bells_palsy-1").check()
    page.locator("#onset_before_40-1").check()
    page.click("text=Continue")
    yield "07-emergency"
    page.click("text=I am safe")
    yield "08-step-diagnosis"
    page.get_by_label("A neurologist (a nerve and brain doctor)").check()
    page.locator("#diagnosed_hfs-0").check()
    page.get_by_label("Yes, and it was normal").check()
    page.click("text=Continue")
    yield "09-step-treatments"
    page.get_by_label("Botox injections").check()
    page.click("text=Continue")
    yield "10-step-botox"
    page.fill("#botox_rounds", "24")
    page.fill("#botox_last__month", "9")
    page.fill("#botox_last__year", "2026")
    page.get_by_label("Somewhat happy").check()
    page.click("text=Continue")
    yield "11-step-botox-effects"
    page.fill("#botox_weeks_first", "12")
    page.fill("#botox_weeks_now", "6")
    page.get_by_label("A drooping eyelid").check()
    page.click("text=Continue")
    yield "11b-step-botox-now"
    page.get_by_label("Yes", exact=True).check()
    page.click("text=Continue")
    yield "12-step-daily-life"
    page.locator("#impact__reading-2").check()
    page.locator("#impact__mood-1").check()
    page.click("text=Continue")
    yield "12b-step-health"
    page.get_by_label("60 to 69").check()
    page.click("text=Continue")
    yield "12c-choices"
    page.click("#choices-continue")
    yield "13-step-priorities"
    page.locator("#priorities__lasting_fix-2").check()
    page.get_by_label("Asking about an operation (MVD)").check()
    page.get_by_label("This does not apply to me").check()
    page.click("text=Continue")
    page.locator("#sure__sure_of_choice-0").check()
    page.click("text=Continue")
    yield "14-step-sure-errors"
    for key in ["know_options", "clear_values", "enough_support"]:
        page.locator(f"#sure__{key}-1" if key == "know_options" else f"#sure__{key}-0").check()
    page.click("text=Continue")
    # The optional pages of "Making your decision": the first as it looks, then skipped.
    yield "14b-step-role"
    for _ in range(3):
        page.click("text=Skip this page")
    yield "15-step-your-questions"
    page.get_by_label("Could an operation (MVD) help me?").check()
    page.fill("#patient_questions__own", "Why does my Botox wear off sooner?")
    page.click("text=Continue")
    yield "17-check-answers"  # no name: it is asked only when the summary is shared
    page.click("text=Make my summary")
    yield "18-summary"
    page.get_by_text("Compare your choices", exact=True).click()  # the grid is folded
    yield "18-option-grid"
    page.click("main >> text=Download PDF")
    yield "18-pdf-name"
    page.goto(base + "/summary")
    page.click("main >> text=Save and come back later")
    yield "19-saved"
    page.goto(base + "/summary")
    page.click("text=Send to Riverside Hospital")
    page.click("main button[type=submit]")
    yield "20-send-to-clinic"
    page.fill("#name", "Zoë Ångström")
    page.fill("#date_of_birth__day", "7")
    page.fill("#date_of_birth__month", "2")
    page.fill("#date_of_birth__year", "1956")
    page.click("main button[type=submit]")
    yield "21-sent"
    page.goto(base + "/")
    yield "22-start-continue"
    page.click("text=Start again")
    yield "23-start-again"
    page.goto(base + "/summary")
    page.click("text=Delete my answers")
    yield "24-delete"


# Captures of one part of a page, not the whole page.
ELEMENT_SHOTS = {"18-option-grid": "#option-grid"}
TYPICAL = OUT.parents[1] / "tests" / "data" / "answers" / "typical_botox.json"


def pdf_pages():
    """The PDF of the typical Botox user, default configuration, each page as pdf-typical-N.png."""
    for old in OUT.glob("pdf-typical-*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "typical.pdf"
        cli(
            ["render", str(TYPICAL), "-o", str(pdf), "--today", "2026-11-25"]
            + ["--sources-url", SOURCES_URL]
        )
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", str(pdf), str(OUT / "pdf-typical")], check=True
        )
    for page in sorted(OUT.glob("pdf-typical-*.png")):
        small_png(page)
        print(page.name)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    pdf_pages()
    with tempfile.TemporaryDirectory() as instance:
        # A clinic runs the service: the summary offers to send to it (docs/clinic.md).
        app = create_app(
            {"INSTANCE_PATH": instance, "TODAY": "2026-11-25", "CLINIC_NAME": "Riverside Hospital"}
        )
        server, base = serve(app)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for device, (width, height) in WIDTHS.items():
                    context = browser.new_context(viewport={"width": width, "height": height})
                    page = context.new_page()
                    for name in fill_path(page, base):
                        path = OUT / f"{name}-{device}.png"
                        if name in ELEMENT_SHOTS:
                            page.locator(ELEMENT_SHOTS[name]).screenshot(path=path)
                        else:
                            page.screenshot(path=path, full_page=True)
                        print(path.name)
                    context.close()
                for variant, (options, text_size) in VARIANTS.items():
                    context = browser.new_context(viewport={"width": 360, "height": 740}, **options)
                    page = context.new_page()
                    if text_size:
                        page.goto(f"{base}/text-size/{text_size}")
                    for name in fill_path(page, base):
                        if name not in VARIANT_PAGES:
                            continue
                        page.screenshot(path=OUT / f"{name}-{variant}.png", full_page=True)
                        print(f"{name}-{variant}.png")
                    context.close()
                browser.close()
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
