"""Officer pages with the menu's work count kept until the next audited change
(``portal.kept``) against counted on every page, on the demo data.

Usage (PostgreSQL, a database with the demo seeded):

    createdb -h 127.0.0.1 -U postgres portal_demo
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_demo .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_demo .venv/bin/python manage.py seed_demo
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_demo .venv/bin/python bench/officer_pages.py

Prints p50/p95 in milliseconds over BENCH_REPEAT requests (in-process test client) of
home, a list and three detail pages, for Japan's contact point and a Tajik officer.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from agencies.models import Investigation  # noqa: E402
from notices.models import ImprovementOrder, Inquiry  # noqa: E402
from portal import hooks  # noqa: E402
from portal.models import User  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "60"))


def measure(client, url, before=None) -> tuple[float, float]:
    for _ in range(5):
        client.get(url)
    times = []
    for _ in range(REPEAT):
        if before:
            before()
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return statistics.median(times), times[int(0.95 * len(times)) - 1]


def main() -> None:
    urls = [
        "/",
        "/notices/orders/",
        ImprovementOrder.objects.order_by("pk").first().get_absolute_url(),
        Inquiry.objects.order_by("pk").first().get_absolute_url(),
        Investigation.objects.order_by("pk").first().get_absolute_url(),
    ]
    for name in ("jp-contact", "tj-officer"):
        client = Client()
        client.force_login(User.objects.get(username=name))
        for url in urls:
            counted = measure(client, url, before=hooks.forget_work_counts)
            kept = measure(client, url)
            print(
                f"{name:11} {url:30} counted each page p50 {counted[0]:6.1f} p95 {counted[1]:6.1f} ms"
                f" | kept p50 {kept[0]:6.1f} p95 {kept[1]:6.1f} ms"
            )


if __name__ == "__main__":
    main()
