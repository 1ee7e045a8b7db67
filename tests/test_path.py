"""The traps of issue 13, through the test client with CSRF on: continue or start again, save and
come back later, the return to the changed row, sending to the clinic (named, with name and date
of birth, a red-flag notice), the clinic's copy of a sent summary, Print = the PDF, and the name
and date of birth asked only when the summary is shared."""

import re
import subprocess
from datetime import UTC, datetime

from clinic_support import STAFF_EMAIL, add_staff, sign_in
from conftest import Patient, csrf_from
from test_wizard import BOTH_SIDES, LONG_BOTOX, NOTHING_TRIED, PREVIOUS_MVD, RED_FLAG, opening, walk

from decision_aid.store import get_store


def page_of(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code, response.location)
    return response.get_data(as_text=True)


def post_form(client, path, data=None):
    token = csrf_from(page_of(client, path))
    return client.post(path, data={"csrf_token": token, **(data or {})})


# ---- continue or start again --------------------------------------------------------------


def test_a_returning_browser_is_offered_continue_first_and_start_again_second(patient):
    patient.start()
    for step_id, data in opening()[:2]:
        patient.post_step(step_id, data)
    page = page_of(patient.client, "/")
    main = page[page.index("<main") :]
    assert main.index("Continue your answers") < main.index("Start again")
    assert 'class="button button--start" href="/step/pattern">Continue your answers' in page
    assert 'class="button button--secondary" href="/start-again">Start again' in page
    assert "Start now" not in page
    assert patient.stored().reference_display in page


def test_start_now_never_leaves_answers_without_a_key(app, patient):
    """The old trap: "Start now" made a new record and left the answers behind."""
    patient.start()
    patient.post_step(*opening()[0])
    token = patient.token()
    page = page_of(patient.client, "/step/time")  # an old tab's Start form, sent again
    response = patient.client.post("/start", data={"csrf_token": csrf_from(page)})
    assert response.location == "/step/time"
    assert patient.token() == token


def test_start_again_asks_first_and_says_the_answers_will_be_deleted(app, patient):
    patient.start()
    patient.post_step(*opening()[0])
    old = patient.token()
    page = page_of(patient.client, "/start-again")
    assert "we delete the answers saved on this device" in page
    assert patient.stored().reference_display in page
    assert 'href="/step/time">No, continue my answers' in page
    assert get_store(app).load(old) is not None  # the page alone changes nothing
    response = post_form(patient.client, "/start-again")
    assert response.location == "/step/twitching"
    assert patient.token() != old
    assert get_store(app).load(old) is None
    assert patient.stored() is None  # a new start: no record until the first answer is saved


def test_start_again_after_sending_keeps_the_clinics_copy(app, patient):
    walk(patient, BOTH_SIDES)
    send(patient, {"name": "Ann Lee", **DOB})
    old = patient.token()
    page = page_of(patient.client, "/start-again")
    assert "your old answers stay saved for Riverside Hospital" in page
    post_form(patient.client, "/start-again")
    assert get_store(app).load(old) is not None
    assert patient.token() != old


# ---- save and come back later -------------------------------------------------------------


def test_save_and_come_back_later_from_a_half_answered_page(app, patient):
    patient.start()
    for step_id, data in opening()[:3]:
        patient.post_step(step_id, data)
    page = page_of(patient.client, "/step/symptoms")
    assert 'name="save_later" value="1">Save and come back later</button>' in page
    response = patient.client.post(
        "/step/symptoms",
        data={"csrf_token": csrf_from(page), "save_later": "1", "bells_palsy": "no"},
    )
    assert response.location == "/saved"
    stored = patient.stored()
    assert stored.answers["bells_palsy"] == "no"  # what was valid is kept
    assert "symptoms" not in stored.completed_steps  # and the page will be asked again

    saved = page_of(patient.client, "/saved")
    token = patient.token()
    assert len(token) >= 43  # 32 random bytes: far more than 128 bits of secret
    assert f"http://localhost/resume/{token}" in saved
    assert f'data-copy="http://localhost/resume/{token}" hidden>Copy the link</button>' in saved
    assert stored.reference_display in saved
    assert "for 30 days after your last change" in saved
    svg = re.search(r"<svg [^>]*>.*?</svg>", saved, re.S).group(0)
    assert 'role="img"' in svg and 'aria-label="QR code of your resume link"' in svg
    assert "style" not in svg  # the CSP allows no inline style
    assert 'href="/step/symptoms">Continue now' in saved

    other = Patient(app, app.test_client())
    page = page_of(other.client, f"/resume/{token}")
    response = other.client.post(f"/resume/{token}", data={"csrf_token": csrf_from(page)})
    assert response.location == "/step/symptoms"
    assert re.search(
        r'name="bells_palsy" value="no"\s*checked', page_of(other.client, "/step/symptoms")
    )


