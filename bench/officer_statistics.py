"""The officers' statistics at scale (issue 13): the page ``/notices/statistics/`` and its
API with BENCH_ROWS (100,000) records of each kind counted — certification events of
sending agencies, investigations, broker misconduct reports, inquiries and improvement
orders — over the last two years.

Usage (PostgreSQL and Redis; the database is filled on first run, a few minutes):

    createdb -h 127.0.0.1 -U postgres portal_stabench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_stabench REDIS_URL=redis://127.0.0.1:6379/8 \\
        .venv/bin/python bench/officer_statistics.py

``fill(n)`` is importable (``bench/briefing_pack.py`` fills the same data): ``n`` rows of
each kind, written with ``bulk_create`` and the grants with one ``INSERT … SELECT`` per
kind, as ``share_record`` leaves them (every organization of both sides reads a shared
record; a draft is its organization's); nine in ten shared, spread over 24 months; the
Embassy holds Japan's written consent on BENCH_CONSENTS improvement orders.

Prints p50/p95 in milliseconds over BENCH_REPEAT runs (in-process test client) of the
page for a side's officer with its charts cached (warm) and drawn (cold: the chart cache
emptied before each request), the API, the page for a third party, and the number of
queries each takes.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import datetime as dt  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from decimal import Decimal  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Permission  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from agencies.models import AgencyEvent, Investigation, Sector, SendingAgency  # noqa: E402
from brokers.models import MisconductReport  # noqa: E402
from notices.models import ImprovementOrder, Inquiry  # noqa: E402
from portal.demo import create_demo_users  # noqa: E402
from portal.models import DisclosureConsent, Organization  # noqa: E402
from portal.querysets import group_permission_model  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
CONSENTS = int(os.environ.get("BENCH_CONSENTS", "1000"))
REPEAT = max(30, int(os.environ.get("BENCH_REPEAT", "30")))
SEED = 13
BATCH = 5000


def _spread(rng: random.Random, now: dt.datetime) -> dt.datetime:
    """A time in the last 24 months."""
    return now - dt.timedelta(seconds=rng.randrange(730 * 86400))


def _grant(model, permission_codename: str = "view") -> None:
    """The grants ``share_record`` makes (every organization of both sides, for each
    shared record) and a draft's (its own organization), in two statements."""
    table = group_permission_model(model)._meta.db_table
    records = model._meta.db_table
    permission = Permission.objects.get(
        content_type=ContentType.objects.get_for_model(model),
        codename=f"{permission_codename}_{model._meta.model_name}",
    ).pk
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (permission_id, group_id, content_object_id) "  # noqa: S608 - our tables
            f"SELECT %s, o.group_id, r.id FROM {records} r JOIN portal_organization o ON o.side_id IS NOT NULL "
            "WHERE r.status = 'shared'",
            [permission],
        )
        cursor.execute(
            f"INSERT INTO {table} (permission_id, group_id, content_object_id) "  # noqa: S608 - our tables
            f"SELECT %s, o.group_id, r.id FROM {records} r JOIN portal_organization o ON o.id = r.origin_id "
            "WHERE r.status = 'draft'",
            [permission],
        )


def _bulk(model, rows) -> list:
    created = []
    for start in range(0, len(rows), BATCH):
        created += model.objects.bulk_create(rows[start : start + BATCH])
    return created


