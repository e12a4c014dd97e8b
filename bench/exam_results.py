"""Importing pass results (clause 5, ``exams.results.services``): a 200,000-row CSV file
(target < 30 s on the 2-core machine), first into an empty register, then the same file
again (everything unchanged: nothing written).

Usage (PostgreSQL; the database is migrated here and its pass results emptied each run):

    createdb -h 127.0.0.1 -U postgres portal_h3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_h3 .venv/bin/python bench/exam_results.py

BENCH_ROWS (default 200000) sets the size. The file is written once into BENCH_DIR
(default /tmp/exam-results-bench): names drawn from a few hundred Tajik surnames and
given names in Latin and Cyrillic (as a test body's file repeats them), four tests, 0.5%
of the lines refused (a bad date, an unknown test). The import runs as the services run
it (``upload`` keeps the file, ``run_import`` reads, checks, compares and writes in
chunks); printed for each run: total seconds, rows/s, the counts, and the process's peak
RSS (ru_maxrss) with its growth over the run before it.
"""

from __future__ import annotations

import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

ROWS = int(os.environ.get("BENCH_ROWS", "200000"))
DIRECTORY = Path(os.environ.get("BENCH_DIR", "/tmp/exam-results-bench"))

SURNAMES = [
    ("Rakhimov", "Раҳимов"),
    ("Karimov", "Каримов"),
    ("Nazarov", "Назаров"),
    ("Sharipov", "Шарипов"),
    ("Saidov", "Саидов"),
    ("Davlatov", "Давлатов"),
    ("Qodirov", "Қодиров"),
    ("Boboev", "Бобоев"),
    ("Rahmonov", "Раҳмонов"),
    ("Safarov", "Сафаров"),
    ("Yusupov", "Юсупов"),
    ("Mirzoev", "Мирзоев"),
    ("Kholov", "Холов"),
    ("Odinaev", "Одинаев"),
    ("Azizov", "Азизов"),
    ("Jurayev", "Ҷӯраев"),
]
GIVEN = [
    ("Farrukh", "Фаррух"),
    ("Jamshed", "Ҷамшед"),
    ("Umed", "Умед"),
    ("Firuz", "Фирӯз"),
    ("Behruz", "Беҳрӯз"),
    ("Dilshod", "Дилшод"),
    ("Sherzod", "Шерзод"),
    ("Bakhtiyor", "Бахтиёр"),
    ("Mehrubon", "Меҳрубон"),
    ("Parviz", "Парвиз"),
    ("Rustam", "Рустам"),
    ("Suhrob", "Суҳроб"),
    ("Zarina", "Зарина"),
    ("Madina", "Мадина"),
    ("Nigina", "Нигина"),
    ("Shahnoza", "Шаҳноза"),
]
TESTS = ["jft-basic", "jlpt-n4", "jlpt-n3", "skills-%s"]


def _setup() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def write_file(path: Path, rows: int) -> Path:
    from exams.models import Exam

    if path.exists():
        return path
    skills = Exam.objects.filter(kind="skills").values_list("code", flat=True).first()
    tests = [code if "%" not in code else skills for code in TESTS]
    rng = random.Random(5)
    DIRECTORY.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8", newline="") as out:
        out.write("certificate_number,name_latin,name_cyrillic,date_of_birth,test,test_date,result\r\n")
        for n in range(rows):
            (surname, surname_cy), (given, given_cy) = rng.choice(SURNAMES), rng.choice(GIVEN)
            test = tests[n % len(tests)]
            number = f"BX{n:010d}"
            born = f"{rng.randint(1975, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            sat = f"{rng.randint(12, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(2021, 2025)}"
            if n % 200 == 17:
                born = "1999-02-30"  # refused: no such day
            elif n % 200 == 91:
                test = "no-such-test"  # refused: unknown test
            latin = f"{surname} {given}"
            cyrillic = f"{surname_cy} {given_cy}" if n % 3 else ""
            out.write(f"{number},{latin},{cyrillic},{born},{test},{sat},pass\r\n")
    partial.rename(path)
    return path


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(path: Path, user, label: str) -> None:
    from django.core.files import File

    from exams.models import ResultImport
    from exams.results import services

    before = _rss_mb()
    start = time.perf_counter()
    with path.open("rb") as handle:
        record = services.upload(user, File(handle, name=path.name), enqueue=False)
    uploaded = time.perf_counter()
    services.run_import(record.pk)
    total = time.perf_counter() - start
    record = ResultImport.objects.get(pk=record.pk)
    print(
        f"{label:10} total {total:6.2f} s (upload {uploaded - start:.2f} s) · {record.rows / total:9,.0f} rows/s · "
        f"rows {record.rows:,} added {record.added:,} changed {record.changed:,} "
        f"unchanged {record.unchanged:,} refused {record.refused:,} · status {record.status} · "
        f"peak RSS {_rss_mb():.0f} MB (+{_rss_mb() - before:.0f} MB)"
    )


def main() -> None:
    _setup()
    from exams.models import PassResult, ResultImport
    from exams.results import services
    from portal.demo import create_demo_users
    from portal.testing.fixtures import ensure_reference_data

    ensure_reference_data()
    user = create_demo_users()["jp-officer"]
    path = write_file(DIRECTORY / f"results-{ROWS}.csv", ROWS)
    PassResult.objects.all().delete()
    ResultImport.objects.all().delete()
    print(f"{ROWS:,} rows, {path.stat().st_size / 1e6:.1f} MB · chunks of {services.CHUNK:,}")
    run(path, user, "first")
    run(path, user, "re-import")


if __name__ == "__main__":
    main()