def test_save_and_come_back_later_on_a_complete_page_saves_it(patient):
    patient.start()
    page = page_of(patient.client, "/step/twitching")
    data = dict(opening()[0][1], save_later="1", csrf_token=csrf_from(page))
    assert patient.client.post("/step/twitching", data=data).location == "/saved"
    assert patient.stored().completed_steps == ["twitching"]


def test_save_and_come_back_later_never_skips_the_emergency_advice(patient):
    patient.start()
    for step_id, data in opening()[:3]:
        patient.post_step(step_id, data)
    page = page_of(patient.client, "/step/symptoms")
    data = {"csrf_token": csrf_from(page), "save_later": "1", "red_flags": ["sudden_weakness"]}
    assert patient.client.post("/step/symptoms", data=data).location == "/emergency"


def test_the_saved_page_is_for_the_owner_only(client):
    assert client.get("/saved").location.startswith("/?missing=1")


# ---- the return to the changed row ---------------------------------------------------------


def test_a_change_that_opens_a_page_returns_to_the_changed_row_after_it(patient):
    walk(patient, NOTHING_TRIED)
    query = "?return_to=check&question=treatments"
    response = patient.post_step("treatments", {"treatments": ["mvd"]}, query)
    assert response.location == "/step/mvd?return_to=check&question=treatments"
    page = page_of(patient.client, response.location)
    assert '<input type="hidden" name="question" value="treatments">' in page
    response = patient.post_step("mvd", {"mvd_helped": "yes", "mvd_recurred": "no"}, query)
    assert response.location == "/check#answer-treatments"
    assert 'id="answer-treatments"' in page_of(patient.client, "/check")


def test_a_made_up_row_is_ignored(patient):
    walk(patient, NOTHING_TRIED)
    response = patient.post_step(
        "treatments", {"treatments": ["none"]}, "?return_to=check&question=x"
    )
    assert response.location == "/check"


# ---- sending to the clinic -----------------------------------------------------------------

DOB = {"date_of_birth__day": "7", "date_of_birth__month": "2", "date_of_birth__year": "1956"}


def send(patient, data=None):
    return post_form(patient.client, "/send-to-clinic", data)


def test_the_send_page_names_only_the_receiving_clinic(patient):
    """The patient typed St Mary's Neurology; the summary goes to CLINIC_NAME (Riverside
    Hospital). The page names only Riverside Hospital, says plainly that it sends only there,
    and offers Download and Print for St Mary's."""
    walk(patient, BOTH_SIDES)
    assert patient.stored().answers["clinic"] == "St Mary's Neurology"
    page = page_of(patient.client, "/send-to-clinic")
    assert "<h1>Send your summary to Riverside Hospital?</h1>" in page
    assert ">Send to Riverside Hospital</button>" in page
    notice = page[page.index('id="other-clinic"') :]
    notice = notice[: notice.index("</div>\n</div>")]
    assert "This service sends summaries only to Riverside Hospital" in notice
    assert "<bdi>St Mary&#39;s Neurology</bdi>. We cannot send your summary there." in notice
    assert 'href="/summary/your-name">Download PDF</a>' in notice
    assert 'href="/summary/your-name?then=print" target="_blank"' in notice
    # St Mary's is named once, in that notice; Riverside Hospital not eight times.
    assert page.count("St Mary&#39;s Neurology") == 1
    assert page.count("Riverside Hospital") <= 5
    summary = page_of(patient.client, "/summary")
    assert "This service sends summaries only to Riverside Hospital. For <bdi>St Mary" in summary
    assert ">Send to Riverside Hospital</a>" in summary
    send(patient, {"name": "Ann Lee", **DOB})
    sent = page_of(patient.client, "/send-to-clinic/sent")
    assert "Your summary is sent to Riverside Hospital" in sent and "St Mary" not in sent


