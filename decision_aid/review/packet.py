"""The reviewer's packet: one tagged PDF (PDF/UA-1, through decision_aid.pdf.render like the day
list) that a clinician reads and annotates before signing (`decision-aid review packet`).

Content: the safety-critical texts first, then every rule in words, every card's patient and
clinician text, the option grid, the other content, the questions and their answers, every
source, and the hashes of the data and code the sign-off also covers. A language: the same texts
(rules and sources are not translated) with the translation beside the English, then the rest of
its catalog (the pages' words), each marked signed or not. Every text carries its id and short
hash. The packet's own words are English: it is for the clinic, not for patients."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from decision_aid.guidance import content
from decision_aid.review import signoff
from decision_aid.review import texts as review_texts
from decision_aid.review.texts import Text
from decision_aid.text import i18n

TEMPLATE = "pdf/review_packet.html"
STYLESHEET = "review.css"
GROUP_TITLES = {
    "about": "About the condition and the decision",
    "prompts": "Questions the guidance suggests asking",
    "other": "Labels and provenance",
}


@dataclass(frozen=True)
class Row:
    text: Text
    translation: str = ""
    state: str = ""  # a language's: "signed", "not signed", "changed since signed"
    hash: str = ""  # the text's short hash; a language's is of the English and the translation


def _language_name(language: str) -> str:
    """ "Spanish (Español)": the packet's words are English."""
    with i18n.using(i18n.DEFAULT):
        return i18n.language_name(language)


def _label(text_id: str) -> str:
    """What a row calls a text: its id, or for a message of the pages, "page message"."""
    if text_id.startswith("page:"):
        context, _, _english = text_id[5:].partition("|")
        return f"page message ({context})" if _english else "page message"
    return text_id


def _groups(rows: list[Row]) -> list[tuple[str, list[Row]]]:
    found: dict[str, list[Row]] = {}
    for row in rows:
        found.setdefault(row.text.group, []).append(row)
    return list(found.items())


def _is_cell(text_id: str) -> bool:
    parts = text_id.split(".")
    return len(parts) == 5 and parts[:2] == ["options", "options"] and parts[4] == "text"


def _cell(data: dict, option: str, row: str) -> dict:
    cell = data["options"][option].get(row)
    return cell if isinstance(cell, dict) else {}


def _grid(texts_by_id: dict[str, Text]) -> dict:
    """The option grid: its rows' labels, the options' titles and each cell's text."""
    data = content.load_english("options")
    options = list(data["options"])
    cells = []
    for row in data["rows"]:
        cells.append(
            {
                "label": data["rows"][row],
                "cells": [
                    {
                        "text": texts_by_id.get(f"options.options.{option}.{row}.text"),
                        "sources": ", ".join(_cell(data, option, row).get("sources", [])),
                    }
                    for option in options
                ],
            }
        )
    return {
        "options": [data["options"][option]["title"] for option in options],
        "rows": cells,
    }


def packet_context(language: str | None = None, *, today: datetime.date, folder=None) -> dict:
    """The template's context: the packet for the content, or for `language`'s translation."""
    scope = language or signoff.CONTENT
    review = signoff.review(scope, folder)
    words = review_texts.content_word_texts()
    pages = review_texts.page_texts()
    translated: dict[str, review_texts.Message] = {}
    states: dict[str, str] = {}
    if language:
        messages = review_texts.language_messages(language)
        translated = {message.id: message for message in messages}
        signed = signoff.signed_ids(language, messages, folder)
        changed = set(review.changed)
        states = {
            message.id: "signed"
            if message.id in signed
            else "changed since signed"
            if message.id in changed
            else "not signed"
            for message in messages
        }
        content_ids = {text.id for text in words}
        pages = [
            Text(
                id=message.id,
                section="pages",
                group="pages",
                english=message.english,
                safety=message.safety,
                context=message.context,
                msgid=message.english,
            )
            for message in messages
            if message.id not in content_ids
        ]
        words = [_with_message_mark(text, translated) for text in words]

    def row(text: Text) -> Row:
        message = translated.get(text.id)
        if message is None:
            return Row(text, "", states.get(text.id, ""), text.hash)
        return Row(text, message.translation, states.get(text.id, ""), message.hash)

    everything = [*words, *pages]
    safety = [row(text) for text in everything if text.safety]
    by_section: dict[str, list[Row]] = {}
    for text in words:
        if not text.safety:
            by_section.setdefault(text.section, []).append(row(text))
    rules = []
    if not language:
        from decision_aid.guidance.rule_table import RULES, rule_sources

        rule_texts = {text.id: text for text in review_texts.rule_texts()}
        rules = [
            {
                "rule": rule,
                "text": rule_texts[f"rule:{rule.id}"],
                "sources": ", ".join(rule_sources(rule.id)),
            }
            for rule in RULES
        ]
    texts_by_id = {text.id: text for text in words}
    return {
        "language": language,
        "language_name": _language_name(language) if language else "",
        "html_lang": i18n.html_lang(language) if language else "en",
        "today": today.isoformat(),
        "content_version": str(content.load_english("provenance").get("content_version", "")),
        "review": review,
        "status": status_words(review),
        "safety": safety,
        "rules": rules,
        "cards": _cards(by_section.get("cards", [])),
        "grid": _grid(texts_by_id) if not language else None,
        # a language's grid cell by cell; the content's labels and option names under its grid
        "grid_rows": [
            row for row in by_section.get("grid", []) if language or not _is_cell(row.text.id)
        ],
        "other": [
            (GROUP_TITLES[section], by_section.get(section, []))
            for section in ("about", "prompts", "other")
        ],
        "questions": _groups(by_section.get("questions", [])),
        "sources": review_texts.source_texts() if not language else [],
        "data": review_texts.data_texts() if not language else [],
        "pages": [row(text) for text in pages if not text.safety] if language else [],
        "label": _label,
        "changed": review.changed,
    }


def _with_message_mark(text: Text, translated) -> Text:
    """A content text is safety-critical for a language when its message is marked too."""
    message = translated.get(text.id)
    return replace(text, safety=True) if message and message.safety else text


def _cards(rows: list[Row]) -> list[dict]:
    cards = []
    for group, members in _groups(rows):
        cards.append(
            {
                "id": group.split(".", 1)[1] if "." in group else group,
                "patient": [row for row in members if not row.text.clinician],
                "clinician": [row for row in members if row.text.clinician],
            }
        )
    return cards


def status_words(review: signoff.Review) -> str:
    """The review status in the packet's words (English)."""
    who = "; ".join(f"{s.name}, {s.role}, on {s.date}" for s in review.signers)
    if review.state == signoff.CHECKED:
        return f"Checked by {who}."
    if review.state == signoff.SAFETY_CHECKED:
        return f"Safety-critical messages checked by {who}; the rest not yet checked."
    if review.changed:
        return "Not yet checked: words have changed since the sign-off."
    return "Not yet checked."


def render_packet(language: str | None = None, *, today: datetime.date, folder=None) -> bytes:
    from decision_aid.pdf import render as pdf_render
    from decision_aid.pdf.templates import css_text, environment

    context = packet_context(language, today=today, folder=folder)
    html = environment().get_template(TEMPLATE).render(**context)
    return pdf_render.render_page(html, css_text(STYLESHEET))
