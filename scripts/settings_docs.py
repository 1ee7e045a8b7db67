"""Write the settings tables of the documents from decision_aid/config/settings.py, the one table of
every setting: all of them in docs/configuration.md, the ones an operator sets in README.md.
Each table sits between `<!-- settings:begin -->` and `<!-- settings:end -->`.

    .venv/bin/python scripts/settings_docs.py           # rewrite the tables
    .venv/bin/python scripts/settings_docs.py --check   # exit 1 if a document is out of date

tests/test_settings.py runs the check."""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from decision_aid.config.settings import SETTINGS, markdown_table  # noqa: E402

BLOCK = re.compile(r"(<!-- settings:begin -->\n).*?(<!-- settings:end -->)", re.DOTALL)


def tables():
    """{document: its table}; a setting's links are written from the repository's root."""
    return {
        ROOT / "README.md": markdown_table([s for s in SETTINGS if s.operator]),
        ROOT / "docs" / "configuration.md": markdown_table(SETTINGS),
    }


def with_table(text, table, document):
    if not BLOCK.search(text):
        raise SystemExit(f"{document}: no <!-- settings:begin --> ... end --> block")
    return BLOCK.sub(lambda m: m.group(1) + table + m.group(2), text, count=1)


def main(argv):
    check = "--check" in argv
    stale = []
    for document, table in tables().items():
        if document.parent.name == "docs":
            table = table.replace("](docs/", "](")
        text = document.read_text()
        new = with_table(text, table, document)
        if new != text:
            stale.append(document.relative_to(ROOT))
            if not check:
                document.write_text(new)
    if check and stale:
        print(f"out of date: {', '.join(map(str, stale))}; run scripts/settings_docs.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
