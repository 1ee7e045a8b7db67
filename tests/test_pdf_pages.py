"""The PDF's pages (issue 26): page 1 for the clinician, page 2 "For the consultation", then the
patient's copy in three pages at most. Page counts, and the font sizes read from the PDF itself
(pypdf): the consultation grid at 10 pt or more, the patient's copy at 12 pt or more, the header
and footer (the margins) left out."""

import collections
import copy
import io
import json
from pathlib import Path

import pypdf
import pytest
from test_pdf import TODAY, guidance_for, maximal, pages_text, render, typical

from decision_aid import pdf as pdf_module
from decision_aid.guidance import evaluate
from decision_aid.text import i18n

ANSWERS = Path(__file__).parent / "data" / "answers"
MARGIN_TOP_PT, MARGIN_BOTTOM_PT = 57, 51  # print.css: 20 mm and 18 mm


def rendered(answers, language="en"):
    with i18n.using(language):
        result = evaluate(copy.deepcopy(answers), TODAY)
    return pdf_module.render_summary_pdf(
        answers, result, reference="ABCD-EFGH", today=TODAY, language=language
    )


def body_sizes(data, index):
    """{font size in pt: characters} of the body text of page `index` (0-based)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    page = reader.pages[index]
    height = float(page.mediabox.height)
    sizes = collections.Counter()

    def visit(text, cm, tm, _font, size):
        if not text.strip():
            return
        y = tm[5] * (cm[3] or 1) + cm[5]
        if MARGIN_BOTTOM_PT < y < height - MARGIN_TOP_PT:
            sizes[round(abs(size * (tm[3] or 1) * (cm[3] or 1)), 1)] += len(text.strip())

    page.extract_text(visitor_text=visit)
    return sizes


def last_page_filled(data):
    """How far down its body the last page's text goes, as a share of the body's height."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    page = reader.pages[-1]
    height = float(page.mediabox.height)
    lowest = [height - MARGIN_TOP_PT]

    def visit(text, cm, tm, _font, _size):
        y = tm[5] * (cm[3] or 1) + cm[5]
        if text.strip() and MARGIN_BOTTOM_PT < y < height - MARGIN_TOP_PT:
            lowest[0] = min(lowest[0], y)

    page.extract_text(visitor_text=visit)
    body = height - MARGIN_TOP_PT - MARGIN_BOTTOM_PT
    return (height - MARGIN_TOP_PT - lowest[0]) / body


@pytest.fixture(scope="module")
def typical_pdf():
    return render(typical())


def test_typical_pdf_is_five_pages_clinician_consultation_then_three_for_the_patient(typical_pdf):
    pages = pages_text(typical_pdf)
    assert len(pages) <= 5
    assert "summary for the clinician" in pages[0]
    assert "For the consultation" in pages[1].split("Question")[0]
    copy_pages = [n for n, text in enumerate(pages) if "Your copy" in text]
    assert copy_pages == [2]
    assert len(pages) - 2 <= 3


def test_consultation_page_holds_the_grid_priorities_leaning_sure_and_questions(typical_pdf):
    page = " ".join(pages_text(typical_pdf)[1].split())
    for words in (
        "Botox injections",
        "Tablets",
        "Live with it for now",
        "No one knows.",
        "Matters to you: a lasting fix",
        "Leaning towards: ask about surgery (MVD)",
        "Ready to decide (SURE): 2 of 4",
    ):
        assert words in page, words
    own = page.index("My Botox lasts 6 weeks now instead of 12.")
    suggested = page.index("Which choice is most likely to last?")
    assert own < suggested  # the patient's own questions first


@pytest.mark.parametrize("index", [2, 3, 4])
def test_patients_copy_body_is_12_pt_or_more(typical_pdf, index):
    sizes = body_sizes(typical_pdf, index)
    assert sum(sizes.values()) > 100
    assert min(sizes) >= 12, sizes


def test_consultation_grid_is_10_pt_or_more(typical_pdf):
    sizes = body_sizes(typical_pdf, 1)
    assert sum(sizes.values()) > 1000
    assert min(sizes) >= 10, sizes


