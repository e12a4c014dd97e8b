"""Outbox delivery with a real Celery worker: latency from a service's commit to the
inbox item existing, and the drain's throughput.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
    REDIS_URL=redis://127.0.0.1:6379/13 .venv/bin/python bench/outbox_latency.py

Starts its own worker (2 processes) and stops it at the end.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from portal import outbox, services  # noqa: E402
from portal.demo import create_demo_users  # noqa: E402
from portal.models import Notification, Organization, OutboxEntry  # noqa: E402

SENDS = int(os.environ.get("BENCH_SENDS", "200"))
DRAIN = int(os.environ.get("BENCH_DRAIN", "2000"))


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL")
    call_command("migrate", verbosity=0)
    users = create_demo_users()
    sender, recipient = users["tj-contact"], Organization.objects.get(code="jp-isa-rmd")

    # Throughput of the drain itself, in this process: DRAIN pending entries.
    with transaction.atomic():
        OutboxEntry.objects.bulk_create(
            [
                OutboxEntry(topic="notify", payload={"organizations": [], "kind": "correspondence.received"})
                for _ in range(DRAIN)
            ]
        )
    start = time.perf_counter()
    drained = outbox.drain(limit=DRAIN)
    elapsed = time.perf_counter() - start
    print(f"drain: {drained} entries in {elapsed:.2f} s = {drained / elapsed:,.0f} entries/s (one process)")

    log = Path(tempfile.mkdtemp()) / "worker.log"
    with open(log, "wb") as out:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--concurrency",
                "2",
                "--loglevel",
                "WARNING",
            ],
            cwd=BASE,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        time.sleep(6)
        latencies = []
        for i in range(SENDS):
            letter = services.draft_correspondence(
                sender, recipient=recipient, subject=f"bench {i}", body="…"
            )
            services.send_correspondence(letter, sender)  # commits; kicks the worker after commit
            committed = time.perf_counter()
            url = letter.get_absolute_url()
            while not Notification.objects.filter(url=url).exists():
                time.sleep(0.002)
                if time.perf_counter() - committed > 30:
                    sys.exit(f"not delivered after 30 s; see {log}")
            latencies.append((time.perf_counter() - committed) * 1000)
        print(
            f"commit -> inbox item, real worker, {SENDS} sends: p50 {statistics.median(latencies):.1f} ms, "
            f"p95 {percentile(latencies, 95):.1f} ms, max {max(latencies):.1f} ms"
        )
    finally:
        worker.terminate()
        worker.wait(timeout=20)


if __name__ == "__main__":
    main()
