"""Issue 10, item 7: one naming rule (docs/naming.md) on every surface, and generated
Russian phrases that never put an organization's name into a case it cannot take.

Three agencies whose names exist in different scripts are certified; each surface (the
inbox, an e-mail, the agency's page, the API's display field) must show, in each
language, the rendering ``portal.i18n.FALLBACKS`` chooses — spelled out here by hand, so
a change of the table or a surface that picks a script itself fails. Inbox items written
before the rule (one rendering in their parameters) are mended by the data migration."""

from __future__ import annotations

import importlib
import re
import types
import uuid
from pathlib import Path

import polib
import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core import mail
from django.utils import translation

from agencies.models import AgencyEvent, Sector
from agencies.publication import AGENCY_LIST
from agencies.templatetags.agencies import agency_name
from agencies.testing import certified
from portal import outbox
from portal.i18n import FALLBACKS, LANGUAGE_CODES, localized, pick, renderings
from portal.models import Notification, Organization, Side
from portal.notifications import email_notification
from portal.publication.models import Publication
from portal.publication.reading import Version
from portal.publication.rendering import render_document

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ("ja", "en", "ru", "tg")

#: Agencies named in different sets of scripts (every rendering distinct, so a wrong
#: choice cannot pass for a right one).
AGENCIES = {
    "all": {
        "name_tg": "Ширкати «Роҳи Ҷопон»",
        "name_ru": "ООО «Путь в Японию»",
        "name_en": "Japan Way LLC",
        "name_ja": "ジャパン・ウェイ",
    },
    "latin": {
        "name_tg": "Ширкати «Бозори Меҳнат»",
        "name_ru": "",
        "name_en": "Bozori Mehnat LLC",
        "name_ja": "",
    },
    "cyrillic": {
        "name_tg": "Ширкати «Сомон Тур»",
        "name_ru": "ООО «Сомон Путешествия»",
        "name_en": "",
        "name_ja": "",
    },
}
#: What a reader of each language sees: docs/naming.md, by hand.
EXPECTED = {
    "all": {"ja": "name_ja", "en": "name_en", "ru": "name_ru", "tg": "name_tg"},
    "latin": {"ja": "name_en", "en": "name_en", "ru": "name_tg", "tg": "name_tg"},
    "cyrillic": {"ja": "name_ru", "en": "name_ru", "ru": "name_ru", "tg": "name_tg"},
}


def shown(key: str, language: str) -> str:
    return AGENCIES[key][EXPECTED[key][language]]


def not_shown(key: str, language: str) -> set[str]:
    return {value for value in AGENCIES[key].values() if value and value != shown(key, language)}


def assert_names(text: str, language: str, keys=tuple(AGENCIES)) -> None:
    for key in keys:
        assert shown(key, language) in text, (key, language)
        for other in not_shown(key, language):
            assert other not in text, (key, language, other)


@pytest.fixture
def agencies(cast, django_capture_on_commit_callbacks):
    """The three agencies, certified: each certification puts an item in the inbox of
    Japan's contact point."""
    made = {}
    with django_capture_on_commit_callbacks(execute=True):
        for key, names in AGENCIES.items():
            made[key] = certified(cast["tj_officer"], **names)
    outbox.drain()
    return made


