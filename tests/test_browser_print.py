"""The summary page printed from the browser: the print stylesheet hides navigation and buttons,
keeps every guidance card and option, prints black on white, and the result is a real PDF."""

import subprocess

import pytest
from browser_support import DESKTOP, new_page, walk


@pytest.mark.browser
def test_summary_prints_cleanly(browser, live_server, tmp_path):
    page = new_page(browser, viewport=DESKTOP)
    for state in walk(page, live_server.url, errors=False):
        if state == "summary":
            break
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => [...document.querySelectorAll(
                '.site-header, .site-footer, .button, form, .back-link')]
              .filter(el => getComputedStyle(el).display !== 'none').map(el => el.outerHTML)"""
    )
    assert hidden == []
    colours = page.evaluate(
        """() => [...document.querySelectorAll('.care-card, .care-card *, .option *')]
              .map(el => getComputedStyle(el).color)"""
    )
    assert colours and set(colours) == {"rgb(0, 0, 0)"}
    kinds = page.locator(".care-card__kind").all_inner_texts()
    assert kinds and all(k.strip().endswith(":") for k in kinds)  # the kind is in words
    out = tmp_path / "summary.pdf"
    page.pdf(path=str(out), format="A4")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    for words in ["Your summary", "Your choices, side by side", "Questions to ask", "Sources"]:
        assert words in text
    assert "Delete my answers" not in text and "Download PDF" not in text
    page.context.close()
