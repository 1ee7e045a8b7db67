"""Set translations in a catalog: `python scripts/set_translation.py LANG MSGID TEXT [MSGID TEXT ...]`.
Clears the fuzzy mark. Writes the catalog as `pybabel update` does (width 76), so the diff is only
the messages set. Then `make setup` compiles it."""

import sys

from babel.messages.pofile import read_po, write_po

lang = sys.argv[1]
path = f"decision_aid/translations/{lang}/LC_MESSAGES/messages.po"
with open(path, "rb") as f:
    catalog = read_po(f, locale=lang)
pairs = sys.argv[2:]
for msgid, text in zip(pairs[::2], pairs[1::2]):
    found = [m for m in catalog if m.id == msgid or (isinstance(m.id, tuple) and m.id[0] == msgid)]
    assert found, msgid
    for m in found:
        m.string = text
        m.flags.discard("fuzzy")
        m.previous_id = []
with open(path, "wb") as f:
    write_po(f, catalog, ignore_obsolete=True, width=76)
