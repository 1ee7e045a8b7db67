"""The translation review of December 2026 (issue 32), its awkward findings that a test can
read: the Chinese names of the operation and the scan on every patient page (ZH-A1, ZH-A2), the
Chinese and Spanish wording of single messages, and numbers written by each locale (ES-M2, the
review's note 12.1). The harmful and misleading findings are in test_translation_review.py."""

import re

import pytest
from test_languages import TYPED, pages_of_every_state
from test_translation_review import ES, ZH, english, visible_text

from decision_aid.guidance import context
from decision_aid.text import i18n

# The operation's full name with its abbreviation, as a title or first mention gives it.
MVD_NAMED = ("微血管减压术（MVD）", "（微血管减压术，MVD）", "减压手术（MVD）")


@pytest.fixture(scope="module")
def chinese_pages(tmp_path_factory):
    """(state, visible text) of every patient page and state in Chinese, without what the
    personas typed."""
    from conftest import make_app

    from decision_aid.store import get_store

    app = make_app(tmp_path_factory.mktemp("zh"))
    pages = []
    for state, html in pages_of_every_state(app, app.test_client(), ZH):
        if state.startswith("staff"):
            continue
        text = visible_text(html)
        for typed in TYPED:
            text = text.replace(typed, "")
        pages.append((state, text))
    get_store(app).engine.dispose()
    return pages


def test_chinese_pages_name_the_operation_and_the_scan_in_chinese(chinese_pages):
    """ZH-A2: on each page the operation is 微血管减压术 first (then 减压手术), the scan
    磁共振（MRI） first (then 磁共振); the Latin letters only in brackets after the Chinese
    name. ZH-A1: waiting is 先观察, never the calque 与它共处."""
    assert len(chinese_pages) > 20
    problems = []
    for state, text in chinese_pages:
        bare = text
        for named in MVD_NAMED:
            bare = bare.replace(named, "")
        if "MVD" in bare:
            problems.append((state, "bare MVD", bare[bare.index("MVD") - 30 :][:60]))
        if "减压手术" in text and text.find("微血管减压术") > text.find("减压手术"):
            problems.append((state, "减压手术 before 微血管减压术"))
        if "MRI" in text.replace("磁共振（MRI）", ""):
            at = text.replace("磁共振（MRI）", "").index("MRI")
            problems.append((state, "bare MRI", text.replace("磁共振（MRI）", "")[at - 30 :][:60]))
        if "磁共振" in text and text.find("磁共振") != text.find("磁共振（MRI）"):
            problems.append((state, "磁共振 first without （MRI）"))
        if "与它共处" in text:
            problems.append((state, "与它共处"))
    assert not problems, problems


def words(language, context_or_none, start=""):
    message = english(context_or_none, start)
    with i18n.using(language):
        if context_or_none is None:
            return i18n.gettext(message)
        return i18n.pgettext(context_or_none, message)


CHINESE = [
    # ZH-A3: the answers fit their questions (知道 for 您知道…吗, 有/没有 for 有效果吗).
    ("time.onset_known=date.label", "知道"),
    ("time.onset_known=ago.label", "不知道具体年月，但大概知道是多久以前"),
    ("medicine_effects.medicine_helped=yes.label", "有"),
    ("medicine_effects.medicine_helped=no.label", "没有"),
    ("mvd.mvd_helped=yes.label", "有"),
    ("mvd.mvd_helped=no.label", "没有"),
    ("symptoms.onset_before_40.label", "抽动开始时，您是否不到40岁？"),  # ZH-A4
    ("daily_life.impact.label", "抽动多久会影响一次以下这些事？"),  # ZH-A5
    ("pattern.frequency=less.label", "不到每周一次"),  # ZH-A6
    ("options.options.medicines.title", "口服药"),  # ZH-A7
    ("options.options.wait.title", "先观察，暂不治疗"),  # ZH-A1
    ("treatments.caption", "您目前的就医情况"),  # ZH-A10
    ("ask_your_doctor.leaning_wait", "我先观察一段时间、暂不治疗，安全吗？"),  # ZH-A11
]


@pytest.mark.parametrize(("place", "says"), CHINESE)
def test_chinese_answers_and_questions_read_naturally(place, says):
    assert says in words(ZH, place)


def test_chinese_single_messages():
    # ZH-A8: the evidence is weak (薄弱), not "unreliable".
    text = words(ZH, "items.medicine_evidence.parts.main.text")
    assert "证据也很薄弱" in text and "不可靠" not in text
    # ZH-A9: "less than 2 years ago" keeps its "ago".
    assert "距今不到2年" in words(ZH, "items.after_mvd.reasons.recent")
    # ZH-A13: the date errors say which part (日) is missing or wrong.
    assert words(ZH, None, "{subject} must include a day") == "{subject}还缺少“日”"
    assert words(ZH, None, "{month} has {days} days.").endswith("之间的日")
    # The full name, once, in "about the condition".
    assert "偏侧面肌痉挛" in words(ZH, "about.condition.text")


# --- numbers, as each locale writes them ---------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "thousand", "ten_thousand"),
    [("en", "1,000", "10,000"), (ES, "1000", "10.000"), (ZH, "1,000", "10,000")],
)
def test_numbers_are_formatted_by_the_locale(language, thousand, ten_thousand):
    """Through Babel: Spanish writes 1000 without a separator (RAE, CLDR's minimum grouping
    digits) and a dot from 10.000 (ES-M2: an English "1,000" reads as a decimal in Spain)."""
    assert i18n.format_number(1000, language) == thousand
    assert i18n.format_number(10000, language) == ten_thousand
    assert i18n.format_number(8, language) == "8"


