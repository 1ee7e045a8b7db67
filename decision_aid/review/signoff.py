"""Sign-offs: who checked what, recorded as files in decision_aid/signoffs/ (one per scope,
committed with the content), and whether what they checked is still what is shown.

- `content.json`: {scope, name, role, date, hash, texts: {id: short hash}}. Signing again
  replaces it (git keeps the history).
- `<language>.json`: {scope, signatures: [{name, role, date, hash, messages: {id: short hash}}]},
  one signature per batch of messages, newest last.

A sign-off holds while the hash of what was signed matches what is there now; a changed word
lapses it, and the ids that changed are listed (`Review.changed`). A language is "checked" when
every message of its catalog is signed as it is now; "safety checked" when every safety-critical
one is but not the rest; otherwise "not checked", whatever else is signed.

`current(scope)` is computed once per process (the pages and the PDF read it through
decision_aid.guidance.engine); `review(scope, folder)` computes it afresh."""

from __future__ import annotations

import datetime
import functools
import json
from dataclasses import dataclass
from pathlib import Path

from decision_aid.review import texts as review_texts
from decision_aid.text import i18n

SIGNOFF_DIR = Path(__file__).resolve().parent.parent / "signoffs"
CONTENT = "content"
CHECKED, SAFETY_CHECKED, NOT_CHECKED = "checked", "safety checked", "not checked"
MAX_FIELD = 200


def scopes() -> tuple[str, ...]:
    return (CONTENT, *(language for language in i18n.LANGUAGES if language != i18n.DEFAULT))


@dataclass(frozen=True)
class Signer:
    name: str
    role: str
    date: str  # YYYY-MM-DD


@dataclass(frozen=True)
class Review:
    scope: str
    state: str  # CHECKED, SAFETY_CHECKED or NOT_CHECKED
    hash: str  # of what there is now
    signers: tuple[Signer, ...] = ()  # whose signatures hold now, newest first
    changed: tuple[str, ...] = ()  # ids signed once whose words have changed since (or gone)
    total: int = 0
    signed: int = 0
    safety_total: int = 0
    safety_signed: int = 0
    signed_hash: str = ""  # the hash recorded at the (newest) sign-off

    @property
    def checked(self) -> bool:
        return self.state == CHECKED


def folder_or_default(folder) -> Path:
    if folder is not None:
        return Path(folder)
    return SIGNOFF_DIR


def record_path(scope: str, folder=None) -> Path:
    return folder_or_default(folder) / f"{scope}.json"


def read_record(scope: str, folder=None) -> dict | None:
    path = record_path(scope, folder)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _signer(entry) -> Signer:
    return Signer(str(entry["name"]), str(entry["role"]), str(entry["date"]))


def units(scope: str):
    """The texts (content) or messages (a language) a sign-off of `scope` covers."""
    if scope == CONTENT:
        return review_texts.content_texts()
    if scope not in scopes():
        raise ValueError(f"scope must be one of {', '.join(scopes())}, not {scope!r}")
    return review_texts.language_messages(scope)


def review(scope: str, folder=None) -> Review:
    """The review status of `scope` now, from its record in `folder` (default: the package's
    decision_aid/signoffs/)."""
    found = units(scope)
    now = review_texts.hashes(found)
    safety = {unit.id for unit in found if unit.safety}
    current_hash = review_texts.digest(now)
    record = read_record(scope, folder)
    base = {
        "scope": scope,
        "hash": current_hash,
        "total": len(now),
        "safety_total": len(safety),
    }
    if scope == CONTENT:
        return _content_review(record, now, base)
    return _language_review(record, now, safety, base)


def _content_review(record, now, base) -> Review:
    if not record:
        return Review(state=NOT_CHECKED, **base)
    holds = record.get("hash") == base["hash"]
    signed_texts = record.get("texts") or {}
    changed = tuple(sorted(key for key, value in signed_texts.items() if now.get(key) != value))
    return Review(
        state=CHECKED if holds else NOT_CHECKED,
        signers=(_signer(record),) if holds else (),
        changed=() if holds else changed,
        signed=len(now) if holds else sum(now.get(k) == v for k, v in signed_texts.items()),
        safety_signed=base["safety_total"] if holds else 0,
        signed_hash=record.get("hash", ""),
        **base,
    )


