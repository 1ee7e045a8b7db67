"""Every text a reviewer checks, each with a stable id and a short hash (docs/development.md).

Content (scope `content`): each text of the guidance YAML and of the questions (id = its catalog
context, "items.emergency.parts.main.text", "symptoms.red_flags=lump.label"), each rule in words
(`rule:<id>`), each source (`source:<key>`), the safety-critical texts of the pages (`page:...`,
marked in the templates), and, so that no number or rule can change unseen, the data of each
content file with its words left out (`data:...`) and the rules' code (`code:...`).

A language (scope `es`, `zh_Hans`): every message of its catalog (.po), English and translation.

Safety-critical texts are marked in the content itself: `safety_critical: true` in a YAML file
(on a card, a question or an option: every text under it), and `TRANSLATORS: safety-critical`
before a message of a template or of Python (kept by the extractor as a `#.` comment)."""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

from decision_aid.guidance import content
from decision_aid.text import i18n
from decision_aid.text.extract import is_safety_comment

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# The rules' code: what fires when, the thresholds (docs/guidance-rules.md says it in words).
RULE_CODE = (
    "guidance/rules_urgent.py",
    "guidance/rules_checks.py",
    "guidance/rules_botox.py",
    "guidance/rules_mvd.py",
    "guidance/rules_choices.py",
    "guidance/rule_table.py",
    "guidance/thresholds.py",
    "guidance/context.py",
)
# The content files with words, in the packet's order (sources.yaml is listed on its own).
CONTENT_ORDER = ("items", "options", "about", "ask_your_doctor", "labels", "provenance")
SECTIONS = {
    "items": "cards",
    "options": "grid",
    "about": "about",
    "ask_your_doctor": "prompts",
    "labels": "other",
    "provenance": "other",
}
SHORT_HASH = 10


def short_hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:SHORT_HASH]


def digest(hashes: dict[str, str]) -> str:
    """One hash over every id and its text's hash, in id order."""
    lines = "".join(f"{key}\t{value}\n" for key, value in sorted(hashes.items()))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Text:
    id: str
    section: str  # safety ordering aside: rules, cards, grid, about, prompts, other, questions,
    # sources, pages, data
    group: str  # the card, grid row, step or file it belongs to
    english: str
    safety: bool = False
    context: str | None = None  # its catalog message, when it is translated
    msgid: str | None = None
    clinician: bool = False  # a card's words for the clinic (`staff`)

    @property
    def hash(self) -> str:
        return short_hash(self.english)

    @property
    def key(self) -> str:
        """The catalog message it is: context and English."""
        return catalog_key(self.context, self.msgid)


def catalog_key(context: str | None, msgid: str | None) -> str:
    return f"{context or ''}\x04{msgid or ''}"


# ---------------------------------------------------------------------------------------------
# The catalogs


@dataclass(frozen=True)
class Message:
    id: str  # the content text's id for content messages, else page:<context|><English>
    context: str | None
    english: str
    translation: str
    safety: bool

    @property
    def hash(self) -> str:
        """Of the English and the translation: a change to either needs a new signature."""
        return short_hash(f"{self.english}\x00{self.translation}")


def catalog_path(language: str, name: str = "messages.po") -> Path | None:
    for directory in i18n.directories():
        path = Path(directory) / language / "LC_MESSAGES" / name
        if path.is_file():
            return path
    return None


def _as_text(value) -> str:
    return "\x00".join(value) if isinstance(value, (list, tuple)) else (value or "")


def _page_id(context: str | None, english: str) -> str:
    return f"page:{context}|{english}" if context else f"page:{english}"


