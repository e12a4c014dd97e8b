"""Importing the register of registered support organizations (issue 12): preview and
apply of a 12,000-row register (target < 10 s) and of a 100,000-row one (target < 60 s,
< 500 MB), and the comparison of two 100,000-row imports (target < 10 s).

Usage (PostgreSQL; the database is migrated here and its register emptied each run):

    createdb -h 127.0.0.1 -U postgres portal_rbench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_rbench .venv/bin/python bench/register_import.py

The workbooks are written once into BENCH_DIR (default /tmp/register-bench) with
``notices.register.testing`` (the ISA's layout, full-width digits, mixed date styles; 1%
damaged rows in the 12,000-row one); the second 100,000-row register changes ~1% of the organizations (a name,
an address, a language), drops ~0.5% and adds ~0.5%.

Each scenario runs in a fresh process, so that its peak RSS (ru_maxrss: the reader's Rust
memory included) is its own, and prints, in seconds: ``preview`` (read, compare, keep the
draft and its workbook), of which ``read`` and ``compare``; ``apply`` (lock, re-read the
stored workbook, compare again, write, share), of which ``write``; and the peak RSS.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

DIRECTORY = Path(os.environ.get("BENCH_DIR", "/tmp/register-bench"))
ENGINE = os.environ.get("BENCH_ENGINE") or None


def _setup() -> None:
    import django

    django.setup()


def _write(path: Path, rows, *, damaged: bool = True) -> Path:
    from notices.register.testing import write_register

    DIRECTORY.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    damage = range(7, len(rows), 100) if damaged else ()
    write_register(partial, rows, date_style="mixed", fullwidth=True, damaged=damage)
    partial.rename(path)
    return path


def workbooks() -> dict[str, Path]:
    """The three registers, written once: 12,000 rows, 100,000 rows, and the next
    edition of the 100,000."""
    from notices.register.testing import sample_rows

    paths = {
        "12k": DIRECTORY / "import-12000.xlsx",
        "100k": DIRECTORY / "import-100000.xlsx",
        "100k-next": DIRECTORY / "import-100000-next.xlsx",
    }
    if not paths["12k"].exists():
        _write(paths["12k"], sample_rows(12000, seed=12))
    if not paths["100k"].exists() or not paths["100k-next"].exists():
        rows = sample_rows(100500, seed=100)
        first, extra = rows[:100000], rows[100000:]
        # Undamaged: damage by row position would fall on other organizations in the
        # next edition and count as removals and additions that are not.
        _write(paths["100k"], first, damaged=False)
        rng = random.Random(7)
        removed = set(rng.sample(range(len(first)), 500))
        changed = set(rng.sample(sorted(set(range(len(first))) - removed), 1000))
        following = []
        for index, row in enumerate(first):
            if index in removed:
                continue
            if index in changed:
                row = dict(row)
                kind = index % 3
                if kind == 0:
                    row["name"] = row["name"] + "新"
                elif kind == 1:
                    row["address"] = row["address"] + "2階"
                else:
                    row["remarks"] = "変更あり"
            following.append(row)
        _write(paths["100k-next"], following + extra, damaged=False)
    return paths


def scenario(name: str, path: str, fresh: bool) -> dict:
    """One measurement, in this (fresh) process."""
    _setup()
    from django.core.files import File

    from notices.models import RegisterImport, SupportOrganization
    from notices.register import services
    from portal.demo import create_demo_users

    officer = create_demo_users()["jp-officer"]
    if fresh:
        SupportOrganization.objects.all().delete()
        RegisterImport.objects.update(base=None)
        RegisterImport.objects.all().delete()
    timings = {"read": 0.0, "compare": 0.0, "write": 0.0}

    def timed(label, func):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                timings[label] += time.perf_counter() - started

        return wrapper

    services.read = timed("read", services.read)
    services.compare = timed("compare", services.compare)
    services._write = timed("write", services._write)

    before = SupportOrganization.objects.count()
    started = time.perf_counter()
    with open(path, "rb") as handle:
        draft = services.preview_import(officer, File(handle, name=Path(path).name), engine=ENGINE)
    preview = time.perf_counter() - started
    preview_parts = dict(timings)
    for label in timings:
        timings[label] = 0.0
    started = time.perf_counter()
    services.apply_import(officer, draft, engine=ENGINE)
    apply = time.perf_counter() - started
    return {
        "scenario": name,
        "organizations before": before,
        "rows read": draft.rows_read,
        "counts": draft.counts,
        "preview s": round(preview, 2),
        "preview read s": round(preview_parts["read"], 2),
        "preview compare s": round(preview_parts["compare"], 2),
        "apply s": round(apply, 2),
        "apply read s": round(timings["read"], 2),
        "apply compare s": round(timings["compare"], 2),
        "apply write s": round(timings["write"], 2),
        "peak RSS MB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def run(name: str, path: Path, fresh: bool) -> dict:
    command = [sys.executable, __file__, "--scenario", name, str(path), "fresh" if fresh else "next"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(result.returncode)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    _setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    paths = workbooks()
    results = [
        run("apply 12,000 (first import)", paths["12k"], fresh=True),
        run("apply 100,000 (first import)", paths["100k"], fresh=True),
        run("compare and apply the next 100,000", paths["100k-next"], fresh=False),
    ]
    for result in results:
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--scenario":
        print(json.dumps(scenario(sys.argv[2], sys.argv[3], sys.argv[4] == "fresh"), ensure_ascii=False))
    else:
        main()