@pytest.mark.parametrize(
    ("language", "eight_weeks"), [("en", "8 weeks"), (ES, "8 semanas"), (ZH, "8周")]
)
def test_a_count_and_its_unit_are_joined_as_the_language_writes_them(language, eight_weeks):
    """The review's note 12.1: Chinese writes 8周 and 3个月, no space."""
    with i18n.using(language):
        assert context.weeks_phrase(8) == eight_weeks


def test_no_spanish_number_is_written_the_english_way():
    """ES-M2 and ES-A3 for every message: no Spanish text writes a thousand with a comma
    (1,000) or a decimal with a point (1.5)."""
    from babel.messages.mofile import read_mo

    path = i18n.TRANSLATIONS_DIR / ES / "LC_MESSAGES" / "messages.mo"
    with open(path, "rb") as handle:
        catalog = read_mo(handle)
    texts = [m.string for m in catalog if m.id and isinstance(m.string, str)]
    wrong = [t for t in texts if re.search(r"\d,\d{3}\b|\b\d\.\d\b", t)]
    assert not wrong, wrong


# --- Spanish -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spanish_pages(tmp_path_factory):
    """(state, visible text) of every patient page and state in Spanish."""
    from conftest import make_app

    from decision_aid.store import get_store

    app = make_app(tmp_path_factory.mktemp("es"))
    pages = [
        (state, visible_text(html))
        for state, html in pages_of_every_state(app, app.test_client(), ES)
        if not state.startswith("staff")
    ]
    get_store(app).engine.dispose()
    return pages


# Words that put the patient in the masculine (ES-A1), the second numbness term (ES-A5) and the
# regional words the review found next to each other (ES-A2), as a reader may meet them.
NOT_ON_A_SPANISH_PAGE = (
    "No estoy seguro",
    "no está seguro",
    "no esté seguro",
    "contento",
    "Listo para decidir",
    "listo para decidir",
    "Veces inyectado",
    "dormido",
    "se le duerme",
    "adormecimiento",
    "ordenador",
    "oculista",
    "dar el pecho",
    "da el pecho",
    "Vivir con ello",
)


def test_spanish_pages_address_every_reader_and_use_one_term(spanish_pages):
    """ES-A1, ES-A2, ES-A5 on every page; ES-M4 on every page: the first 'ictus' a page shows is
    explained as 'ictus (derrame cerebral)'."""
    assert len(spanish_pages) > 20
    problems = [
        (state, words)
        for state, text in spanish_pages
        for words in NOT_ON_A_SPANISH_PAGE
        if words in text
    ]
    for state, text in spanish_pages:
        at = text.lower().find("ictus")
        if at >= 0 and not text[at:].lower().startswith("ictus (derrame cerebral)"):
            problems.append((state, "ictus first without its gloss", text[at - 40 : at + 40]))
    assert not problems, problems


SPANISH = [
    ("priorities.pregnancy=unsure.label", "No lo sé"),  # ES-A1, the pregnancy question
    ("priorities.pregnancy=unsure.short", "no lo sabe"),
    ("botox.botox_satisfaction.label", "¿Está conforme con el bótox?"),
    ("sure.sure.short", "Preparación para decidir"),
    ("options.options.mvd.time_visits.text", "entre hora y media y 3 horas"),  # ES-A3
    ("symptoms.red_flags=sudden_weakness.label", "arrastra las palabras o habla de forma confusa"),
    ("symptoms.red_flags=limb.label", "Debilidad o entumecimiento"),  # ES-A5
    ("priorities.priorities.no_repeat_injections.short", "no tener que ponerse inyecciones"),
    ("options.rows.evidence", "Calidad de los estudios"),  # ES-A9: "pruebas" read as tests
    ("items.pregnancy.parts.choosing.text", "bebés cuya madre la tomó"),  # ES-A10
    ("options.options.botox.helps.text", "Según los estudios, va de"),  # ES-A11
    ("about.decision.text", "u operarse con una técnica llamada DMV"),
    ("labels.levels.inform", "Para su información"),
    ("priorities.pregnancy=not_applicable.label", "No es mi caso"),
    ("symptoms.red_flags=hearing_loss.hint", "Si solo tiene zumbido en los oídos"),  # ES-A12
    ("pattern.frequency=hourly.label", "Cada hora o más a menudo"),  # ES-A13
    ("items.specialist_evaluation.parts.main.text", "le puede enviar al especialista."),  # ES-A14
    ("medicine_effects.medicine_side_effects=drowsiness.label", "Tener sueño (somnolencia)"),
    ("your_questions.clinic.hint", "si lo sabe."),  # ES-A16
    ("options.options.wait.time_visits.text", "Va a su médico"),  # ES-A17
    ("botox.botox_rounds.short", "Número de inyecciones"),  # ES-A18
    ("pattern.in_sleep.label", "¿Siguen las sacudidas mientras duerme?"),  # ES-A20
]


@pytest.mark.parametrize(("place", "says"), SPANISH)
def test_spanish_single_messages(place, says):
    assert says in words(ES, place)


@pytest.mark.parametrize(
    ("start", "says"),
    [
        ("Your summary is sent to", "Su resumen se ha enviado a"),  # ES-A19
        ("Your answers are deleted", "Sus respuestas se han borrado"),
        ("The code alone does not open", "El código por sí solo"),  # ES-A12
        ("Write it down or take a photo", "tómele una foto"),  # ES-A2
    ],
)
def test_spanish_page_words(start, says):
    assert says in words(ES, None, start)


def test_the_spanish_about_box_says_about_not_about_some():
    """ES-A7: the label before the number box agrees with weeks, months and years."""
    with i18n.using(ES):
        assert i18n.gettext("About") == "Hace aproximadamente"
    with i18n.using(ES):
        assert i18n.ngettext("{count} round", "{count} rounds", 3).format(count=3) == "3 sesiones"
