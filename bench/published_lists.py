"""The registered-support-organization list at scale (issue 12): publishing a version of
100,000 organizations, and the public search's latency (target p95 < 100 ms).

    createdb -h 127.0.0.1 -U postgres portal_lbench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_lbench REDIS_URL=redis://127.0.0.1:6379/12 \\
        .venv/bin/python bench/published_lists.py

The organizations are written once (``notices.register.testing.sample_rows``, 2% of them
marked removed from the register) and reused. Prints: the first version built whole and
published; a version advanced after one organization changed; then, in this process
through the whole Django stack (the test client: middleware, view, template), the list's
first page as pre-rendered, and searches each asked for the first time (names, numbers,
prefecture, language of support, combined), p50/p95/max over ``BENCH_SEARCHES`` queries,
and the same queries asked again (kept pages).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from notices.models import RegisterImport, SupportOrganization  # noqa: E402
from notices.publishing import SUPPORT_ORGANIZATION_LIST as LIST  # noqa: E402
from notices.register.testing import sample_rows  # noqa: E402
from portal.demo import create_demo_users  # noqa: E402
from portal.models import Memorandum  # noqa: E402
from portal.publication import publishing  # noqa: E402
from portal.publication.models import Publication  # noqa: E402
from portal.publication.reading import published_lists  # noqa: E402
from portal.records import services as kit  # noqa: E402

ORGANIZATIONS = int(os.environ.get("BENCH_ORGANIZATIONS", "100000"))
SEARCHES = int(os.environ.get("BENCH_SEARCHES", "300"))


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def fill(memorandum) -> None:
    if SupportOrganization.objects.filter(memorandum=memorandum).count() == ORGANIZATIONS:
        return
    print(f"writing {ORGANIZATIONS:,} organizations (once)…", flush=True)
    users = create_demo_users()
    SupportOrganization.objects.all().delete()
    Publication.objects.filter(list_name=LIST.name).delete()
    with transaction.atomic():
        first = kit.create_record(RegisterImport, users["jp-officer"], file_sha256="0" * 64)
    rng = random.Random(1)
    batch = []
    for row in sample_rows(ORGANIZATIONS, seed=3):
        removed = rng.random() < 0.02
        batch.append(
            SupportOrganization(
                memorandum=memorandum,
                fingerprint="-",
                first_seen_on=row["registered_on"],
                first_seen_import=first,
                removed_on=row["registered_on"] if removed else None,
                **{key: value for key, value in row.items()},
            )
        )
        if len(batch) == 5000:
            SupportOrganization.objects.bulk_create(batch)
            batch = []
    SupportOrganization.objects.bulk_create(batch)


def main() -> None:
    call_command("migrate", verbosity=0)
    memorandum = Memorandum.objects.get(partner_country="TJ")
    fill(memorandum)
    Publication.objects.filter(list_name=LIST.name).delete()
    start = time.perf_counter()
    first = publishing.publish_lists(LIST, memorandum)
    print(
        f"{ORGANIZATIONS:,} organizations: first version built whole and published in {time.perf_counter() - start:.2f} s"
    )
    changed = SupportOrganization.objects.order_by("?").first()
    SupportOrganization.objects.filter(pk=changed.pk).update(phone="03-0000-0000")
    start = time.perf_counter()
    publishing.publish_lists(LIST, memorandum, item_ids=[changed.pk])
    print(f"next version after one organization changed, advanced: {time.perf_counter() - start:.3f} s")
    assert first

    client = Client()
    base = "/public/support-organizations/tajikistan/"
    published_lists.clear()
    start = time.perf_counter()
    assert client.get(base, {"lang": "tg"}).status_code == 200
    print(
        f"first request of a fresh process (the pre-rendered page: nothing decoded): {(time.perf_counter() - start) * 1000:.0f} ms"
    )
    timings = []
    for _ in range(50):
        start = time.perf_counter()
        client.get(base, {"lang": "tg"})
        timings.append((time.perf_counter() - start) * 1000)
    print(
        f"list page as pre-rendered: p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 95):.1f} ms"
    )

    rows = list(
        SupportOrganization.objects.values_list("name", "registration_number", "prefecture")[
            :: max(1, ORGANIZATIONS // 2000)
        ]
    )
    rng = random.Random(7)
    queries = []
    for index in range(SEARCHES):
        name, number, prefecture = rng.choice(rows)
        kind = index % 5
        if kind == 0:
            start = rng.randrange(max(1, len(name) - 3))
            queries.append({"q": name[start : start + 3]})
        elif kind == 1:
            queries.append({"q": number})
        elif kind == 2:
            queries.append({"prefecture": prefecture, "page": str(rng.randint(1, 5))})
        elif kind == 3:
            queries.append(
                {"language": rng.choice(["ru", "tg", "vi", "en", "zh"]), "page": str(rng.randint(1, 20))}
            )
        else:
            queries.append({"language": "ru", "prefecture": prefecture, "q": name[:2]})
    start = time.perf_counter()
    client.get(base, {"q": "zzz-warm-up"})
    print(
        f"first search of a process (the version decoded, its search index built): {(time.perf_counter() - start) * 1000:.0f} ms"
    )
    for kept in (False, True):
        timings = []
        # The pages kept are the last 256: the repeat asks the last 200 queries again.
        for index, query in enumerate(queries if not kept else queries[-200:]):
            query = {**query, "lang": ["ja", "en", "ru", "tg"][index % 4]}
            start = time.perf_counter()
            response = client.get(base, query)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        label = "asked again (kept pages)" if kept else "each asked for the first time"
        print(
            f"search, {label}: p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 95):.1f} ms, "
            f"max {max(timings):.1f} ms over {len(timings)} (target p95 < 100 ms)"
        )


if __name__ == "__main__":
    main()
