"""The officers' statistics (issue 13): each figure against a count made here by hand from
the records the test created through the services; who sees which figures (a side's
officer, a third party with one consent, anonymous); a constant number of queries
whatever the data; the period's validation; the API's numbers equal to the page's; and
charts that are well-formed SVG, the same bytes for the same figure, and never drawing a
number the reader may not see."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from agencies import services as agency_services
from agencies.choices import InvestigationOutcome, RevocationReason
from agencies.models import AgencyEvent, Investigation
from agencies.testing import certified
from brokers import services as broker_services
from brokers.models import MisconductReport
from notices.inquiries import services as inquiry_services
from notices.models import Inquiry, NoticeTerms
from notices.orders import services as order_services
from notices.orders.testing import facts as order_facts
from notices.statistics import charts
from notices.statistics.figures import add_months, compute, month_start
from portal.kept import KeptUntilChange
from portal.models import Organization
from portal.records import services as kit
from portal.timezones import default_zone

pytestmark = pytest.mark.django_db

MARKER = "CANARY-7f3a"


def this_month() -> dt.date:
    return month_start(dt.datetime.now(default_zone()).date())


def at(month: dt.date, day: int, hour: int = 12) -> dt.datetime:
    """A time in ``month`` on Japan's clock (the statistics' months)."""
    return dt.datetime(month.year, month.month, day, hour, tzinfo=default_zone())


def shift(model, record, **times) -> None:
    """Put a record made by the services at known times (the services stamp "now")."""
    model.objects.filter(pk=record.pk).update(**times)


def _report(officer, categories: str, **more):
    report = broker_services.file_report(
        officer,
        brokers=[_broker(officer)],
        categories=categories,
        held_amount=Decimal("2000"),
        held_currency="USD",
        held_items="Passports",
        contract_terms="A penalty of USD 5,000 for leaving.",
        violence_nature="Threats.",
        forged_documents="A forged diploma.",
        forged_procedure="Visa application",
        fee_amount=Decimal("15000"),
        fee_currency="TJS",
        narrative=f"Workers paid a deposit. {MARKER}",
        **more,
    )
    return broker_services.share_report(report, officer)


_names = iter(range(10_000))


def _broker(officer):
    record = broker_services.record_broker(
        officer, name=f"Broker {next(_names)}", aliases=[], kind="person", country="TJ"
    )
    return broker_services.share_broker(record, officer)


def _order(officer, **more):
    return order_services.record_order(officer, **order_facts(**more))


@pytest.fixture
def world(cast):
    """Records of every kind over two months, made through the services, with the times
    the services stamped moved to known ones; and what a hand count of them gives."""
    jp, tj = cast["jp_officer"], cast["tj_officer"]
    now, last = this_month(), add_months(this_month(), -1)
    if True:  # the publication the services ask for after commit is not this test's
        # Agencies: two certified (one last month), one of them revoked this month; a
        # change of details while certified is not a certification.
        first = certified(tj)
        second = certified(tj)
        AgencyEvent.objects.filter(agency=first, to_status="certified").update(
            effective_on=last.replace(day=3)
        )
        agency_services.revoke(
            second, tj, reason="Deposits taken.", public_reason=RevocationReason.IMPROPER_CONDUCT
        )
        agency_services.update_agency(first, tj, phone="+992 37 000 00 00")
        third = certified(tj)
        # Investigations (Japan's): three opened this month, one closed after 4 days and
        # one after 10 (median 7.0); a draft and a withdrawn draft never count.
        due = timezone.localdate() + dt.timedelta(days=30)
        investigations = [
            agency_services.report_for_investigation(jp, agency, facts=f"Deposit taken. {MARKER}", due_on=due)
            for agency in (first, third, third)
        ]
        for investigation, days in zip(investigations[:2], (4, 10), strict=True):
            agency_services.assign_investigation(investigation, cast["tj_contact"], assignee=tj)
            agency_services.send_investigation_result(
                investigation,
                tj,
                findings="Confirmed.",
                outcome=InvestigationOutcome.GUIDANCE,
                measures="Guided.",
            )
            shift(
                Investigation,
                investigation,
                shared_at=at(now, 1),
                result_sent_at=at(now, 1) + dt.timedelta(days=days),
            )
        kit.create_record(Investigation, jp, agency=first, facts="Draft.", due_on=due)
        # Broker reports: Tajikistan's "ae" and "c" this month, Japan's "a" last month;
        # two acknowledged this month after 6 and 10 hours (median 8.0).
        reports = [_report(tj, "ae"), _report(tj, "c"), _report(jp, "a")]
        shift(MisconductReport, reports[2], shared_at=at(last, 10))
        for report, hours in ((reports[0], 6), (reports[1], 10)):
            kit.acknowledge(report, cast["jp_contact"])
            shift(
                MisconductReport,
                report,
                shared_at=at(now, 1),
                acknowledged_at=at(now, 1) + dt.timedelta(hours=hours),
            )
        broker_services.file_report(
            tj, brokers=[_broker(tj)], categories="a", held_amount=Decimal(1), held_currency="USD",
            held_items="x", narrative="A draft.",
        )  # fmt: skip
        # Inquiries Tajikistan asked: two answered on time, one late, one not yet.
        asked = [
            inquiry_services.ask(tj, subject="Deposits", question=f"Which agencies? {MARKER}")
            for _ in range(4)
        ]
        Inquiry.objects.filter(pk=asked[2].pk).update(due_on=timezone.localdate() - dt.timedelta(days=3))
        for inquiry in asked[:3]:
            inquiry_services.answer(inquiry, cast["jp_contact"], answer="These three.")
        # Improvement orders: two issued this month, one last month, one withdrawn.
        orders = [
            _order(jp, issued_on=timezone.localdate(), organization_name=f"株式会社 {MARKER}"),
            _order(jp, issued_on=timezone.localdate()),
            _order(jp, issued_on=last.replace(day=20)),
        ]
        order_services.withdraw_order(
            _order(jp, issued_on=timezone.localdate()), jp, reason="Recorded twice."
        )
    return {"now": now, "last": last, "orders": orders, "reports": reports, "investigations": investigations}


def cells(statistics, key: str) -> dict[tuple[str, str], object]:
    """``{(month, column key): shown value}``: the number, or "<N" when suppressed."""
    figure = statistics.figure(key)
    return {
        (f"{row.month:%Y-%m}", column.key): (f"<{cell.fewer_than}" if cell.suppressed else cell.value)
        for row in figure.rows
        for column, cell in zip(figure.columns, row.cells, strict=True)
    }


def test_each_figure_is_the_count_made_by_hand(world, cast):
    now, last = f"{world['now']:%Y-%m}", f"{world['last']:%Y-%m}"
    jp, tj = cast["jp_officer"].organization.side.code, cast["tj_officer"].organization.side.code
    memorandum = cast["jp_officer"].organization.side.memorandum
    for reader in ("jp_officer", "tj_officer"):
        statistics = compute(cast[reader], memorandum=memorandum, start=world["last"], end=world["now"])
        assert statistics.fewer_than is None
        agencies = cells(statistics, "agencies")
        assert {k[1] for k in agencies} == {f"{tj}.certified", f"{tj}.revoked"}  # the partner's register
        assert agencies[(last, f"{tj}.certified")] == 1
        assert agencies[(now, f"{tj}.certified")] == 2
        assert agencies[(now, f"{tj}.revoked")] == 1
        assert agencies[(last, f"{tj}.revoked")] == 0
        investigations = cells(statistics, "investigations")
        assert investigations[(now, f"{jp}.opened")] == 3
        assert investigations[(now, f"{jp}.closed")] == 2
        assert investigations[(now, f"{tj}.opened")] == 0
        assert cells(statistics, "investigation-time")[(now, f"{jp}.median")] == 7.0
        reports = cells(statistics, "broker-reports")
        assert [reports[(now, f"{tj}.{c}")] for c in "abcde"] == [1, 0, 1, 0, 1]
        assert [reports[(last, f"{jp}.{c}")] for c in "abcde"] == [1, 0, 0, 0, 0]
        assert cells(statistics, "broker-acknowledgement")[(now, f"{tj}.median")] == 8.0
        inquiries = cells(statistics, "inquiries")
        assert (inquiries[(now, f"{tj}.on_time")], inquiries[(now, f"{tj}.late")]) == (2, 1)
        assert (inquiries[(now, f"{jp}.on_time")], inquiries[(last, f"{tj}.late")]) == (0, 0)
        orders = cells(statistics, "orders")
        assert (orders[(last, f"{jp}.issued")], orders[(now, f"{jp}.issued")]) == (1, 2)
        totals = statistics.figure("orders").totals
        assert [cell.value for cell in totals] == [3, 0] or [cell.value for cell in totals] == [0, 3]


def test_a_third_party_sees_only_what_was_disclosed_and_small_figures_suppressed(world, cast, client_for):
    embassy = Organization.objects.get(code="tj-embassy-jp")
    memorandum = cast["jp_officer"].organization.side.memorandum
    jp = cast["jp_officer"].organization.side.code
    tj = cast["tj_officer"].organization.side.code
    now = f"{world['now']:%Y-%m}"
    expires = timezone.now() + dt.timedelta(days=30)
    # Japan consents to one order, and to Tajikistan's "ae" report (Japan's part of it is
    # the acknowledgement: the counterpart's part).
    kit.grant_consent(
        world["orders"][0],
        cast["jp_contact"],
        third_party=embassy,
        document_reference="No. 1",
        expires_at=expires,
    )
    kit.grant_consent(world["reports"][0], cast["jp_contact"], third_party=embassy, document_reference="No. 2", expires_at=expires)  # fmt: skip
    viewer = cast["embassy_viewer"]
    small = compute(viewer, memorandum=memorandum, start=world["last"], end=world["now"])
    assert small.fewer_than == 5
    for figure in small.figures:  # every figure has fewer than five records behind it
        assert all(cell.suppressed for row in figure.rows for cell in row.cells), figure.key
        # No total lets a suppressed cell be recomputed: it is not shown either.
        assert all(cell.withheld or cell.value is None for cell in figure.totals or ())
    page = client_for("embassy_viewer").get("/notices/statistics/")
    assert page.status_code == 200
    assert "fewer than 5" in page.content.decode() and "not shown" in page.content.decode()
    assert MARKER not in page.content.decode()
    api = client_for("embassy_viewer").get("/api/v1/statistics/").json()
    orders = next(f for f in api["figures"] if f["key"] == "orders")
    assert orders["rows"][-1]["cells"][0] == {"count": None, "fewer_than": 5}

    # With a threshold of one, the exact figures: the one order, the one report's
    # acknowledgement (Japan's part) but not its categories (Tajikistan did not consent).
    NoticeTerms.objects.create(memorandum=memorandum, statistics_minimum=1)
    exact = compute(viewer, memorandum=memorandum, start=world["last"], end=world["now"])
    assert cells(exact, "orders")[(now, f"{jp}.issued")] == 1
    # Last month's zero is "fewer than 1": the total (which would give it back) is withheld.
    assert [cell.withheld for cell in exact.figure("orders").totals] == [True, True]
    assert cells(exact, "broker-acknowledgement")[(now, f"{tj}.median")] == 6.0
    assert cells(exact, "broker-reports")[(now, f"{tj}.a")] == "<1"
    assert cells(exact, "investigations")[(now, f"{jp}.opened")] == "<1"
    assert cells(exact, "agencies")[(now, f"{tj}.certified")] == "<1"
    # The side's officer sees everything, the anonymous visitor nothing.
    assert (
        cells(
            compute(cast["jp_officer"], memorandum=memorandum, start=world["now"], end=world["now"]), "orders"
        )[(now, f"{jp}.issued")]
        == 2
    )
    for member in cast:  # every signed-in member reads the API (its own figures)
        assert client_for(member).get("/api/v1/statistics/").status_code == 200, member
    assert client_for("tj_analyst").get("/notices/statistics/").status_code == 200
    assert client_for(None).get("/notices/statistics/").status_code == 302
    assert client_for(None).get("/api/v1/statistics/").status_code in (401, 403)


def test_a_chart_never_draws_what_its_reader_may_not_see(world, cast):
    """A third party whose one visible order is suppressed gets the very chart of a third
    party that sees nothing: the suppressed number leaves no trace in the SVG."""
    memorandum = cast["jp_officer"].organization.side.memorandum
    embassy = Organization.objects.get(code="tj-embassy-jp")
    period = {"memorandum": memorandum, "start": world["last"], "end": world["now"]}
    blind = compute(cast["maff_viewer"], **period).figure("orders")
    kit.grant_consent(
        world["orders"][0], cast["jp_contact"], third_party=embassy, document_reference="No. 1",
        expires_at=timezone.now() + dt.timedelta(days=30),
    )  # fmt: skip
    suppressed = compute(cast["embassy_viewer"], **period).figure("orders")
    seen = compute(cast["jp_officer"], **period).figure("orders")
    assert suppressed.svg == blind.svg != seen.svg
    for figure in (blind, seen):
        root = ET.fromstring(figure.svg)  # noqa: S314 (our own SVG) - well-formed
        assert root.tag.endswith("svg") and MARKER not in figure.svg and "<script" not in figure.svg
        assert figure.title in figure.svg  # text kept as text
    # The same figure, drawn again without the cache, is the same bytes.
    assert charts.draw(seen, charts._shown(seen)) == seen.svg
    # Japanese, Russian and Tajik labels are text in the SVG, for fonts that have them.
    side = cast["jp_officer"].organization.side
    for language, name in (("ja", side.name_ja), ("ru", side.name_ru), ("tg", side.name_tg)):
        with translation.override(language):
            svg = compute(cast["jp_officer"], **period).figure("orders").svg
        assert name and name in svg and "IPAexGothic" in svg, language


def test_the_number_of_queries_does_not_grow_with_the_data(cast, client_for, django_assert_max_num_queries):
    client = client_for("jp_officer")
    client.get("/notices/statistics/")  # warm the per-process caches (permission ids)

    def queries() -> int:
        KeptUntilChange.forget_all()  # counted afresh: the figures are kept until a change
        with CaptureQueriesContext(connection) as context:
            assert client.get("/notices/statistics/").status_code == 200
        return len(context)

    empty = queries()
    for n in range(3):
        order = _order(cast["jp_officer"], issued_on=timezone.localdate() - dt.timedelta(days=40 * n))
        kit.acknowledge(order, cast["tj_contact"])
        _report(cast["tj_officer"], "abcde")
    assert queries() == empty
    KeptUntilChange.forget_all()
    with django_assert_max_num_queries(empty):
        client.get("/notices/statistics/?from=2020-01&to=2026-12")


def test_an_organization_s_figures_are_kept_until_an_audited_change(cast):
    """portal.kept: read again with nothing changed, the figures cost no grouped scan;
    the next order recorded (audited) is counted at once; a third party's are never kept."""
    period = {
        "memorandum": cast["jp_officer"].organization.side.memorandum,
        "start": timezone.localdate(),
        "end": timezone.localdate(),
    }

    def orders(user) -> str:
        return str(compute(user, **period).figure("orders").totals[0])

    _order(cast["jp_officer"], issued_on=timezone.localdate())
    assert orders(cast["jp_officer"]) == "1"
    with CaptureQueriesContext(connection) as context:
        assert orders(cast["jp_officer"]) == "1"
    assert len(context) == 1  # the newest audit entry, nothing else
    _order(cast["jp_officer"], issued_on=timezone.localdate())
    assert orders(cast["jp_officer"]) == "2"
    third_party = cast["embassy_viewer"]
    compute(third_party, **period)
    with CaptureQueriesContext(connection) as context:
        compute(third_party, **period)
    assert len(context) > 1


