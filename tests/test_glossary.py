"""One term, one translation (shared/glossary.md, corrected after the translation review
of 2026-11-29): the catalogs use the glossary's current renderings of its key terms, the
wordings the review flagged are gone, one English word with two jobs is translated apart
by its context, and the data migration brings seeded names written before the
correction up to date without touching what an administrator changed."""

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from portal.testing.services import required

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["ja", "ru", "tg"]

# English term (searched in the msgid, case-insensitive) -> what each translation of
# such an entry must contain. Tajik izofa turns a final «ӣ» into «ии» before what it
# governs («розигии хаттии Ҷопон»), so those patterns accept both endings.
TERMS = {
    r"\bthird[- ]part(y|ies)\b": {"ru": r"трет\w* лиц", "tg": r"шахс\w* сеюм", "ja": "第三者"},
    r"\bwritten consent\b": {
        "ru": r"письменн\w* согласи",
        "tg": r"розигии хатт(ӣ|ии)",
        "ja": "書面による同意",
    },
    r"\bMemorandum of Cooperation\b": {
        "ru": r"Меморандум\w* о сотрудничестве",
        "tg": "Меморандуми ҳамкорӣ",
        "ja": "協力覚書",
    },
    r"\bSpecified Skilled Workers?\b": {
        "ru": r"системы «Особые навыки»",
        "tg": r"низоми «Малакаҳои махсус»",
        "ja": "特定技能",
    },
    r"\bcontact[- ]points?\b": {"ru": r"контактн\w* подразделени", "tg": r"нуқта\w* тамос", "ja": "連絡窓口"},
    r"\bguidance\b": {"ru": r"указани", "tg": r"роҳнамо(ӣ|ии)", "ja": "指導"},
    r"\bsending agenc": {"ru": r"направляющ", "tg": "фиристанда", "ja": "送出機関"},
    r"\bimprovement orders?\b": {
        "ru": r"предписани\w* об устранении нарушений",
        "tg": "бартараф кардани вайронкуниҳо",
        "ja": "改善命令",
    },
    r"\bregistered support organi": {
        "ru": r"зарегистрированн\w* организаци\w* поддержки",
        "tg": "дастгирикунандаи бақайдгирифташуда",
        "ja": "登録支援機関",
    },
    r"\bskills test": {
        "ru": "экзамен на профессиональные навыки",
        "tg": "имтиҳони малакаи касбӣ",
        "ja": "技能試験",
    },
    r"\bscreening\b": {"ru": r"провер", "tg": "санҷиш", "ja": "審査"},
    r"\binvestigat": {"ru": r"расследовани", "tg": "таҳқиқ", "ja": "調査"},
    r"\bconfidential\b": {"ru": r"конфиденциальн", "tg": r"махф(ӣ|ии)", "ja": "秘密"},
    r"\bbrokers?\b": {"ru": r"посредни", "tg": "миёнарав", "ja": "仲介機関"},
    # Not a glossary row, but one word for one thing: an edition of a published list.
    r"\bversions?\b": {"tg": "таҳрир", "ja": "版"},
}

# The old wordings the review and the corrected glossary replaced, per language.
RETIRED = {
    "ru": [
        r"трет\w+ сторон",  # третье лицо
        r"методическ\w* руководств",  # указания
        r"по программе",  # в рамках системы «Особые навыки»
        r"экзамен на навыки",
        r"для служебного пользования",  # a statutory restricted-information marking
        r"заглави",  # название
        r"Наблюдател",  # the read-only role is not an observer at talks
        r"пока не выполнен хотя бы один",  # the refusal that said the opposite
    ],
    "tg": [
        r"Меморандум\w* дар бораи ҳамкорӣ",
        r"барномаи «Малакаҳои махсус»",
        r"қонуншикан",
        r"ташкилот\w* дастгирии бақайд",
        r"хидматрасонии муҳоҷир",
        r"\bНигоҳ доштан\b|\bнигоҳ дошта шуд\b|нигоҳ дошта мешавад, ки онро",  # "Save" is захира кардан
        r"[Вв]ерсия",
        r"\bсистема\b",  # низом
        r"номатлуб",
        r"истодааст",
        r"\bто тағйир\b",
        r"Он чӣ истифода мебарад",
    ],
    "ja": [
        r"両側",  # 双方
        r"日本側の連絡窓口に通知",  # 通報 / 情報を提供 (MOC 7(2), 7(4))
        r"^通報$",  # the notices section is not 通報
        r"^任意$",  # advisory = 推奨
        r"1の第三者",
    ],
}


