"""Languages (issue 17): the catalogs are complete and keep every placeholder, the content is
translated key by key, the language is chosen as the issue says, nothing on a page escapes
translation (a pseudo-locale), the five persona walks in Spanish and Chinese keep the answers
language-free, and the translated texts stay plain.

The catalogs are decision_aid/translations/<language>/LC_MESSAGES/messages.po, made from
messages.pot by `make translations`; the compiled .mo files are built by `make setup`."""

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from clinic_support import add_staff, cheap_password_hashing, sign_in, staff_client  # noqa: F401
from conftest import TODAY, Patient, csrf_from
from test_wizard import (
    BOTH_SIDES,
    BOTH_SIDES_EXPECTED,
    LONG_BOTOX,
    LONG_BOTOX_EXPECTED,
    NOTHING_TRIED,
    NOTHING_TRIED_EXPECTED,
    PREVIOUS_MVD,
    PREVIOUS_MVD_EXPECTED,
    RED_FLAG,
    RED_FLAG_EXPECTED,
    walk,
)

from decision_aid import create_app, guidance
from decision_aid.guidance import content
from decision_aid.questions import packaged_questionnaire
from decision_aid.questions.translate import messages as question_messages
from decision_aid.text import i18n

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "decision_aid" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
CATALOGS = ("es", "zh_Hans")
PERSONAS = {
    "long-botox": (LONG_BOTOX, LONG_BOTOX_EXPECTED, None),
    "red-flag": (RED_FLAG, RED_FLAG_EXPECTED, "symptoms"),
    "both-sides": (BOTH_SIDES, BOTH_SIDES_EXPECTED, None),
    "nothing-tried": (NOTHING_TRIED, NOTHING_TRIED_EXPECTED, None),
    "previous-mvd": (PREVIOUS_MVD, PREVIOUS_MVD_EXPECTED, None),
}


def read_catalog(path):
    with open(path, "rb") as handle:
        return read_po(handle)


def keys(catalog):
    """(context, msgid) of every message but the header."""
    return {(m.context, m.id) for m in catalog if m.id}


def po_path(language):
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def words_in(language):
    """The page's words for an English message, in `language`."""

    def words(text):
        with i18n.using(language):
            return i18n.gettext(text)

    return words


# --- the catalogs ------------------------------------------------------------------------------


def test_the_template_holds_every_message_of_the_code_and_the_content(tmp_path):
    """messages.pot is what `make translations` extracts now: a new or changed English text
    that was not extracted would show in English on every translated page."""
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [
            Path(sys.executable).with_name("pybabel"),
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-o",
            fresh,
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    missing = keys(read_catalog(fresh)) - keys(read_catalog(TEMPLATE))
    stale = keys(read_catalog(TEMPLATE)) - keys(read_catalog(fresh))
    assert not missing, f"run `make translations`: {sorted(missing, key=str)[:10]}"
    assert not stale, f"run `make translations`: {sorted(stale, key=str)[:10]}"


@pytest.mark.parametrize("language", CATALOGS)
def test_every_message_has_a_checked_translation(language):
    """Every message of the template is in the catalog, translated, and not fuzzy (pybabel
    update marks a translation fuzzy when its English changes: it must be checked again)."""
    catalog = read_catalog(po_path(language))
    assert keys(read_catalog(TEMPLATE)) <= keys(catalog), "run `make translations`"
    assert not catalog.fuzzy, "the catalog's header is fuzzy: pybabel compile would skip it"
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.context or ''} {message.id!r}"[:160])
        elif not all(s and s.strip() for s in strings):
            problems.append(f"untranslated: {message.context or ''} {message.id!r}"[:160])
    assert not problems, f"{len(problems)} messages:\n" + "\n".join(problems[:40])


PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%\([a-z_]+\)[sd]|<[^>]+>")


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("language", CATALOGS)
def test_placeholders_and_markup_match_the_english(language):
    """{name}, %(name)s and the HTML tags of each message are in its translation, no more and
    no fewer: a missing one loses a fact, an extra one breaks the page."""
    problems = []
    for message in read_catalog(po_path(language)):
        if not message.id or message.fuzzy:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for index, translated in enumerate(strings):
            if not translated:
                continue
            # A plural form says the count of the plural English, a singular one the singular's.
            source = english[min(index, len(english) - 1)] if index else english[0]
            if placeholders(translated) != placeholders(source) and placeholders(
                translated
            ) != placeholders(english[-1]):
                problems.append(f"{message.context or ''} {source!r} -> {translated!r}"[:200])
    assert not problems, "\n".join(problems)


