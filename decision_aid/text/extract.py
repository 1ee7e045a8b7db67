"""Babel extractors for the content files (babel.cfg names them): each text of a question step
or a guidance file becomes a message whose context is its place ("twitching.side=left.label",
"items.emergency.title"), so that `pybabel update` marks a translation fuzzy when the English
changes. The lists come from the same walks that translate the content at run time."""

from pathlib import Path

# The comment that marks a safety-critical message in the catalogs (`#.` lines): content texts
# get it from `safety_critical: true` in their YAML; templates and Python write it before the
# message (`{# TRANSLATORS: safety-critical #}`, `# TRANSLATORS: safety-critical`).
SAFETY_COMMENT = "TRANSLATORS: safety-critical"


def is_safety_comment(comment: str) -> bool:
    """Whether a catalog's `#.` comment marks its message as safety-critical. Babel's Python
    extractor keeps the "TRANSLATORS:" tag in the comment; Jinja's leaves it out."""
    return comment.removeprefix("TRANSLATORS:").strip().startswith("safety-critical")


def _message(context, text, safety=False):
    return (0, "pgettext", (context, text), [SAFETY_COMMENT] if safety else [])


def extract_steps(fileobj, keywords, comment_tags, options):
    """The messages of one step file (decision_aid/questions/steps/*.yaml). A scale's words are
    extracted with each question that uses it, since a question may relabel them."""
    from decision_aid.questions import (
        FOLLOWUP_DIR,
        followup_questionnaire,
        packaged_questionnaire,
    )
    from decision_aid.questions.translate import messages, safety_critical_contexts

    followup = Path(fileobj.name).resolve().parent == FOLLOWUP_DIR.resolve()
    questionnaire = followup_questionnaire() if followup else packaged_questionnaire()
    marked = safety_critical_contexts(questionnaire)
    for _file, context, text in messages(questionnaire, Path(fileobj.name).name):
        yield _message(context, text, context in marked)


def extract_guidance(fileobj, keywords, comment_tags, options):
    """The messages of one guidance file (decision_aid/guidance/*.yaml)."""
    from decision_aid.guidance import content

    name = Path(fileobj.name).stem
    marked = content.safety_critical_contexts(name)
    for context, text in content.messages(name):
        yield _message(context, text, context in marked)