def catalog(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogs_use_the_glossary_renderings_of_its_key_terms(language):
    po = [entry for entry in catalog(language) if not entry.obsolete]
    checked, wrong = 0, []
    for term, renderings in TERMS.items():
        if language not in renderings:
            continue
        english, wanted = re.compile(term, re.IGNORECASE), re.compile(renderings[language], re.IGNORECASE)
        entries = [entry for entry in po if english.search(entry.msgid)]
        assert entries, f"no entry says {term!r}: the table is out of date"
        for entry in entries:
            checked += 1
            if not all(wanted.search(text) for text in translations(entry)):
                wrong.append((term, entry.msgid, translations(entry)))
    assert wrong == [], f"{language}: {len(wrong)} of {checked} entries miss the glossary term: {wrong[:5]}"
    assert checked > 100


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_wordings_the_review_retired_are_gone(language):
    found = [
        (pattern, entry.msgid, text)
        for entry in catalog(language)
        if not entry.obsolete
        for text in translations(entry)
        for pattern in RETIRED[language]
        if re.search(pattern, text, re.MULTILINE | re.IGNORECASE)
    ]
    assert found == [], f"{language}: {found[:5]}"


def test_the_retired_wording_check_can_fail():
    """The patterns above match the wording they retire (a typo would make them vacuous)."""
    old = {
        "ru": [
            "Третья сторона",
            "Зарегистрировать методическое руководство",
            "Причина (для служебного пользования)",
        ],
        "tg": ["Меморандум дар бораи ҳамкорӣ", "Нигоҳ доштан", "Версияи аввал", "Вуруд ба система"],
        "ja": ["両側の連絡窓口", "通報", "任意"],
    }
    for language, texts in old.items():
        for text in texts:
            assert any(
                re.search(pattern, text, re.MULTILINE | re.IGNORECASE) for pattern in RETIRED[language]
            ), text


@pytest.mark.parametrize("language", LANGUAGES)
def test_msgfmt_accepts_the_catalogs(language):
    if shutil.which("msgfmt") is None:
        if required():
            pytest.fail("needs GNU gettext (msgfmt)")
        pytest.skip("needs GNU gettext (msgfmt)")
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("language", "heading", "status"),
    [
        ("ru", "Сертифицированные организации", "Сертифицирована"),
        ("tg", "Ташкилотҳои сертификатсияшуда", "Сертификатсияшуда"),
    ],
)
def test_certified_as_a_list_heading_is_not_the_status(language, heading, status):
    with translation.override(language):
        assert translation.pgettext("list heading", "Certified") == heading
        assert translation.gettext("Certified") == status


