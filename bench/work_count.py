"""The menu's work count (``portal.hooks.work_count``) on every officer page, at scale.

Usage (PostgreSQL; shares bench/restrict_at_scale.py's database and fills it on first run):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/work_count.py

The worst case for the count: BENCH_ROWS letters from Tajikistan, half of them shared
and none acknowledged, so that Japan's contact point has 50,000 things awaiting its
acknowledgement. Prints medians in milliseconds: the count query alone, and a whole
officer page (the inbox) with it, for Japan's contact point (the backlog) and for a
Tajik officer (next to nothing to do).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.restrict_at_scale import ROWS, fill, timed  # noqa: E402
from portal import hooks  # noqa: E402
from portal.demo import create_demo_users  # noqa: E402


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench")
    call_command("migrate", verbosity=0)
    users = create_demo_users()
    fill(users)
    print(f"{ROWS:,} letters from Tajikistan, half shared and unacknowledged (DEBUG={settings.DEBUG})")
    for username in ("jp-contact", "tj-officer"):
        user = users[username]
        user.refresh_from_db()
        client = Client()
        client.force_login(user)
        page = lambda client=client: client.get("/inbox/")  # noqa: E731
        assert page().status_code == 200
        print(f"{username}: the menu shows {hooks.work_count(user)!r}")
        print(f"  work count query           {timed(lambda user=user: hooks.work_count(user)):7.2f} ms")
        print(f"  inbox page, end to end     {timed(page, repeat=20):7.2f} ms")


if __name__ == "__main__":
    main()
