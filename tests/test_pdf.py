"""The PDF summary (decision_aid/pdf/): layout, tagging, fonts, determinism, the locked fetcher
and the `decision-aid render` command. Text is checked with poppler's pdftotext, fonts with
pdffonts, structure and metadata with pypdf."""

import copy
import datetime
import hashlib
import io
import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from pypdf import PdfReader

from decision_aid import pdf
from decision_aid.cli.main import main
from decision_aid.guidance import evaluate
from decision_aid.guidance.content import CONTENT_DIR
from decision_aid.guidance.model import MULTI_CHOICES, QUESTIONS

DATA = Path(__file__).parent / "data"
REFERENCE = "ABCD-EFGH"
CLINIC = "St Example Neurology"
ALL_RED_FLAGS = [flag for flag in MULTI_CHOICES["red_flags"] if flag != "none"]
EVERY_CHOICE_FIELDS = (
    "current_areas",
    "seen_by",
    "treatments",
    "botox_side_effects",
    "medicines",
    "medicine_side_effects",
)


def every_choice(field):
    """Every value of a multiple-choice answer but the exclusive "none": the longest answer."""
    return [value for value in MULTI_CHOICES[field] if value != "none"]


# What WeasyPrint logs when a glyph is missing or the PDF/UA basics (lang, alt) are absent.
BAD_LOG = (".notdef glyph", 'Missing required "lang"', "has no required alt")


def load(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def typical():
    return load("pdf_answers_typical.json")


def sparse():
    return load("pdf_answers_sparse.json")


def maximal():
    """The longest answers the format allows: every list full, every question at its longest,
    the name and the clinic at their limits (the question files' max_length)."""
    answers = typical()
    answers.update(
        side="both",
        red_flags=ALL_RED_FLAGS,
        bells_palsy="yes",
        onset_before_40="yes",
        **{field: every_choice(field) for field in EVERY_CHOICE_FIELDS},
        mvd_year=2015,
        mvd_helped="partly",
        mvd_recurred="yes",
        impact={k: 3 for k in ("reading", "driving", "work", "social", "sleep", "mood", "worry")},
        priorities={
            k: "very"
            for k in (
                "avoid_surgery",
                "lasting_fix",
                "no_repeat_injections",
                "avoid_nerve_risk",
                "short_recovery",
                "cost_travel",
            )
        },
        patient_questions=[
            (f"Question {n} starts here. " + "Why does my face twitch more when I am tired? " * 12)[
                :499
            ]
            + "Z"
            for n in range(1, 21)
        ],
        name=("Maximiliana Wolfeschlegelsteinhausenbergerdorff-Ångström Núñez " * 4)[
            : QUESTIONS["name"].max_length
        ],
        clinic=("Department of Neurology and Neurosurgery, University Hospital " * 4)[
            : QUESTIONS["clinic"].max_length
        ],
    )
    return answers


def guidance_for(answers):
    return evaluate(copy.deepcopy(answers), TODAY)


@pytest.fixture(autouse=True)
def weasyprint_log():
    """Fail any test in which WeasyPrint drew a missing glyph or missed lang/alt."""
    records = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    handler = Collect(level=logging.WARNING)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)
    bad = [m for m in records if any(b in m for b in BAD_LOG)]
    assert not bad, bad


def render(answers, **kwargs):
    options = dict(reference=REFERENCE, today=TODAY, clinic_name=CLINIC)
    options.update(kwargs)
    return pdf.render_summary_pdf(answers, guidance_for(answers), **options)


