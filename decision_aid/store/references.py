"""Reference codes and tokens. A patient's answers are found by the hash of a long random token
(the patient's key, carried in a signed cookie and the resume link) or by a short reference code
(for clinic look-up), which a person may read aloud, copy from paper or mistype."""

import hashlib
import itertools
import secrets

# No look-alikes: 0/O, 1/I/L are left out, so a code read aloud or from paper is unambiguous.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 8
TOKEN_BYTES = 32  # 256 random bits

# Characters that never occur in a code, and the code characters a person may have misread as
# them. A typed character from this table matches any of its look-alikes. Pairs where both
# characters are in the alphabet (5/S, 2/Z, 8/B, U/V) cannot be guessed and are left alone.
LOOK_ALIKES = {
    "0": "DQ",
    "O": "DQ",
    "1": "7JT",
    "I": "7JT",
    "L": "7JT",
}


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def new_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_reference():
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def format_reference(reference):
    """ABCD-EFGH: easier to read out and to copy."""
    return f"{reference[:4]}-{reference[4:]}"


def normalise_reference(text):
    """What a person typed -> the stored form: case, spaces, dashes and other punctuation are
    ignored. Look-alikes are kept as typed; `reference_candidates` expands them."""
    return "".join(ch for ch in (text or "").upper() if ch.isascii() and ch.isalnum())


def reference_candidates(text, limit=64):
    """Every code a person may have meant by `text`: each 0/O matches D or Q, each 1/I/L
    matches 7, J or T (see LOOK_ALIKES). [] when it cannot be a code (wrong length, a
    character that is in no code and has no look-alike, or too many look-alikes to be sure)."""
    code = normalise_reference(text)
    if len(code) != REFERENCE_LENGTH:
        return []
    choices = []
    for ch in code:
        if ch in REFERENCE_ALPHABET:
            choices.append(ch)
        elif ch in LOOK_ALIKES:
            choices.append(LOOK_ALIKES[ch])
        else:
            return []
    count = 1
    for option in choices:
        count *= len(option)
    if count > limit:
        return []
    return ["".join(parts) for parts in itertools.product(*choices)]
