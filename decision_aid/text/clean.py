"""Free text as it may be stored: no NUL, no other control character except newline and tab, and
no bidirectional override, embedding or isolate character (which can make stored text display in
an order other than the one typed). Line breaks sent as CR LF (as every browser sends a
textarea's) or CR become LF, which is not a change to what was typed.

A NUL also breaks PostgreSQL: `jsonb` cannot hold U+0000, so one stored answer with it would make
every `answers::jsonb` query fail."""

import re

from decision_aid.text.i18n import N_

# C0 controls but tab (09) and newline (0A), DEL, C1 controls; LRE RLE PDF LRO RLO; LRI RLI FSI PDI.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CHANGED_MESSAGE = N_(
    "We took out some hidden characters that cannot be saved. Check your answer, then continue"
)


def clean(text):
    """(the text as it may be stored, whether anything besides line endings was taken out)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = UNSAFE.sub("", text)
    return cleaned, cleaned != text


def clean_value(value):
    """`value` (an answer: text, number, list or dict of them) with every string cleaned."""
    if isinstance(value, str):
        return clean(value)[0]
    if isinstance(value, list):
        return [clean_value(item) for item in value]
    if isinstance(value, dict):
        return {clean(str(key))[0]: clean_value(item) for key, item in value.items()}
    return value
