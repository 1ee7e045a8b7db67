"""Clinical safety as a patient meets it in the browser: a Botox user whose eyelid drooped after
an injection reads the note next to the stroke choice, does not tick it, and never lands on the
emergency page. Their summary names the droop as a known effect of Botox."""

import pytest
from browser_support import PATH, SUBMIT, do, new_page, submit

pytestmark = pytest.mark.browser

STEPS = {step.id: step.actions for step in PATH}


def botox_droop_page(page, step_id):
    """What the patient does on each page; other pages as in the shared walk."""
    if step_id == "symptoms":
        stroke = page.get_by_label("Today or in the last few days, a sudden sign of a stroke")
        note = page.locator("#" + stroke.get_attribute("aria-describedby"))
        assert "expected effect of the injection, not a stroke" in note.inner_text()
        assert note.is_visible()
        page.get_by_label("Weakness or drooping of the face that started more than").check()
        page.locator("fieldset:has-text('Bell') input[value='no']").check()
        page.locator("fieldset:has-text('younger than 40') input[value='no']").check()
    elif step_id == "treatments":
        page.get_by_label("Botox", exact=False).first.check()
    elif step_id == "botox":
        page.locator("fieldset:has-text('happy') input").first.check()
    elif step_id == "botox_effects":
        page.get_by_label("A drooping eyelid").check()
    elif step_id == "botox_now":  # the weak face began after an injection (issue 25)
        page.locator("fieldset:has-text('still having Botox') input").first.check()
        page.locator(
            "fieldset:has-text('in the weeks after a Botox injection') input"
        ).first.check()
    else:
        for action in STEPS[step_id]:
            do(page, action)


def test_a_botox_droop_does_not_lead_to_the_emergency_page(browser, live_server):
    page = new_page(browser)
    page.goto(live_server.url + "/")
    submit(page, "text=Start now")
    seen = []
    while "/step/" in page.url:
        step_id = page.url.rsplit("/step/", 1)[1].split("?")[0]
        assert step_id not in seen, f"stuck on {step_id}"
        seen.append(step_id)
        botox_droop_page(page, step_id)
        submit(page, SUBMIT)
        if page.url.endswith("/choices"):  # the choices side by side (issue 31)
            submit(page, "#choices-continue")
        assert "/emergency" not in page.url, f"emergency page after {step_id}"
    assert "symptoms" in seen and "botox_effects" in seen
    assert page.url.endswith("/check"), page.url
    submit(page, "text=Make my summary")
    assert page.locator("#item-emergency").count() == 0
    page.get_by_text("What your answers mean, in full", exact=True).click()  # folded (issue 27)
    card = page.locator("#item-red_flags")
    text = card.inner_text()
    assert "known effect of Botox" in text
    assert "not usual in hemifacial spasm" not in text
    assert "call your emergency number" in text  # a droop with no injection before it
    page.context.close()