def _language_review(record, now, safety, base) -> Review:
    signatures = (record or {}).get("signatures") or []
    holding: dict[str, int] = {}  # id -> the newest signature that signed it as it is now
    ever = set()
    for index, signature in enumerate(signatures):
        for key, value in (signature.get("messages") or {}).items():
            ever.add(key)
            if now.get(key) == value:
                holding[key] = index
    changed = tuple(sorted(ever - set(holding)))
    safety_signed = len(safety & set(holding))
    if len(holding) == len(now) and now:
        state = CHECKED
    elif safety and safety_signed == len(safety):
        state = SAFETY_CHECKED
    else:
        state = NOT_CHECKED
    signers: list[Signer] = []
    for index in sorted(set(holding.values()), reverse=True):
        signer = _signer(signatures[index])
        if signer not in signers:
            signers.append(signer)
    return Review(
        state=state,
        signers=tuple(signers) if state != NOT_CHECKED else (),
        changed=changed,
        signed=len(holding),
        safety_signed=safety_signed,
        signed_hash=signatures[-1].get("hash", "") if signatures else "",
        **base,
    )


def signed_ids(scope: str, found, folder=None) -> set[str]:
    """The ids of a language's messages that a signature holds for as they are now."""
    now = review_texts.hashes(found)
    signatures = (read_record(scope, folder) or {}).get("signatures") or []
    return {
        key
        for signature in signatures
        for key, value in (signature.get("messages") or {}).items()
        if now.get(key) == value
    }


@functools.cache
def current(scope: str) -> Review:
    """`review(scope)` from the package's sign-offs, computed once per process."""
    return review(scope)


def clear_cache() -> None:
    current.cache_clear()
    review_texts.safety_contexts.cache_clear()
    review_texts.content_ids.cache_clear()


# ---------------------------------------------------------------------------------------------
# Signing


def _clean(value: str, what: str) -> str:
    text = " ".join(str(value).split())
    if not text:
        raise ValueError(f"{what}: must not be empty")
    if len(text) > MAX_FIELD:
        raise ValueError(f"{what}: at most {MAX_FIELD} characters")
    if any(not ch.isprintable() for ch in text):
        raise ValueError(f"{what}: must be printable text")
    return text


def sign(
    scope: str,
    name: str,
    role: str,
    date: datetime.date,
    folder=None,
    only=None,
    safety_only: bool = False,
) -> dict:
    """Record that `name` (`role`) checked `scope` on `date`; returns the record written.
    A language can be signed in batches: `only` (ids or id prefixes) or `safety_only` picks the
    messages; the content is signed whole."""
    name, role = _clean(name, "name"), _clean(role, "role")
    found = units(scope)
    if scope == CONTENT:
        if only or safety_only:
            raise ValueError(
                "the content is signed whole: --message and --safety-critical are for a language"
            )
        signed = review_texts.hashes(found)
        record = {
            "scope": scope,
            "name": name,
            "role": role,
            "date": date.isoformat(),
            "hash": review_texts.digest(signed),
            "texts": dict(sorted(signed.items())),
        }
    else:
        chosen = [
            unit
            for unit in found
            if (not safety_only or unit.safety)
            and (not only or any(unit.id == key or unit.id.startswith(key) for key in only))
        ]
        if not chosen:
            raise ValueError("no message matches: nothing to sign")
        signed = {unit.id: unit.hash for unit in chosen}
        record = read_record(scope, folder) or {"scope": scope, "signatures": []}
        record["signatures"].append(
            {
                "name": name,
                "role": role,
                "date": date.isoformat(),
                "hash": review_texts.digest(signed),
                "messages": dict(sorted(signed.items())),
            }
        )
    path = record_path(scope, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(
        json.dumps(record, indent=1, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8"
    )
    temporary.replace(path)
    return record
