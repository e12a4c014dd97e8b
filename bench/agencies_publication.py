"""Publication of the certified-agency lists at scale (issue 3's targets).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_agencies \\
    REDIS_URL=redis://127.0.0.1:6379/11 .venv/bin/python bench/agencies_publication.py

With 10,000 agencies and 200 published versions (100 per side), prints:
- the time to publish a new version of both lists (in a worker);
- the PDF of 1,000 agencies (target < 5 s, always in a task);
- p50/p95 from a revocation's commit to both public lists showing it, with a real
  Celery worker and gunicorn serving the pages (target p95 < 2 s);
- the time to render one version's documents (CSV, HTML, PDF and gzip copies);
- throughput and p99 of the public list page and the JSON (conditional, gzip as
  browsers and HTTP libraries ask for it, and uncompressed), as a ratio to a trivial
  Django view on the same gunicorn (targets ≥ 0.8 and p99 < 50 ms), measured with wrk.

The database is filled on the first run (a few minutes) and reused afterwards.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from agencies import services  # noqa: E402
from agencies.choices import AgencyStatus, RevocationReason  # noqa: E402
from agencies.models import AgencyEvent, Sector, SendingAgency  # noqa: E402
from agencies.publication import AGENCY_LIST  # noqa: E402
from portal.demo import create_demo_users  # noqa: E402
from portal.models import Memorandum, Side  # noqa: E402
from portal.publication import publishing, rendering  # noqa: E402
from portal.publication.models import Publication, PublishedContent  # noqa: E402
from portal.publication.reading import Version  # noqa: E402

AGENCIES = int(os.environ.get("BENCH_AGENCIES", "10000"))
VERSIONS_PER_SIDE = int(os.environ.get("BENCH_VERSIONS_PER_SIDE", "100"))
REVOCATIONS = int(os.environ.get("BENCH_REVOCATIONS", "20"))
PORT = int(os.environ.get("BENCH_PORT", "8077"))
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
#: Which measures to take, e.g. BENCH_PHASES=http to repeat only the wrk figures.
PHASES = set(os.environ.get("BENCH_PHASES", "publish,pdf,latency,http").split(","))


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def fill(officer, memorandum) -> None:
    if SendingAgency.objects.count() >= AGENCIES:
        return
    print(f"filling {AGENCIES:,} certified agencies (once)…", flush=True)
    sectors = list(Sector.objects.filter(is_open=True))
    today = timezone.localdate()
    regions = ["Dushanbe", "Sughd", "Khatlon", "RRP", "GBAO"]
    with transaction.atomic():
        agencies = SendingAgency.objects.bulk_create(
            SendingAgency(
                memorandum=memorandum,
                name_tg=f"Ширкати «Бенчмарк» {i}",
                name_ru=f"ООО «Бенчмарк» {i}",
                name_en=f"Benchmark LLC {i}",
                name_ja=f"ベンチマーク{i}",
                registration_number=f"REG-B-{i:06d}",
                region=regions[i % len(regions)],
                city="City",
                phone=f"+992 37 {i:06d}",
                status=AgencyStatus.CERTIFIED,
                certification_number=f"BENCH-{i:06d}",
                certified_on=today - dt.timedelta(days=30),
                valid_until=today + dt.timedelta(days=700),
            )
            for i in range(AGENCIES)
        )
        through = SendingAgency.sectors.through
        through.objects.bulk_create(
            through(sendingagency_id=a.pk, sector_id=sectors[i % len(sectors)].pk)
            for i, a in enumerate(agencies)
        )
        AgencyEvent.objects.bulk_create(
            AgencyEvent(
                agency=a,
                from_status=AgencyStatus.UNDER_SCREENING,
                to_status=AgencyStatus.CERTIFIED,
                effective_on=a.certified_on,
                actor=officer,
                certification_number=a.certification_number,
            )
            for a in agencies
        )


def fill_versions(memorandum) -> None:
    if Publication.objects.count() >= 2 * VERSIONS_PER_SIDE:
        return
    print(f"publishing, then writing {VERSIONS_PER_SIDE} historical versions per side (once)…", flush=True)
    Publication.objects.all().delete()
    publishing.publish_lists(AGENCY_LIST, memorandum)
    # Earlier versions as copies of the first, made by PostgreSQL itself (no 5 MB
    # snapshots through Python); each gets its own version number and content hash.
    table = Publication._meta.db_table
    columns = [
        f.column
        for f in Publication._meta.concrete_fields
        if f.column not in ("id", "version", "content_hash", "diff")
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (version, content_hash, diff, {', '.join(columns)}) "  # noqa: S608 - model names
            f"SELECT g.v + 1, md5(p.content_hash || g.v::text) || md5(g.v::text || p.content_hash), '{{}}'::jsonb, "
            f"{', '.join('p.' + c for c in columns)} "
            f"FROM {table} p CROSS JOIN generate_series(1, %s) AS g(v)",
            [VERSIONS_PER_SIDE - 1],
        )
        # The real first version becomes the newest, so the next publication follows it.
        cursor.execute(f"UPDATE {table} SET version = %s WHERE version = 1", [VERSIONS_PER_SIDE + 1])  # noqa: S608
        cursor.execute("ANALYZE")


def time_publication(memorandum, *, advanced: bool = False) -> float:
    """Both sides' new versions after one agency's phone changed: built whole (the
    periodic sweep, or a cold worker) or, naming the agency, advanced from the previous."""
    agency = SendingAgency.objects.filter(status=AgencyStatus.CERTIFIED).order_by("?").first()
    with transaction.atomic():
        SendingAgency.objects.filter(pk=agency.pk).update(phone=f"+992 {time.time_ns() % 10**9}")
    start = time.perf_counter()
    created = publishing.publish_lists(AGENCY_LIST, memorandum, item_ids=[agency.pk] if advanced else None)
    elapsed = time.perf_counter() - start
    assert len(created) == 2
    return elapsed


def time_pdf_1000() -> tuple[float, float]:
    """The PDF of 1,000 agencies as published (PDF/A-2a with PDF/UA-1: tagged), and
    the same document untagged (plain PDF 1.7, as before the component): what the
    tagging costs."""
    from weasyprint import HTML

    latest = Publication.objects.filter(list_name="agencies", side__code="japan").latest()
    sample = Publication(
        list_name="agencies",
        side=latest.side,
        version=latest.version,
        published_at=latest.published_at,
        content_hash=latest.content_hash,
    )
    snapshot = {**latest.snapshot, "agencies": latest.snapshot["agencies"][:1000]}
    version = Version(AGENCY_LIST, sample, snapshot)
    start = time.perf_counter()
    pdf = rendering.render_pdf(AGENCY_LIST, version)
    tagged = time.perf_counter() - start
    html = rendering.render_document(AGENCY_LIST, version, AGENCY_LIST.templates.pdf)
    start = time.perf_counter()
    plain = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    untagged = time.perf_counter() - start
    print(
        f"  (PDF of 1,000 agencies: {len(pdf) / 1024:.0f} KiB tagged, {len(plain) / 1024:.0f} KiB untagged)"
    )
    return tagged, untagged


def get(path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=10) as response:  # noqa: S310 - loopback only
        return response.read().decode()


def revocation_latency(officer) -> list[float]:
    latencies = []
    candidates = list(
        SendingAgency.objects.filter(status=AgencyStatus.CERTIFIED)
        .order_by("?")
        .values_list("pk", flat=True)[:REVOCATIONS]
    )
    label = str(AgencyStatus.REVOKED.label)
    for pk in candidates:
        agency = SendingAgency.objects.get(pk=pk)
        services.revoke(agency, officer, reason="bench", public_reason=RevocationReason.OTHER)
        committed = time.perf_counter()
        pending = {"japan", "tajikistan"}
        while pending:
            for side in list(pending):
                page = get(f"/public/agencies/{side}/agency/{agency.certification_number}/?lang=en")
                if label in page:
                    pending.discard(side)
            if time.perf_counter() - committed > 60:
                raise SystemExit("revocation not visible after 60 s")
            time.sleep(0.05)  # polling harder would take CPU from the publishing workers
        latencies.append(time.perf_counter() - committed)
    return latencies


WRK_LINE = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_P99 = re.compile(r"\s99%\s+([\d.]+)(us|ms|s)")


def wrk(path: str, headers: tuple[str, ...] = (), script: str | None = None, seconds: int = WRK_SECONDS):
    """Requests/s and p99 (ms) over ``seconds``, after a 2 s warm-up run whose figures
    are dropped (each gunicorn worker loads the version it serves once)."""
    if seconds == WRK_SECONDS:
        wrk(path, headers, script, seconds=2)
    command = ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", str(BASE / "bench" / script)]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{PORT}{path}"], capture_output=True, text=True, check=True
    ).stdout
    rate = float(WRK_LINE.search(output).group(1))
    value, unit = WRK_P99.search(output).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return rate, p99


def stop(*processes) -> None:
    """Stop each process and its children (a worker's pool may be mid-PDF)."""
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main() -> None:
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL")
    call_command("migrate", verbosity=0)
    users = create_demo_users()
    officer = users["tj-officer"]
    memorandum = Memorandum.objects.get(partner_country="TJ")
    fill(officer, memorandum)
    fill_versions(memorandum)
    sides = Side.objects.count()
    print(
        f"{SendingAgency.objects.count():,} agencies, {Publication.objects.count()} published versions over {sides} sides"
    )

    if "publish" in PHASES:
        print(f"publish a new version of both lists, built whole: {time_publication(memorandum):.2f} s")
        advanced = [time_publication(memorandum, advanced=True) for _ in range(5)]
        print(f"publish a new version of both lists, advanced: median {statistics.median(advanced):.3f} s")
    if "pdf" in PHASES:
        tagged, untagged = time_pdf_1000()
        print(
            f"PDF of 1,000 agencies: {tagged:.2f} s PDF/A-2a + PDF/UA-1, {untagged:.2f} s untagged (target < 5 s)"
        )

    logs = Path(tempfile.mkdtemp())
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONUNBUFFERED": "1"}

    def spawn(name: str, *args: str, nice: int = 0) -> subprocess.Popen:
        return subprocess.Popen(
            ["nice", "-n", str(nice), sys.executable, "-m", *args],
            cwd=BASE,
            env=env,
            stdout=open(logs / f"{name}.log", "wb"),  # noqa: SIM115 - the child owns it
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so that stop() reaches the pool's children too
        )

    gunicorn = spawn("gunicorn", "gunicorn", "portal.wsgi:application", "-b", f"127.0.0.1:{PORT}", "-w", "4")
    # The outbox on its own worker; the PDFs of 10,000 agencies on the documents queue.
    worker = spawn("worker", "celery", "-A", "portal", "worker", "-Q", "celery", "-c", "2", "-n", "outbox@%h")
    # Niced, as in docker-compose: rendering PDFs must not slow the pages or the outbox.
    documents = spawn(
        "documents",
        "celery",
        "-A",
        "portal",
        "worker",
        "-Q",
        "documents",
        "-c",
        "1",
        "-n",
        "docs@%h",
        nice=19,
    )
    try:
        time.sleep(8)
        get("/bench/trivial")
        if "latency" in PHASES:
            latencies = revocation_latency(officer)
            print(
                f"revocation commit -> both public lists, real worker, {len(latencies)} revocations: "
                f"p50 {statistics.median(latencies):.2f} s, p95 {percentile(latencies, 95):.2f} s, "
                f"max {max(latencies):.2f} s (target p95 < 2 s)"
            )
        if "http" not in PHASES:
            return
        if shutil.which("wrk") is None:
            print("wrk not installed (apt-get install wrk): throughput not measured")
            return
        # Throughput of the web tier alone, as in shared/notes/http-ceilings.md: the
        # documents worker (a backlog of 10,000-agency PDFs by now) is stopped first.
        stop(documents)
        # The newest version's documents (its PDF of 10,000 agencies, and the gzip
        # copies served to clients that accept gzip), rendered here as the worker would.
        current = Publication.objects.filter(list_name="agencies", side__code="japan").latest()
        start = time.perf_counter()
        if publishing.render_documents(current.pk):
            elapsed = time.perf_counter() - start
            print(
                f"documents of a {AGENCIES:,}-agency version (CSV, HTML, PDF, gzip copies): {elapsed:.1f} s"
            )
        # The web tier in a steady state: the dozens of new 6 MB versions vacuumed and
        # analysed now, not by autovacuum during the measures.
        with connection.cursor() as cursor:
            for model in (Publication, PublishedContent):
                cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")
        time.sleep(1)  # the pages' cache notices the documents
        etag = None
        with urllib.request.urlopen(
            f"http://127.0.0.1:{PORT}/public/agencies/japan/current.json", timeout=30
        ) as r:  # noqa: S310
            etag = r.headers["ETag"]
        trivial, trivial_p99 = wrk("/bench/trivial")
        print(f"{'trivial view':38} {trivial:8.0f} req/s  p99 {trivial_p99:6.1f} ms")
        # As a browser asks: its language in Accept-Language (or the cookie the
        # switcher set), gzip accepted; and the first visit through the switcher
        # (?lang=, answered with Set-Cookie). Plain wrk sends neither header.
        gzip = "Accept-Encoding: gzip"
        for name, path, headers, script in [
            ("list page (ja)", "/public/agencies/japan/", ("Accept-Language: ja",), None),
            ("list page (tg)", "/public/agencies/tajikistan/", ("Accept-Language: tg",), None),
            ("list page (ja, gzip)", "/public/agencies/japan/", ("Accept-Language: ja", gzip), None),
            ("list page (?lang=ru, sets the cookie)", "/public/agencies/japan/?lang=ru", (), None),
            ("search, the same query (kept page)", "/public/agencies/japan/?q=BENCH-0001", (), None),
            ("search, a new query each time", "/", (), "unique_searches.lua"),
            (
                "JSON, conditional (304)",
                "/public/agencies/japan/current.json",
                (f"If-None-Match: {etag}",),
                None,
            ),
            ("JSON, full list (200, gzip)", "/public/agencies/japan/current.json", (gzip,), None),
            ("JSON, full list (200, identity)", "/public/agencies/japan/current.json", (), None),
        ]:
            rate, p99 = wrk(path, headers, script)
            print(f"{name:38} {rate:8.0f} req/s  p99 {p99:6.1f} ms  ratio {rate / trivial:.2f}")
    finally:
        stop(worker, documents, gunicorn)


if __name__ == "__main__":
    main()