def content_messages():
    """(context, English text) of every translatable text of the content files."""
    found = [item for name in content.CONTENT_FILES for item in content.messages(name)]
    found += [(ctx, text) for _file, ctx, text in question_messages(packaged_questionnaire())]
    return found


def test_each_content_place_names_one_text():
    """A content message's context is its place (its key path): two texts in one place would
    share one translation."""
    places = {}
    for context, text in content_messages():
        assert places.setdefault(context, text) == text, context
    assert len(places) > 500  # the questionnaire and the guidance: a collapse would show here


@pytest.mark.parametrize("language", CATALOGS)
def test_every_content_key_is_translated_in_the_compiled_catalog(language):
    """Each text of the question steps, scales and guidance files has its translation in the
    compiled catalog the app reads (so a stale .mo fails too: run `make setup`)."""
    translations = i18n.translations(language)
    catalog = getattr(translations, "_catalog", {})
    missing = [
        context for context, text in content_messages() if not catalog.get(f"{context}\x04{text}")
    ]
    assert not missing, f"{len(missing)} content texts untranslated, e.g. {missing[:10]}"


# --- choosing the language ---------------------------------------------------------------------


def html_lang(page):
    return re.search(r'<html lang="([^"]+)"', page).group(1)


@pytest.mark.parametrize(
    "accept, expected",
    [
        (None, "en"),
        ("es-MX,es;q=0.9,en;q=0.5", "es"),
        ("zh-CN,zh;q=0.9", "zh-Hans"),
        ("zh-Hans", "zh-Hans"),
        ("zh-TW,en;q=0.5", "en"),  # Traditional Chinese: no catalog, and not zh-Hans
        ("zh-TW,zh;q=0.8,en;q=0.5", "zh-Hans"),  # ... unless any Chinese will do
        ("fr-FR,fr;q=0.9", "en"),
        ("fr-FR,es;q=0.5", "es"),
    ],
)
def test_without_a_choice_the_browser_language_decides(client, accept, expected):
    headers = {"Accept-Language": accept} if accept else {}
    assert html_lang(client.get("/", headers=headers).get_data(as_text=True)) == expected


def test_a_chosen_language_is_kept_in_the_session(client):
    assert html_lang(client.get("/?lang=es").get_data(as_text=True)) == "es"
    # Later pages, even with a browser that prefers Chinese, keep the choice.
    page = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert html_lang(page) == "es"
    assert "Empezar ahora" in page
    assert html_lang(client.get("/?lang=zh-Hans").get_data(as_text=True)) == "zh-Hans"
    assert html_lang(client.get("/no-such-page").get_data(as_text=True)) == "zh-Hans"
    assert html_lang(client.get("/?lang=xx").get_data(as_text=True)) == "zh-Hans"  # unknown
    assert html_lang(client.get("/?lang=en").get_data(as_text=True)) == "en"


def test_every_page_links_to_each_language_in_its_own_name(client):
    for path in ("/", "/no-such-page", "/staff/sign-in", "/resume/no-such-link"):
        page = client.get(path + "?lang=es").get_data(as_text=True)
        links = re.findall(
            r'<a class="languages__link" href="([^"]+)" hreflang="([^"]+)" '
            r'lang="([^"]+)"[^>]*>([^<]+)</a>',
            page,
        )
        assert [(hreflang, lang, name) for _href, hreflang, lang, name in links] == [
            ("en", "en", "English"),
            ("es", "es", "Español"),
            ("zh-Hans", "zh-Hans", "简体中文"),
        ], path
        assert 'aria-current="true">Español' in page
        for href, hreflang, _lang, _name in links:
            assert href.endswith(f"lang={hreflang}"), href


def test_a_language_link_keeps_the_page_and_drops_other_arguments(client):
    page = client.get("/resume/no-such-link?next=//evil.example&then=print").get_data(as_text=True)
    assert 'href="/resume/no-such-link?then=print&amp;lang=es"' in page
    assert "evil.example" not in page


def test_an_unknown_clinic_language_stops_the_app(tmp_path):
    from conftest import make_app

    with pytest.raises(ValueError, match="CLINIC_LANGUAGE"):
        make_app(tmp_path, CLINIC_LANGUAGE="fr")


# --- the persona walks in each language -------------------------------------------------------