def pages_text(data):
    """The text of each page, as poppler extracts it."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return out.split("\f")[:-1]


def flat(text):
    return " ".join(text.split())


@pytest.fixture(scope="module")
def typical_pdf():
    return render(typical())


@pytest.fixture(scope="module")
def maximal_pdf():
    return render(maximal())


# --- Pages and running content -------------------------------------------------------------


def test_every_page_has_page_x_of_y_reference_date_and_clinic(typical_pdf):
    pages = pages_text(typical_pdf)
    assert len(PdfReader(io.BytesIO(typical_pdf)).pages) == len(pages) >= 3
    for number, text in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in text
        assert REFERENCE in text
        assert "25 Nov 2026" in text
        assert CLINIC in text


def test_page_one_is_for_the_clinician(typical_pdf):
    page1, page2 = (flat(t) for t in pages_text(typical_pdf)[:2])
    for expected in (
        "summary for the clinician",
        "Zoë Ångström-Núñez",
        "17 Apr 1962",
        "RED FLAGS",
        "Hearing loss, ringing in the ear",
        "Left side",
        "since Mar 2019",
        "Every hour or more",
        "blood vessel touching the nerve",
        "14 rounds",
        "last Aug 2025",
        "benefit 6 weeks now, 12 weeks at first (shorter)",
        "drooping eyelid",
        "carbamazepine",
        "Previous MVD No",
        "very important: a lasting fix",
        "Ask about surgery (MVD)",
        "2 of 4",
        "DECISIONAL CONFLICT",
        "My Botox lasts 6 weeks now instead of 12. What does that mean?",
        "How long would I be off work after an MVD?",
    ):
        assert expected in page1, expected
    assert "Your copy" not in page1
    assert "continued on page" not in page1
    # Page 2 is "For the consultation" (issue 26), under the same header.
    assert f"Reference {REFERENCE}" in page2 and CLINIC in page2
    assert "For the consultation" in page2


def test_red_flags_come_before_the_facts(typical_pdf):
    page1 = flat(pages_text(typical_pdf)[0])
    assert page1.index("RED FLAGS") < page1.index("Answers at a glance")
    assert page1.index("Answers at a glance") < page1.index("patient's questions")


def test_sparse_patient_shows_missing_answers_and_no_flags():
    answers = sparse()
    page1 = flat(pages_text(render(answers))[0])
    assert "王小明" in page1
    assert "Red flags: none reported" in page1
    assert "RED FLAGS" not in page1
    assert "about 3 weeks ago" in page1
    assert "fine rippling of one eyelid only" in page1
    assert "Botox Not tried" in page1
    assert "MRI: no MRI" in page1
    assert "Not answered" in page1  # e.g. priorities
    assert "No questions written" in page1


def test_emergency_and_every_red_flag_are_listed():
    answers = typical()
    answers["red_flags"] = ALL_RED_FLAGS
    page1 = flat(pages_text(render(answers))[0])
    assert "Emergency symptoms reported" in page1
    for label in guidance_for(answers)["facts"]["red_flag_labels"]:
        assert label.lower() in page1.lower()


def test_sources_page_is_a_real_link_and_page_2_has_the_grid():
    """The references are one short list; the full list is on the service's sources page, a
    link and a QR code (issue 26)."""
    url = "https://hfs.example/sources"
    data = render(typical(), sources_url=url)
    reader = PdfReader(io.BytesIO(data))
    uris = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                uris.append(str(action["/URI"]))
    assert url in uris
    text = flat(" ".join(pages_text(data)))
    assert "Main sources: " in text and "Where to read more" in text
    for row in ("Live with it for now", "Botox injections", "Matters to you", "Time and visits"):
        assert row in text, row


def test_a_known_effect_of_treatment_is_listed_but_never_called_not_typical():
    answers = typical()
    answers.update(
        red_flags=["facial_weakness"], botox_side_effects=["ptosis"], botox_weakness_after="yes"
    )
    page1 = flat(pages_text(render(answers))[0])
    assert "Reported; the patient links them to an earlier treatment" in page1
    assert "Not typical of hemifacial spasm" not in page1
    assert "known effect of Botox" in page1
    answers["red_flags"] = ["facial_weakness", "numbness_pain"]
    page1 = flat(pages_text(render(answers))[0])
    assert "Not typical of hemifacial spasm; needs checking" in page1
    assert "known effect of Botox" in page1


def test_clinician_page_uses_the_engine_wording_and_rules():
    """Labels, flags and thresholds come from the guidance result, never from pdf.py."""
    answers = typical()
    answers.update(
        onset_before_40="yes",
        treatments=["botox", "medicines", "mvd"],
        mvd_year=2015,
        mvd_helped="partly",  # the engine's after_mvd rule fires for "partly" too
        mvd_recurred="no",
        impact={"reading": 3},
    )
    result = guidance_for(answers)
    assert "after_mvd" in [item["id"] for item in result["items"]]
    page1 = flat(pages_text(render(answers))[0])
    assert "Started before age 40" in page1  # guidance/labels.yaml extra_flags
    assert "Previous MVD [!] in 2015 · helped in part · spasm: did not come back" in page1
    assert "3 of 21 (1 of 7 questions answered; higher is worse, 0 to 21)" in page1
    assert "always: reading or screens" in page1
    assert "DECISIONAL CONFLICT ·" in page1
    assert "2 of 4 (higher is better, 0 to 4; 3 or less is decisional conflict)" in page1
    assert "stopped" in page1  # labels.yaml medicine_current


def test_hand_made_result_in_the_answers_md_format():
    """The PDF relies only on the documented result format (docs/answers-format.md, with the
    facts the engine gives), not on the engine itself nor on the answers: the clinical rows
    come from the result alone."""
    fixture = load("pdf_result_fixture.json")
    engine = guidance_for(typical())
    assert set(fixture) == set(engine)
    assert set(fixture["facts"]) == set(engine["facts"]), "update the fixture's facts"
    assert set(fixture["scores"]) == set(engine["scores"])
    data = pdf.render_summary_pdf({}, fixture, reference=REFERENCE, today=TODAY)
    text = flat(" ".join(pages_text(data)))
    assert "(about 6 years)" in text  # the fixture's duration_months (80), not the engine's 92
    assert "Left side" in text and "benefit 6 weeks now, 12 weeks at first (shorter)" in text
    assert "Botox injections" in text  # the option's title
    assert "Content version 0.1-fixture, last reviewed 1 Nov 2025" in text  # no statement
    assert "See a doctor soon about your other symptoms" in text
    assert "Hearing loss, ringing in the ear or poor balance" in text
    assert "Content version 0.1-fixture" in text


def test_result_without_facts_or_scores_still_renders():
    result = {"items": [], "options": [], "questions_to_ask": [], "scores": {}, "facts": {}}
    data = pdf.render_summary_pdf({}, result, reference=REFERENCE, today=TODAY)
    page1 = flat(pages_text(data)[0])
    assert "Not answered" in page1
    assert "red-flag questions were not answered" in page1


def test_patient_copy(typical_pdf):
    pages = pages_text(typical_pdf)
    copy_text = flat(" ".join(pages[2:]))
    for expected in (
        "Your copy",
        "Act on this first",
        "What to do next",
        "What your answers suggest",
        "URGENT",
        "WE SUGGEST",
        "Pictures of 100 people",
        "Where to read more",
        "Main sources:",
        "This is not a diagnosis",
    ):
        assert expected in copy_text, expected
    result = guidance_for(typical())
    # The engine's one review statement (version, date, who checked), printed as given.
    assert flat(result["provenance"]["statement"]) in copy_text
    for item in result["items"]:
        assert flat(item["title"]) in copy_text
    for option in result["options"]:  # each option's pictures, named
        for row in option["rows"]:
            if row.get("figure"):
                assert f"{option['short']}:" in copy_text, option["id"]
    # Urgent items come first, and their word is printed, not only their colour.
    assert copy_text.index("URGENT") < copy_text.index("WE SUGGEST")


# --- Page 1 with the longest answers -------------------------------------------------------


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_page_one_fits_with_maximal_input(paper, maximal_pdf):
    data = maximal_pdf if paper == "a4" else render(maximal(), paper=paper)
    pages = [flat(t) for t in pages_text(data)]
    page1, page2 = pages[0], pages[1]
    assert "summary for the clinician" in page1
    assert "Emergency symptoms reported" in page1
    assert "DECISIONAL CONFLICT" in page1
    match = re.search(r"Questions (\d+) to 20 continued on page (\d+)", page1)
    assert match, page1[-300:]
    first_moved, target = int(match.group(1)), int(match.group(2))
    assert target == 2
    assert 1 <= first_moved <= 20
    # Page 2 starts the rest, right after the running header.
    assert page2.index("Continued from page 1") < 80
    assert f"Question {first_moved} starts here" in page2
    # Each question appears once in the clinician part, in order, whole (ends with its "Z").
    clinician = " ".join(
        pages[: next(i for i, p in enumerate(pages) if "For the consultation" in p)]
    )
    for n in range(1, 21):
        assert clinician.count(f"Question {n} starts here.") == 1, n
        assert (f"Question {n} starts here." in page1) == (n < first_moved)
    # The long clinic name is cut on page 1 with a pointer, and printed in full on page 2.
    assert "(in full on page 2)" in page1
    assert maximal()["clinic"] not in page1
    # (pdftotext drops a hyphen at the end of a line, so compare without hyphens)
    assert flat(maximal()["clinic"]).replace("-", "") in page2.replace("-", "")
    assert f"{first_moved}. Question {first_moved} starts here" in page2


def test_page_one_split_when_only_some_questions_overflow():
    answers = typical()
    answers["patient_questions"] = [f"Short question number {n}?" for n in range(1, 21)]
    pages = [flat(t) for t in pages_text(render(answers))]
    # Twenty short questions fit: nothing moves.
    assert "Short question number 20?" in pages[0]
    assert "continued on page" not in pages[0]


# --- Tags, metadata, determinism -----------------------------------------------------------


def test_tagged_pdf_with_metadata(typical_pdf):
    reader = PdfReader(io.BytesIO(typical_pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en"
    info = reader.metadata
    assert info["/Title"] == f"Hemifacial spasm decision summary {REFERENCE}"
    assert info["/Author"] == CLINIC
    assert info["/Creator"] == "decision_aid"
    assert info["/CreationDate"].startswith("D:20261125")
    assert "/Metadata" in root  # XMP, written for PDF/UA
    assert "Zoë" not in info["/Title"]  # no patient data in the metadata


def test_same_input_gives_the_same_bytes(typical_pdf):
    assert render(typical()) == typical_pdf
    assert render(typical(), today=datetime.date(2026, 11, 26)) != typical_pdf


# What the PDF package reads from disk: its code and the summary view's, template, stylesheet
# and labels.
PDF_SOURCES = (
    *Path(pdf.__file__).parent.glob("*.py"),
    *Path(pdf.__file__).parent.with_name("summary").glob("*.py"),
    pdf.TEMPLATES_DIR / pdf.TEMPLATE,
    pdf.ASSETS_DIR / pdf.STYLESHEET,
    CONTENT_DIR / "labels.yaml",
)


def sources_digest():
    return {
        f"{path.parent.name}/{path.name}": hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        for path in PDF_SOURCES
    }


SOURCES_AT_IMPORT = sources_digest()  # this process imported the PDF package just now


def test_same_bytes_in_a_fresh_process(tmp_path):
    """A fresh interpreter (new font configuration, caches, hash seed) makes the same bytes.

    Both renders happen here, one right after the other, from the same JSON files: comparing
    with a render made earlier in the session (the module fixture) failed once on a shared
    checkout, where other people's edits to the PDF's template, stylesheet or labels landed
    between the two renders. If the files changed since this process loaded them, the message
    says so: that is not a determinism bug."""
    answers_file, result_file = tmp_path / "a.json", tmp_path / "r.json"
    answers_file.write_text(json.dumps(typical()), encoding="utf-8")
    result_file.write_text(json.dumps(guidance_for(typical())), encoding="utf-8")
    answers, result = (
        json.loads(p.read_text(encoding="utf-8")) for p in (answers_file, result_file)
    )
    here = pdf.render_summary_pdf(
        answers, result, reference=REFERENCE, today=TODAY, clinic_name=CLINIC
    )
    code = (
        "import datetime, json, sys; from decision_aid import pdf; "
        "a, r = (json.load(open(p, encoding='utf-8')) for p in sys.argv[1:3]); "
        "sys.stdout.buffer.write(pdf.render_summary_pdf(a, r, reference=sys.argv[3], "
        f"today=datetime.date.fromisoformat({TODAY.isoformat()!r}), clinic_name=sys.argv[4]))"
    )
    fresh = subprocess.run(
        [sys.executable, "-c", code, str(answers_file), str(result_file), REFERENCE, CLINIC],
        capture_output=True,
        check=True,
        cwd=Path(__file__).parent.parent,
    ).stdout
    if fresh != here:
        changed = sorted(k for k, v in sources_digest().items() if SOURCES_AT_IMPORT[k] != v)
        assert not changed, f"{changed} changed on disk while the tests ran; run them again"
    assert fresh == here


# --- Unicode and fonts ---------------------------------------------------------------------

NAMES = ["Zoë Ångström-Núñez", "王小明", "محمد", "Алексей Сергеевич", "Ελένη", "Nguyễn Thị Hương"]


@pytest.mark.parametrize("name", NAMES)
def test_unicode_names_are_real_glyphs(name, weasyprint_log):
    answers = typical()
    answers["name"] = name
    answers["patient_questions"] = [f"Question from {name}?"]
    page1 = pages_text(render(answers))[0]
    assert name in page1
    assert not any(".notdef" in m for m in weasyprint_log)


def test_every_font_is_embedded(tmp_path):
    answers = typical()
    answers["name"] = " ".join(NAMES)
    path = tmp_path / "fonts.pdf"
    path.write_bytes(render(answers))
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    assert len(rows) >= 3  # Latin (regular, bold), CJK, Arabic
    for row in rows:
        # columns: name type encoding emb sub uni object ID; emb is the 4th from the right
        assert row.split()[-5] == "yes", row
    assert any("CJK" in row for row in rows)
    assert any("Arabic" in row for row in rows)


# --- Hostile input -------------------------------------------------------------------------

PAYLOADS = [
    "<img src=file:///etc/passwd>",
    "<script>alert(1)</script>",
    '<link rel="attachment" href="file:///etc/passwd">',
    '<div style="background: url(http://127.0.0.1:9/x.png)">x</div>',
    "</style><style>@import url(http://127.0.0.1:9/evil.css);</style>",
    '"><img src="http://169.254.169.254/latest/meta-data/">',
    "{{ 7*7 }} {% raw %}",
]


@pytest.fixture
def fetched(monkeypatch):
    """Every URL WeasyPrint asked our fetcher for during the test."""
    urls = []
    original = pdf.LockedFetcher.fetch

    def spy(self, url, headers=None):
        urls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf.LockedFetcher, "fetch", spy)
    return urls


def test_hostile_text_is_printed_not_fetched(fetched):
    answers = typical()
    answers["name"] = PAYLOADS[0]
    answers["clinic"] = PAYLOADS[3][:60]
    answers["patient_questions"] = PAYLOADS
    result = guidance_for(typical())
    data = pdf.render_summary_pdf(
        answers, result, reference=REFERENCE, today=TODAY, clinic_name=PAYLOADS[2]
    )
    assert fetched == []  # nothing at all was requested (print.css is passed pre-parsed)
    assert b"/EmbeddedFile" not in data and b"/Filespec" not in data
    assert b"root:" not in data
    pages = pages_text(data)
    page1 = flat(pages[0])
    assert "<img src=file:///etc/passwd>" in page1
    for payload in PAYLOADS:
        assert flat(payload) in page1, payload
    assert "continued on page" not in page1  # the layout held
    assert all(flat(PAYLOADS[2]) in flat(p) for p in pages)  # clinic name in every header


def test_hostile_text_is_escaped_in_the_html():
    answers = typical()
    answers["name"] = PAYLOADS[1]
    answers["patient_questions"] = PAYLOADS
    page = pdf.render_summary_html(
        answers, guidance_for(typical()), reference=REFERENCE, today=TODAY
    )
    body = page.split("</head>", 1)[1]
    assert "<script" not in body and "<link" not in body
    assert "<img" not in body  # no logo configured, so no image at all
    assert str(escape(PAYLOADS[1])) in body
    assert page.count("<style>") == 2  # print.css and the page size, nothing from the answers
    assert "{{ 7*7 }} {% raw %}" in body  # shown as written, never evaluated


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_any_question_text_is_escaped(text):
    answers = {"patient_questions": [text + "!"], "name": text}
    page = pdf.render_summary_html(answers, {}, reference=REFERENCE, today=TODAY)
    body = page.split("</head>", 1)[1]
    assert str(escape(text + "!")) in body
    assert body.count("<li") == 2  # the question on page 1 and in the patient's copy


def test_logo_is_served_only_through_the_fetcher(tmp_path, fetched):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (60, 20), (20, 60, 120)).save(logo)
    data = render(typical(), clinic_logo=str(logo))
    # Once for each layout tried (decision_aid.pdf.render), the same URL each time.
    assert set(fetched) == {f"https://{pdf.ASSET_HOST}/logo/clinic-logo.png"}
    reader = PdfReader(io.BytesIO(data))
    images = [img for page in reader.pages for img in page.images]
    assert len(images) == len(reader.pages)  # one logo per page header


@pytest.mark.parametrize("path", ["/etc/passwd", "/nonexistent/logo.png", "/etc"])
def test_unusable_logo_is_ignored(path, fetched):
    assert pdf.usable_logo(path) is None
    data = render(typical(), clinic_logo=path)
    assert fetched == []
    assert b"root:" not in data


# --- The fetcher ---------------------------------------------------------------------------

ORIGIN = f"https://{pdf.ASSET_HOST}"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///work/main/decision_aid/static/pdf/print.css",
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:5000/static/pdf/print.css",
        "https://example.com/static/print.css",
        "ftp://example.com/x",
        "data:text/css,body{color:red}",
        "/etc/passwd",
        "print.css",
        f"{ORIGIN}/static/../../pdf.py",
        f"{ORIGIN}/static/%2e%2e/%2e%2e/pdf.py",
        f"{ORIGIN}/static/%2e%2e%2f%2e%2e%2fpdf.py",
        f"{ORIGIN}/static/..%5c..%5cpdf.py",
        f"{ORIGIN}/static/",
        f"{ORIGIN}/static/nonexistent.css",
        f"{ORIGIN}/static/print.css?x=1",
        f"{ORIGIN}/etc/passwd",
        f"{ORIGIN}/logo/clinic-logo.png",  # no logo configured
        f"http://{pdf.ASSET_HOST}/static/print.css",
        f"https://{pdf.ASSET_HOST}.evil.example/static/print.css",
        f"https://user@{pdf.ASSET_HOST}/static/print.css",
    ],
)
def test_fetcher_refuses(url):
    with pytest.raises(ValueError):
        pdf.LockedFetcher().fetch(url)


def test_fetcher_serves_bundled_assets_and_the_logo(tmp_path):
    response = pdf.LockedFetcher().fetch(f"{ORIGIN}/static/print.css")
    assert b"@page" in response.read()
    assert response.headers.get_content_type() == "text/css"
    logo = tmp_path / "Logo.PNG"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n")
    fetcher = pdf.LockedFetcher(pdf.usable_logo(str(logo)))
    assert fetcher.fetch(f"{ORIGIN}/logo/clinic-logo.png").read().startswith(b"\x89PNG")
    with pytest.raises(ValueError):
        fetcher.fetch(f"{ORIGIN}/logo/clinic-logo.jpg")


# --- Paper ---------------------------------------------------------------------------------


@pytest.mark.parametrize("paper, size", [("a4", (595, 842)), ("letter", (612, 792))])
def test_paper_size(paper, size):
    data = render(sparse(), paper=paper)
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert (round(box.width), round(box.height)) == size


def test_unknown_paper_is_refused():
    with pytest.raises(ValueError):
        render(sparse(), paper="a3")


# --- The command ---------------------------------------------------------------------------


def test_cli_render(tmp_path, monkeypatch):
    monkeypatch.setenv("CLINIC_NAME", CLINIC)
    monkeypatch.delenv("CLINIC_LOGO", raising=False)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(typical()), encoding="utf-8")
    out = tmp_path / "out.pdf"
    args = [
        "render",
        str(answers),
        "-o",
        str(out),
        "--today",
        TODAY.isoformat(),
        "--paper",
        "letter",
    ]
    assert main(args) == 0
    data = out.read_bytes()
    assert round(PdfReader(io.BytesIO(data)).pages[0].mediabox.width) == 612
    pages = pages_text(data)
    reference = pdf.reference_for(typical())
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", reference)
    assert all(reference in p and CLINIC in p for p in pages)
    assert main(args) == 0 and out.read_bytes() == data  # deterministic


def test_cli_render_invalid_answers(tmp_path, capsys):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"side": "up", "botox_rounds": -1}), encoding="utf-8")
    out = tmp_path / "out.pdf"
    assert main(["render", str(answers), "-o", str(out), "--today", TODAY.isoformat()]) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert any(line.startswith("side") for line in lines)
    assert any(line.startswith("botox_rounds") for line in lines)
    assert "Traceback" not in err
    assert not out.exists()


def test_cli_render_bad_json_and_missing_file(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    out = tmp_path / "out.pdf"
    assert main(["render", str(bad), "-o", str(out)]) == 2
    assert main(["render", str(tmp_path / "missing.json"), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 2 and "Traceback" not in err
    with pytest.raises(SystemExit) as exit_info:
        main(["render", str(bad), "-o", str(out), "--today", "yesterday"])
    assert exit_info.value.code == 2


def test_cli_render_reads_stdin_and_the_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CLINIC_NAME", CLINIC)
    monkeypatch.setenv("PAPER", "Letter")
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(sparse())))
    out = tmp_path / "out.pdf"
    assert main(["render", "-", "-o", str(out), "--today", TODAY.isoformat()]) == 0
    data = out.read_bytes()
    assert round(PdfReader(io.BytesIO(data)).pages[0].mediabox.width) == 612
    assert CLINIC in pages_text(data)[0]
    monkeypatch.setenv("PAPER", "a3")
    assert main(["render", "-", "-o", str(out)]) == 2
    assert capsys.readouterr().err.startswith("PAPER:")


def test_pdf_module_reads_no_environment(monkeypatch):
    """Only the callers (the web app's config, the command line) read CLINIC_NAME and PAPER."""
    monkeypatch.setenv("CLINIC_NAME", "Clinic From The Environment")
    monkeypatch.setenv("PAPER", "letter")
    data = render(sparse(), clinic_name="")
    assert "Clinic From The Environment" not in flat(pages_text(data)[0])
    assert round(PdfReader(io.BytesIO(data)).pages[0].mediabox.width) == 595
