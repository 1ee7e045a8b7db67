"""Page furniture and page 1 of the PDF, measured on WeasyPrint's own layout: the running header
and footer never overlap the body, on every page, with or without a clinic name and logo, on A4
and Letter; the clinician-only PDF; what page 1 adds (answered date, age, scales, SURE in words,
pregnancy, guidance in the clinician's words); real links in the sources."""

import datetime
import io

import pytest
from pypdf import PdfReader
from test_pdf import REFERENCE, TODAY, guidance_for, maximal, pages_text, render, typical
from weasyprint.formatting_structure import boxes

from decision_aid import pdf

ANSWERED = datetime.date(2026, 11, 20)
LONG_CLINIC = "Department of Neurology and Neurosurgery, University Hospital of Example"


@pytest.fixture(scope="module")
def logo(tmp_path_factory):
    """A square logo: as tall as the header lets it be."""
    from PIL import Image

    path = tmp_path_factory.mktemp("logo") / "logo.png"
    Image.new("RGB", (200, 200), (20, 60, 120)).save(path)
    return str(path)


def _visible(box):
    """Whether a box paints something: text, an image, or a border or background."""
    if isinstance(box, boxes.TextBox | boxes.ReplacedBox):
        return box.width > 0 and box.height > 0
    style = box.style
    bordered = any(style[f"border_{side}_width"] for side in ("top", "right", "bottom", "left"))
    return bordered or style["background_color"].alpha > 0


def _extent(root):
    """(top, bottom) in CSS px of everything visible under `root`, or None."""
    tops, bottoms = [], []
    for box in root.descendants():
        if box is root or not _visible(box):
            continue
        tops.append(box.border_box_y())
        bottoms.append(box.border_box_y() + box.border_height())
    return (min(tops), max(bottoms)) if tops else None


def page_regions(page):
    """The header, body and footer extents of one laid-out page."""
    page_box = page._page_box
    margins = [c for c in page_box.children if isinstance(c, boxes.MarginBox)]
    body = [c for c in page_box.children if not isinstance(c, boxes.MarginBox)]
    header = [_extent(m) for m in margins if m.at_keyword.startswith("@top")]
    footer = [_extent(m) for m in margins if m.at_keyword.startswith("@bottom")]
    body_extents = [e for e in (_extent(b) for b in body) if e]
    return (
        [e for e in header if e],
        (min(t for t, _ in body_extents), max(b for _, b in body_extents)),
        [e for e in footer if e],
    )


CONFIGURATIONS = [
    pytest.param("", False, id="default"),
    pytest.param(LONG_CLINIC, False, id="name"),
    pytest.param("", True, id="logo"),
    pytest.param(LONG_CLINIC, True, id="name-and-logo"),
]


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize(("clinic_name", "with_logo"), CONFIGURATIONS)
def test_header_and_footer_never_overlap_the_body(paper, clinic_name, with_logo, logo):
    _assert_furniture_apart(typical(), paper, clinic_name, logo if with_logo else None)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_header_and_footer_never_overlap_the_longest_summary(paper, logo):
    """The most pages, the longest lines and the fullest page 1."""
    _assert_furniture_apart(maximal(), paper, LONG_CLINIC, logo)


def _assert_furniture_apart(answers, paper, clinic_name, logo):
    document = pdf.layout_summary(
        answers,
        guidance_for(answers),
        reference=REFERENCE,
        today=TODAY,
        clinic_name=clinic_name,
        clinic_logo=logo,
        paper=paper,
    )
    assert len(document.pages) >= 5
    for number, page in enumerate(document.pages, 1):
        header, (body_top, body_bottom), footer = page_regions(page)
        assert header and footer, number
        for top, bottom in header:
            assert top >= 0 and bottom < body_top, (number, bottom, body_top)
        for top, bottom in footer:
            assert top > body_bottom and bottom <= page.height, (number, top, body_bottom)


def test_without_a_clinic_name_the_header_still_has_its_height():
    """The fault the issue found: the floated reference hung over the first line of page 1."""
    answers = typical()
    document = pdf.layout_summary(answers, guidance_for(answers), reference=REFERENCE, today=TODAY)
    header, (body_top, _), _ = page_regions(document.pages[0])
    (top, bottom), *_ = header
    assert bottom - top > 8  # a line of 9 pt text and its rule, not an empty box
    assert bottom < body_top


