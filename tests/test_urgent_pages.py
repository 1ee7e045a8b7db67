"""The rash on carbamazepine (issue 25) through the Flask test client, CSRF on: the interrupt comes
straight after the medicines questions, and the saved page and the start page keep the advice
while the answer stands, and drop it when the answer changes."""

RASH_TODAY = "Today, tell your doctor about your rash"
SIGNS = ("blisters", "peeling skin", "sores in your mouth or eyes", "fever")


def _answer_rash(patient, current="yes"):
    patient.start()
    assert patient.post_step("treatments", {"treatments": "medicines"}).status_code == 302
    medicines = {"medicines": "carbamazepine", "medicine_current": current}
    assert patient.post_step("medicines", medicines).status_code == 302
    effects = {"medicine_helped": "no", "medicine_side_effects": "rash"}
    return patient.post_step("medicine_effects", effects)


def _main_text(response):
    page = response.get_data(as_text=True)
    return page[page.index("<main") : page.index("</main>")]


def test_the_rash_interrupts_and_stays_on_the_saved_and_start_pages(patient):
    response = _answer_rash(patient)
    assert response.location.startswith("/urgent/medicine_rash?")
    interrupt = _main_text(patient.client.get(response.location))
    assert RASH_TODAY in interrupt and all(words in interrupt for words in SIGNS)
    for path in ("/saved", "/"):
        page = patient.client.get(path)
        assert page.status_code == 200 and page.headers["Cache-Control"].startswith("no-store")
        text = _main_text(page)
        assert 'id="urgent-medicine_rash"' in text and RASH_TODAY in text, path
        assert all(words in text for words in SIGNS), path


def test_the_advice_goes_when_the_patient_has_stopped_the_tablet(patient):
    _answer_rash(patient)
    changed = {"medicines": "carbamazepine", "medicine_current": "no"}
    assert patient.post_step("medicines", changed).status_code == 302
    for path in ("/saved", "/"):
        assert 'id="urgent-medicine_rash"' not in _main_text(patient.client.get(path)), path


def test_a_stopped_tablet_gets_no_interrupt(patient):
    response = _answer_rash(patient, current="no")
    assert "/urgent/" not in response.location
