"""The questionnaire's words in another language. Each text field of a step, question, option
and rating row is one catalog message whose context (msgctxt) is its place in the questionnaire:
"twitching" step title -> "twitching.title", an option -> "twitching.side=left.label". Values,
ids and bounds are never translated: the answers are the same in every language.

`messages` lists what the catalog must hold (the Babel extractor reads it); `translated` gives
the same questionnaire with each field replaced by its translation."""

from __future__ import annotations

from dataclasses import replace

from decision_aid.questions.questionnaire import Item, Option, Question, Questionnaire, Step
from decision_aid.text import i18n

# The fields a person reads. The rest (ids, values, types, bounds, conditions) are data.
TEXT_FIELDS = {
    Step: ("title", "caption"),
    Question: ("label", "hint", "short", "error", "what", "suffix"),
    Option: ("label", "hint", "short"),
    Item: ("label", "error", "short", "short_no"),
}


def _texts(obj, place, translate):
    """`obj` with each of its non-empty text fields passed through translate(context, text)."""
    changes = {}
    for name in TEXT_FIELDS[type(obj)]:
        text = getattr(obj, name)
        if text:
            changes[name] = translate(f"{place}.{name}", text)
    return replace(obj, **changes) if changes else obj


def _question(question, place, translate):
    options = {
        option.value: _texts(option, f"{place}={option.value}", translate)
        for option in question.all_options
    }
    return _texts(
        replace(
            question,
            options=tuple(options[option.value] for option in question.options),
            all_options=tuple(options.values()),
            items=tuple(_texts(item, f"{place}.{item.id}", translate) for item in question.items),
        ),
        place,
        translate,
    )


def _step(step, translate):
    questions = tuple(
        _question(question, f"{step.id}.{question.id}", translate) for question in step.questions
    )
    return _texts(replace(step, questions=questions), step.id, translate)


def translated(questionnaire: Questionnaire, translate) -> Questionnaire:
    """The questionnaire with every text field replaced by translate(context, text)."""
    return Questionnaire(tuple(_step(step, translate) for step in questionnaire.steps))


def messages(questionnaire: Questionnaire, step_file: str | None = None):
    """(step file, context, text) of every text field, in the order of the files; only the
    step in `step_file` when given."""
    found = []

    def collect(context, text):
        found.append((step.file, context, text))
        return text

    for step in questionnaire.steps:
        if step_file is None or step.file == step_file:
            _step(step, collect)
    return found


def safety_critical_contexts(questionnaire: Questionnaire) -> set[str]:
    """The contexts of every text of a question or option marked `safety_critical: true` (a
    question's mark covers its options and rows), found by the same walk as `messages`."""
    found: set[str] = set()

    def collect(context, text):
        found.add(context)
        return text

    for step in questionnaire.steps:
        for question in step.questions:
            place = f"{step.id}.{question.id}"
            if question.safety_critical:
                _question(question, place, collect)
                continue
            for option in question.all_options:
                if option.safety_critical:
                    _texts(option, f"{place}={option.value}", collect)
    return found


_translated: dict = {}


def in_language(questionnaire: Questionnaire, language: str) -> Questionnaire:
    """`questionnaire` with its words in `language` (from its catalog), made once per language."""
    if language == i18n.DEFAULT:
        return questionnaire
    key = (id(questionnaire), language)
    made = _translated.get(key)
    if made is None or made[0] is not questionnaire:
        with i18n.using(language):
            made = (questionnaire, translated(questionnaire, i18n.pgettext))
        _translated[key] = made
    return made[1]
