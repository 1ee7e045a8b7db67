"""Babel extractors for the content files (babel.cfg names them): each text of a question step
or a guidance file becomes a message whose context is its place ("twitching.side=left.label",
"items.emergency.title"), so that `pybabel update` marks a translation fuzzy when the English
changes. The lists come from the same walks that translate the content at run time."""

from pathlib import Path


def _message(context, text):
    return (0, "pgettext", (context, text), [])


def extract_steps(fileobj, keywords, comment_tags, options):
    """The messages of one step file (decision_aid/questions/steps/*.yaml). A scale's words are
    extracted with each question that uses it, since a question may relabel them."""
    from decision_aid.questions import packaged_questionnaire
    from decision_aid.questions.translate import messages

    for _file, context, text in messages(packaged_questionnaire(), Path(fileobj.name).name):
        yield _message(context, text)


def extract_guidance(fileobj, keywords, comment_tags, options):
    """The messages of one guidance file (decision_aid/guidance/*.yaml)."""
    from decision_aid.guidance import content

    for context, text in content.messages(Path(fileobj.name).stem):
        yield _message(context, text)
