"""PNG pages of the clinic's PDFs for the README and review, with poppler's pdftoppm: page 1
with a clinic name, the clinician page alone, and a day list (scripts/screenshots.py makes every
page of the typical PDF in the default configuration). Writes docs/screenshots/pdf-*.png.

    .venv/bin/python scripts/pdf_screenshots.py
"""

import datetime
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from decision_aid import pdf
from decision_aid.guidance import evaluate
from decision_aid.pdf import day_list as day_list_pdf
from decision_aid.store import SentSummary

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
TODAY = datetime.date(2026, 11, 25)
ANSWERED = datetime.date(2026, 11, 23)


def to_png(data, stem, first_only=False):
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(data)
        pages = ["-f", "1", "-l", "1", "-singlefile"] if first_only else []
        subprocess.run(
            ["pdftoppm", "-r", "80", "-png", *pages, str(source), str(OUT / stem)], check=True
        )


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    answers = json.loads((ROOT / "tests/data/pdf_answers_typical.json").read_text("utf-8"))
    result = evaluate(answers, TODAY)
    common = {"reference": pdf.reference_for(answers), "today": TODAY, "answered": ANSWERED}
    named = pdf.render_summary_pdf(answers, result, clinic_name="St Example Neurology", **common)
    to_png(named, "pdf-clinic-name-1", first_only=True)
    alone = pdf.render_summary_pdf(answers, result, clinician_only=True, **common)
    to_png(alone, "pdf-clinician-page", first_only=True)
    sent = datetime.datetime(2026, 11, 24, 9, 30, tzinfo=datetime.UTC)
    items = [
        SentSummary("ABCDEFGH", sent, None, True, False, "Alex Example", "1966-02-14"),
        SentSummary("HJKMNPQR", sent, sent, True, True, "Zoë Ångström-Núñez", "1962-04-17"),
        SentSummary("STUVWXYZ", sent, None, False, False, "Sam Okafor", "1971-09-03"),
        SentSummary("23456789", sent, None, True, None, None, None),
    ]
    day = day_list_pdf.render(items, day=datetime.date(2026, 11, 27), today=TODAY)
    to_png(day, "pdf-day-list", first_only=True)
    for path in sorted(OUT.glob("pdf-*.png")):
        print(path.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
