"""restrict() at 100,000 confidential records: the figures of
shared/notes/guardian-at-scale.md, re-measured on the portal's own code.

Usage (PostgreSQL; the database is created and filled on first run):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/restrict_at_scale.py

Prints medians in milliseconds for: the first 50-row page of restrict(), its count, the
per-row permission check of that page (one prefetch query), and the whole API list
request end to end (authentication, restrict, count, serialization) — for a side's
contact point, and for a third party holding written consents on BENCH_CONSENTS of the
records (its restrict() also checks that each consent is live when it reads, beside the
grant; the grant-only query is timed next to it to show what that check costs).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
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
from django.db.models import Exists, OuterRef  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from portal.demo import create_demo_users  # noqa: E402
from portal.models import (  # noqa: E402
    Correspondence,
    CorrespondenceGroupObjectPermission,
    DisclosureConsent,
    Organization,
)
from portal.querysets import permission_id, permitted_ids, user_group_ids  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
CONSENTS = int(os.environ.get("BENCH_CONSENTS", "1000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))


def timed(func, repeat: int = REPEAT) -> float:
    func()  # warm caches and connections
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def fill(users) -> None:
    if Correspondence.objects.count() >= ROWS:
        return
    print(f"filling {ROWS:,} records (once)…", flush=True)
    japan_cp = Organization.objects.get(code="jp-isa-rmd")
    tajik_cp = Organization.objects.get(code="tj-ms-lpsa")
    memorandum = tajik_cp.side.memorandum
    view = Permission.objects.get(codename="view_correspondence")
    with transaction.atomic():
        Correspondence.objects.all().delete()
        batch = 10_000
        for start in range(0, ROWS, batch):
            rows = [
                Correspondence(
                    memorandum=memorandum,
                    origin=tajik_cp,
                    recipient=japan_cp,
                    subject=f"Letter {i}",
                    body="…",
                    created_by=users["tj-contact"],
                    status="shared" if i % 2 == 0 else "draft",
                )
                for i in range(start, min(start + batch, ROWS))
            ]
            created = Correspondence.objects.bulk_create(rows)
            grants = []
            for letter in created:
                # Tajik contact point: every record; Japan's contact point: the shared
                # half (50,000 grants, as in the notes).
                grants.append(
                    CorrespondenceGroupObjectPermission(
                        group=tajik_cp.group, permission=view, content_object=letter
                    )
                )
                if letter.status == "shared":
                    grants.append(
                        CorrespondenceGroupObjectPermission(
                            group=japan_cp.group, permission=view, content_object=letter
                        )
                    )
            CorrespondenceGroupObjectPermission.objects.bulk_create(grants)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def fill_consents(users) -> None:
    """Written consents of Tajikistan's side to the Embassy on shared records, each with
    its grant, as ``grant_consent`` leaves them; a tenth of them expired."""
    embassy = Organization.objects.get(code="tj-embassy-jp")
    if DisclosureConsent.objects.filter(third_party=embassy).count() >= CONSENTS:
        return
    print(f"adding {CONSENTS:,} consents (once)…", flush=True)
    view = Permission.objects.get(codename="view_correspondence")
    content_type = ContentType.objects.get_for_model(Correspondence)
    tajik = users["tj-contact"]
    now = timezone.now()
    with transaction.atomic():
        letters = list(Correspondence.objects.filter(status="shared").order_by("id")[:CONSENTS])
        DisclosureConsent.objects.bulk_create(
            DisclosureConsent(
                content_type=content_type,
                object_id=letter.pk,
                third_party=embassy,
                document_reference=f"L-{letter.pk}",
                granted_by=tajik,
                side=tajik.organization.side,
                expires_at=now + dt.timedelta(days=-1 if i % 10 == 0 else 30),
            )
            for i, letter in enumerate(letters)
        )
        CorrespondenceGroupObjectPermission.objects.bulk_create(
            CorrespondenceGroupObjectPermission(group=embassy.group, permission=view, content_object=letter)
            for letter in letters
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench")
    call_command("migrate", verbosity=0)
    users = create_demo_users()
    fill(users)
    user = users["jp-contact"]
    user.refresh_from_db()

    qs = Correspondence.objects.restrict(user).order_by("-id")
    page = lambda: list(qs[:50])  # noqa: E731
    count = lambda: qs.count()  # noqa: E731

    def page_with_checks():
        rows = list(qs[:50])
        granted = permitted_ids(user, rows, "view")
        assert len(granted) == len(rows)
        return granted

    client = Client()
    client.force_login(user)
    api = lambda: client.get("/api/v1/correspondence/")  # noqa: E731
    assert api().status_code == 200

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    visible = count()
    print(f"restrict() at {ROWS:,} records, {visible:,} visible to jp-contact through its group (jit={jit})")
    print(f"  first 50-row page          {timed(page):7.2f} ms")
    print(f"  exact count                {timed(count):7.2f} ms")
    print(f"  page + per-row checks      {timed(page_with_checks):7.2f} ms  (2 queries)")
    print(f"  API list request, end to end {timed(api, repeat=20):5.2f} ms  (DEBUG={settings.DEBUG})")

    fill_consents(users)
    third = users["embassy-viewer"]
    third.refresh_from_db()
    qs = Correspondence.objects.restrict(third).order_by("-id")
    grant_only = Correspondence.objects.filter(
        Exists(
            CorrespondenceGroupObjectPermission.objects.filter(
                content_object=OuterRef("pk"),
                group_id__in=user_group_ids(third),
                permission_id=permission_id(Correspondence, "view"),
            )
        )
    ).order_by("-id")
    client.force_login(third)
    print(f"a third party with {CONSENTS:,} consents, {qs.count():,} of them live")
    print(f"  first 50-row page          {timed(lambda: list(qs[:50])):7.2f} ms")
    print(f"  exact count                {timed(qs.count):7.2f} ms")
    print(
        f"  grant-only page / count    {timed(lambda: list(grant_only[:50])):7.2f} / {timed(grant_only.count):.2f} ms"
    )
    print(f"  API list request, end to end {timed(api, repeat=20):5.2f} ms")


if __name__ == "__main__":
    main()