def test_the_period_is_validated_and_the_api_gives_the_page_numbers(world, cast, client_for):
    client = client_for("jp_officer")
    default = client.get("/notices/statistics/")
    assert default.status_code == 200
    months = re.findall(r'<th scope="row">(\d{4}-\d{2})</th>', default.content.decode())
    assert months[:12] == [f"{add_months(world['now'], -11 + i):%Y-%m}" for i in range(12)]
    for query, message in (
        ("from=2026-13", "Enter a month as YYYY-MM"),
        ("from=last+year", "Enter a month as YYYY-MM"),
        ("from=2026-06&to=2026-01", "The period starts after it ends"),
        ("from=2001-01&to=2026-01", "at most 120 months"),
    ):
        page = client.get(f"/notices/statistics/?{query}")
        assert page.status_code == 400 and message in page.content.decode(), query
        assert '<table class="table">' not in page.content.decode()
        api = client.get(f"/api/v1/statistics/?{query}")
        assert api.status_code == 400 and message in api.content.decode(), query

    period = f"from={world['last']:%Y-%m}&to={world['now']:%Y-%m}"
    html = client.get(f"/notices/statistics/?{period}").content.decode()
    data = client.get(f"/api/v1/statistics/?{period}").json()
    assert data["start"] == f"{world['last']:%Y-%m}" and data["fewer_than"] is None
    for figure in data["figures"]:
        section = html.split(f'id="figure-{figure["key"]}"')[1].split("</section>")[0]
        assert 'src="data:image/svg+xml;base64,' in section and "<caption" in section
        for row in figure["rows"]:
            shown = re.search(rf'<th scope="row">{row["month"]}</th>(.*?)</tr>', section).group(1)
            page_values = re.findall(r'<td class="number">([^<]*)</td>', shown)
            api_values = [
                "—" if value is None else (f"{value:.1f}" if isinstance(value, float) else str(value))
                for value in (cell.get("count", cell.get("median")) for cell in row["cells"])
            ]
            assert page_values == api_values, (figure["key"], row["month"])
    orders = next(f for f in data["figures"] if f["key"] == "orders")
    assert sum(cell["count"] or 0 for row in orders["rows"] for cell in row["cells"]) == 3
