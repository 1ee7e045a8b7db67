"""The documents hold together: every relative link in README.md and docs/*.md names a file that
exists, and its #anchor a heading of that file (as GitHub makes heading anchors); every picture
a document shows exists. docs/screenshots/ stays small and holds only pictures a document shows
(issue 29: `make screenshots` writes the full set to build/screenshots/)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SCREENSHOTS = ROOT / "docs" / "screenshots"
SCREENSHOTS_MAX_BYTES = 3 * 1000 * 1000

# A Markdown link or picture: [text](target) or ![text](target); the text may span lines.
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def prose(path):
    """The document without its fenced code blocks (a `[x](y)` in code is not a link)."""
    return FENCE.sub("", path.read_text())


def anchor_of(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path):
    found = set()
    for line in prose(path).splitlines():
        if match := re.match(r"#{1,6} (.+)", line):
            found.add(anchor_of(match.group(1)))
    return found


def relative_links(path):
    for target in LINK.findall(prose(path)):
        if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("//"):
            continue  # https:, mailto: ...
        yield target


def test_anchors_are_githubs():
    assert anchor_of("Retention: `decision-aid purge`") == "retention-decision-aid-purge"
    assert anchor_of("Staff pages (`/staff/`)") == "staff-pages-staff"
    assert anchor_of("The PDF's first page") == "the-pdfs-first-page"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(document):
    broken = []
    for target in relative_links(document):
        file_part, _, anchor = target.partition("#")
        linked = (document.parent / file_part).resolve() if file_part else document
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target}: no heading #{anchor} in {linked.name}")
    assert broken == []


def pictures_shown():
    shown = set()
    for document in DOCUMENTS:
        for target in relative_links(document):
            linked = (document.parent / target.partition("#")[0]).resolve()
            if linked.parent == SCREENSHOTS:
                shown.add(linked.name)
    return shown


def test_docs_screenshots_are_small_and_each_is_shown():
    files = [p for p in SCREENSHOTS.iterdir() if p.is_file()] if SCREENSHOTS.exists() else []
    assert sum(p.stat().st_size for p in files) <= SCREENSHOTS_MAX_BYTES
    assert {p.name for p in files} - pictures_shown() == set()
