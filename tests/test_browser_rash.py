"""A rash on carbamazepine, still taken (issue 25): the advice comes at once, on a page of its
own straight after the medicines questions, like the stroke page; the start page keeps it while
the answer stands; and page 1 of the PDF names the urgent item for the clinician."""

import io

import pytest
from browser_support import PATH, SUBMIT, do, new_page, submit
from pypdf import PdfReader

pytestmark = pytest.mark.browser

STEPS = {step.id: step.actions for step in PATH}


def rash_page(page, step_id):
    """Tablets only: carbamazepine, still taken, with a rash; other pages as in the shared walk."""
    if step_id == "symptoms":
        page.get_by_label("None of these").check()
        page.locator("fieldset:has-text('Bell') input[value='no']").check()
        page.locator("fieldset:has-text('younger than 40') input[value='no']").check()
    elif step_id == "treatments":
        page.get_by_label("Medicines, such as carbamazepine or clonazepam").check()
    elif step_id == "medicines":
        page.get_by_label("Carbamazepine").check()
        page.locator("fieldset:has-text('Are you still taking it') input[value='yes']").check()
    elif step_id == "medicine_effects":
        page.locator("fieldset:has-text('Did the medicine help') input").first.check()
        page.get_by_label("A rash").check()
    else:
        for action in STEPS[step_id]:
            do(page, action)


def test_a_rash_on_carbamazepine_interrupts_at_once_and_reaches_page_one(browser, live_server):
    page = new_page(browser)
    page.goto(live_server.url + "/")
    submit(page, "text=Start now")
    seen = []
    while "/step/" in page.url:
        step_id = page.url.rsplit("/step/", 1)[1].split("?")[0]
        assert step_id not in seen, f"stuck on {step_id}"
        seen.append(step_id)
        rash_page(page, step_id)
        submit(page, SUBMIT)
        if page.url.endswith("/choices"):  # the choices side by side (issue 31)
            submit(page, "#choices-continue")
        if step_id == "medicine_effects":
            # Straight after the medicines questions: what to do today, and when to call.
            assert "/urgent/medicine_rash" in page.url, page.url
            text = page.locator("main").inner_text()
            assert "URGENT:" in text.upper() and "Today, tell your doctor about your rash" in text
            for words in ("blisters", "peeling skin", "sores in your mouth or eyes", "fever"):
                assert words in text, words
            assert "999 in the UK, 112 in Europe, 911 in the US and Canada" in text
            # The same advice on the start page while the answer stands.
            page.goto(live_server.url + "/")
            assert "Today, tell your doctor about your rash" in page.locator("main").inner_text()
            page.go_back()
            submit(page, "text=I have read this: go on with the questions")
        assert "/emergency" not in page.url
    assert "medicine_effects" in seen
    assert page.url.endswith("/check"), page.url
    submit(page, "text=Make my summary")
    card = page.locator("#item-medicine_rash")
    assert card.inner_text().upper().startswith("URGENT:")
    response = page.request.get(live_server.url + "/summary.pdf")
    assert response.status == 200, response.status
    page1 = " ".join(PdfReader(io.BytesIO(response.body())).pages[0].extract_text().split())
    assert "Urgent: rash on carbamazepine, still taking it" in page1
    assert "Red flags: none reported" not in page1
    page.context.close()
