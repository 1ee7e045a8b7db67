"""Copy the screenshots the documents show (README.md and docs/*.md) from build/screenshots/ (the
full set `make screenshots` takes, git-ignored) to docs/screenshots/, optimised as 8-bit palette
PNGs, and remove any picture there that no document shows. The committed set stays under 3 MB
(tests/test_docs.py): a screenshot for review belongs in build/, not in git.

    .venv/bin/python scripts/curate_screenshots.py            # copy from build/screenshots/
    .venv/bin/python scripts/curate_screenshots.py --in-place # only optimise what is there

A picture a document shows that neither folder has is named, and the script exits 1."""

import re
import shutil
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
FULL_SET = ROOT / "build" / "screenshots"
CURATED = ROOT / "docs" / "screenshots"
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PICTURE = re.compile(r"!\[[^\]]*\]\(([^)\s]+\.png)\)")
COLOURS = 256  # a screenshot of a page has few colours; 256 keeps text and icons crisp


def shown():
    """The names of the pictures in docs/screenshots/ that a document shows."""
    names = set()
    for document in DOCUMENTS:
        for target in PICTURE.findall(document.read_text()):
            path = (document.parent / target).resolve()
            if path.parent == CURATED:
                names.add(path.name)
    return names


def optimise(source, target):
    """`source` as an optimised palette PNG at `target` (the smaller of it and the source)."""
    with Image.open(source) as image:
        small = image.convert("RGB").quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT)
    temporary = target.with_suffix(".tmp.png")
    small.save(temporary, optimize=True)
    if temporary.stat().st_size < source.stat().st_size:
        temporary.replace(target)
    else:
        temporary.unlink()
        if source != target:
            shutil.copyfile(source, target)


def main(argv):
    in_place = "--in-place" in argv
    CURATED.mkdir(parents=True, exist_ok=True)
    wanted = shown()
    missing = []
    for name in sorted(wanted):
        source = CURATED / name if in_place else FULL_SET / name
        if not source.exists():
            source = CURATED / name  # not retaken: optimise the committed one
        if not source.exists():
            missing.append(name)
            continue
        optimise(source, CURATED / name)
    for path in CURATED.iterdir():
        if path.name not in wanted:
            path.unlink()
    size = sum(p.stat().st_size for p in CURATED.iterdir())
    print(f"docs/screenshots: {len(wanted) - len(missing)} pictures, {size / 1e6:.2f} MB")
    if missing:
        print(f"shown by a document but not taken: {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