def test_a_clinic_typed_as_the_receiving_one_gets_no_notice(app, patient):
    app.config["CLINIC_NAME"] = "ST MARY'S NEUROLOGY"  # case aside, the same
    walk(patient, BOTH_SIDES)
    page = page_of(patient.client, "/send-to-clinic")
    assert 'id="other-clinic"' not in page
    assert "<h1>Send your summary to ST MARY&#39;S NEUROLOGY?</h1>" in page


def test_without_clinic_name_sending_is_not_offered(app, patient):
    app.config["CLINIC_NAME"] = ""
    walk(patient, LONG_BOTOX)
    summary = page_of(patient.client, "/summary")
    assert 'id="send-to-clinic"' not in summary and "/send-to-clinic" not in summary
    assert 'class="button" href="/summary/your-name"' in summary  # Download is the main button
    assert patient.client.get("/send-to-clinic").location == "/summary"
    page = page_of(patient.client, "/summary")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = patient.client.post("/send-to-clinic", data={"csrf_token": token})
    assert response.location == "/summary" and patient.stored().sent_at is None


def test_the_send_page_says_until_when_the_clinic_keeps_it(app, patient, monkeypatch):
    """Sent on 25 November 2026 (the clock moved there): an appointment on 14 January 2027
    keeps it until 28 January; with MAX_RETENTION_DAYS of 40 the appointment is after the
    longest time, and the page asks the patient to bring the PDF."""
    monkeypatch.setattr(
        "decision_aid.web.shared.now",
        lambda: datetime(2026, 11, 25, 10, tzinfo=UTC),
    )
    walk(patient, PREVIOUS_MVD)  # appointment 14 January 2027
    page = page_of(patient.client, "/send-to-clinic")
    assert "The clinic keeps your summary until 28 January 2027. Then we delete it." in page
    assert 'id="kept-before-appointment"' not in page
    app.config["MAX_RETENTION_DAYS"] = 40  # the appointment is after the longest time kept
    page = page_of(patient.client, "/send-to-clinic")
    assert "The clinic keeps your summary until 4 January 2027." in page
    assert 'id="kept-before-appointment"' in page
    assert (
        "Your appointment on 14 January 2027 is after that date: we keep a summary for 40 days"
        " at most. Please bring your PDF to your appointment."
    ) in page
    app.config["MAX_RETENTION_DAYS"] = 180
    no_appointment = {f"appointment__{part}": "" for part in ("day", "month", "year")}
    patient.post_step("your_questions", no_appointment)
    patient.finish()
    page = page_of(patient.client, "/send-to-clinic")
    assert "The clinic keeps your summary until 25 December 2026." in page


def test_sending_needs_a_name_and_a_date_of_birth(app, patient):
    walk(patient, NOTHING_TRIED)
    page = page_of(patient.client, "/send-to-clinic")
    assert 'id="name"' in page and 'id="date_of_birth__day"' in page
    # Not the PDF page's hint about what happens "if you send your summary": this is sending.
    assert "If you send your summary" not in page and "For example, 27 3 1961." in page
    response = send(patient, {"name": "  "})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<title>Error: " in page
    assert "Enter your name, so the clinic knows whose summary it is" in page
    assert "Enter your date of birth, so the clinic can tell you apart from others" in page
    assert patient.stored().sent_at is None
    response = send(patient, {"name": "Ann Lee", **DOB})
    assert response.location == "/send-to-clinic/sent"
    stored = patient.stored()
    assert stored.sent_at is not None
    assert stored.answers["name"] == "Ann Lee" and stored.answers["date_of_birth"] == "1956-02-07"
    assert stored.finished_at is not None


def test_a_name_and_date_of_birth_already_given_are_not_asked_again(patient):
    walk(patient, LONG_BOTOX)
    page = page_of(patient.client, "/send-to-clinic")
    assert 'id="name"' not in page and 'id="date_of_birth__day"' not in page
    assert send(patient).location == "/send-to-clinic/sent"