def test_pictures_of_100_people_are_5_mm_a_person(typical_pdf):
    """Each picture is 50 mm wide (10 people a row): its image box in the layout."""
    document = pdf_module.layout_summary(
        typical(), guidance_for(typical()), reference="ABCD-EFGH", today=TODAY
    )
    widths = []

    for page in document.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and "icon-array" in (element.get("class") or ""):
                widths.append(box.width)
    assert len(widths) >= 4
    assert min(widths) * 25.4 / 96 >= 50 - 0.01  # CSS px to mm


@pytest.mark.parametrize(
    ("name", "language", "most"),
    [
        ("red_flag.json", "en", 5),
        ("typical_botox.json", "es", 6),
        ("typical_botox.json", "zh_Hans", 5),
    ],
)
def test_other_pdfs_stay_short(name, language, most):
    answers = json.loads((ANSWERS / name).read_text(encoding="utf-8"))
    assert len(pages_text(rendered(answers, language))) <= most


def test_rash_on_carbamazepine_has_the_urgent_box_on_page_one():
    answers = typical()
    answers.update(
        treatments=["medicines"],
        medicines=["carbamazepine"],
        medicine_helped="partly",
        medicine_side_effects=["rash"],
        medicine_current="yes",
        red_flags=["none"],
    )
    for key in [k for k in answers if k.startswith("botox")]:
        del answers[key]
    page1 = " ".join(pages_text(render(answers))[0].split())
    assert "URGENT Act on these first" in page1 or "Urgent" in page1
    assert "rash on carbamazepine" in page1.lower()


def test_the_consultation_page_prints_alone():
    pages = pages_text(render(typical(), consultation_only=True))
    assert len(pages) == 1
    assert "For the consultation" in pages[0] and "Page 1 of 1" in pages[0]
    assert "summary for the clinician" not in pages[0] and "Your copy" not in pages[0]


def test_patient_and_staff_print_the_consultation_page(tmp_path):
    from conftest import Patient, make_app
    from test_wizard import NOTHING_TRIED, walk

    from decision_aid.store import get_store

    app = make_app(tmp_path)
    patient = Patient(app, app.test_client())
    walk(patient, NOTHING_TRIED)
    summary = patient.client.get("/summary").get_data(as_text=True)
    assert 'href="/summary/consultation.pdf"' in summary
    response = patient.client.get("/summary/consultation.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = pages_text(response.data)
    assert len(pages) == 1 and "For the consultation" in pages[0]
    assert app.test_client().get("/summary/consultation.pdf").status_code == 404
    get_store(app).engine.dispose()


def test_the_year_of_the_last_mri_is_beside_the_mri_answer_on_page_one():
    answers = typical() | {"mri": "vessel_contact", "mri_year": 2024}
    page1 = " ".join(pages_text(render(answers))[0].split())
    assert "last MRI: 2024" in page1
    assert "since Mar 2019 (about 7 years)" in " ".join(pages_text(render(typical()))[0].split())


def test_page_one_has_the_health_answers_and_says_what_not_sure_is_about():
    """The optional health questions in one row of page 1, each answer saying what it is about:
    a bare "Not sure" after the age told the clinician nothing."""
    answers = typical() | {"age_band": "70_79", "health_problems": ["heart"]}
    page1 = " ".join(pages_text(render(answers | {"blood_thinners": "yes"}))[0].split())
    assert "Health [!] Aged 70 to 79 · Serious heart problem · Takes a blood thinner" in page1
    page1 = " ".join(pages_text(render(answers | {"blood_thinners": "unsure"}))[0].split())
    assert "Health Aged 70 to 79 · Serious heart problem · Not sure about blood thinners" in page1


def test_the_longest_answers_keep_the_copy_to_three_pages_and_fill_the_last():
    """The longest answers the format allows (test_pdf.maximal: every list full, 20 questions
    of 500 characters): page 1, the rest of the patient's questions in full (two pages: 10,000
    characters of the patient's own words do not fit one page in type a clinician reads), page 2
    for the consultation, and the patient's copy in three pages, its last page not left nearly
    empty. It was 8 pages: the copy took a fourth for a few lines, as its cards were kept whole."""
    data = render(maximal())
    pages = pages_text(data)
    assert len(pages) <= 7
    consultation = [n for n, text in enumerate(pages) if "For the consultation" in text]
    copy_pages = [n for n, text in enumerate(pages) if "Your copy" in text]
    assert consultation and consultation[0] <= 3  # page 1 and at most two continued
    assert len(pages) - copy_pages[0] <= 3
    assert last_page_filled(data) > 0.5