def fill(n: int = ROWS) -> dict:
    """``n`` rows of each kind the statistics count (once: a kind already holding ``n``
    rows is left as it is). Returns the demo users."""
    users = create_demo_users()
    rng = random.Random(SEED)
    now = timezone.now()
    japan, tajikistan = Organization.objects.get(code="jp-isa"), Organization.objects.get(code="tj-mlme")
    memorandum = japan.side.memorandum
    jp_user, tj_user = users["jp-officer"], users["tj-officer"]

    def status() -> str:
        return "shared" if rng.random() < 0.9 else "draft"

    def base(origin, user) -> dict:
        shared = status() == "shared"
        return {
            "memorandum": memorandum,
            "origin": origin,
            "created_by": user,
            "status": "shared" if shared else "draft",
            "shared_at": _spread(rng, now) if shared else None,
        }

    started = time.perf_counter()
    with transaction.atomic():
        if SendingAgency.objects.count() < n:
            print(f"filling {n:,} agencies and their events…", flush=True)
            agencies = _bulk(
                SendingAgency,
                [
                    SendingAgency(
                        memorandum=memorandum,
                        name_tg=f"Ташкилоти {i}",
                        registration_number=f"R-{i}",
                        region="Sughd",
                        city="Khujand",
                        status="revoked" if i % 10 == 0 else "certified",
                        certification_number=f"BENCH-{i:06d}",
                    )
                    for i in range(n)
                ],
            )
            events = []
            for i, agency in enumerate(agencies):
                day = _spread(rng, now).date()
                events.append(
                    AgencyEvent(
                        agency=agency, from_status="under_screening", to_status="certified", effective_on=day
                    )
                )
                if i % 10 == 0:
                    events.append(
                        AgencyEvent(
                            agency=agency,
                            from_status="certified",
                            to_status="revoked",
                            effective_on=day + dt.timedelta(days=rng.randrange(200)),
                        )
                    )
            _bulk(AgencyEvent, events)
        if Investigation.objects.count() < n:
            print(f"filling {n:,} investigations…", flush=True)
            agency_ids = list(SendingAgency.objects.values_list("pk", flat=True)[:1000])
            rows = []
            for i in range(n):
                fields = base(japan, jp_user)
                closed = fields["shared_at"] is not None and i % 2 == 0
                rows.append(
                    Investigation(
                        **fields,
                        agency_id=agency_ids[i % len(agency_ids)],
                        facts="Deposit taken.",
                        due_on=now.date() + dt.timedelta(days=30),
                        stage="result_sent" if closed else "reported",
                        result_sent_at=fields["shared_at"] + dt.timedelta(days=rng.randrange(1, 60))
                        if closed
                        else None,
                    )
                )
            _bulk(Investigation, rows)
            _grant(Investigation)
        if MisconductReport.objects.count() < n:
            print(f"filling {n:,} broker reports…", flush=True)
            rows = []
            for i in range(n):
                origin, user = (japan, jp_user) if i % 3 == 0 else (tajikistan, tj_user)
                fields = base(origin, user)
                acknowledged = fields["shared_at"] is not None and rng.random() < 0.8
                rows.append(
                    MisconductReport(
                        **fields,
                        categories="".join(sorted(rng.sample("abcde", rng.randrange(1, 4)))),
                        narrative="Workers paid a deposit.",
                        held_amount=Decimal(1000),
                        held_currency="USD",
                        acknowledged_at=fields["shared_at"] + dt.timedelta(hours=rng.randrange(1, 240))
                        if acknowledged
                        else None,
                    )
                )
            _bulk(MisconductReport, rows)
            _grant(MisconductReport)
        if Inquiry.objects.count() < n:
            print(f"filling {n:,} inquiries…", flush=True)
            rows = []
            for i in range(n):
                origin, user = (japan, jp_user) if i % 2 == 0 else (tajikistan, tj_user)
                fields = base(origin, user)
                answered = fields["shared_at"] is not None and rng.random() < 0.8
                answered_at = (
                    fields["shared_at"] + dt.timedelta(days=rng.randrange(1, 45)) if answered else None
                )
                due_on = fields["shared_at"].date() + dt.timedelta(days=30) if fields["shared_at"] else None
                rows.append(
                    Inquiry(
                        **fields,
                        subject=f"Inquiry {i}",
                        question="Which agencies?",
                        due_on=due_on,
                        answer="These." if answered else "",
                        answered_at=answered_at,
                        answered_late=answered_at.date() > due_on if answered else None,
                    )
                )
            _bulk(Inquiry, rows)
            _grant(Inquiry)
        if ImprovementOrder.objects.count() < n:
            print(f"filling {n:,} improvement orders…", flush=True)
            sectors = list(Sector.objects.all())
            rows = []
            for i in range(n):
                fields = base(japan, jp_user)
                rows.append(
                    ImprovementOrder(
                        **fields,
                        organization_name=f"株式会社 {i}",
                        corporate_number="4180001012345",
                        address="愛知県名古屋市中区栄三丁目1番1号",
                        prefecture="23",
                        sector=sectors[i % len(sectors)],
                        issued_on=(fields["shared_at"] or now).date(),
                        violations="Interviews not held.",
                        measures="Hold them.",
                        state="withdrawn" if i % 20 == 0 else "in_force",
                    )
                )
            _bulk(ImprovementOrder, rows)
            _grant(ImprovementOrder)
        embassy = Organization.objects.get(code="tj-embassy-jp")
        if DisclosureConsent.objects.filter(third_party=embassy).count() < CONSENTS:
            print(f"adding {CONSENTS:,} consents of Japan to the Embassy…", flush=True)
            content_type = ContentType.objects.get_for_model(ImprovementOrder)
            orders = list(ImprovementOrder.objects.filter(status="shared").order_by("pk")[:CONSENTS])
            DisclosureConsent.objects.bulk_create(
                DisclosureConsent(
                    content_type=content_type,
                    object_id=order.pk,
                    third_party=embassy,
                    document_reference=f"L-{order.pk}",
                    granted_by=users["jp-contact"],
                    side=japan.side,
                    expires_at=now + dt.timedelta(days=30),
                )
                for order in orders
            )
            view = Permission.objects.get(codename="view_improvementorder")
            group_permission_model(ImprovementOrder).objects.bulk_create(
                group_permission_model(ImprovementOrder)(
                    group=embassy.group, permission=view, content_object=order
                )
                for order in orders
            )
    with connection.cursor() as cursor:
        # As autovacuum leaves a table in use: the visibility map lets restrict()'s
        # grant lookup be an index-only scan (without it: ~1.5x slower right after a fill).
        cursor.execute("VACUUM ANALYZE")
    print(f"filled in {time.perf_counter() - started:.0f} s", flush=True)
    return users