def test_with_a_red_flag_the_send_page_says_the_clinic_does_not_watch_the_list(patient):
    walk(patient, RED_FLAG, emergency_after="symptoms")
    page = page_of(patient.client, "/send-to-clinic")
    assert 'id="send-red-flag"' in page
    assert "does not watch this list all the time" in page
    assert "call your local emergency number now" in page


def test_without_a_red_flag_there_is_no_such_notice(patient):
    walk(patient, LONG_BOTOX)
    assert 'id="send-red-flag"' not in page_of(patient.client, "/send-to-clinic")


def test_before_sending_nothing_says_the_clinic_can_find_the_summary(patient):
    walk(patient, LONG_BOTOX)
    for path in ("/summary", "/send-to-clinic", "/saved"):
        text = re.sub(r"<[^>]+>", " ", page_of(patient.client, path))
        assert not re.search(r"clinic (can|uses this code to) find", text, re.I), path
        assert "can now read" not in text


def test_the_sent_page_has_no_delete_button_and_the_summary_still_has_one(patient):
    walk(patient, LONG_BOTOX)
    send(patient)
    page = page_of(patient.client, "/send-to-clinic/sent")
    assert "button--warning" not in page and "Delete my answers" not in page
    assert 'href="/delete">Delete my answers' in page_of(patient.client, "/summary")


# ---- the clinic's copy: "being changed" never sticks ----------------------------------------


def staff_view(app, reference):
    if get_store(app).staff_by_email(STAFF_EMAIL) is None:
        add_staff(app)
    client = app.test_client()
    sign_in(client)
    return page_of(client, f"/staff/summary/{reference}"), page_of(client, "/staff/")


def test_the_clinic_keeps_the_sent_copy_until_the_summary_is_made_again(app, patient):
    walk(patient, LONG_BOTOX)
    send(patient)
    reference = patient.stored().reference
    # The patient starts changing an answer, and leaves without making the summary again.
    patient.post_step("pattern", {"frequency": "weekly", "in_sleep": "no"}, "?return_to=check")
    assert patient.stored().finished_at is None
    summary, listing = staff_view(app, reference)
    assert "Being changed" not in listing and "changing their answers" not in summary
    assert "Every day" in summary and "Every week" not in summary  # the copy as sent
    # The check page says what happens, and making the summary again sends the change.
    assert "keep the copy you sent" in page_of(patient.client, "/check")
    patient.finish()
    summary, _listing = staff_view(app, reference)
    assert "Every week" in summary


def test_a_remade_summary_that_changed_is_new_again_for_the_clinic(app, patient):
    walk(patient, LONG_BOTOX)
    send(patient)
    store = get_store(app)
    reference = patient.stored().reference
    store.set_reviewed(reference, None)
    patient.finish()  # made again without a change: still reviewed
    assert store.sent_by_reference(reference).reviewed_at is not None
    patient.post_step("pattern", {"frequency": "weekly", "in_sleep": "no"}, "?return_to=check")
    assert store.sent_by_reference(reference).reviewed_at is not None  # not sent yet
    patient.finish()
    assert store.sent_by_reference(reference).reviewed_at is None


# ---- Print is the same document as Download --------------------------------------------------


def test_print_opens_the_same_pdf_as_download(patient):
    walk(patient, LONG_BOTOX)
    page = page_of(patient.client, "/summary")
    # Print opens, in a new tab, the page that asks for the name on the PDF; then the PDF.
    assert 'href="/summary/your-name?then=print" target="_blank"' in page
    assert "Download and Print give the same PDF" in page
    assert "data-print" not in page
    name = dict(LONG_BOTOX)["about_you"]  # as the page shows it, filled in
    assert patient.post_page("/summary/your-name?then=print", name).location == (
        "/summary.pdf?print=1"
    )
    printed = patient.client.get("/summary.pdf?print=1")
    downloaded = patient.client.get("/summary.pdf")
    assert printed.headers["Content-Disposition"].startswith("inline;")
    assert downloaded.headers["Content-Disposition"].startswith("attachment;")
    assert printed.data == downloaded.data


