"""Matching brokers' names across scripts (``brokers.names``), at scale.

Usage (PostgreSQL, a database of its own that the script fills with a throwaway table):

    createdb -h 127.0.0.1 -U postgres portal_bench_brokers
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_brokers .venv/bin/python bench/broker_names.py

Generates BENCH_NAMES (100,000) person and company names, each written in one of Latin
(with its spelling variants), Russian Cyrillic, Tajik Cyrillic and katakana, and prints:
- ``latin_key`` throughput, keys per second, over all of them;
- ``ranked()`` p50/p95 in milliseconds over a table of their keys with a GIN trigram
  index (the shape a broker-name table will have), for queries that are the same names
  written in another script, and the same without the index (50 queries), for comparison;
- how often the top candidate has the query's own key;
- match quality on the pair set (``brokers/tests/data/name_pairs.csv``, written by hand
  from real transliteration rules): how often the expected broker is alone first among
  the ~300 of ``broker_pool.csv``, with ``rank`` in Python and ``ranked()`` in PostgreSQL.
"""

from __future__ import annotations

import csv
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, models  # noqa: E402

from brokers.names import THRESHOLD, latin_key, rank, ranked  # noqa: E402

NAMES = int(os.environ.get("BENCH_NAMES", "100000"))
QUERIES = int(os.environ.get("BENCH_QUERIES", "300"))
TABLE = "bench_broker_name"
PAIR_DATA = Path(__file__).resolve().parents[1] / "brokers" / "tests" / "data"

#: One syllable as Latin spelling variants, Russian, Tajik and katakana write it.
SYLLABLES = [
    (("ra",), "ра", "ра", "ラ"),
    (("khi", "hi", "xi"), "хи", "ҳи", "ヒ"),
    (("mo",), "мо", "мо", "モ"),
    (("ka", "qa"), "ка", "қа", "カ"),
    (("ri",), "ри", "ри", "リ"),
    (("dzhu", "ju", "dju"), "джу", "ҷу", "ジュ"),
    (("gha", "ga"), "га", "ға", "ガ"),
    (("fu",), "фу", "фу", "フ"),
    (("sa",), "са", "са", "サ"),
    (("na",), "на", "на", "ナ"),
    (("to",), "то", "то", "ト"),
    (("ma",), "ма", "ма", "マ"),
    (("bo",), "бо", "бо", "ボ"),
    (("ru",), "ру", "ру", "ル"),
    (("ni",), "ни", "ни", "ニ"),
    (("sha",), "ша", "ша", "シャ"),
    (("zo",), "зо", "зо", "ゾ"),
    (("da",), "да", "да", "ダ"),
    (("ku", "qu"), "ку", "қу", "ク"),
    (("yo",), "ё", "ё", "ヨ"),
    (("khu", "hu"), "ху", "ҳу", "フ"),
    (("se",), "се", "се", "セ"),
]
ENDINGS = [
    (("ov",), "ов", "ов", "オフ"),
    (("ev",), "ев", "ев", "エフ"),
    (("ova",), "ова", "ова", "オヴァ"),
    (("zoda",), "зода", "зода", "ゾダ"),
    (("iy", "i", "y"), "ий", "ӣ", "イ"),
]
COMPANY = [("{} Travel LLC", "ООО «{} Травел»", "ҶДММ «{} Травел»", "{}トラベル株式会社")]


def spell(parts, script: int, rng: random.Random) -> str:
    if script == 0:
        return "".join(rng.choice(part[0]) for part in parts).capitalize()
    return "".join(part[script] for part in parts).capitalize()


def name_parts(rng: random.Random):
    surname = [rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))] + [rng.choice(ENDINGS)]
    given = [rng.choice(SYLLABLES) for _ in range(2)]
    return surname, given, rng.random() < 0.15


def write(parts, script: int, rng: random.Random) -> str:
    surname, given, company = parts
    if company:
        return COMPANY[0][script].format(spell(surname[:-1], script, rng))
    separator = "・" if script == 3 else " "
    words = [spell(surname, script, rng), spell(given, script, rng)]
    if rng.random() < 0.5:
        words.reverse()
    return separator.join(words)


class BenchName(models.Model):
    """The throwaway table, read through the ORM as a broker-name table would be."""

    key = models.TextField()

    class Meta:
        app_label = "brokers"
        managed = False
        db_table = TABLE

    def __str__(self) -> str:
        return self.key


