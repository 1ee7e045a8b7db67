"""Issue 30: recorded sign-offs that lapse when the words change, per-message translation review,
and the reviewer's packet. Every test signs into a temporary folder and changes words in a
temporary copy of the content (or the loaded rule table), never the status function; nothing is
signed in the repository (decision_aid/signoffs/ ships with no record)."""

import dataclasses
import datetime
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import TODAY

from decision_aid.cli import main as cli
from decision_aid.guidance import content, rule_table
from decision_aid.guidance.engine import build_provenance
from decision_aid.review import packet, signoff
from decision_aid.review import texts as review_texts
from decision_aid.review.signoff import CHECKED, CONTENT, NOT_CHECKED, SAFETY_CHECKED
from decision_aid.text import i18n
from decision_aid.text.extract import is_safety_comment

ROOT = Path(__file__).resolve().parent.parent
SIGNED_ON = datetime.date(2026, 12, 1)
NOT_CHECKED_LINE = "Not yet checked by a neurologist or neurosurgeon."
CHECKED_LINE = "Checked by Dr Ana Ruiz, consultant neurologist, on 1 December 2026."


def _clear():
    signoff.clear_cache()
    content._english.cache_clear()
    content._load.cache_clear()


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """The sign-off records in a temporary folder, and the cached status recomputed."""
    records = tmp_path / "signoffs"
    monkeypatch.setattr(signoff, "SIGNOFF_DIR", records)
    _clear()
    yield records
    _clear()


@pytest.fixture
def edit(tmp_path, monkeypatch, folder):
    """edit(file, old, new): change words in a temporary copy of the guidance YAML."""
    copy = tmp_path / "guidance"
    copy.mkdir()
    for path in content.CONTENT_DIR.glob("*.yaml"):
        shutil.copy(path, copy / path.name)
    monkeypatch.setattr(content, "CONTENT_DIR", copy)

    def change(name, old, new):
        path = copy / f"{name}.yaml"
        text = path.read_text(encoding="utf-8")
        assert text.count(old) >= 1, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        _clear()

    return change


def sign(scope=CONTENT, **options):
    record = signoff.sign(scope, "Dr Ana Ruiz", "consultant neurologist", SIGNED_ON, **options)
    signoff.clear_cache()
    return record


def test_nothing_is_signed_in_the_repository():
    assert sorted(p.name for p in signoff.SIGNOFF_DIR.iterdir()) == ["README.md"]


def test_the_provenance_says_not_yet_checked_until_signed(folder):
    provenance = build_provenance()
    assert NOT_CHECKED_LINE in provenance.statement
    assert "Checked by" not in provenance.statement
    sign()
    provenance = build_provenance()
    assert provenance.statement == (
        "Content version "
        f"{content.load('provenance')['content_version']}. Written on "
        f"{provenance.reviewed_text} from published studies. {CHECKED_LINE}"
    )
    assert CHECKED_LINE in provenance.written_by
    assert NOT_CHECKED_LINE not in provenance.statement
    with i18n.using("es"):
        assert "Revisado por Dr Ana Ruiz, consultant neurologist, el 1 de diciembre de 2026." in (
            build_provenance().statement
        )


def _rule_trigger(monkeypatch):
    rules = tuple(
        dataclasses.replace(rule, trigger=rule.trigger.replace("`both`", "`both` (either)"))
        if rule.id == "bilateral"
        else rule
        for rule in rule_table.RULES
    )
    monkeypatch.setattr(rule_table, "RULES", rules)
    signoff.clear_cache()