def test_the_summary_puts_next_steps_urgent_advice_and_actions_first(patient):
    """Issue 27: "What to do next" first (its lines link to their cards, the urgent ones first),
    then the urgent cards in full and the actions; the grid, the other cards and the answers
    fold away below the short part."""
    walk(patient, RED_FLAG, emergency_after="symptoms")
    page = page_of(patient.client, "/summary")
    order = [
        page.index('id="next-title"'),
        page.index('id="item-emergency"'),
        page.index('id="send-to-clinic"'),
        page.index('<details class="fold" id="cards">'),
        page.index('<details class="fold" id="compare">'),
        page.index('id="answers-title"'),
    ]
    assert order == sorted(order)
    next_steps = re.search(r'id="next-title".*?</ol>', page, re.S).group(0)
    links = re.findall(r'<a href="#item-(\w+)">', next_steps)
    assert links[:2] == ["emergency", "red_flags"] and len(links) == 3
    for item in links:
        assert f'id="item-{item}"' in page  # each line jumps to its card
    # One link to the sources page, instead of a list of sources under every card.
    assert page.count('href="/sources"') == 1
    assert "Sources:" not in page.replace("Sources: where every figure", "")


# ---- the name and date of birth: asked only when the summary is shared ------------------------

PDF_NAME = "/summary/your-name"
QUESTION_PAGES = [(step_id, data) for step_id, data in LONG_BOTOX if step_id != "about_you"]
ANN = {"name": "Ann Lee", **DOB}


def pdf_text(data):
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode("utf-8").split())


def test_the_question_pages_do_not_ask_for_a_name(patient):
    """The guidance does not use the name or date of birth: the last question page leads to the
    check page, which shows no name until one is given, and the summary says when it is asked."""
    patient.start()
    for step_id, data in QUESTION_PAGES[:-1]:
        patient.post_step(step_id, data)
    for step_id in ("role", "support", "knowledge"):  # optional (issue 31): left empty
        patient.post_step(step_id, {})
    assert patient.post_step(*QUESTION_PAGES[-1]).location == "/check"
    check = page_of(patient.client, "/check")
    assert "About you" not in check and 'id="answer-name"' not in check
    patient.finish()
    summary = page_of(patient.client, "/summary")
    assert (
        "We ask for your name and date of birth only if you send, download or print your "
        "summary. Your guidance does not use them."
    ) in summary
    assert "Your name" not in summary
    assert "name" not in patient.stored().answers


def test_download_asks_for_the_name_on_the_pdf_and_puts_it_there(patient):
    walk(patient, NOTHING_TRIED)
    summary = page_of(patient.client, "/summary")
    download = re.search(r'<a [^>]*href="([^"]+)"[^>]*>Download PDF</a>', summary).group(1)
    page = page_of(patient.client, download)
    assert "<h1>Put your name on the page for your doctor</h1>" in page
    assert 'Your name <span class="optional">(optional)</span>' in page
    assert 'Your date of birth <span class="optional">(optional)</span>' in page
    assert ">Download the PDF</button>" in page
    assert 'href="/summary.pdf?without_name=1" download>Download it without a name</a>' in page
    response = patient.post_page(download, ANN)
    assert response.location == "/summary.pdf"
    text = pdf_text(patient.client.get(response.location).data)
    assert "Name: Ann Lee · Date of birth: 7 Feb 1956" in text
    # Given once, it is filled in the next time, and shown on the check page with a Change link.
    assert 'value="Ann Lee"' in page_of(patient.client, f"{PDF_NAME}?then=print")
    check = page_of(patient.client, "/check")
    row = re.search(r'<div class="summary-list__row" id="answer-name".*?</div>', check, re.S)
    assert "Ann Lee" in row.group(0)
    assert 'href="/step/about_you?return_to=check&amp;question=name#q-name"' in row.group(0)
    assert "7 February 1956" in check


def test_print_asks_for_the_name_too_and_opens_the_pdf_in_its_tab(patient):
    walk(patient, NOTHING_TRIED)
    page = page_of(patient.client, f"{PDF_NAME}?then=print")
    assert ">Print the PDF</button>" in page
    assert 'href="/summary.pdf?print=1&amp;without_name=1">Print it without a name</a>' in page
    response = patient.post_page(f"{PDF_NAME}?then=print", ANN)
    assert response.location == "/summary.pdf?print=1"
    printed = patient.client.get(response.location)
    assert printed.headers["Content-Disposition"].startswith("inline;")
    assert "Name: Ann Lee" in pdf_text(printed.data)


