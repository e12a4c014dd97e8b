"""A query-count guard on every list: each officer list page and each /api/v1/ list
endpoint runs as many queries for 20 rows as for 1 (STYLE.md §9). A list that starts
reading a related object per row (an N+1) fails here, with the two counts.

Each case names the reader and a builder that adds ``n`` rows that reader sees. The
counts are measured after one warm-up request (caches of content types, permission ids
and the session are then warm, as in a running server)."""

from __future__ import annotations

import datetime as dt
import itertools
import string
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies import services as agency_services
from agencies.testing import certified, register
from portal import audit, hooks, services
from portal.choices import OrganizationKind
from portal.models import Correspondence, Memorandum, Notification, Organization

_serial = itertools.count(1)


def letters(cast, n: int, *, send: bool = True) -> list[Correspondence]:
    """Letters from Tajikistan's contact point to Japan's."""
    author = cast["tj_contact"]
    made = []
    for _ in range(n):
        letter = services.draft_correspondence(
            author, recipient=cast["jp_contact"].organization, subject=f"Letter {next(_serial)}", body="Body"
        )
        made.append(services.send_correspondence(letter, author) if send else letter)
    return made


def consents(cast, n: int) -> None:
    """Letters shared and disclosed to the embassy, one written consent each."""
    for letter in letters(cast, n):
        services.grant_consent(
            letter,
            cast["tj_contact"],
            third_party=cast["embassy_viewer"].organization,
            document_reference=f"WC-{next(_serial)}",
            expires_at=timezone.now() + dt.timedelta(days=30),
        )


def agencies(cast, n: int) -> None:
    for _ in range(n):
        register(cast["tj_officer"])


def screenings(cast, n: int) -> None:
    for _ in range(n):
        agency_services.start_screening(register(cast["tj_officer"]), cast["tj_officer"])


def investigations(cast, n: int) -> None:
    for _ in range(n):
        agency = certified(cast["tj_officer"])
        agency_services.report_for_investigation(
            cast["jp_officer"], agency, facts="Facts", due_on=timezone.localdate() + dt.timedelta(days=30)
        )


def notifications(cast, n: int) -> None:
    sender = cast["tj_contact"].organization
    for _ in range(n):
        Notification.objects.create(
            organization=cast["jp_contact"].organization,
            kind="correspondence.received",
            sender=sender,
            params={"subject": f"Letter {next(_serial)}"},
            url="/correspondence/",
        )


def audit_entries(cast, n: int) -> None:
    for letter in letters(cast, n, send=False):
        audit.log("record.read", actor=cast["tj_contact"], obj=letter)


def organizations(cast, n: int) -> None:
    for _ in range(n):
        number = next(_serial)
        Organization.objects.create(
            code=f"third-{number}", name_en=f"Third {number}", kind=OrganizationKind.OTHER
        )


#: Two-letter codes no real memorandum uses.
_countries = (a + b for a in "QXZ" for b in string.ascii_uppercase)


def memoranda(cast, n: int) -> None:
    for _ in range(n):
        code = next(_countries)
        Memorandum.objects.create(partner_country=code, title_ja="覚書", title_en=f"MOC {code}")


def consent_requests(cast, n: int) -> None:
    """Tajikistan's letters, each with a request to its own side to disclose it."""
    from portal.records.services import request_consent

    author = cast["tj_contact"]
    for letter in letters(cast, n):
        request_consent(
            letter,
            author,
            third_party=cast["embassy_viewer"].organization,
            side=author.organization.side,
            purpose="Visa checks",
            requested_until=timezone.localdate() + dt.timedelta(days=30),
        )


def publications(cast, n: int, *, capture) -> None:
    for _ in range(n):
        with capture(execute=True):
            certified(cast["tj_officer"])


def broker_reports(cast, n: int) -> None:
    """Japan's reports shared with Tajikistan, each naming a broker of its own."""
    from decimal import Decimal

    from brokers import services as broker_services

    author = cast["jp_officer"]
    for _ in range(n):
        broker = broker_services.record_broker(
            author, name=f"Broker {next(_serial)}", kind="person", country="TJ"
        )
        report = broker_services.file_report(
            author,
            brokers=[broker],
            categories="e",
            fee_amount=Decimal("100"),
            fee_currency="USD",
            narrative="Fees",
        )
        broker_services.share_report(report, author)


def brokers(cast, n: int) -> None:
    from brokers import services as broker_services

    author = cast["jp_officer"]
    for _ in range(n):
        broker = broker_services.record_broker(
            author, name=f"Broker {next(_serial)}", kind="company", country="JP"
        )
        broker_services.share_broker(broker, author)


def orders(cast, n: int) -> None:
    from notices.orders import services as order_services
    from notices.orders.testing import facts

    for _ in range(n):
        order_services.record_order(cast["jp_officer"], **facts())


def inquiries(cast, n: int) -> None:
    from notices.inquiries.testing import ask

    for _ in range(n):
        ask(cast["tj_officer"])