def percentiles(timings: list[float]) -> tuple[float, float]:
    timings = sorted(timings)
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def time_queries(queries: list[str]) -> tuple[tuple[float, float], float]:
    timings, right = [], 0
    for query in queries:
        started = time.perf_counter()
        top = list(ranked(BenchName.objects.all(), "key", query)[:10])
        timings.append((time.perf_counter() - started) * 1000)
        right += bool(top) and top[0].key == latin_key(query)
    return percentiles(timings), right / len(queries)


def read_rows(name: str) -> list[dict[str, str]]:
    with (PAIR_DATA / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def alone_first(ranking: list[tuple[str, float]], expected: str) -> bool:
    """The expected broker first and not tied with the second (a tie is a miss)."""
    return (
        bool(ranking) and ranking[0][0] == expected and (len(ranking) == 1 or ranking[1][1] < ranking[0][1])
    )


def pair_set() -> None:
    """Top-1 on the pair set, in Python and in PostgreSQL over the pool in a table."""
    pairs = read_rows("name_pairs.csv")
    pool = [row["name"] for row in read_rows("broker_pool.csv")]
    candidates = [(name, name) for name in pool]
    in_python = [alone_first(rank(pair["query"], candidates), pair["expected"]) for pair in pairs]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cursor.execute(f"CREATE TABLE {TABLE} (id serial PRIMARY KEY, key text NOT NULL)")
        with cursor.copy(f"COPY {TABLE} (key) FROM STDIN") as copy:
            for name in pool:
                copy.write_row((latin_key(name),))
    names_by_key: dict[str, list[str]] = {}
    for name in pool:
        names_by_key.setdefault(latin_key(name), []).append(name)
    in_sql = []
    for pair in pairs:
        rows = ranked(BenchName.objects.all(), "key", pair["query"])[:2]
        # A key shared by two pool names is a tie between them.
        ranking = [(name, row.similarity) for row in rows for name in names_by_key[row.key]]
        in_sql.append(alone_first(ranking, pair["expected"]))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {TABLE}")
    print(f"pair set: {len(pairs)} pairs, the expected broker alone first among {len(pool)}:")
    print(f"  rank() in Python      {sum(in_python) / len(pairs):.1%} ({sum(in_python)}/{len(pairs)})")
    print(f"  ranked() in PostgreSQL {sum(in_sql) / len(pairs):.1%} ({sum(in_sql)}/{len(pairs)})")
    for pair, right in zip(pairs, in_python, strict=True):
        if not right:
            print(f"  miss: {pair['query']!r} [{pair['rule']}] expected {pair['expected']!r}")


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit(
            "Run against PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_brokers"
        )
    rng = random.Random(11)
    people = [name_parts(rng) for _ in range(NAMES)]
    written = [write(parts, rng.randrange(4), rng) for parts in people]

    latin_key("ラ")  # pykakasi loads its dictionaries once per process; not a per-key cost
    started = time.perf_counter()
    keys = [latin_key(name) for name in written]
    elapsed = time.perf_counter() - started
    print(f"latin_key: {NAMES:,} names in mixed scripts, {NAMES / elapsed:,.0f} keys/s")
    for script, label in enumerate(("Latin", "Russian", "Tajik", "katakana")):
        sample = [write(parts, script, rng) for parts in people[:5000]]
        started = time.perf_counter()
        for name in sample:
            latin_key(name)
        print(f"  {label:<9} only: {len(sample) / (time.perf_counter() - started):,.0f} keys/s")

    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cursor.execute(f"CREATE TABLE {TABLE} (id serial PRIMARY KEY, key text NOT NULL)")
        with cursor.copy(f"COPY {TABLE} (key) FROM STDIN") as copy:
            for key in keys:
                copy.write_row((key,))
        cursor.execute(f"ANALYZE {TABLE}")
    sample = rng.sample(range(NAMES), QUERIES)
    # The stored brokers as an officer would type them: any script, any spelling variant.
    queries = [write(people[i], rng.randrange(4), rng) for i in sample]
    print(f"ranked(): {NAMES:,} stored keys, {QUERIES} queries in mixed scripts, threshold {THRESHOLD}")
    (p50, p95), right = time_queries(queries[:50])  # 50 are enough to show the difference
    print(
        f"  no index, 50 q.   p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   top candidate has the query's key: {right:.1%}"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE INDEX {TABLE}_key_trgm ON {TABLE} USING gin (key gin_trgm_ops)")
        cursor.execute(f"ANALYZE {TABLE}")
    time_queries(queries[:20])  # warm the index's pages
    (p50, p95), right = time_queries(queries)
    print(
        f"  GIN trigram index p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   top candidate has the query's key: {right:.1%}"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {TABLE}")
    pair_set()


if __name__ == "__main__":
    main()
