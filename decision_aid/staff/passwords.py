"""Staff passwords: hashed with argon2id (argon2-cffi's defaults, RFC 9106), at most
CONCURRENT_CHECKS checks at a time per process. No Flask: the `decision-aid staff` commands use
it too."""

import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

hasher = PasswordHasher()  # argon2id

CONCURRENT_CHECKS = 4  # argon2id verifications at once, per process (each takes time and memory)
MIN_PASSWORD_LENGTH = 12

_checks = threading.BoundedSemaphore(CONCURRENT_CHECKS)
_dummy_hash = None


def hash_password(password):
    return hasher.hash(password)


def password_problem(password):
    """None if the password is acceptable, else a message."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        return f"The password must have at least {MIN_PASSWORD_LENGTH} characters."
    return None


def _verify(password_hash, password):
    try:
        return hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def check_password(store, email, password):
    """The active account for these credentials, or None. Unknown and disabled accounts cost
    the same hashing time as a wrong password, so timing does not tell them apart. At most
    CONCURRENT_CHECKS run at once; the others wait their turn."""
    global _dummy_hash
    password = password or ""
    account = store.staff_by_email(email)
    with _checks:
        if account is None or not account.active:
            if _dummy_hash is None:
                _dummy_hash = hasher.hash("not a real password, only for timing")
            _verify(_dummy_hash, password)
            return None
        if not _verify(account.password_hash, password):
            return None
        if hasher.check_needs_rehash(account.password_hash):
            store.set_staff_password(account.email, hasher.hash(password), rehash=True)
    return account