def consultations(cast, n: int) -> None:
    from notices.consultations.testing import schedule

    for _ in range(n):
        schedule(cast["jp_officer"])


def suspensions(cast, n: int) -> None:
    """Suspensions recorded and lifted (one in force per sector at a time)."""
    from notices.suspensions import services as suspension_services
    from notices.suspensions.testing import facts

    officer = cast["jp_officer"]
    for _ in range(n):
        suspension = suspension_services.record_suspension(officer, **facts(sector="forestry"))
        suspension_services.lift_suspension(
            suspension, officer, lifted_on=timezone.localdate(), reason="Lifted."
        )


def return_requests(cast, n: int) -> None:
    from notices.returns import services as return_services
    from notices.returns.testing import contact_point_writer, person

    writer = contact_point_writer(cast["jp_officer"].organization.side)
    for _ in range(n):
        return_services.create_request(writer, persons=[person()])


def support_organizations(cast, n: int) -> None:
    from notices.register.matrix import build_organizations

    build_organizations(cast, n)


def register_imports(cast, n: int) -> None:
    from notices.register.matrix import build_imports

    build_imports(cast, n)


def exam_sessions(cast, n: int) -> None:
    from exams.sessions.testing import record

    for _ in range(n):
        record(cast["tj_officer"])


def cooperation_requests(cast, n: int) -> None:
    from exams.cooperation.testing import request

    for _ in range(n):
        request(cast["jp_officer"])


def fraud_reports(cast, n: int) -> None:
    from exams.fraud.testing import new_report

    for _ in range(n):
        new_report(cast["jp_officer"])


def result_imports(cast, n: int) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from exams.results import services as results

    header = "certificate_number,name_latin,name_cyrillic,date_of_birth,test,test_date,result\n"
    for _ in range(n):
        line = f"JL2026TJN{next(_serial):05d},Rakhimov Farrukh,,2001-03-14,jlpt-n4,2026-07-05,N4\n"
        imported = results.upload(
            cast["jp_contact"], SimpleUploadedFile("results.csv", (header + line).encode()), enqueue=False
        )
        results.run_import(imported.pk)


def certificate_checks(cast, n: int) -> None:
    from exams.checks import services as checks
    from exams.models import Exam

    jlpt = Exam.objects.get(code="jlpt-n4")
    for _ in range(n):
        checks.check_certificate(
            cast["jp_officer"],
            exam=jlpt,
            certificate_number=f"JL2026TJN{next(_serial):05d}",
            name="Rakhimov Farrukh",
            date_of_birth=dt.date(2001, 3, 14),
        )


def exams(cast, n: int) -> None:
    from exams.models import Exam

    for _ in range(n):
        number = next(_serial)
        Exam.objects.create(code=f"test-{number}", kind="skills", name_en=f"Test {number}")


@dataclass(frozen=True)
class Case:
    url: str
    reader: str | None
    build: Callable


HTML_LISTS = [
    Case("/agencies/", "tj_officer", agencies),
    Case("/agencies/investigations/", "tj_contact", investigations),
    Case("/correspondence/", "tj_contact", letters),
    Case("/correspondence/", "embassy_viewer", consents),
    Case("/consents/", "tj_contact", consents),
    Case("/consents/", "embassy_viewer", consents),
    Case("/inbox/", "jp_contact", notifications),
    Case("/audit/", "tj_contact", audit_entries),
    Case("/organizations/", "jp_officer", organizations),
    Case("/brokers/", "tj_contact", broker_reports),
    Case("/brokers/brokers/", "tj_contact", brokers),
    Case("/notices/orders/", "tj_contact", orders),
    Case("/notices/inquiries/", "jp_contact", inquiries),
    Case("/notices/consultations/", "tj_contact", consultations),
    Case("/notices/suspensions/", "tj_contact", suspensions),
    Case("/notices/returns/", "tj_contact", return_requests),
    Case("/notices/register/", "tj_officer", support_organizations),
    Case("/notices/register/imports/", "tj_officer", register_imports),
    Case("/exams/sessions/", "jp_officer", exam_sessions),
    Case("/exams/cooperation/", "tj_contact", cooperation_requests),
    Case("/exams/fraud/", "tj_contact", fraud_reports),
    Case("/exams/results/", "jp_contact", result_imports),
]

