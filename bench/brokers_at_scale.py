"""Brokers and misconduct reports at scale (issue 11): the officer's report list, the
broker match across scripts, the medians of "promptly" and a broker's page.

Usage (PostgreSQL; the database is created and filled on first run, a few minutes):

    createdb -h 127.0.0.1 -U postgres portal_bbench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bbench .venv/bin/python bench/brokers_at_scale.py

The data: BENCH_REPORTS (100,000) reports and BENCH_BROKERS (20,000) brokers over both
sides and 50 organizations (the 14 seeded ones and 36 more: units of both sides, third
parties), each broker with 1–3 names in mixed scripts (Latin with its spelling variants,
Russian and Tajik Cyrillic, katakana; ``BrokerName.key`` from ``brokers.names.latin_key``),
nine in ten shared (granted to every organization of both sides, as ``share_record``
does), the rest drafts of their organization; the Embassy holds Tajikistan's written
consent on BENCH_CONSENTS reports, a tenth of them expired. One broker is named in
BENCH_HOT reports. Grants are the guardian direct-FK rows restrict() reads.

Prints p50/p95 in milliseconds over BENCH_REPEAT (≥ 30) runs, in-process test client:
(a) an officer's report list — the page ``/brokers/`` when the app has its template,
and ``GET /api/v1/broker-reports/`` — pages 1 and 50 with the queries each costs;
(b) ``brokers.services.match`` over queries in every script; (c) ``services.promptness``
and ``services.reports_naming`` for the much-named broker.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Permission  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.template import TemplateDoesNotExist  # noqa: E402
from django.template.loader import get_template  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.broker_names import name_parts, write  # noqa: E402
from brokers import services  # noqa: E402
from brokers.choices import BrokerKind, ReportStage  # noqa: E402
from brokers.models import (  # noqa: E402
    Broker,
    BrokerName,
    MisconductReport,
    MisconductReportGroupObjectPermission,
)
from brokers.names import latin_key  # noqa: E402
from portal.demo import create_demo_users  # noqa: E402
from portal.models import DisclosureConsent, Organization  # noqa: E402

REPORTS = int(os.environ.get("BENCH_REPORTS", "100000"))
BROKERS = int(os.environ.get("BENCH_BROKERS", "20000"))
CONSENTS = int(os.environ.get("BENCH_CONSENTS", "1000"))
HOT = int(os.environ.get("BENCH_HOT", "1000"))
REPEAT = max(30, int(os.environ.get("BENCH_REPEAT", "30")))
QUERIES = int(os.environ.get("BENCH_QUERIES", "200"))
ORGANIZATIONS = 50
SEED = 11


def percentiles(func, repeat: int = REPEAT) -> tuple[float, float]:
    """p50 and p95 in milliseconds of ``repeat`` calls, after one to warm caches."""
    func()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    return p50_p95(samples)


def p50_p95(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[max(0, round(len(samples) * 0.95) - 1)]


def generated_brokers() -> list[tuple]:
    """The brokers' names as the fill wrote them: (parts, names), the same on every run,
    so that a later run can ask for them in another script."""
    rng = random.Random(SEED)
    brokers = []
    for _ in range(BROKERS):
        parts = name_parts(rng)
        names, seen = [], set()
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            name = write(parts, rng.randrange(4), rng)
            if name.upper() not in seen:
                seen.add(name.upper())
                names.append(name)
        brokers.append((parts, names))
    return brokers


def extra_organizations() -> None:
    """Units of both sides (regional bureaus and offices) and more third parties, up to
    ORGANIZATIONS in all. A unit of a side reads every shared record, as a ministry does."""
    if Organization.objects.count() >= ORGANIZATIONS:
        return
    isa, ms = Organization.objects.get(code="jp-isa"), Organization.objects.get(code="tj-ms")
    missing = ORGANIZATIONS - Organization.objects.count()
    per_side = (missing - 8) // 2
    rows = [
        (f"bench-jp-bureau-{n:02d}", isa, "unit", f"Regional Immigration Services Bureau {n}")
        for n in range(1, per_side + 1)
    ]
    rows += [
        (f"bench-tj-office-{n:02d}", ms, "unit", f"Regional Migration Office {n}")
        for n in range(1, missing - 8 - per_side + 1)
    ]
    rows += [(f"bench-third-{n:02d}", None, "other", f"Third party {n}") for n in range(1, 9)]
    for code, parent, kind, name in rows:
        Organization.objects.get_or_create(
            code=code,
            defaults={
                "name_en": name,
                "kind": kind,
                "side": parent.side if parent else None,
                "parent": parent,
            },
        )


def _grant_sql(
    cursor, table: str, record_table: str, permission: int, where: str, organizations: str
) -> None:
    cursor.execute(
        f"INSERT INTO {table} (permission_id, group_id, content_object_id) "  # noqa: S608 - our own tables
        f"SELECT %s, o.group_id, r.id FROM {record_table} r JOIN portal_organization o ON {organizations} "
        f"WHERE {where}",
        [permission],
    )


def fill(users) -> None:
    if MisconductReport.objects.count() >= REPORTS:
        return
    started = time.perf_counter()
    print(f"filling {BROKERS:,} brokers and {REPORTS:,} reports (once)…", flush=True)
    rng = random.Random(SEED + 1)
    sides = {code: Organization.objects.get(code=code).side for code in ("jp-isa-rmd", "tj-ms-lpsa")}
    writers = {sides["jp-isa-rmd"].pk: users["jp-officer"], sides["tj-ms-lpsa"].pk: users["tj-officer"]}
    origins = list(Organization.objects.of_sides().select_related("side"))
    # Most reports come from the ministries and contact points, the rest from units.
    weights = [8 if not org.code.startswith("bench-") else 1 for org in origins]
    memorandum = origins[0].side.memorandum
    now = timezone.now()
    with transaction.atomic():
        MisconductReport.objects.all().delete()
        BrokerName.objects.all().delete()
        Broker.objects.update(merged_into=None)
        Broker.objects.all().delete()

        brokers = []
        for i, (parts, names) in enumerate(generated_brokers()):
            origin = rng.choices(origins, weights)[0]
            brokers.append(
                Broker(
                    memorandum=memorandum,
                    origin=origin,
                    created_by=writers[origin.side_id],
                    reference=f"{origin.side.country}-BRO-2026-{i + 1:06d}",
                    # The much-named broker (the first) is shared, like nine in ten.
                    status="shared" if i == 0 or rng.random() < 0.9 else "draft",
                    kind=BrokerKind.COMPANY if parts[2] else BrokerKind.PERSON,
                    name=names[0],
                    country=rng.choice(("TJ", "TJ", "JP")),
                )
            )
        brokers = Broker.objects.bulk_create(brokers, batch_size=5000)
        BrokerName.objects.bulk_create(
            (
                BrokerName(broker=broker, name=name, key=latin_key(name))
                for broker, (_parts, names) in zip(brokers, generated_brokers(), strict=True)
                for name in names
            ),
            batch_size=5000,
        )
        shared_brokers = [broker for broker in brokers if broker.status == "shared"]
        hot = shared_brokers[0]
        print(f"  brokers and names: {time.perf_counter() - started:.0f} s", flush=True)

        links = MisconductReport.brokers.through
        batch = 10_000
        for start in range(0, REPORTS, batch):
            rows = []
            for i in range(start, min(start + batch, REPORTS)):
                origin = rng.choices(origins, weights)[0]
                categories = "".join(sorted(rng.sample("abcde", rng.choice((1, 1, 2, 3)))))
                shared = rng.random() < 0.9
                report = MisconductReport(
                    memorandum=memorandum,
                    origin=origin,
                    created_by=writers[origin.side_id],
                    reference=f"{origin.side.country}-BRK-2026-{i + 1:06d}",
                    status="shared" if shared else "draft",
                    categories=categories,
                    narrative="Workers were told to pay before departure; the broker kept their passports.",
                    workers_affected=rng.randint(1, 40),
                    places=rng.choice(("Dushanbe", "Khujand", "Tokyo", "Osaka", "Bokhtar")),
                )
                if "a" in categories:
                    report.held_amount, report.held_currency = Decimal(rng.randint(100, 9000)), "USD"
                    report.held_items = "Passports and money"
                if "b" in categories:
                    report.contract_terms = "A penalty of USD 3,000 for leaving the employer"
                if "c" in categories:
                    report.violence_nature = "Threats against the family"
                if "d" in categories:
                    report.forged_documents, report.forged_procedure = "Diploma", "Skills test"
                if "e" in categories:
                    report.fee_amount, report.fee_currency = Decimal(rng.randint(100, 5000)), "USD"
                if shared:
                    acknowledged = rng.random() < 0.8
                    report.stage = (
                        (ReportStage.CLOSED if rng.random() < 0.3 else ReportStage.FOLLOW_UP)
                        if acknowledged
                        else ReportStage.REPORTED
                    )
                rows.append(report)
            created = MisconductReport.objects.bulk_create(rows)
            named = []
            for report in created:
                first = hot if rng.random() < HOT / REPORTS else rng.choice(shared_brokers)
                named.append(links(misconductreport_id=report.pk, broker_id=first.pk))
                if rng.random() < 0.3:
                    second = rng.choice(shared_brokers)
                    if second.pk != first.pk:
                        named.append(links(misconductreport_id=report.pk, broker_id=second.pk))
            links.objects.bulk_create(named)
        print(f"  reports: {time.perf_counter() - started:.0f} s", flush=True)

        with connection.cursor() as cursor:
            # Creation over the last 18 months; sharing hours to days later; acknowledgement
            # hours to weeks after that, as the fill decided (stage).
            cursor.execute(
                "UPDATE brokers_misconductreport SET "
                "created_at = %s - random() * interval '540 days', updated_at = %s",
                [now, now],
            )
            cursor.execute(
                "UPDATE brokers_misconductreport SET shared_at = created_at + random() * interval '5 days' "
                "WHERE status = 'shared'"
            )
            cursor.execute(
                "UPDATE brokers_misconductreport SET "
                "acknowledged_at = LEAST(shared_at + random() * interval '20 days', %s), "
                "acknowledged_by_id = %s, "
                "closed_at = CASE WHEN stage = 'closed' THEN LEAST(shared_at + interval '60 days', %s) END, "
                "outcome = CASE WHEN stage = 'closed' THEN 'measures_taken' ELSE '' END, "
                "outcome_note = CASE WHEN stage = 'closed' THEN 'The broker was questioned.' ELSE '' END "
                "WHERE stage IN ('follow_up', 'closed')",
                [now, users["jp-contact"].pk, now],
            )
            cursor.execute(
                "UPDATE brokers_broker SET created_at = %s - random() * interval '540 days', "
                "shared_at = CASE WHEN status = 'shared' THEN %s END",
                [now, now],
            )
            # Grants as the kit leaves them: a draft to its organization (view, change), a
            # shared record to every organization of both sides (view).
            for model, table, record_table in (
                (
                    "misconductreport",
                    "brokers_misconductreportgroupobjectpermission",
                    "brokers_misconductreport",
                ),
                ("broker", "brokers_brokergroupobjectpermission", "brokers_broker"),
            ):
                perms = {
                    p.codename.split("_")[0]: p.pk
                    for p in Permission.objects.filter(codename__in=[f"view_{model}", f"change_{model}"])
                }
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our own table
                for action in ("view", "change"):
                    _grant_sql(
                        cursor, table, record_table, perms[action], "r.status = 'draft'", "o.id = r.origin_id"
                    )
                _grant_sql(
                    cursor, table, record_table, perms["view"], "r.status = 'shared'", "o.side_id IS NOT NULL"
                )
        fill_consents(users)
        print(f"  dates and grants: {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  filled in {time.perf_counter() - started:.0f} s", flush=True)


def fill_consents(users) -> None:
    """Tajikistan's written consents to the Embassy on shared Tajik reports, with their
    grants, as ``grant_consent`` leaves them; a tenth expired."""
    embassy = Organization.objects.get(code="tj-embassy-jp")
    tajik = users["tj-contact"]
    content_type = ContentType.objects.get_for_model(MisconductReport)
    view = Permission.objects.get(codename="view_misconductreport")
    now = timezone.now()
    DisclosureConsent.objects.filter(content_type=content_type).delete()
    reports = list(
        MisconductReport.objects.filter(status="shared", origin__side=tajik.organization.side).order_by("id")[
            :CONSENTS
        ]
    )
    DisclosureConsent.objects.bulk_create(
        DisclosureConsent(
            content_type=content_type,
            object_id=report.pk,
            third_party=embassy,
            document_reference=f"L-{report.pk}",
            granted_by=tajik,
            side=tajik.organization.side,
            expires_at=now + dt.timedelta(days=-1 if i % 10 == 0 else 365),
        )
        for i, report in enumerate(reports)
    )
    MisconductReportGroupObjectPermission.objects.bulk_create(
        MisconductReportGroupObjectPermission(group=embassy.group, permission=view, content_object=report)
        for report in reports
    )


class QueryCount:
    """Counts the statements a block sends (an execute wrapper: the request's own
    ``reset_queries`` does not clear it)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