def percentiles(func, repeat: int = REPEAT, before=None) -> tuple[float, float]:
    func()
    samples = []
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, round(len(samples) * 0.95) - 1)]


def queries(func) -> int:
    with CaptureQueriesContext(connection) as context:
        func()
    return len(context)


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_stabench")
    call_command("migrate", verbosity=0)
    users = fill(ROWS)
    print(f"statistics at {ROWS:,} records of each kind, the last 12 months (default period)")
    for name in ("jp-officer", "embassy-viewer"):
        client = Client()
        client.force_login(users[name])

        def page(client=client):
            response = client.get("/notices/statistics/")
            assert response.status_code == 200, response.status_code

        def api(client=client):
            assert client.get("/api/v1/statistics/").status_code == 200

        from portal.kept import KeptUntilChange

        warm = percentiles(page)
        fresh = percentiles(page, before=KeptUntilChange.forget_all)
        cold = percentiles(page, repeat=10, before=lambda: (cache.clear(), KeptUntilChange.forget_all()))
        api_times = percentiles(api, before=KeptUntilChange.forget_all)
        print(f"  {name}:")
        print(
            f"    page, figures kept    p50 {warm[0]:7.1f}  p95 {warm[1]:7.1f} ms  ({queries(page)} queries)"
        )
        print(
            f"    page, counted afresh  p50 {fresh[0]:7.1f}  p95 {fresh[1]:7.1f} ms  (charts cached;"
            f" {queries(lambda: (KeptUntilChange.forget_all(), page()))} queries)"
        )
        print(f"    page, charts drawn    p50 {cold[0]:7.1f}  p95 {cold[1]:7.1f} ms  (10 runs)")
        print(
            f"    API (counted afresh)  p50 {api_times[0]:7.1f}  p95 {api_times[1]:7.1f} ms  ({queries(api)} queries)"
        )


if __name__ == "__main__":
    main()
