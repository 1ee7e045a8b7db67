"""PNG pages of the PDFs for the README and review, with poppler's pdftoppm at 60 dpi, reduced
to a 32-colour palette (small files): page 1 with a clinic name,
the clinician page alone, page 2 "For the consultation" alone, every page of the red-flag,
Spanish and Chinese PDFs, and a day list (scripts/screenshots.py makes every page of the
typical PDF in the default configuration, with `small_png`). Writes build/screenshots/pdf-*.png.

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
from decision_aid.text import i18n

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "screenshots"  # git-ignored
TODAY = datetime.date(2026, 11, 25)
ANSWERED = datetime.date(2026, 11, 23)


SOURCES_URL = "https://hfs.example/sources"


def small_png(path):
    """Rewrite a PNG as a 32-colour palette image, optimised."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=32, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def to_png(data, stem, first_only=False):
    for old in OUT.glob(f"{stem}-*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(data)
        pages = ["-f", "1", "-l", "1", "-singlefile"] if first_only else []
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", *pages, str(source), str(OUT / stem)], check=True
        )
    for path in OUT.glob(f"{stem}*.png"):
        small_png(path)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    answers = json.loads((ROOT / "tests/data/pdf_answers_typical.json").read_text("utf-8"))
    result = evaluate(answers, TODAY)
    common = {"reference": pdf.reference_for(answers), "today": TODAY, "answered": ANSWERED}
    named = pdf.render_summary_pdf(answers, result, clinic_name="St Example Neurology", **common)
    to_png(named, "pdf-clinic-name-1", first_only=True)
    alone = pdf.render_summary_pdf(answers, result, clinician_only=True, **common)
    to_png(alone, "pdf-clinician-page", first_only=True)
    consultation = pdf.render_summary_pdf(answers, result, consultation_only=True, **common)
    to_png(consultation, "pdf-consultation", first_only=True)
    answers_dir = ROOT / "tests/data/answers"
    for stem, name, language in (
        ("pdf-red-flag", "red_flag.json", "en"),
        ("pdf-spanish", "typical_botox.json", "es"),
        ("pdf-chinese", "typical_botox.json", "zh_Hans"),
    ):
        other = json.loads((answers_dir / name).read_text("utf-8"))
        with i18n.using(language):
            other_result = evaluate(other, TODAY)
        data = pdf.render_summary_pdf(
            other,
            other_result,
            reference=pdf.reference_for(other),
            today=TODAY,
            answered=ANSWERED,
            language=language,
            sources_url=SOURCES_URL,
        )
        to_png(data, stem)
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
