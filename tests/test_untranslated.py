"""No English left in the Japanese, Russian and Tajik pages (issue 10, item 9).

Renders a representative set of officer and public pages in ja, ru and tg as the users
who read them there, extracts what a reader sees or hears (text, ``title``, ``alt``,
``aria-label``, ``placeholder``, ``value`` of buttons, ``<option>`` labels) and fails on

- a string that is the English msgid of a catalog entry (the project's, Django's or
  DRF's) while that language renders it otherwise: a string shown without gettext;
- a run of Latin-script words that is not legitimate Latin text: reference numbers and
  other tokens with digits, e-mail addresses and URLs, the names the glossary keeps in
  Latin (SSW, JFT-Basic, JLPT…), and what the test's own records hold in Latin (user
  names, the agency's Latin name, a letter's reference). Text an element declares in
  another language (``lang="en"`` on the switcher's "English") or not to be translated
  (``translate="no"``: a file's column names) is not the page's text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import timezone, translation

from portal.models import Memorandum, Organization

LANGUAGES = ["ja", "ru", "tg"]

#: Latin text the pages show on purpose in every language: names the glossary and the
#: Memorandum keep in Latin, file formats, and the protocol names of the API.
ALLOWED_WORDS = {
    "SSW",
    "JFT-Basic",
    "JLPT",
    "PDF",
    "CSV",
    "JSON",
    "Atom",
    "API",
    "OpenAPI",
    "REST",
    "SHA",
    "TOTP",
    "MOC",
    "UTC",
    "HTML",
    "ID",
    "IP",
    "BOM",  # "UTF-8 with BOM": the encodings a file may come in
    # ISO codes, the same in every language: currencies (4217), countries (3166).
    "ISO",
    "USD",
    "TJS",
    "JPY",
    "RUB",
    "EUR",
    "JP",
    "TJ",
}
#: Names of products, kept as their makers spell them; the Latin spellings of one name
#: the broker search gives as its example ("Раҳимов, Rakhimov, Rahimov and ラヒモフ").
ALLOWED_NAMES = {"Swagger UI", "Rakhimov", "Rahimov"}
#: Attributes a reader meets (seen on hover, read by a screen reader, shown in a field).
READ_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")
#: E-mail addresses, URLs and paths, file names, and dotted codes (the audit shows an
#: action's code after its label: "… (record.read)").
CODES = re.compile(
    r"\S+@\S+\.\w+|https?://\S+|/[\w./?=&-]+|\b[\w-]+\.(?:py|pdf|csv|json|html|atom)\b|\b[a-z_]+(?:\.[a-z_]+)+\b"
)
#: A Latin-script word of two letters or more (a lone "x" is a glyph, not English).
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")


class VisibleText(HTMLParser):
    """The strings of a page a reader meets, outside ``<script>``, ``<style>`` and any
    element that declares another language than the page's."""

    SKIP = {"script", "style", "template"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.strings: list[str] = []

    @property
    def skipping(self) -> bool:
        return any(skipped for _, skipped in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = (attrs.get("lang") or "").split("-")[0]
        # translate="no": HTML's own word for text that stays as it is in every language
        # (a file's column names, a test's code): what the reader types, not reads.
        skipped = (
            tag in self.SKIP
            or (bool(lang) and lang != self.language and tag != "html")
            or attrs.get("translate") == "no"
        )
        if not skipped and not self.skipping:
            for name in READ_ATTRIBUTES:
                if attrs.get(name):
                    self.strings.append(attrs[name])
            if tag == "input" and attrs.get("type") in {"submit", "button", "reset"} and attrs.get("value"):
                self.strings.append(attrs["value"])
        if tag not in self.VOID:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.strings.append(data)


def visible_strings(html: str, language: str) -> list[str]:
    parser = VisibleText(language)
    parser.feed(html)
    return [" ".join(s.split()) for s in parser.strings if s.strip()]


@cache
def english_msgids(language: str) -> frozenset[str]:
    """The msgids of the project's catalog and of Django's and DRF's that ``language``
    renders differently from the English (those it leaves alike, such as "SSW", are
    legitimate in that language)."""
    import django
    import rest_framework

    roots = [Path(settings.BASE_DIR) / "locale"]
    roots += [Path(django.__file__).parent / "conf" / "locale"]
    roots += sorted((Path(django.__file__).parent / "contrib").glob("*/locale"))
    roots += [Path(rest_framework.__file__).parent / "locale"]
    msgids: set[str] = set()
    with translation.override(language):
        for root in roots:
            for path in root.glob("en/LC_MESSAGES/django.*"):
                if path.suffix in {".po", ".mo"} and (
                    path.suffix == ".po" or not path.with_suffix(".po").exists()
                ):
                    entries = polib.pofile(str(path)) if path.suffix == ".po" else polib.mofile(str(path))
                    msgids.update(e.msgid for e in entries if e.msgid and not e.msgid_plural)
        msgids.update(e.msgid for e in polib.pofile(str(roots[0] / language / "LC_MESSAGES/django.po")))
        # Short words ("No", "OK") would match names and codes; a msgid the language
        # renders as itself is not English in it.
        return frozenset(
            m
            for m in msgids
            if len(m) > 3 and "%" not in m and translation.gettext(m) != m and WORD.search(m)
        )


def findings(html: str, language: str, allowed: set[str]) -> list[str]:
    found = []
    msgids = english_msgids(language)
    for string in visible_strings(html, language):
        if string in msgids:
            found.append(string)
            continue
        text = CODES.sub(" ", string)
        for value in sorted(allowed | ALLOWED_NAMES, key=len, reverse=True):
            text = text.replace(value, " ")
        run: list[str] = []
        for token in re.split(r"(\s+|[^\w'’-])", text) + [""]:
            if not token or token.isspace():
                continue
            if WORD.fullmatch(token) and token not in ALLOWED_WORDS:
                run.append(token)
            elif re.search(r"\w", token):
                if run:
                    found.append(" ".join(run))
                run = []
        if run:
            found.append(" ".join(run))
    return found


# --- The pages ------------------------------------------------------------------------


@pytest.fixture
def world(cast, reported_investigation, django_capture_on_commit_callbacks):
    """One record of each kind the pages show, made with the services, in the state an
    officer meets them: a certified agency (published), an application under screening,
    an investigation reported by Japan, a letter sent, a written consent."""
    from agencies import services as agency_services
    from agencies.testing import register
    from portal import services
    from portal.publication.reading import published_lists
    from portal.records import services as record_services

    published_lists.clear()
    tj_officer = cast["tj_officer"]
    with django_capture_on_commit_callbacks(execute=True):
        applicant = register(
            tj_officer,
            name_en="Somon Travel",
            name_ru="Сомон Тревел",
            name_tg="Сомон Тревел",
            name_ja="ソモン・トラベル",
        )
        screening = agency_services.start_screening(applicant, tj_officer)
        letter = services.draft_correspondence(
            cast["jp_contact"],
            recipient=Organization.objects.get(code="tj-ms-lpsa"),
            subject="Ҳисобот 2026",
            body="Ҳисобот",
        )
        services.send_correspondence(letter, cast["jp_contact"])
        record_services.grant_consent(
            reported_investigation,
            cast["jp_contact"],
            third_party=Organization.objects.get(code="tj-embassy-jp"),
            document_reference="No 2026-7",
            expires_at=timezone.now() + dt.timedelta(days=30),
        )
        # A broker and a report of the brokers app (issue 11), in follow-up with a comment.
        from decimal import Decimal

        from brokers import services as broker_services

        broker = broker_services.record_broker(
            tj_officer, name="Раҳимов Фаррух", aliases=["ラヒモフ"], kind="person", country="TJ"
        )
        broker_report = broker_services.file_report(
            tj_officer,
            brokers=[broker],
            categories="ae",
            held_amount=Decimal("2000"),
            held_currency="USD",
            held_items="Шиносномаҳо",
            fee_amount=Decimal("15000"),
            fee_currency="TJS",
            narrative="Коргарон пул доданд.",
        )
        broker_report = broker_services.share_report(broker_report, tj_officer)
        record_services.acknowledge(broker_report, cast["jp_contact"])
        record_services.comment(broker_report, cast["jp_officer"], "確認しました。")
        exams = exams_world(cast)
    agency = reported_investigation.agency
    yield {
        **exams,
        "agency": agency,
        "applicant": applicant,
        "screening": screening,
        "investigation": reported_investigation,
        "letter": letter,
        "broker": broker,
        "broker_report": broker_report,
        "memorandum": Memorandum.objects.get(),
        # Latin text the records themselves hold: user content, not the interface.
        "allowed": {
            *(user.username for user in cast.values()),
            *(user.get_full_name() for user in cast.values() if user.get_full_name()),
            *(user.email for user in cast.values() if user.email),
            reported_investigation.facts,
            "statement.pdf",
            "No 2026-7",
            agency.name_en,
            applicant.name_en,
            broker.reference,
            broker_report.reference,
            exams["session"].body,  # the administering body as the officer recorded it
        },
    }
    published_lists.clear()


def exams_world(cast) -> dict:
    """The tests' records (issue 14), in Cyrillic and Japanese where they hold names: a
    results file imported with one refused line, a check that does not match, a fraud
    report Tajikistan shared, a cooperation request Tajikistan answered, a session."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from exams.checks import services as checks
    from exams.cooperation import services as cooperation
    from exams.fraud import services as fraud
    from exams.models import Exam
    from exams.results import services as results
    from exams.sessions import services as sessions

    jlpt = Exam.objects.get(code="jlpt-n4")
    skills = Exam.objects.get(code="skills-construction")
    imported = results.upload(
        cast["jp_contact"],
        SimpleUploadedFile(
            "results.csv",
            (
                "certificate_number,name_latin,name_cyrillic,date_of_birth,test,test_date,result\n"
                ",,Раҳимов Фаррух,2001-03-14,jlpt-n4,2026-07-05,N4\n"
                "JL2026TJN40042,,Раҳимов Фаррух,2001-03-14,jlpt-n4,2026-07-05,N4\n"
            ).encode(),
        ),
        enqueue=False,
    )
    results.run_import(imported.pk)
    check = checks.check_certificate(
        cast["jp_officer"],
        exam=jlpt,
        certificate_number="JL2026TJN40042",
        name="Раҳимов Фаррух",
        date_of_birth=dt.date(1999, 3, 14),
    )
    session = sessions.record_session(
        cast["tj_officer"],
        exam=skills,
        starts_on=dt.date(2026, 10, 5),
        ends_on=dt.date(2026, 10, 6),
        city="Душанбе",
        venue="Маркази омӯзишӣ",
        body="",
        candidates=40,
    )
    report = fraud.report(
        cast["tj_officer"],
        kind="impersonation",
        exam=skills,
        session=session,
        narrative="Ба ҷои довталаб шахси дигар имтиҳон супорид.",
        persons=[{"role": "holder", "name": "Саидов Бахтиёр", "date_of_birth": dt.date(1998, 4, 2)}],
    )
    report = fraud.share(report, cast["tj_officer"])
    request = cooperation.request(
        cast["jp_officer"],
        requesting_ministry=Organization.objects.get(code="jp-maff"),
        kind="test_delivery",
        exam=skills,
        subject="試験実施への協力",
        request="ドゥシャンベでの試験実施にご協力ください。",
    )
    request = cooperation.answer(request, cast["tj_officer"], capability="partial", answer="Дар қисман.")
    return {"import": imported, "check": check, "session": session, "fraud": report, "cooperation": request}


#: (name, path from the world, who reads it in Japan, who reads it in Tajikistan)
PAGES = [
    ("home", lambda w: "/", "jp_contact", "tj_contact"),
    ("inbox", lambda w: "/inbox/", "jp_contact", "tj_contact"),
    ("agency list", lambda w: "/agencies/", "jp_officer", "tj_officer"),
    ("agency detail", lambda w: f"/agencies/{w['agency'].pk}/", "jp_officer", "tj_officer"),
    (
        "screening",
        lambda w: f"/agencies/{w['applicant'].pk}/screenings/{w['screening'].pk}/",
        "tj_officer",
        "tj_officer",
    ),
    ("investigation list", lambda w: "/agencies/investigations/", "jp_officer", "tj_officer"),
    (
        "investigation",
        lambda w: f"/agencies/investigations/{w['investigation'].pk}/",
        "jp_contact",
        "tj_contact",
    ),
    ("correspondence list", lambda w: "/correspondence/", "jp_contact", "tj_contact"),
    ("correspondence detail", lambda w: f"/correspondence/{w['letter'].pk}/", "jp_contact", "tj_contact"),
    ("correspondence form", lambda w: "/correspondence/new/", "jp_contact", "tj_contact"),
    ("broker report list", lambda w: "/brokers/", "jp_officer", "tj_officer"),
    ("broker report", lambda w: f"/brokers/reports/{w['broker_report'].pk}/", "jp_contact", "tj_contact"),
    ("broker report form", lambda w: "/brokers/reports/new/", "jp_officer", "tj_officer"),
    (
        "broker report closing",
        lambda w: f"/brokers/reports/{w['broker_report'].pk}/close/",
        "jp_officer",
        None,
    ),
    ("broker search", lambda w: "/brokers/brokers/?q=Rahimov", "jp_officer", "tj_officer"),
    ("broker", lambda w: f"/brokers/{w['broker'].pk}/", "jp_contact", "tj_contact"),
    ("broker form", lambda w: "/brokers/brokers/new/", "jp_officer", "tj_officer"),
    ("broker merge", lambda w: f"/brokers/{w['broker'].pk}/merge/", "jp_officer", "tj_officer"),
    ("consents", lambda w: "/consents/", "jp_contact", "tj_contact"),
    ("organizations", lambda w: "/organizations/", "jp_contact", "tj_contact"),
    ("memorandum", lambda w: f"/memorandum/{w['memorandum'].pk}/", "jp_contact", "tj_contact"),
    ("audit", lambda w: "/audit/", "jp_contact", "tj_contact"),
    ("account security", lambda w: "/accounts/security/", "jp_officer", "tj_officer"),
    ("password change", lambda w: "/accounts/password/", "jp_officer", "tj_officer"),
    ("sign in", lambda w: "/accounts/login/", None, None),
    ("public index", lambda w: "/public/", None, None),
    ("public list in Tajikistan", lambda w: "/public/agencies/tajikistan/", None, None),
    ("public list in Japan", lambda w: "/public/agencies/japan/", None, None),
    ("public versions", lambda w: "/public/agencies/japan/versions/", None, None),
    ("not found", lambda w: "/correspondence/999999/", "jp_officer", "tj_officer"),
    ("API docs", lambda w: "/api/docs/", "jp_officer", "tj_officer"),
    ("certificate checks", lambda w: "/exams/checks/", "jp_officer", "tj_officer"),
    ("certificate check", lambda w: f"/exams/checks/{w['check'].pk}/", "jp_officer", "jp_officer"),
    ("batch check", lambda w: "/exams/checks/batch/", "jp_officer", "tj_officer"),
    ("fraud reports", lambda w: "/exams/fraud/", "jp_contact", "tj_contact"),
    ("fraud report", lambda w: f"/exams/fraud/{w['fraud'].pk}/", "jp_contact", "tj_contact"),
    ("fraud report form", lambda w: "/exams/fraud/new/", "jp_officer", "tj_officer"),
    ("cooperation requests", lambda w: "/exams/cooperation/", "jp_officer", "tj_officer"),
    (
        "cooperation request",
        lambda w: f"/exams/cooperation/{w['cooperation'].pk}/",
        "jp_officer",
        "tj_officer",
    ),
    ("cooperation request form", lambda w: "/exams/cooperation/new/", "jp_officer", "jp_officer"),
    ("test sessions", lambda w: "/exams/sessions/", "jp_officer", "tj_officer"),
    ("test session", lambda w: f"/exams/sessions/{w['session'].pk}/", "jp_officer", "tj_officer"),
    ("test session form", lambda w: "/exams/sessions/new/", "jp_officer", "tj_officer"),
    ("pass-result imports", lambda w: "/exams/results/", "jp_contact", "jp_contact"),
    ("pass-result import", lambda w: f"/exams/results/{w['import'].pk}/", "jp_contact", "jp_contact"),
    ("pass-result upload", lambda w: "/exams/results/new/", "jp_contact", "jp_contact"),
]

#: Forms sent back with errors, so that Django's own messages are on the page.
POSTS = [
    (
        "password change refused",
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "1234", "new_password2": "1234"},
        "jp_officer",
        "tj_officer",
    ),
    (
        "password change too similar",
        "/accounts/password/",
        {"old_password": "x", "new_password1": "password", "new_password2": "password"},
        "jp_officer",
        "tj_officer",
    ),
    ("sign in refused", "/accounts/login/", {"username": "jp-officer", "password": "wrong"}, None, None),
    ("correspondence form refused", "/correspondence/new/", {}, "jp_contact", "tj_contact"),
    (
        "broker report form refused",
        "/brokers/reports/new/",
        {"categories": ["a", "e"], "brokers": "XX-BRO-2026-9999"},
        "jp_officer",
        "tj_officer",
    ),
    ("broker form refused", "/brokers/brokers/new/", {"corporate_number": "123"}, "jp_officer", "tj_officer"),
    ("audit filter refused", "/audit/?date_from=not-a-date", None, "jp_contact", "tj_contact"),
    (
        "certificate check refused",
        "/exams/checks/",
        {"certificate_number": "??", "name": "", "date_of_birth": "2999-01-01"},
        "jp_officer",
        "tj_officer",
    ),
    (
        "fraud report form refused",
        "/exams/fraud/new/",
        {"persons-TOTAL_FORMS": "0"},
        "jp_officer",
        "tj_officer",
    ),
]


def render(client_for, language: str, path: str, reader: str | None, data=None) -> str:
    client = client_for(reader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if data is None:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language, follow=True)
    else:
        response = client.post(path, data, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code in {200, 404}, (path, response.status_code)
    return response.content.decode()


def all_findings(client_for, world, language: str) -> dict[str, list[str]]:
    side = 2 if language in {"ru", "tg"} else 1
    found: dict[str, list[str]] = defaultdict(list)
    for page in PAGES:
        name, path, reader = page[0], page[1](world), page[1 + side]
        found[name] += findings(render(client_for, language, path, reader), language, world["allowed"])
    for post in POSTS:
        name, path, data, reader = post[0], post[1], post[2], post[2 + side]
        found[name] += findings(render(client_for, language, path, reader, data), language, world["allowed"])
    return {name: strings for name, strings in found.items() if strings}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_is_left_on_the_pages(client_for, world, language):
    found = all_findings(client_for, world, language)
    report = "\n".join(f"  {page}: {sorted(set(strings))}" for page, strings in found.items())
    count = sum(len(set(strings)) for strings in found.values())
    assert not found, f"{language}: {count} English strings on the pages\n{report}"


# --- The test can fail -----------------------------------------------------------------


def test_an_english_msgid_on_a_page_is_found():
    html = '<html lang="tg"><body><p>Sign in</p><button title="Close">x</button></body></html>'
    assert findings(html, "tg", set()) == ["Sign in", "Close"]


def test_a_run_of_latin_words_is_found_unless_it_is_legitimate():
    html = (
        '<html lang="ja"><body><dd>2024-08-05 Tokyo · 2024-08-08 Dushanbe</dd>'
        "<td>Sughd, Khujand</td><td>SSW JFT-Basic TJ-SSW-00001 jp@example.org</td>"
        '<option lang="en">English</option><td>Somon Travel</td></body></html>'
    )
    assert findings(html, "ja", {"Somon Travel"}) == ["Tokyo", "Dushanbe", "Sughd Khujand"]


def test_script_and_style_are_not_text():
    html = '<html lang="ru"><head><style>body {color: red}</style></head><script>var x = "Hello";</script></html>'
    assert findings(html, "ru", set()) == []


# --- One language switcher --------------------------------------------------------------


def switcher(html: str) -> str:
    start = html.index('<nav aria-label="')
    return html[start : html.index("</nav>", start)]


@pytest.mark.parametrize("language", ["ja", "en", "ru", "tg"])
def test_one_language_switcher_on_officer_and_public_pages(client_for, world, language):
    """Each language named in its own script, capitalized, the same buttons in the same
    look on an officer page (posted to set_language) and a public page (?lang=, no CSRF
    token in a page rendered once for every visitor)."""
    officer = switcher(render(client_for, language, "/", "tj_officer"))
    public = switcher(render(client_for, language, f"/public/agencies/tajikistan/?lang={language}", None))
    names = re.compile(r'lang="(\w+)"[^>]*>([^<]+)<')
    expected = [("ja", "日本語"), ("en", "English"), ("ru", "Русский"), ("tg", "Тоҷикӣ")]
    assert names.findall(officer) == names.findall(public) == expected
    assert re.findall(r'aria-current="true">([^<]+)<', officer) == [dict(expected)[language]]
    assert officer.count("<button") == public.count("<button") == 3
    assert 'method="post"' in officer and 'name="language"' in officer and "csrfmiddlewaretoken" in officer
    assert 'method="get"' in public and 'name="lang"' in public and "csrfmiddlewaretoken" not in public


# --- The Tajik word for a password; the API's docs -------------------------------------


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password/"])
def test_tajik_says_parol_for_a_password_on_every_password_form(client_for, cast, path):
    """ "Рамз" is the second factor's code; Django's Tajik catalog used it for the
    password on the change form while sign-in said "Парол"."""
    reader = None if path == "/accounts/login/" else "tj_officer"
    html = render(
        client_for, "tg", path, reader, {"old_password": "x", "new_password1": "1"} if reader else None
    )
    text = " ".join(visible_strings(html, "tg")).lower()
    assert "парол" in text
    assert "рамз" not in text


@pytest.mark.parametrize(
    ("language", "title"), [("ja", "MOCポータル API"), ("ru", "API портала MOC"), ("tg", "API-и Портали MOC")]
)
def test_the_api_docs_speak_the_reader_s_language(client, db, language, title):
    schema = client.get("/api/schema/?format=json", HTTP_ACCEPT_LANGUAGE=language).json()
    assert schema["info"]["title"] == title
    assert client.get(f"/api/schema/?format=json&lang={language}").json()["info"]["title"] == title
    docs = client.get("/api/docs/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}">' in docs and f"<title>{title}</title>" in docs
