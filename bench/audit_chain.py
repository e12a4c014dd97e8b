"""The cost of the tamper-evident audit (issue 4), on PostgreSQL:

1. the latency a chained audit entry adds to a request's transaction: advisory lock,
   head and sequence read, hash, insert — against the plain insert it replaced, alone
   and with 4 concurrent writers;
2. ``manage.py verify_audit`` over 1,000,000 entries: wall time and the verifier's
   peak RSS, also at 100,000 entries to show that memory does not grow with the table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_audit \\
    .venv/bin/python bench/audit_chain.py

The database is emptied of audit entries first: use a database of its own.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

BASE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402

from portal import audit, audit_chain, middleware  # noqa: E402
from portal.demo import create_demo_users  # noqa: E402
from portal.models import AuditEntry, Organization  # noqa: E402

WRITES = int(os.environ.get("BENCH_WRITES", "2000"))
ENTRIES = int(os.environ.get("BENCH_ENTRIES", "1000000"))


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def ms(samples) -> str:
    return (
        f"p50 {statistics.median(samples) * 1000:.2f} ms, p95 {percentile(samples, 95) * 1000:.2f} ms, "
        f"max {max(samples) * 1000:.2f} ms"
    )


def empty_audit() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE portal_auditentry, portal_audithead RESTART IDENTITY CASCADE")


def plain_insert(user, obj) -> None:
    """What audit.log did before the chain: one INSERT."""
    ctx = middleware.current()
    AuditEntry.objects.create(
        actor=user,
        actor_username=user.username,
        organization_id=user.organization_id,
        action="record.read",
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj),
        request_id=ctx.request_id,
        ip=ctx.ip,
    )


def timed_writes(write, count: int) -> list[float]:
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        with transaction.atomic():  # a request's transaction, committed
            write()
        samples.append(time.perf_counter() - start)
    return samples


def latency(user, obj) -> None:
    token = middleware.bind(request_id="bench-request-id-0123456789abcdef", ip="192.0.2.1")
    try:
        timed_writes(lambda: plain_insert(user, obj), 200)  # warm up
        plain = timed_writes(lambda: plain_insert(user, obj), WRITES)
        empty_audit()  # unchained rows would break the chain written next
        timed_writes(lambda: audit.log("record.read", actor=user, obj=obj), 200)
        chained = timed_writes(lambda: audit.log("record.read", actor=user, obj=obj), WRITES)
    finally:
        middleware.reset(token)
    print(f"plain INSERT in its own transaction, {WRITES} writes:   {ms(plain)}")
    print(f"chained audit.log in its own transaction:        {ms(chained)}")
    added50 = (statistics.median(chained) - statistics.median(plain)) * 1000
    added95 = (percentile(chained, 95) - percentile(plain, 95)) * 1000
    print(f"added by the chain: p50 {added50:.2f} ms, p95 {added95:.2f} ms (target p95 < 2 ms)")

    # Four writers at once: the advisory lock serializes them, so waits show here.
    per_thread = WRITES // 4
    results: list[list[float]] = []

    def writer():
        try:
            results.append(timed_writes(lambda: audit.log("record.read", actor=user, obj=obj), per_thread))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    concurrent = [sample for chunk in results for sample in chunk]
    print(
        f"4 concurrent writers, {len(concurrent)} chained writes: {ms(concurrent)}; "
        f"{len(concurrent) / elapsed:.0f} entries/s"
    )
    assert audit_chain.verify().ok


def populate(total: int, user, obj, start_id: int = 1, prev_hash: str = audit_chain.GENESIS) -> str:
    """Write chained entries straight through COPY (what years of use would leave)."""
    content_type = ContentType.objects.get_for_model(obj)
    columns = (*audit_chain.FIELDS, "prev_hash", "hash")
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    raw = connection.connection
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY portal_auditentry ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for entry_id in range(start_id, start_id + total):
            values = {
                "id": entry_id,
                "at": at + dt.timedelta(seconds=entry_id * 3),
                "actor_id": user.pk,
                "actor_username": user.username,
                "organization_id": user.organization_id,
                "action": "record.read",
                "content_type_id": content_type.pk,
                "object_id": str(obj.pk),
                "object_repr": str(obj),
                "before": None,
                "after": {"status": "shared", "n": entry_id},
                "request_id": f"{entry_id:032x}",
                "ip": "192.0.2.1",
            }
            digest = audit_chain.entry_hash(prev_hash, values)
            row = [values[name] for name in audit_chain.FIELDS]
            row[audit_chain.FIELDS.index("after")] = json.dumps(values["after"])
            copy.write_row([*row, prev_hash, digest])
            prev_hash = digest
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('portal_auditentry', 'id'), %s)", [start_id + total - 1]
        )
        cursor.execute("ANALYZE portal_auditentry")
    return prev_hash


def run_verifier() -> tuple[float, float, str]:
    """``manage.py verify_audit`` in its own process: seconds and that process's peak
    RSS in MiB (from wait4, so each run is measured on its own)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "verify_audit"],
        cwd=BASE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    stdout = process.stdout.read()
    stderr = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(f"verify_audit failed: {stderr}")
    return elapsed, usage.ru_maxrss / 1024, stdout.strip()


def verification(user, obj) -> None:
    empty_audit()
    small = min(100_000, ENTRIES)
    started = time.perf_counter()
    head = populate(small, user, obj)
    seconds, rss, line = run_verifier()
    print(f"verify_audit over {small:,} entries: {seconds:.1f} s, peak RSS {rss:.0f} MiB — {line}")
    if small < ENTRIES:
        populate(ENTRIES - small, user, obj, start_id=small + 1, prev_hash=head)
        print(f"(populating {ENTRIES:,} entries took {time.perf_counter() - started:.0f} s)")
        seconds, rss, line = run_verifier()
        print(f"verify_audit over {ENTRIES:,} entries: {seconds:.1f} s, peak RSS {rss:.0f} MiB — {line}")
    size = AuditEntry.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('portal_auditentry'))")
        print(f"table: {size:,} rows, {cursor.fetchone()[0]} with indexes")


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own (e.g. portal_bench_audit)")
    call_command("migrate", verbosity=0)
    user = create_demo_users()["jp-contact"]
    obj = Organization.objects.get(code="tj-ms-lpsa")
    empty_audit()
    latency(user, obj)
    verification(user, obj)


if __name__ == "__main__":
    main()