#: Every list route of /api/v1/, by its router prefix (a test below checks none is left out).
API_LISTS = {
    "memoranda": Case("/api/v1/memoranda/", "jp_officer", memoranda),
    "organizations": Case("/api/v1/organizations/", "jp_officer", organizations),
    "correspondence": Case("/api/v1/correspondence/", "tj_contact", letters),
    "correspondence (third party)": Case("/api/v1/correspondence/", "embassy_viewer", consents),
    "notifications": Case("/api/v1/notifications/", "jp_contact", notifications),
    "consents": Case("/api/v1/consents/", "tj_contact", consents),
    "consent-requests": Case("/api/v1/consent-requests/", "jp_contact", consent_requests),
    "agencies": Case("/api/v1/agencies/", "tj_officer", agencies),
    "screenings": Case("/api/v1/screenings/", "tj_officer", screenings),
    "investigations": Case("/api/v1/investigations/", "tj_contact", investigations),
    "published-agency-lists": Case("/api/v1/published-agency-lists/", None, publications),
    "brokers": Case("/api/v1/brokers/", "tj_contact", brokers),
    "broker-reports": Case("/api/v1/broker-reports/", "tj_contact", broker_reports),
    "improvement-orders": Case("/api/v1/improvement-orders/", "tj_contact", orders),
    "inquiries": Case("/api/v1/inquiries/", "jp_contact", inquiries),
    "consultations": Case("/api/v1/consultations/", "tj_contact", consultations),
    "acceptance-suspensions": Case("/api/v1/acceptance-suspensions/", "tj_contact", suspensions),
    "return-requests": Case("/api/v1/return-requests/", "tj_contact", return_requests),
    "register-imports": Case("/api/v1/register-imports/", "tj_officer", register_imports),
    "support-organizations": Case("/api/v1/support-organizations/", "tj_officer", support_organizations),
    "exams": Case("/api/v1/exams/", "tj_officer", exams),
    "exam-sessions": Case("/api/v1/exam-sessions/", "jp_officer", exam_sessions),
    "cooperation-requests": Case("/api/v1/cooperation-requests/", "tj_contact", cooperation_requests),
    "fraud-reports": Case("/api/v1/fraud-reports/", "tj_contact", fraud_reports),
    "exam-result-imports": Case("/api/v1/exam-result-imports/", "jp_contact", result_imports),
    "certificate-checks": Case("/api/v1/certificate-checks/", "jp_officer", certificate_checks),
}


def count_queries(client, url: str) -> int:
    # The menu's count is kept until an audited change (portal.hooks.work_count): counted
    # afresh each time, both pages are measured alike.
    hooks.forget_work_counts()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def rows_shown(response) -> int:
    if response.get("Content-Type", "").startswith("application/json"):
        data = response.json()
        return data["count"] if isinstance(data, dict) and "count" in data else len(data)
    return len(response.context["object_list"])


def measure(case: Case, cast, client_for, capture) -> tuple[int, int]:
    build = case.build
    if build is publications:

        def build(cast, n):
            publications(cast, n, capture=capture)

    client = client_for(case.reader)
    build(cast, 1)
    client.get(case.url)  # warm-up
    one = count_queries(client, case.url)
    before = rows_shown(client.get(case.url))
    build(cast, 19)
    twenty = count_queries(client, case.url)
    after = rows_shown(client.get(case.url))
    assert after >= before + 19, f"{case.url}: the builder did not add rows the reader sees"
    return one, twenty


@pytest.mark.parametrize("case", HTML_LISTS, ids=lambda c: f"{c.url}:{c.reader}")
def test_html_list_queries_do_not_grow_with_rows(case, cast, client_for, django_capture_on_commit_callbacks):
    one, twenty = measure(case, cast, client_for, django_capture_on_commit_callbacks)
    print(f"{case.url} as {case.reader}: {one} queries with 1 row, {twenty} with 20")
    assert one == twenty, f"{case.url} as {case.reader}: {one} queries with 1 row, {twenty} with 20"


def registered_routes() -> set[str]:
    from portal.api.urls import router

    return {prefix for prefix, _viewset, _basename in router.registry}


@pytest.mark.parametrize(
    "case",
    # A case written ahead of its route waits for it; a route without a case fails below.
    [case for key, case in API_LISTS.items() if key.split()[0] in registered_routes()],
    ids=lambda c: f"{c.url}:{c.reader}",
)
def test_api_list_queries_do_not_grow_with_rows(case, cast, client_for, django_capture_on_commit_callbacks):
    one, twenty = measure(case, cast, client_for, django_capture_on_commit_callbacks)
    print(f"{case.url} as {case.reader}: {one} queries with 1 row, {twenty} with 20")
    assert one == twenty, f"{case.url} as {case.reader}: {one} queries with 1 row, {twenty} with 20"


#: Routes that list no rows, each with the test that guards its queries instead.
NOT_LISTS = {
    # One grouped aggregate per figure whatever the rows: notices/tests/test_statistics.py.
    "statistics",
}


def test_every_api_list_endpoint_is_guarded():
    assert registered_routes() - NOT_LISTS <= {key.split()[0] for key in API_LISTS}


def test_the_html_lists_are_all_guarded():
    """The officer list pages: each ``RestrictedListView`` routed in the portal (but the
    audit export, a CSV streamed in chunks, not a page)."""
    from django.urls import get_resolver

    from portal.views.base import RestrictedListView

    def views(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                view = getattr(pattern.callback, "view_class", None)
                if (
                    view is not None
                    and issubclass(view, RestrictedListView)
                    and "<" not in str(pattern.pattern)
                ):
                    yield "/" + prefix + str(pattern.pattern)

    listed = set(views(get_resolver().url_patterns)) - {"/audit/export.csv"}
    assert listed == {case.url for case in HTML_LISTS}