# (what changes, how, the id the packet lists as changed)
CHANGES = {
    "a word of a card": (
        lambda edit, mp: edit("items", "Note the time the first sign started", "Note the hour"),
        "items.emergency.parts.main.text",
    ),
    "a clinician's word of a card": (
        lambda edit, mp: edit("items", "neurological assessment", "neurology assessment"),
        "items.bilateral.staff.title",
    ),
    "a figure in the option grid": (
        lambda edit, mp: edit("options", "n: ", "n:  1"),
        "data:guidance/options.yaml",
    ),
    "a rule's words": (lambda edit, mp: _rule_trigger(mp), "rule:bilateral"),
    "a source": (
        lambda edit, mp: edit("sources", "Br J Neurosurg 2012", "Br J Neurosurg 2013"),
        "source:miller-2012",
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_changed_word_lapses_the_sign_off_and_signing_again_restores_it(
    change, edit, monkeypatch
):
    make, changed_id = CHANGES[change]
    sign()
    assert signoff.current(CONTENT).state == CHECKED
    assert CHECKED_LINE in build_provenance().statement

    make(edit, monkeypatch)
    review = signoff.current(CONTENT)
    assert review.state == NOT_CHECKED
    assert changed_id in review.changed
    assert NOT_CHECKED_LINE in build_provenance().statement
    assert "Checked by" not in build_provenance().statement

    sign()
    assert signoff.current(CONTENT).state == CHECKED
    assert signoff.current(CONTENT).changed == ()
    assert CHECKED_LINE in build_provenance().statement


def test_the_content_hash_covers_every_kind_of_text():
    ids = {text.id for text in review_texts.content_texts()}
    kinds = {text_id.split(":")[0] if ":" in text_id else "text" for text_id in ids}
    assert kinds == {"rule", "source", "data", "code", "text", "page"} - (
        set() if any(i.startswith("page:") for i in ids) else {"page"}
    )
    assert {f"rule:{rule.id}" for rule in rule_table.RULES} <= ids
    assert "items.emergency.parts.main.text" in ids
    assert "twitching.side.label" in ids
    assert "code:decision_aid/guidance/rules_urgent.py" in ids


# --- languages ---------------------------------------------------------------------------------


def _safety_ids(language):
    return [m.id for m in review_texts.language_messages(language) if m.safety]


@pytest.mark.parametrize("language", ["es", "zh_Hans"])
def test_a_language_needs_every_safety_critical_message_signed(language, folder):
    messages = review_texts.language_messages(language)
    safety = _safety_ids(language)
    assert safety, "no message is marked safety-critical"
    others = [m.id for m in messages if not m.safety]
    unreviewed = build_provenance  # read through the pages' own path
    with i18n.using(language):
        not_reviewed_line = i18n.gettext(
            "Translated from English; not yet reviewed by a native-speaking clinician."
        )

    # every message but one safety-critical one: still not reviewed
    sign(language, only=others + safety[1:])
    review = signoff.current(language)
    assert review.state == NOT_CHECKED
    assert review.safety_signed == len(safety) - 1
    with i18n.using(language):
        assert unreviewed().translation == not_reviewed_line

    # the last one: reviewed, in two batches
    sign(language, only=[safety[0]])
    review = signoff.current(language)
    assert review.state == CHECKED
    assert review.signed == review.total
    with i18n.using(language):
        line = unreviewed().translation
    assert line != not_reviewed_line
    assert "Dr Ana Ruiz" in line and "consultant neurologist" in line


def test_safety_critical_messages_alone_give_a_partial_status(folder):
    sign("es", safety_only=True)
    review = signoff.current("es")
    assert review.state == SAFETY_CHECKED
    assert review.safety_signed == review.safety_total < review.total
    with i18n.using("es"):
        line = build_provenance().translation
    assert line.startswith("Traducido del inglés. Los mensajes de seguridad los revisó Dr Ana Ruiz")
    assert "el resto todavía no" in line


def test_a_changed_translation_lapses_its_signature(folder, tmp_path, monkeypatch):
    sign("es")
    assert signoff.current("es").state == CHECKED
    original = review_texts.catalog_path("es")
    copy = tmp_path / "messages.po"
    with original.open("rb") as handle:
        old = next(m for m in read_po(handle) if m.context == "items.emergency.title").string
    text = original.read_text(encoding="utf-8")
    assert text.count(f'"{old}"') == 1
    copy.write_text(text.replace(f'"{old}"', f'"{old} ahora"'), encoding="utf-8")
    monkeypatch.setattr(review_texts, "catalog_path", lambda language: copy)
    signoff.clear_cache()
    review = signoff.current("es")
    assert review.state == NOT_CHECKED
    assert review.changed == ("items.emergency.title",)


def test_safety_critical_marks_live_in_the_content_and_reach_the_catalog():
    """The YAML's `safety_critical: true` and the templates' comments are in messages.pot
    (make translations), so a translator's tool shows them."""
    marked_in_yaml = review_texts.safety_contexts()
    assert marked_in_yaml, "no content text is marked safety-critical"
    with (ROOT / "decision_aid/translations/messages.pot").open("rb") as handle:
        pot = read_po(handle)
    marked_in_pot = {
        m.context for m in pot if m.context and any(map(is_safety_comment, m.auto_comments))
    }
    content_contexts = {m.context for m in pot if m.context in review_texts.content_ids()}
    assert marked_in_pot & content_contexts == set(marked_in_yaml)
    # the emergency page's and the stroke signs' words are marked in their templates
    page_marked = {m.english for m in review_texts.page_texts()}
    assert "Call your local emergency number now" in page_marked
    assert "Call %(number)s (%(place)s)" in page_marked
    # the cards and questions the issue names
    for context in (
        "items.emergency.title",
        "items.red_flags.title",
        "items.medicine_rash.title",
        "items.pregnancy.title",
        "symptoms.red_flags=sudden_weakness.label",
    ):
        assert context in marked_in_yaml, context


# --- the packet and the command line ---------------------------------------------------------


def _packet_html(language=None):
    from decision_aid.pdf.templates import environment

    context = packet.packet_context(language, today=TODAY)
    return environment().get_template(packet.TEMPLATE).render(**context)


def test_the_packet_lists_what_changed_since_the_sign_off(edit):
    html = _packet_html()
    assert "No sign-off is recorded yet." in html
    sign()
    assert "Nothing has changed since the sign-off." in _packet_html()
    edit("items", "Note the time the first sign started", "Note the hour")
    html = _packet_html()
    changed = html.split("Changed since the sign-off", 1)[1].split("<h2>", 1)[0]
    assert "items.emergency.parts.main.text" in changed
    assert "words have changed since the sign-off" in html


def test_the_packet_puts_the_safety_critical_texts_first_and_shows_each_id_and_hash():
    html = _packet_html("es")
    safety = html.index("1. Safety-critical texts")
    cards = html.index("2. The cards")
    emergency = html.index(">items.emergency.title<")
    assert safety < emergency < cards
    text = next(t for t in review_texts.language_messages("es") if t.id == "items.emergency.title")
    assert f"#{text.hash}" in html
    assert text.translation in html
    # every text of the content packet is in it, with its hash
    english = _packet_html()
    for item in review_texts.content_word_texts():
        assert f"#{item.hash}" in english, item.id
    for rule in rule_table.RULES:
        assert f">{rule.id}<" in english


def test_the_command_line_signs_and_reports(folder, monkeypatch, capsys):
    assert cli.main(["review", "status", "--signoffs", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "content: Not yet checked." in out
    assert "Shown (en): Content version" in out and NOT_CHECKED_LINE in out
    code = cli.main(
        [
            "review",
            "sign",
            "--scope",
            "content",
            "--name",
            "Dr Ana Ruiz",
            "--role",
            "consultant neurologist",
            "--date",
            "2026-12-01",
            "--signoffs",
            str(folder),
        ]
    )
    assert code == 0
    assert (folder / "content.json").is_file()
    cli.main(["review", "status", "--signoffs", str(folder)])
    out = capsys.readouterr().out
    assert "content: Checked by Dr Ana Ruiz, consultant neurologist, on 2026-12-01." in out
    assert CHECKED_LINE in out
    assert (
        cli.main(
            [
                "review",
                "sign",
                "--scope",
                "fr",
                "--name",
                "A",
                "--role",
                "B",
                "--signoffs",
                str(folder),
            ]
        )
        == 2
    )
    assert (
        cli.main(
            [
                "review",
                "sign",
                "--scope",
                "content",
                "--name",
                " ",
                "--role",
                "B",
                "--signoffs",
                str(folder),
            ]
        )
        == 2
    )


def test_about_this_guide_serves_the_development_document(client):
    response = client.get("/about-this-guide")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.headers["Content-Language"] == "en"
    text = response.get_data(as_text=True)
    for heading in ("## Patient stories", "## User testing plan", "## Authors and reviewers"):
        assert heading in text
    summary_sources = (ROOT / "decision_aid/templates/_guidance.html").read_text(encoding="utf-8")
    assert "url_for('wizard.development')" in summary_sources
