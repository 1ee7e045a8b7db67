"""Set translations in a catalog, clearing their fuzzy mark:
`python scripts/set_translation.py LANG MSGID TEXT [MSGID TEXT ...]`. The catalog is written as
`pybabel update` writes it (width 76), so the diff holds only the messages set. `make setup`
then compiles it."""

import sys

from babel.messages.pofile import read_po, write_po


def main(lang, *pairs):
    path = f"decision_aid/translations/{lang}/LC_MESSAGES/messages.po"
    with open(path, "rb") as f:
        catalog = read_po(f, locale=lang)
    for msgid, text in zip(pairs[::2], pairs[1::2], strict=True):
        found = [m for m in catalog if msgid in (m.id, m.id[0] if isinstance(m.id, tuple) else "")]
        if not found:
            raise SystemExit(f"not in the {lang} catalog: {msgid!r}")
        for message in found:
            message.string = text
            message.flags.discard("fuzzy")
            message.previous_id = []
    with open(path, "wb") as f:
        write_po(f, catalog, ignore_obsolete=True, width=76)


if __name__ == "__main__":
    main(*sys.argv[1:])
