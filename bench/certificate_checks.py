"""Certificate checks at scale (5): 1,000 checks of mixed outcomes against a register of
200,000 pass results, through the service (``exams.checks.services.check_certificate``)
and through the API (``POST /api/v1/certificate-checks/`` by the test client). Target:
p95 < 20 ms a check.

Usage (PostgreSQL; the database is migrated here, its register and checks replaced each
run):

    createdb -h 127.0.0.1 -U postgres portal_cbench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_cbench .venv/bin/python bench/certificate_checks.py

Prints p50/p95/p99 in ms and the queries a check makes. A check is one lookup by the
register's unique index (test, certificate number), the count of the user's checks in
the last hour (index ``check_rate_window``), the check's insert and its audit entry; the
name comparison folds each word once (``exams.names``' cache), so the time does not grow
with the register."""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

RESULTS = int(os.environ.get("BENCH_RESULTS", 200_000))
CHECKS = int(os.environ.get("BENCH_CHECKS", 1_000))
SURNAMES = [
    "Rakhimov",
    "Karimov",
    "Nazarov",
    "Saidov",
    "Rahmonov",
    "Sharipov",
    "Yusupov",
    "Mirzoev",
    "Davlatov",
]
GIVEN = [
    "Farrukh",
    "Davron",
    "Bakhtiyor",
    "Jamshed",
    "Firuz",
    "Umed",
    "Shahrom",
    "Parviz",
    "Sino",
    "Manuchehr",
]
CYRILLIC = {
    "Rakhimov": "Раҳимов", "Karimov": "Каримов", "Nazarov": "Назаров", "Saidov": "Саидов",
    "Rahmonov": "Раҳмонов", "Sharipov": "Шарипов", "Yusupov": "Юсупов", "Mirzoev": "Мирзоев",
    "Davlatov": "Давлатов", "Farrukh": "Фаррух", "Davron": "Даврон", "Bakhtiyor": "Бахтиёр",
    "Jamshed": "Ҷамшед", "Firuz": "Фирӯз", "Umed": "Умед", "Shahrom": "Шаҳром", "Parviz": "Парвиз",
    "Sino": "Сино", "Manuchehr": "Манучеҳр",
}  # fmt: skip


def person(n: int) -> tuple[str, str, dt.date]:
    rng = random.Random(n)
    surname, given = rng.choice(SURNAMES), rng.choice(GIVEN)
    born = dt.date(1985, 1, 1) + dt.timedelta(days=rng.randrange(6000))
    return f"{surname} {given}", f"{CYRILLIC[surname]} {CYRILLIC[given]}", born


def number(n: int) -> str:
    return f"2026A1TJN4{n:06d}"


def fill_register() -> None:
    from exams.checks.testing import an_import
    from exams.models import CertificateCheck, Exam, PassResult
    from exams.names import keys_of

    CertificateCheck.objects.all().delete()
    if (
        PassResult.objects.count() == RESULTS
        and PassResult.objects.filter(certificate_number=number(0)).exists()
    ):
        print(f"register: {RESULTS:,} results already there")
        return
    PassResult.objects.all().delete()
    exam = Exam.objects.get(code="jlpt-n4")
    source = an_import()
    batch = []
    started = time.perf_counter()
    for n in range(RESULTS):
        latin, cyrillic, born = person(n)
        batch.append(
            PassResult(
                exam=exam,
                certificate_number=number(n),
                name_latin=latin,
                name_cyrillic=cyrillic,
                name_keys=keys_of(latin, cyrillic),
                date_of_birth=born,
                test_date=dt.date(2025, 12, 7),
                result="Pass",
                source=source,
            )
        )
        if len(batch) == 10_000:
            PassResult.objects.bulk_create(batch)
            batch = []
    PassResult.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE exams_passresult")
        cursor.execute("ANALYZE exams_certificatecheck")
    print(f"register: {RESULTS:,} results written in {time.perf_counter() - started:.1f} s")


def inputs(seed: int) -> list[dict]:
    """Mixed outcomes: ~60% matches (half entered in Cyrillic, some in the other order),
    ~15% a name that differs, ~10% a date that differs, ~15% not found."""
    rng = random.Random(seed)
    out = []
    for _ in range(CHECKS):
        n = rng.randrange(RESULTS)
        latin, cyrillic, born = person(n)
        roll = rng.random()
        name = cyrillic if rng.random() < 0.5 else " ".join(reversed(latin.split()))
        certificate = number(n)
        if roll < 0.15:
            name = "Unknown Person"
        elif roll < 0.25:
            born = born + dt.timedelta(days=1)
        elif roll < 0.40:
            certificate = number(RESULTS + n)
        out.append({"certificate_number": certificate, "name": name, "date_of_birth": born})
    return out


def percentiles(times: list[float]) -> str:
    ordered = sorted(times)

    def at(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    return f"p50 {at(0.50):.2f} ms, p95 {at(0.95):.2f} ms, p99 {at(0.99):.2f} ms (mean {statistics.mean(times) * 1000:.2f})"


def main() -> None:
    from collections import Counter

    from exams.checks import services
    from exams.models import CertificateCheck, Exam
    from portal.demo import create_demo_users

    call_command("migrate", verbosity=0)
    users = create_demo_users()
    fill_register()
    exam = Exam.objects.get(code="jlpt-n4")
    officer, other = users["tj-officer"], users["jp-officer"]
    limit = CHECKS * 3

    with override_settings(EXAMS_CHECKS_PER_HOUR=limit, DEBUG=True):
        # Warm: the connection, the word cache of the names entered.
        for values in inputs(1)[:50]:
            services.check_certificate(officer, exam=exam, **values)
        times, queries = [], []
        for values in inputs(2):
            reset_queries()
            started = time.perf_counter()
            services.check_certificate(officer, exam=exam, **values)
            times.append(time.perf_counter() - started)
            queries.append(len(connection.queries))
        outcomes = Counter(
            CertificateCheck.objects.filter(user=officer).values_list("outcome", flat=True)[:CHECKS]
        )
        print(
            f"service, {CHECKS} checks: {percentiles(times)}; queries a check: {statistics.mean(queries):.1f} "
            f"(max {max(queries)}); outcomes {dict(outcomes)}"
        )

        client = Client()
        client.force_login(other)
        for values in inputs(3)[:50]:
            client.post("/api/v1/certificate-checks/", _body(values), content_type="application/json")
        times, queries = [], []
        for values in inputs(4):
            reset_queries()
            started = time.perf_counter()
            response = client.post(
                "/api/v1/certificate-checks/", _body(values), content_type="application/json"
            )
            times.append(time.perf_counter() - started)
            queries.append(len(connection.queries))
            assert response.status_code == 201, response.content
        print(
            f"API, {CHECKS} checks: {percentiles(times)}; queries a request: {statistics.mean(queries):.1f} "
            f"(max {max(queries)})"
        )
    print(f"database: {settings.DATABASES['default']['NAME']}")


def _body(values: dict) -> dict:
    return {"exam": "jlpt-n4", **values, "date_of_birth": values["date_of_birth"].isoformat()}


if __name__ == "__main__":
    main()