def test_clinician_only_pdf_is_page_1_alone():
    data = render(typical(), clinician_only=True, answered=ANSWERED)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    [text] = pages_text(data)
    flat = " ".join(text.split())
    assert "Page 1 of 1" in flat
    assert "Answers last changed: 20 Nov 2026" in flat
    assert "Date of birth: 17 Apr 1962 · Age: 64" in flat
    assert "16 of 21 (higher is worse, 0 to 21)" in flat
    assert "2 of 4 (higher is better, 0 to 4; 3 or less is decisional conflict)" in flat
    assert "Not sure of the best choice; knows the benefits and risks of each option" in flat
    assert "Your copy" not in flat and "Sources" not in flat


def test_page_1_speaks_about_the_patient_with_levels_in_the_clinicians_words():
    [first, *_] = pages_text(render(typical()))
    flat = " ".join(first.split())
    assert "Guidance the patient was given" in flat
    assert "Urgent: Not typical of HFS: check for other causes." in flat
    assert "Urgent: symptoms not typical of hemifacial spasm, to check soon" in flat  # the box
    assert "Discussed: MVD named as one choice." in flat
    assert "The patient reported side effects from Botox: drooping eyelid" in flat
    assert "Recommended:" in flat and "Recommended: MVD" not in flat
    assert " you " not in f" {flat.lower()} ".replace("your copy", "")
    assert "We suggest" not in flat and "Good to know" not in flat


@pytest.mark.parametrize(("value", "label"), [("planning", "Planning a pregnancy"), (None, None)])
def test_pregnancy_is_on_page_1_only_when_answered(value, label):
    answers = typical()
    if value:
        answers["pregnancy"] = value
    [first, *_] = pages_text(render(answers))
    flat = " ".join(first.split())
    if label:
        assert f"Pregnancy {label}" in flat
    else:
        assert "Pregnancy" not in flat


def test_without_an_answered_date_or_birth_date_page_1_says_neither():
    answers = typical()
    del answers["date_of_birth"]
    [first, *_] = pages_text(render(answers))
    assert "Age:" not in first and "Answers last changed" not in first


@pytest.mark.parametrize("missing", [("name",), ("date_of_birth",), ("name", "date_of_birth")])
def test_page_1_says_when_the_name_or_date_of_birth_was_not_given(missing):
    """A patient may print the PDF without them (they are asked only when sharing, and may be
    left out): page 1 says which is missing, with a line to write it on, even when other details
    (the appointment, the clinic) are there."""
    answers = typical()
    for key in missing:
        del answers[key]
    [first, *_] = pages_text(render(answers))
    flat = " ".join(first.split())
    for key, label in (("name", "Name"), ("date_of_birth", "Date of birth")):
        assert (f"{label}: not given" in flat) == (key in missing), key
    assert "Appointment:" in flat
    html = pdf.render_summary_html(answers, guidance_for(answers), reference=REFERENCE, today=TODAY)
    assert html.count('<span class="write-in"></span>') == len(missing)


def test_sources_are_real_links():
    """The patient's copy links to the service's sources page (its full list, with links), and
    its numbers to call are tel: links (issue 32)."""
    url = "https://hfs.example/sources"
    reader = PdfReader(io.BytesIO(render(typical(), sources_url=url)))
    uris = {
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link"
        and "/URI" in annotation.get_object().get("/A", {})
    }
    assert {uri for uri in uris if not uri.startswith("tel:")} == {url}
    assert {uri for uri in uris if uri.startswith("tel:")} == {"tel:999", "tel:112", "tel:911"}


def test_render_command_takes_the_answered_date(tmp_path):
    from test_pdf import DATA

    from decision_aid.cli.main import main

    answers, out = DATA / "pdf_answers_typical.json", tmp_path / "out.pdf"
    base = ["render", str(answers), "-o", str(out), "--today", "2026-11-25"]
    assert main([*base, "--answered", "2026-11-21"]) == 0
    assert "Answers last changed: 21 Nov 2026" in " ".join(pages_text(out.read_bytes())[0].split())
    assert main(base) == 0  # by default, the date of the summary
    assert "Answers last changed: 25 Nov 2026" in " ".join(pages_text(out.read_bytes())[0].split())
    assert main([*base, "--answered", "2026-11-26"]) == 2  # after the summary's date