def test_revoking_a_token_is_not_revoking_a_certification(client_for, cast):
    from portal.security import tokens

    tokens.create(cast["jp_officer"], name="ISA case system", days=10)
    html = client_for("jp_officer").get("/accounts/tokens/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert re.search(r'<button type="submit" class="button button--danger">\s*失効させる', html), html[-3000:]
    with translation.override("ja"):
        assert translation.gettext("Revoke") == "取り消す", "the certification's button keeps its word"


def test_the_guidance_date_is_a_day_and_the_letters_date_a_moment():
    from agencies.forms import GuidanceForm

    with translation.override("ja"):
        assert str(GuidanceForm.base_fields["given_on"].label) == "日付"
        assert translation.gettext("Date") == "日時"


@pytest.mark.django_db
def test_the_public_list_heads_its_list_with_the_heading_not_the_status(
    client, cast, django_capture_on_commit_callbacks
):
    from agencies.testing import certified
    from portal.publication.reading import published_lists

    published_lists.clear()
    with django_capture_on_commit_callbacks(execute=True):
        certified(cast["tj_officer"], number="TJ-G-1", name_tg="Ширкати «Сомон»")
    try:
        html = client.get("/public/agencies/tajikistan/?lang=ru").content.decode()
    finally:
        published_lists.clear()
    assert re.search(r'id="certified-heading">\s*Сертифицированные организации', html), html[:2000]


# The data migration: seeded names written before the correction.

BEFORE = ("portal", "0010_correspondence_threads")
AFTER = ("portal", "0011_glossary_seeded_names")


def migrate(portal_node):
    """Every app at its latest migration, the portal at ``portal_node``."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = [
        portal_node if app == "portal" else (app, name) for app, name in executor.loader.graph.leaf_nodes()
    ]
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_corrects_seeded_names_and_leaves_edited_ones_alone():
    import importlib

    from portal.testing.fixtures import ensure_reference_data

    fix = importlib.import_module("portal.migrations.0011_glossary_seeded_names")
    ensure_reference_data()
    edited = "Минюст Японии (исправлено администратором)"
    try:
        old = migrate(BEFORE)
        Memorandum = old.get_model("portal", "Memorandum")
        Organization = old.get_model("portal", "Organization")
        Criterion = old.get_model("agencies", "ScreeningCriterion")
        # A database seeded before the correction, where an administrator has since
        # renamed one ministry in Russian.
        Memorandum.objects.filter(partner_country="TJ").update(
            title_ru=fix.MEMORANDUM["title_ru"][0], title_tg=fix.MEMORANDUM["title_tg"][0]
        )
        for code, changes in fix.ORGANIZATIONS.items():
            Organization.objects.filter(code=code).update(
                **{field: pair[0] for field, pair in changes.items()}
            )
        for number, changes in fix.CRITERIA.items():
            Criterion.objects.filter(number=number).update(
                **{field: pair[0] for field, pair in changes.items()}
            )
        Organization.objects.filter(code="jp-moj").update(name_ru=edited)

        new = migrate(AFTER)
        memorandum = new.get_model("portal", "Memorandum").objects.get(partner_country="TJ")
        assert memorandum.title_ru == fix.MEMORANDUM["title_ru"][1]
        assert memorandum.title_tg.startswith("Меморандуми ҳамкорӣ дар доираи низоми")
        names = {
            row.code: row
            for row in new.get_model("portal", "Organization").objects.filter(code__in=fix.ORGANIZATIONS)
        }
        assert names["jp-isa"].name_ru == "Агентство иммиграционной службы Японии"
        assert names["jp-isa"].name_tg == "Агентии хадамоти муҳоҷирати Ҷопон"
        assert names["jp-npa"].name_tg == "Агентии миллии пулиси Ҷопон"
        assert names["jp-moj"].name_ru == edited, "an administrator's name is theirs"
        assert names["jp-moj"].name_tg == "Вазорати адлияи Ҷопон"
        criterion = new.get_model("agencies", "ScreeningCriterion").objects.get(number=5)
        assert criterion.text_ru.startswith("Не берёт денежный залог (гарантийный взнос)")
        assert "ноустуворона" in criterion.text_tg and "ҷарима" not in criterion.text_tg

        back = migrate(BEFORE)
        isa = back.get_model("portal", "Organization").objects.get(code="jp-isa")
        assert isa.name_ru == "Агентство иммиграционных услуг Японии", "the migration reverses"
        assert back.get_model("portal", "Organization").objects.get(code="jp-moj").name_ru == edited
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        ensure_reference_data()


def test_the_seeds_use_the_corrected_wording():
    """A fresh database gets the new wording from the seeds themselves."""
    import importlib

    fix = importlib.import_module("portal.migrations.0011_glossary_seeded_names")
    portal_seed = importlib.import_module("portal.migrations.0002_seed_memorandum_sides_organizations")
    agencies_seed = importlib.import_module("agencies.migrations.0002_seed_sectors_and_criteria")
    names = {
        row[0]: dict(zip(("name_ja", "name_en", "name_ru", "name_tg"), row[-1], strict=True))
        for row in portal_seed.ORGANIZATIONS
    }
    texts = {
        row[0]: dict(zip(("text_en", "text_ja", "text_ru", "text_tg"), row[3:], strict=True))
        for row in agencies_seed.CRITERIA
    }
    for field, (_old, new) in fix.MEMORANDUM.items():
        assert portal_seed.MEMORANDUM[field] == new
    for code, changes in fix.ORGANIZATIONS.items():
        for field, (_old, new) in changes.items():
            assert names[code][field] == new
    for number, changes in fix.CRITERIA.items():
        for field, (_old, new) in changes.items():
            assert texts[number][field] == new
