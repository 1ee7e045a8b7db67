"""No page of the patient's copy left nearly empty (issue 26). The last row of pictures goes with
the heading of "Where to read more", so the sources never stand alone on the last page (the
sparse answers: that page 19% full before, about 40% now, with the QR code of the sources page
as on the service); a copy whose last page would hold a few lines only is set closer when that
takes the page off (the rash case: 5 pages to 4). The type stays at 12 pt either way."""

import pytest
from test_guidance import PERSONAS
from test_pdf import pages_text, render, typical
from test_pdf_pages import body_sizes, last_page_filled

SOURCES_URL = "https://clinic.example.org/sources"  # as the service passes it: a QR code too
BY_NAME = {name: answers for name, answers, *_ in PERSONAS}
RASH = "rash on carbamazepine, not said if still taking it: urgent, after the emergency"
SPARSE = "no red flags, specialist seen, vessel on MRI: nothing to flag"
# A spread of the guidance personas: nothing to say, urgent, red flags, pregnancy, after MVD.
SAMPLE = [
    SPARSE,
    RASH,
    "twitching for 2 weeks, nobody seen: wait a few weeks, no MRI yet",
    "MVD that worked: no after_mvd, no ask_about_mvd",
    "typical Botox patient, benefit halved",
    "issue 25: weak face, last Botox in 2022: urgent, scan named, never a Botox effect",
]


def copy_pages(pages):
    first = next(n for n, text in enumerate(pages) if "Your copy" in text)
    return pages[first:]


@pytest.mark.parametrize("name", SAMPLE)
def test_persona_pdfs_are_five_pages_at_most_and_their_last_page_is_not_nearly_empty(name):
    data = render(BY_NAME[name], sources_url=SOURCES_URL)
    pages = pages_text(data)
    assert len(pages) <= 5, name
    assert len(copy_pages(pages)) <= 3, name
    assert last_page_filled(data) >= 0.35, name


def test_the_typical_pdf_in_each_language_leaves_no_last_page_nearly_empty():
    for language in ("en", "es", "zh_Hans"):
        data = render(typical(), sources_url=SOURCES_URL, language=language)
        assert len(pages_text(data)) <= 5, language
        assert last_page_filled(data) >= 0.35, language


def test_the_rash_case_is_set_closer_onto_four_pages_in_type_as_large_as_ever():
    data = render(BY_NAME[RASH], sources_url=SOURCES_URL)
    pages = pages_text(data)
    assert len(pages) == 4  # it was 5, the last holding "About this summary" alone
    assert "Tell your doctor about your rash today" in " ".join(pages[2].split())
    assert "Where to read more" in pages[3]
    for index in (2, 3):  # the patient's copy
        sizes = body_sizes(data, index)
        body = {size: chars for size, chars in sizes.items() if chars > 40}
        assert min(body) >= 12, (index, sizes)


def test_the_last_row_of_pictures_goes_with_the_sources_to_the_last_page():
    data = render(BY_NAME[SPARSE], sources_url=SOURCES_URL)
    pages = [" ".join(text.split()) for text in pages_text(data)]
    assert len(pages) == 4
    last = pages[3]
    assert "hearing loss in that ear" in last and "Where to read more" in last
    assert "Pictures of 100 people" in pages[2]  # the heading stays with the first row