@pytest.mark.parametrize("language", CATALOGS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_walks_keep_the_answers_language_free(app, client, language, persona):
    """The five persona walks, through the test client with CSRF on, in Spanish and Chinese:
    the stored answers are exactly those of the English walk (tests/test_wizard.py), and the
    summary shows the guidance in the patient's language, with its review status."""
    steps, expected, emergency_after = PERSONAS[persona]
    client.get(f"/?lang={i18n.html_lang(language)}")
    patient = Patient(app, client)
    stored = walk(patient, steps, emergency_after, words=words_in(language))
    assert stored.answers == expected
    page = client.get("/summary").get_data(as_text=True)
    assert html_lang(page) == i18n.html_lang(language)
    with i18n.using(language):
        result = guidance.result_for(stored.answers, TODAY)
        status = i18n.gettext(
            "Translated from English; not yet reviewed by a native-speaking clinician."
        )
    english = guidance.result_for(stored.answers, TODAY)
    assert [item.id for item in result.items] == [item.id for item in english.items]
    unescape = page.replace("&#39;", "'").replace("&#34;", '"').replace("&amp;", "&")
    for item, original in zip(result.items, english.items, strict=True):
        assert item.title in unescape, item.title
        assert original.title not in unescape, original.title
    assert status in unescape
    assert result.about["decision"].text in unescape


# --- the pseudo-locale -------------------------------------------------------------------------

PSEUDO = "xx"
ACCENTED = str.maketrans("aceinorsuyzACEINORSUYZ", "áçéíñóřšúýžÁÇÉÍÑÓŘŠÚÝŽ")
KEEP = re.compile(r"(\{[a-z_]+\}|%\([a-z_]+\)[sd]|%%|<[^>]+>|&\w+;)")


def pseudo(text):
    """[Ŵŕáƥƥéð] English: each part outside placeholders and tags gets accents, and the whole
    is bracketed, so that any visible text without brackets escaped translation."""
    parts = KEEP.split(text)
    return "⟦" + "".join(p if KEEP.fullmatch(p) else p.translate(ACCENTED) for p in parts) + "⟧"


@pytest.fixture
def pseudo_locale(tmp_path):
    """The pseudo-locale's catalog, made from messages.pot, for one test: the language list is
    restored after it (the other tests see the three real languages only)."""
    directory = tmp_path / "pseudo"
    template = read_catalog(TEMPLATE)
    catalog = Catalog(locale=None, domain="messages")
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            string = tuple(pseudo(form) for form in message.id)
        else:
            string = pseudo(message.id)
        catalog.add(message.id, string, context=message.context)
    target = directory / PSEUDO / "LC_MESSAGES"
    target.mkdir(parents=True)
    with open(target / "messages.mo", "wb") as handle:
        write_mo(handle, catalog)
    languages, directories = dict(i18n.LANGUAGES), i18n.directories()
    i18n.register(PSEUDO, "Pseudo", directory)
    yield PSEUDO
    i18n.LANGUAGES.clear()
    i18n.LANGUAGES.update(languages)
    i18n._directories[:] = directories
    i18n.translations.cache_clear()


class VisibleText(HTMLParser):
    """The text a person sees or hears: text nodes and the labels in attributes, without what is
    not translated by design (scripts, the language links in their own language, the patient's
    own words in <bdi>, reference codes, the list of sources)."""

    SKIP_CLASSES = ("reference", "sources", "code")
    VOID = {"br", "img", "input", "link", "meta", "hr", "source", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.texts = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        skip = (
            tag in ("script", "style", "bdi")
            or ("lang" in attrs and tag != "html")
            or any(c in self.SKIP_CLASSES for c in classes)
            or (tag == "li" and (attrs.get("id") or "").startswith("source-"))
        )
        if not self.skipping() and not skip:
            for name in ("aria-label", "alt", "title", "placeholder", "data-label"):
                if attrs.get(name):
                    self.texts.append(attrs[name])
        if tag not in self.VOID:
            self.stack.append(skip)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def skipping(self):
        return any(self.stack)

    def handle_data(self, data):
        if not self.skipping() and data.strip():
            self.texts.append(data)


MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# Not translated by design: dates (formatted by CLDR, in English for the pseudo-locale), numbers,
# abbreviations that are the same in every language, and the answers a persona typed.
ALLOWED = re.compile(
    rf"\b\d{{1,2}} (?:{MONTHS}|{MONTHS[:3]}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{{4}}\b"
    rf"|\b(?:{MONTHS}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{{4}}\b"
    r"|\bPDF\b|\bFHIR\b|\bSURE\b|\bMRI\b"
    r"|\b[A-Z0-9]{4}-[A-Z0-9]{4}\b"  # reference codes
    r"|https?://\S+|\S+@\S+"  # the resume link, staff email addresses
)


def outside_brackets(text):
    """The characters of `text` outside the pseudo-locale's brackets, which may nest (a
    translated word inside a translated sentence) and span elements (a code in <strong>)."""
    depth, kept = 0, []
    for char in text:
        if char == "⟦":
            depth += 1
        elif char == "⟧":
            depth = max(0, depth - 1)
        elif depth == 0:
            kept.append(char)
    return "".join(kept)


def untranslated(html, typed=()):
    """The visible pieces of text of a page outside the pseudo-locale's brackets."""
    parser = VisibleText()
    parser.feed(html)
    text = "\n".join(parser.texts)
    for own in typed:
        text = text.replace(own, " ")
    found = []
    for line in ALLOWED.sub(" ", outside_brackets(text)).splitlines():
        if re.search(r"[A-Za-z]{2,}", line):
            found.append(line.strip()[:120])
    return found


# What the personas typed (tests/test_wizard.py): answers are shown as given.
TYPED = (
    "Zoë Ångström",
    "Why does my Botox wear off sooner?",
    "Is MVD safe?",
    "St Mary's Neurology",
)


def pages_of_every_state(app, client, language):
    """(state, HTML) for every page and state a patient and a member of staff can reach: the
    start page, each step empty and with its errors, the emergency page, check answers, the
    summary of each persona, the page before the PDF, saved, forget, start again, delete and
    deleted, resume, the error pages, and the staff pages."""
    get = lambda path: client.get(path).get_data(as_text=True)  # noqa: E731
    client.get(f"/?lang={language}")
    yield "start", get("/")
    yield "start-missing", get("/?missing=1")
    yield "resume-missing", get("/resume/no-such-link")
    yield "not-found", get("/no-such-page")
    yield "bad-request", client.post("/start", data={}).get_data(as_text=True)
    patient = Patient(app, client)
    patient.start()
    questionnaire = app.extensions["questionnaire"]
    for step in questionnaire.steps:
        if not step.in_sequence:
            continue
        response = client.get(f"/step/{step.id}")
        if response.status_code != 200:  # a step these answers skip
            continue
        page = response.get_data(as_text=True)
        yield f"step-{step.id}", page
        response = client.post(f"/step/{step.id}", data={"csrf_token": csrf_from(page)})
        if response.status_code == 200:
            yield f"step-{step.id}-errors", response.get_data(as_text=True)
    for name, (steps, _expected, emergency_after) in PERSONAS.items():
        fresh = app.test_client()
        fresh.get(f"/?lang={language}")
        persona = Patient(app, fresh)
        if emergency_after:  # the emergency page, on its own device
            early = app.test_client()
            early.get(f"/?lang={language}")
            Patient(app, early).start()
            for step_id, data in steps[:4]:
                response = Patient(app, early).post_step(step_id, data)
            yield "emergency", early.get(response.location).get_data(as_text=True)
        walk(persona, steps, emergency_after, words=words_in(language))
        yield f"summary-{name}", fresh.get("/summary").get_data(as_text=True)
        if name == "long-botox":

            def fetch(path, f=fresh):
                return f.get(path).get_data(as_text=True)

            def post(path, data, f=fresh):
                return f.post(path, data={"csrf_token": csrf_from(fetch(path)), **data})

            yield "check", fetch("/check")
            yield "choices", fetch("/choices")  # issue 31
            yield "feedback", fetch("/feedback")
            yield "sources", fetch("/sources")  # issue 27
            yield "pdf-name", fetch("/summary/your-name")
            bad_date = {"date_of_birth__day": "31", "date_of_birth__month": "2"}
            response = post("/summary/your-name", bad_date | {"date_of_birth__year": "1960"})
            yield "pdf-name-errors", response.get_data(as_text=True)
            yield "saved", fetch("/saved")
            yield "send", fetch("/send-to-clinic")
            response = post("/send-to-clinic", {})
            assert response.status_code == 302, response.status_code
            yield "sent", fetch("/send-to-clinic/sent")
            yield "summary-sent", fetch("/summary")
            yield "start-continue", fetch("/")
            yield "start-again", fetch("/start-again")
            reference = persona.stored().reference
            resume = re.search(r'href="[^"]*?(/resume/[^"]+)"', fetch("/saved")).group(1)
            other = app.test_client()
            other.get(f"/?lang={language}")
            yield "resume", other.get(resume).get_data(as_text=True)
            yield "delete", fetch("/delete")
            yield "deleted", post("/delete", {}).get_data(as_text=True)
        if name == "nothing-tried":
            page = fresh.get("/summary").get_data(as_text=True)
            response = fresh.post("/forget", data={"csrf_token": csrf_from(page)})
            yield "forgotten", response.get_data(as_text=True)
    add_staff(app)
    staff = app.test_client()
    staff.get(f"/?lang={language}")
    yield "staff-sign-in", staff.get("/staff/sign-in").get_data(as_text=True)
    sign_in(staff)
    yield "staff-list", staff.get("/staff/").get_data(as_text=True)
    yield "staff-summary", staff.get(f"/staff/summary/{reference}").get_data(as_text=True)
    yield "staff-find-none", staff.get("/staff/find?q=Nobody").get_data(as_text=True)
    yield "staff-audit", staff.get("/staff/audit").get_data(as_text=True)


def test_nothing_on_any_page_escapes_translation(app, client, pseudo_locale):
    """Every page and state in a pseudo-locale whose every message is bracketed: any visible
    text outside brackets is English that never went through the catalog."""
    problems, states = [], []
    for state, html in pages_of_every_state(app, client, pseudo_locale):
        states.append(state)
        assert '<html lang="xx">' in html, state
        problems += [f"{state}: {text}" for text in untranslated(html, TYPED)]
    assert {"start", "step-twitching-errors", "summary-long-botox", "emergency"} <= set(states)
    assert not problems, f"{len(problems)} untranslated texts:\n" + "\n".join(
        sorted(set(problems))[:60]
    )


# --- reading level -----------------------------------------------------------------------------


def patient_texts():
    """(context, English) of what a patient reads: every content text but the staff wording and
    the clinician's notes."""
    return [
        (context, text)
        for context, text in content_messages()
        if ".staff." not in context
        and "levels_staff" not in context
        and not context.endswith(".for_doctor")
        and len(text.split()) >= 4
    ]


def translated_texts(language):
    with i18n.using(language):
        return [(ctx, text, i18n.pgettext(ctx, text)) for ctx, text in patient_texts()]


# The English texts' figure, measured on the same texts (every patient text of 4 words or more,
# joined): Flesch Reading Ease 92.8 on 2026-11-29 ("very easy", 90 to 100). Spanish is measured
# with Fernández Huerta, Flesch's formula refitted for Spanish on the same 0 to 100 scale and
# bands. The gate: Spanish no more than one band (10 points) below the English, 82.8 ("easy",
# 80 to 90, about a reading age of 11 to 12). It measured 84.2 on 2026-11-29.
ENGLISH_READING_EASE = 92.8
SPANISH_MIN_FERNANDEZ_HUERTA = ENGLISH_READING_EASE - 10


def test_spanish_reads_as_easily_as_the_english(monkeypatch):
    import textstat
    import textstat.backend.counts._count_syllables as textstat_syllables

    monkeypatch.setattr(textstat_syllables, "get_cmudict", lambda lang: {})  # offline
    english = " ".join(text for _ctx, text in patient_texts())
    spanish = " ".join(es for _ctx, _en, es in translated_texts("es"))
    textstat.set_lang("en")
    english_ease = textstat.flesch_reading_ease(english)
    textstat.set_lang("es")
    try:
        spanish_ease = textstat.fernandez_huerta(spanish)
    finally:
        textstat.set_lang("en")
    print(f"\nEnglish Flesch {english_ease:.1f}; Spanish Fernández Huerta {spanish_ease:.1f}")
    assert abs(english_ease - ENGLISH_READING_EASE) < 3, "the English changed: measure again"
    assert spanish_ease >= SPANISH_MIN_FERNANDEZ_HUERTA


# Chinese has no syllable formula in textstat: sentence length in characters instead. Plain
# Chinese health writing keeps sentences short; the limit is 45 Han characters in a sentence
# (the English texts' longest sentences are about 30 words, and a Chinese sentence runs about
# 1.5 characters to an English word), and an average of at most 25.
CHINESE_MAX_SENTENCE = 45
CHINESE_MAX_AVERAGE = 25


def chinese_sentences(text):
    return [s for s in re.split(r"[。！？；\n]", text) if s.strip()]


def han_count(sentence):
    return len(re.findall(r"[\u4e00-\u9fff]", sentence))


def test_chinese_sentences_are_short():
    lengths, long = [], []
    for context, _english, chinese in translated_texts("zh_Hans"):
        for sentence in chinese_sentences(chinese):
            count = han_count(sentence)
            lengths.append(count)
            if count > CHINESE_MAX_SENTENCE:
                long.append(f"{context}: {count}: {sentence}")
    assert lengths and max(lengths) > 0, "no Chinese text"
    average = sum(lengths) / len(lengths)
    print(f"\nChinese: {len(lengths)} sentences, average {average:.1f}, longest {max(lengths)}")
    assert not long, "\n".join(long)
    assert average <= CHINESE_MAX_AVERAGE


def test_dates_are_in_the_patients_language():
    import datetime

    from decision_aid.text.dates import long_date

    day = datetime.date(2026, 11, 25)
    assert long_date(day) == "25 November 2026"
    with i18n.using("es"):
        assert long_date(day) == "25 de noviembre de 2026"
    with i18n.using("zh_Hans"):
        assert long_date(day) == "2026年11月25日"


def test_the_json_result_is_language_free():
    """The guidance ids, levels and answers facts are the same in every language; only the
    words differ."""
    english = guidance.evaluate(LONG_BOTOX_EXPECTED, TODAY)
    with i18n.using("es"):
        spanish = guidance.evaluate(LONG_BOTOX_EXPECTED, TODAY)
    assert [(i["id"], i["level"]) for i in english["items"]] == [
        (i["id"], i["level"]) for i in spanish["items"]
    ]
    assert json.dumps(english["scores"]) == json.dumps(spanish["scores"])
    assert english["items"][0]["title"] != spanish["items"][0]["title"]


# --- the PDF -----------------------------------------------------------------------------------


def pdf_pages(data, tmp_path):
    path = tmp_path / "summary.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    return text.split("\f"), fonts


@pytest.mark.parametrize("language", CATALOGS)
def test_the_pdf_has_page_1_in_english_and_the_patients_copy_in_their_language(language, tmp_path):
    """Page 1 in the clinic's language (English), saying which language the patient used; the
    patient's copy in the patient's language, set in Noto CJK for Chinese; the tagged PDF's
    /Lang is the patient's."""
    from pypdf import PdfReader

    from decision_aid import pdf

    answers = json.loads((ROOT / "tests" / "data" / "pdf_answers_typical.json").read_text())
    with i18n.using(language):
        result = guidance.result_for(answers, TODAY)
        copy_title = i18n.gettext("Your copy: hemifacial spasm summary")
        first_item = result.items[0].title
    data = pdf.render_summary_pdf(
        answers, result, reference="ABCD-EFGH", today=TODAY, language=language
    )
    pages, fonts = pdf_pages(data, tmp_path)
    flat = [re.sub(r"\s+", "", page) for page in pages]  # pdftotext spaces CJK lines apart
    assert "Hemifacial spasm: summary for the clinician" in pages[0]
    assert "Answers at a glance" in pages[0]
    assert f"({i18n.LANGUAGES[language]})" in pages[0]  # the line naming the patient's language
    assert copy_title != "Your copy: hemifacial spasm summary"
    assert copy_title.replace(" ", "") not in flat[0]
    patient = "".join(flat[1:])
    assert copy_title.replace(" ", "") in patient
    assert first_item.replace(" ", "") in patient
    assert "Your copy" not in "".join(pages[1:])
    if language == "zh_Hans":
        assert len(re.findall(r"[\u4e00-\u9fff]", patient)) > 2000
        assert "NotoSansCJK" in re.sub(r"[ -]", "", fonts)
    reader = PdfReader(str(tmp_path / "summary.pdf"))
    assert reader.trailer["/Root"]["/Lang"] == i18n.html_lang(language)


@pytest.mark.parametrize("language", CATALOGS)
def test_the_clinics_print_has_the_patients_copy_in_the_patients_language(
    app, client, language, tmp_path
):
    """A patient answers in Spanish or Chinese and sends the summary; the clinic's print has
    page 1 in English, naming the patient's language, and the patient's copy in theirs. The
    answers the clinic reads are the English walk's."""
    client.get(f"/?lang={i18n.html_lang(language)}")
    stored = walk(Patient(app, client), LONG_BOTOX, None, words=words_in(language))
    page = client.get("/send-to-clinic")
    sent = client.post(
        "/send-to-clinic",
        data={
            "csrf_token": csrf_from(page.get_data(as_text=True)),
            "name": "Sam Example",
            "date_of_birth__day": "14",
            "date_of_birth__month": "2",
            "date_of_birth__year": "1966",
        },
    )
    assert sent.status_code == 302 and sent.location == "/send-to-clinic/sent"
    with i18n.using(language):
        copy_title = i18n.gettext("Your copy: hemifacial spasm summary")
    data = staff_client(app).get(f"/staff/summary/{stored.reference}/pdf").data
    pages, _fonts = pdf_pages(data, tmp_path)
    flat = [re.sub(r"\s+", "", page) for page in pages]
    assert "Hemifacial spasm: summary for the clinician" in pages[0]
    assert f"({i18n.LANGUAGES[language]})" in pages[0]
    assert copy_title.replace(" ", "") in "".join(flat[1:])
    assert "Your copy" not in "".join(pages[1:])


@pytest.mark.parametrize(
    "language, rounds, benefit",
    [
        ("en", "14 rounds", "benefit 6 weeks now, 12 weeks at first"),
        ("es", "14 sesiones", "beneficio de 6 semanas ahora, 12 semanas al principio"),
        ("zh_Hans", "14次", "疗效现在6周，最初12周"),
    ],
)
def test_the_clinicians_botox_row_counts_in_the_clinics_language(language, rounds, benefit):
    """A clinic whose language is Spanish or Chinese reads counts and the benefit trend in it
    (plural forms from the catalog), not in English."""
    from decision_aid.summary.clinician_table import clinician_rows

    answers = json.loads((ROOT / "tests" / "data" / "pdf_answers_typical.json").read_text())
    with i18n.using(language):
        rows = clinician_rows(guidance.result_for(answers, TODAY))
        botox = next(row for row in rows if row.label == i18n.gettext("Botox"))
    assert rounds in botox.value and benefit in botox.value, botox.value


@pytest.mark.parametrize("language", CATALOGS)
def test_the_day_list_pdf_says_its_language(language, tmp_path):
    """The staff's day list in Spanish or Chinese is tagged as such (/Lang), with its
    description in that language."""
    from pypdf import PdfReader

    from decision_aid.pdf import day_list

    with i18n.using(language):
        data = day_list.render([], day=TODAY, today=TODAY)
        opening = i18n.gettext("Hemifacial spasm summaries sent for appointments on %(day)s.")
    path = tmp_path / "day.pdf"
    path.write_bytes(data)
    reader = PdfReader(str(path))
    assert reader.trailer["/Root"]["/Lang"] == i18n.html_lang(language)
    subject = reader.metadata["/Subject"]
    assert subject.startswith(opening.split("%(day)s")[0]) and "summaries" not in subject


# --- one browser walk per language -------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("language", CATALOGS)
def test_a_browser_walk_in_each_language_has_no_axe_violation(browser, live_server, language):
    """The whole path in a real browser, in Spanish and in Chinese, at phone width: axe-core's
    WCAG 2.2 A and AA rules find nothing on any page (lang attributes included), and every page
    is in the chosen language."""
    from browser_support import describe_violations, new_page, run_axe
    from browser_support import walk as browser_walk

    page = new_page(browser, bypass_csp=True)
    problems, states = [], []
    try:
        for state in browser_walk(page, live_server.url, language=language):
            assert page.get_attribute("html", "lang") == i18n.html_lang(language), state
            problems += describe_violations(state, run_axe(page)["violations"])
            states.append(state)
    finally:
        page.context.close()
    assert {"start", "summary", "emergency", "deleted"} <= set(states)
    assert not problems, "\n".join(problems)


def test_the_app_does_not_start_without_a_compiled_catalog(tmp_path, monkeypatch):
    """A missing .mo would show English under a Spanish or Chinese label: refuse to start."""
    monkeypatch.setattr(i18n, "_directories", [tmp_path / "no-catalogs"])
    i18n.translations.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="compiled catalogs of es, zh_Hans are missing"):
            create_app({"INSTANCE_PATH": str(tmp_path / "instance")})
    finally:
        monkeypatch.undo()
        i18n.translations.cache_clear()