def list_pages(label: str, client: Client, url: str, pages=(1, 50)) -> None:
    """p50/p95 of each page, and the queries each costs."""
    figures = []
    for page in pages:
        address = f"{url}?page={page}"
        client.get(address)  # the process's first request reads caches (content types, permissions)
        with QueryCount() as queries:
            response = client.get(address)
        assert response.status_code == 200, (address, response.status_code)
        p50, p95 = percentiles(lambda address=address: client.get(address))
        figures.append(queries.count)
        print(f"  {label} page {page:>2}  p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  {queries.count} queries")
    if len(set(figures)) > 1:
        print(f"  !! {label}: pages {pages} cost {figures} queries")


def has_page() -> bool:
    try:
        get_template(MisconductReport._meta.app_label + "/report_list.html")
    except TemplateDoesNotExist:
        return False
    return True


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bbench")
    call_command("migrate", verbosity=0)
    users = create_demo_users()
    extra_organizations()
    fill(users)
    for user in users.values():
        user.refresh_from_db()
    officer, third = users["jp-officer"], users["embassy-viewer"]
    visible = MisconductReport.objects.restrict(officer).count()
    print(
        f"{MisconductReport.objects.count():,} reports, {Broker.objects.count():,} brokers, "
        f"{BrokerName.objects.count():,} names, {Organization.objects.count()} organizations; "
        f"jp-officer reads {visible:,} reports (DEBUG={settings.DEBUG}, {REPEAT} runs each)"
    )

    print("(a) an officer's report list, 50 rows a page")
    client = Client()
    client.force_login(officer)
    if has_page():
        list_pages("/brokers/               ", client, "/brokers/")
    else:
        print("  /brokers/ has no template yet: the API list only")
    list_pages("/api/v1/broker-reports/ ", client, "/api/v1/broker-reports/")
    client.force_login(third)
    consented = MisconductReport.objects.restrict(third).count()
    print(f"  the Embassy, {consented:,} reports under live consent:")
    if has_page():
        list_pages("/brokers/               ", client, "/brokers/", pages=(1,))
    list_pages("/api/v1/broker-reports/ ", client, "/api/v1/broker-reports/", pages=(1,))

    print(f"(b) services.match, {QUERIES} queries: the stored brokers written in any script")
    rng = random.Random(SEED + 2)
    generated = generated_brokers()
    ids = list(Broker.objects.order_by("id").values_list("id", flat=True))
    readable = set(Broker.objects.restrict(officer).values_list("id", flat=True))
    picks = [i for i in rng.sample(range(len(generated)), QUERIES * 2) if ids[i] in readable][:QUERIES]
    queries = []
    for n, i in enumerate(picks):
        parts = generated[i][0]
        query = write(parts, n % 4, rng)
        if n % 5 == 4:  # a surname alone, as an officer often types
            query = query.split("・" if n % 4 == 3 else " ")[0]
        queries.append((query, ids[i], parts[2]))
    for query, _expected, _company in queries[:20]:
        services.match(officer, query)  # warm the index's pages
    samples, found, first = [], 0, 0
    for query, expected, _company in queries:
        started = time.perf_counter()
        result = services.match(officer, query)
        samples.append((time.perf_counter() - started) * 1000)
        candidates = [m.broker.pk for m in result]
        found += expected in candidates
        first += bool(candidates) and candidates[0] == expected
    p50, p95 = p50_p95(samples)
    print(f"  jp-officer            p50 {p50:7.2f} ms  p95 {p95:7.2f} ms")
    print(f"  the broker among the candidates {found / len(queries):.1%}, first {first / len(queries):.1%}")
    for script, label in enumerate(("Latin", "Russian", "Tajik", "katakana")):
        per_script = [samples[n] for n in range(len(queries)) if n % 4 == script]
        p50, p95 = p50_p95(per_script)
        print(f"    {label:<9} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms")
    for company, label in ((False, "people"), (True, "companies")):
        part = [samples[n] for n, query in enumerate(queries) if query[2] == company]
        p50, p95 = p50_p95(part)
        print(f"    {label:<9} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  ({len(part)} queries)")

    print("(c) promptness and a broker's reports")
    p50, p95 = percentiles(lambda: services.promptness(officer))
    months = services.promptness(officer)
    print(f"  promptness(jp-officer), {len(months)} month × side rows  p50 {p50:7.2f} ms  p95 {p95:7.2f} ms")
    hot = Broker.objects.order_by("id").first()
    naming = services.reports_naming(officer, hot)
    count = naming.count()
    p50, p95 = percentiles(lambda: naming.count())
    print(f"  reports_naming(jp-officer, {hot.reference}): {count:,} reports")
    print(f"    count                p50 {p50:7.2f} ms  p95 {p95:7.2f} ms")
    p50, p95 = percentiles(lambda: list(naming.order_by("-created_at", "-id")[:50]))
    print(f"    first 50             p50 {p50:7.2f} ms  p95 {p95:7.2f} ms")
    p50, p95 = percentiles(lambda: list(naming.values_list("created_at", "categories")))
    print(f"    all (date, categories) p50 {p50:7.2f} ms  p95 {p95:7.2f} ms")


if __name__ == "__main__":
    main()