def in_language(client, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def legacy(item: Notification, **params) -> Notification:
    """The item as the code before the rule wrote it: one rendering of each name."""
    item.params = {**item.params, **params}
    item.save(update_fields=["params"])
    return item


MIGRATION = importlib.import_module("agencies.migrations.0009_notification_names_in_every_language")


# --- The rule ------------------------------------------------------------------------------


def test_the_table_falls_back_through_every_language_and_starts_with_the_readers():
    assert set(FALLBACKS) == set(LANGUAGE_CODES) == {code for code, _name in settings.LANGUAGES}
    for language, order in FALLBACKS.items():
        assert order[0] == language and sorted(order) == sorted(LANGUAGE_CODES), language
    assert FALLBACKS["ja"][:2] == ("ja", "en"), "a Japanese reader gets the Latin script before Cyrillic"
    for key, names in AGENCIES.items():
        for language in LANGUAGES:
            assert pick(renderings(names), language) == shown(key, language)
            assert localized(names, "name", language) == shown(key, language)
    assert pick({}, "ja") == "" and localized(None) == ""
    assert pick({"tg": "Тоҷик"}, "ja-JP") == "Тоҷик", "a region suffix is the language's"
    with translation.override("ru"):
        assert pick(renderings(AGENCIES["latin"])) == AGENCIES["latin"]["name_tg"], "the active language"


def test_one_table_for_sides_organizations_and_the_memorandum(cast):
    organization = Organization.objects.select_related("side__memorandum").get(code="jp-isa")
    organization.name_ru = ""
    assert organization.name_tg and organization.name_en and organization.name_ja
    expected = {"ja": "name_ja", "en": "name_en", "ru": "name_tg", "tg": "name_tg"}
    side, memorandum = organization.side, organization.side.memorandum
    for language in LANGUAGES:
        with translation.override(language):
            assert organization.name == str(organization) == getattr(organization, expected[language])
            assert side.name == getattr(side, f"name_{language}"), "seeded in every language"
            assert memorandum.title == getattr(memorandum, f"title_{language}")


# --- The inbox ---------------------------------------------------------------------------


def test_the_inbox_shows_each_agency_by_the_rule_in_every_language(agencies, client_for):
    client = client_for("jp_contact")
    for language in LANGUAGES:
        response = in_language(client, language).get("/inbox/")
        assert response.status_code == 200
        assert_names(response.content.decode(), language)


def test_an_inbox_item_written_before_the_rule_is_mended_by_the_migration(agencies, cast, client_for):
    items = Notification.objects.filter(kind="agency.certified").order_by("pk")
    assert items.count() == 3
    for item in items:
        assert isinstance(item.params["agency"], dict), "new items store every rendering"
        agency = AgencyEvent.objects.get(pk=item.params["event"]).agency
        legacy(item, agency=agency.name_tg)
    # Before the migration an old item still renders (its one rendering, verbatim).
    with translation.override("ja"):
        assert AGENCIES["all"]["name_tg"] in items.first().message
    # An item whose agency cannot be found keeps its name, as the Tajik rendering.
    orphan = legacy(items.last(), agency="Ширкати «Гумшуда»", event=0)

    MIGRATION.store_every_rendering(django_apps, None)

    orphan.refresh_from_db()
    assert orphan.params["agency"] == {"tg": "Ширкати «Гумшуда»"}
    client = client_for("jp_contact")
    for language in LANGUAGES:
        # The orphan was the last certified agency's item ("cyrillic").
        page = in_language(client, language).get("/inbox/").content.decode()
        assert_names(page, language, ("all", "latin"))
        assert "Ширкати «Гумшуда»" in page

    MIGRATION.store_one_rendering(django_apps, None)
    first = items.first()
    assert first.params["agency"] == AgencyEvent.objects.get(pk=first.params["event"]).agency.name_tg


def test_a_third_party_named_in_an_old_consent_item_is_mended_too(cast):
    third_party = Organization.objects.get(code="tj-embassy-jp")
    item = Notification.objects.create(
        organization=cast["jp_contact"].organization,
        kind="consent.requested",
        sender=cast["tj_contact"].organization,
        params={"reference": "TJ-INV-2026-0001", "kind": "investigation", "third_party": third_party.name_en},
    )
    MIGRATION.store_every_rendering(django_apps, None)
    item.refresh_from_db()
    assert item.params["third_party"] == renderings(third_party)
    for language in LANGUAGES:
        with translation.override(language):
            assert localized(third_party, "name", language) in item.message


# --- E-mail ------------------------------------------------------------------------------


def test_the_e_mail_names_the_agency_in_the_recipient_s_language(agencies, cast):
    user = cast["jp_contact"]
    user.email, user.email_notifications = "jp-contact@example.invalid", True
    for language in LANGUAGES:
        user.language = language
        user.save(update_fields=["email", "email_notifications", "language"])
        mail.outbox.clear()
        for item in Notification.objects.filter(kind="agency.certified"):
            entry = types.SimpleNamespace(pk=uuid.uuid4(), payload={"user": user.pk, "notification": item.pk})
            email_notification(entry)
        assert len(mail.outbox) == 3
        assert_names("\n".join(message.subject + "\n" + message.body for message in mail.outbox), language)


# --- Pages ---------------------------------------------------------------------------------


def test_the_agency_page_and_the_published_row_follow_the_rule(agencies, client_for):
    client = client_for("tj_officer")
    for language in LANGUAGES:
        for key, agency in agencies.items():
            response = in_language(client, language).get(agency.get_absolute_url())
            assert response.status_code == 200
            heading = re.search(r'<h1 class="page-title">(.*?)</h1>', response.content.decode()).group(1)
            assert heading == shown(key, language), (key, language)
            assert agency_name(AGENCIES[key], language) == shown(key, language)


def test_the_public_list_and_its_documents_follow_the_rule(agencies, client):
    """The published list keeps every script in its name column (on purpose); the name
    it shows first, and the side and sector names around it, follow the rule: the
    reader's language on the page, the document's language in the HTML/PDF document."""
    for language in LANGUAGES:
        page = client.get(f"/public/agencies/tajikistan/?lang={language}").content.decode()
        for key in AGENCIES:
            assert f"<td>{shown(key, language)}" in page, (key, language)
    nursing = Sector.objects.get(code="nursing-care")
    for side_code, language in (("JP", "ja"), ("TJ", "tg")):
        side = Side.objects.get(country=side_code)
        assert AGENCY_LIST.document_language(side) == language
        latest = Publication.objects.filter(list_name="agencies", side=side).order_by("-version").first()
        document = render_document(AGENCY_LIST, Version(AGENCY_LIST, latest), "agencies/public/document.html")
        assert (
            getattr(side, f"name_{language}") in document and getattr(nursing, f"name_{language}") in document
        )
        for other in {"ja", "en", "ru", "tg"} - {language}:
            assert getattr(nursing, f"name_{other}") not in document, (side_code, other)


# --- The API -----------------------------------------------------------------------------


def test_the_api_adds_a_display_name_that_follows_lang_and_accept_language(agencies, cast, client_for):
    client = client_for("tj_officer")
    for language in LANGUAGES:
        for key, agency in agencies.items():
            by_query = client.get(f"/api/v1/agencies/{agency.pk}/?lang={language}").json()
            by_header = (
                client_for("tj_officer")
                .get(f"/api/v1/agencies/{agency.pk}/", HTTP_ACCEPT_LANGUAGE=language)
                .json()
            )
            assert by_query["display_name"] == by_header["display_name"] == shown(key, language), (
                key,
                language,
            )
            for field, value in AGENCIES[key].items():
                assert by_query[field] == value, "the name_* fields are kept as they were"
        organization = client.get(f"/api/v1/organizations/?lang={language}").json()["results"][0]
        stored = Organization.objects.get(code=organization["code"])
        assert organization["display_name"] == localized(stored, "name", language)
        inbox = client_for("jp_contact").get(f"/api/v1/notifications/?lang={language}").json()["results"]
        assert_names("\n".join(row["message"] for row in inbox), language)


# --- Generated Russian phrases -----------------------------------------------------------

#: Placeholders that stand for an organization's or a side's name.
NAMES = r"%\((?:sender|organization|third_party|agency|side|recipient)\)s"
#: A preposition that governs the genitive or dative: the name after it would have to be
#: inflected, which cannot be done reliably from a stored name.
GOVERNING = re.compile(
    r"(?:^|[\s(«])(?:от|для|к|ко|у|из|без|до|в отношении|со стороны|при|по)\s+[«\"]?" + NAMES, re.IGNORECASE
)
#: A gendered past tense right after the name: «%(sender)s дало» agrees with a neuter name only.
AGREEING = re.compile(NAMES + r"\s+(?:не\s+)?[а-яё]+(?:ла|ло|ли|л)(?:сь|ся)?\b", re.IGNORECASE)


def test_the_scan_finds_the_phrases_it_is_for():
    assert GOVERNING.search("Новое письмо от %(sender)s: %(subject)s")
    assert GOVERNING.search("расследование в отношении %(agency)s")
    assert AGREEING.search("%(sender)s дало письменное согласие")
    assert AGREEING.search("%(sender)s отказало в раскрытии")
    assert not GOVERNING.search("Новое письмо. Отправитель: %(sender)s. Тема: %(subject)s")
    assert not AGREEING.search("%(sender)s: отказано в раскрытии %(reference)s")
    assert not AGREEING.search("%(sender)s запрашивает письменное согласие")


def test_no_russian_phrase_inflects_a_name_it_cannot():
    catalog = polib.pofile(str(ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"))
    wrong = []
    for entry in catalog.translated_entries():
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if GOVERNING.search(text) or AGREEING.search(text):
                wrong.append((entry.msgid, text))
    assert wrong == []


# --- No script picked by hand ------------------------------------------------------------

#: Where reading one rendering is the point: the rule itself, and published lists and
#: snapshots, which show or keep every script side by side (docs/naming.md).
PICKS_ALLOWED = {
    "portal/i18n.py",
    "agencies/publication.py",
    "notices/publishing.py",
    "templates/agencies/agency_detail.html",  # the "Names" row lists every script
    "templates/agencies/public/list.html",
    "templates/agencies/public/agency.html",
    "templates/agencies/public/document.html",
    "templates/agencies/pdf/list.html",
}
HAND_PICKED = re.compile(r"\.name_(ja|en|ru|tg)\b")


def picks_by_hand(line: str) -> bool:
    """Reads some renderings of a name but not all: a line that gathers all four (a
    search index, a snapshot) keeps every script and chooses none."""
    read = set(HAND_PICKED.findall(line))
    return bool(read) and read != set(LANGUAGE_CODES)


def test_no_code_picks_a_name_s_script_by_hand():
    assert picks_by_hand('params={"agency": agency.name_tg}')
    assert picks_by_hand("{{ row.name_ja|default:row.name_en }}")
    assert not picks_by_hand("names = [self.name_ja, self.name_en, self.name_ru, self.name_tg]")
    found = []
    for path in [
        *ROOT.glob("*/**/*.py"),
        *ROOT.glob("templates/**/*.html"),
        *ROOT.glob("*/templates/**/*.html"),
    ]:
        relative = path.relative_to(ROOT).as_posix()
        if (
            relative.startswith((".venv/", "tests/", "bench/", "node_modules/"))
            or "/tests/" in relative
            or "/migrations/" in relative
            or relative in PICKS_ALLOWED
        ):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if picks_by_hand(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert found == [], "show a name through portal.i18n.localized/pick (docs/naming.md)"