def test_the_page_before_the_pdf_checks_like_a_question_page(patient):
    walk(patient, NOTHING_TRIED)
    bad = {"name": "Ann Lee", "date_of_birth__day": "31", "date_of_birth__month": "2"}
    response = patient.post_page(PDF_NAME, bad | {"date_of_birth__year": "1960"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<title>Error: Put your name on the page for your doctor" in page
    assert '<a href="#date_of_birth__day">February 1960 has 29 days.' in page
    assert 'value="Ann Lee"' in page and 'value="31"' in page  # what was typed is kept
    assert "name" not in patient.stored().answers  # nothing saved
    response = patient.post_page(PDF_NAME, ANN | {"date_of_birth__year": "2030"})
    assert "The year of your date of birth must be between 1900 and 2026" in response.get_data(
        as_text=True
    )


def test_a_pdf_without_a_name_says_so_on_the_page_for_the_doctor(patient):
    """Left out, or "without a name" pressed: page 1 says the name and date of birth were not
    given, so a printed page without them is not mistaken for a complete one."""
    walk(patient, NOTHING_TRIED)
    response = patient.post_page(PDF_NAME, {})
    assert response.location == "/summary.pdf"
    text = pdf_text(patient.client.get(response.location).data)
    assert "Name: not given" in text and "Date of birth: not given" in text
    # "Without a name" leaves out one that was given, and keeps it for next time.
    patient.post_page(PDF_NAME, ANN)
    text = pdf_text(patient.client.get("/summary.pdf?without_name=1").data)
    assert "Ann Lee" not in text and "Name: not given" in text
    assert patient.stored().answers["name"] == "Ann Lee"


def test_the_page_before_the_pdf_needs_a_finished_summary(patient):
    patient.start()
    assert patient.client.get(PDF_NAME).location == "/check"


def test_a_name_can_be_changed_from_the_check_page(patient):
    walk(patient, LONG_BOTOX)
    query = "?return_to=check&question=name"
    page = page_of(patient.client, f"/step/about_you{query}")
    assert 'value="Zoë Ångström"' in page
    assert '<a class="back-link" href="/check">Back</a>' in page
    response = patient.post_step("about_you", ANN, query)
    assert response.location == "/check#answer-name"
    assert patient.stored().answers["name"] == "Ann Lee"


def test_a_name_given_once_is_not_asked_again_on_the_send_page(patient):
    walk(patient, NOTHING_TRIED)
    patient.post_page(PDF_NAME, ANN)
    page = page_of(patient.client, "/send-to-clinic")
    assert 'id="name"' not in page and "Your name, date of birth and questions." in page
    assert send(patient).location == "/send-to-clinic/sent"


def test_a_name_changed_before_the_pdf_reaches_the_clinic_when_the_summary_is_made_again(
    app, patient
):
    walk(patient, NOTHING_TRIED)
    send(patient, ANN)
    reference = patient.stored().reference
    patient.post_page(PDF_NAME, ANN | {"name": "Ann Leigh"})
    summary, _listing = staff_view(app, reference)
    assert "Ann Lee" in summary and "Ann Leigh" not in summary  # the copy as sent
    patient.finish()
    summary, _listing = staff_view(app, reference)
    assert "Ann Leigh" in summary


def test_the_summarys_emergency_card_has_the_numbers_as_buttons_to_tap(patient):
    """The emergency card of the summary says to call now: its numbers are tel: buttons, as on
    the emergency page, not only words in its text."""
    walk(patient, RED_FLAG, emergency_after="symptoms")
    page = page_of(patient.client, "/summary")
    card = page[page.index('id="item-emergency"') :]
    card = card.split('class="care-card care-card--')[0]  # up to the next card, if any
    calls = re.findall(r'<a class="button button--call" href="tel:(\d+)">\s*Call \1', card)
    assert calls == ["999", "112", "911"]