def read_catalog(path: Path) -> list[Message]:
    """The messages of a .po or .pot file (not the header), in file order."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    ids = content_ids()
    marked = safety_contexts()
    found = []
    for message in catalog:
        if not message.id:
            continue
        english = _as_text(message.id)
        context = message.context
        safety = context in marked or any(map(is_safety_comment, message.auto_comments))
        found.append(
            Message(
                id=context if context in ids else _page_id(context, english),
                context=context,
                english=english,
                translation=_as_text(message.string),
                safety=safety,
            )
        )
    return found


def template_messages() -> list[Message]:
    """The messages of messages.pot (English only)."""
    return read_catalog(PACKAGE_DIR / "translations" / "messages.pot")


def language_messages(language: str) -> list[Message]:
    path = catalog_path(language)
    return read_catalog(path) if path else []


# ---------------------------------------------------------------------------------------------
# The content


@functools.cache
def safety_contexts() -> frozenset[str]:
    """The contexts of the content texts marked `safety_critical: true` in their YAML."""
    from decision_aid.guidance.model import QUESTIONNAIRE
    from decision_aid.questions.translate import safety_critical_contexts

    found = set(safety_critical_contexts(QUESTIONNAIRE))
    for name in CONTENT_ORDER:
        found |= content.safety_critical_contexts(name)
    return frozenset(found)


@functools.cache
def content_ids() -> frozenset[str]:
    return frozenset(text.context for text in content_word_texts())


def content_word_texts() -> list[Text]:
    """The translated texts of the content: guidance files, then the questions."""
    from decision_aid.guidance.model import QUESTIONNAIRE
    from decision_aid.questions.translate import messages

    marked = safety_contexts()
    texts = []
    for name in CONTENT_ORDER:
        for context, english in content.messages(name):
            parts = context.split(".")
            texts.append(
                Text(
                    id=context,
                    section=SECTIONS[name],
                    group=".".join(parts[:2]) if name in ("items", "about") else parts[0],
                    english=english,
                    safety=context in marked,
                    context=context,
                    msgid=english,
                    clinician=name == "items" and "staff" in parts,
                )
            )
    for _file, context, english in messages(QUESTIONNAIRE):
        texts.append(
            Text(
                id=context,
                section="questions",
                group=context.split(".")[0],
                english=english,
                safety=context in marked,
                context=context,
                msgid=english,
            )
        )
    return texts


def rule_texts() -> list[Text]:
    from decision_aid.guidance.rule_table import RULES, rule_sources

    return [
        Text(
            id=f"rule:{rule.id}",
            section="rules",
            group=rule.id,
            english=f"Level: {rule.level}. When: {rule.trigger} "
            f"Sources: {', '.join(rule_sources(rule.id))}.",
        )
        for rule in RULES
    ]


def source_texts() -> list[Text]:
    return [
        Text(
            id=f"source:{key}",
            section="sources",
            group="sources",
            english=json.dumps(entry, sort_keys=True, ensure_ascii=False)
            if not isinstance(entry, dict) or set(entry) - {"short", "citation"}
            else f"{entry.get('short', '')}: {entry.get('citation', '')}",
        )
        for key, entry in content.load_english("sources").items()
    ]


def page_texts() -> list[Text]:
    """The safety-critical messages of the templates and the Python code (from messages.pot)."""
    return [
        Text(
            id=message.id,
            section="pages",
            group="pages",
            english=message.english,
            safety=True,
            context=message.context,
            msgid=message.english,
        )
        for message in template_messages()
        if message.safety and message.id.startswith("page:")
    ]


def data_texts() -> list[Text]:
    """What the words leave out: each content file's data (ids, numbers, sources, conditions)
    with its words blanked, and the rules' code."""
    from decision_aid.guidance.model import QUESTIONNAIRE
    from decision_aid.questions.translate import translated

    texts = []
    for name in CONTENT_ORDER:
        skeleton = content.blanked(name)
        texts.append(
            Text(
                id=f"data:guidance/{name}.yaml",
                section="data",
                group="data",
                english=json.dumps(skeleton, sort_keys=True, ensure_ascii=False, default=str),
            )
        )
    questions = translated(QUESTIONNAIRE, lambda context, text: "")
    texts.append(
        Text(
            id="data:questions",
            section="data",
            group="data",
            english=repr(questions),
        )
    )
    for name in RULE_CODE:
        texts.append(
            Text(
                id=f"code:decision_aid/{name}",
                section="data",
                group="data",
                english=(PACKAGE_DIR / name).read_text(encoding="utf-8"),
            )
        )
    return texts


def content_texts() -> list[Text]:
    """Everything the `content` sign-off covers."""
    return [
        *rule_texts(),
        *content_word_texts(),
        *page_texts(),
        *source_texts(),
        *data_texts(),
    ]


def hashes(texts) -> dict[str, str]:
    return {text.id: text.hash for text in texts}
