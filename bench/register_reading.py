"""Reading the support-organization register (``notices.register.reading``) at the sizes
issue 12 names: 12,000 rows (the register has ~11,500 today; target < 10 s) and 100,000
rows (target < 60 s and < 500 MB), with each engine — openpyxl (read_only=True,
data_only=True) and python-calamine — so that the default is the faster one, by
measurement.

Usage (no database is touched):

    .venv/bin/python bench/register_reading.py

Writes the workbooks once with ``notices.register.testing`` (Japanese edition, dates as
Excel dates and as era text, full-width digits, empty lines, notes, 1% damaged rows) into
BENCH_DIR (default /tmp/register-bench) and reuses them. Each measurement runs in a
fresh process so that one cannot warm or bloat the next, BENCH_REPEAT times (default 3),
and prints for each size and engine:
- ``read s``: ``read_register`` end to end (bytes, SHA-256, cells, parsing), the median;
- ``cells s``: the engine's bare row iteration over the same sheet (what parsing adds is
  the difference), the median;
- ``peak RSS MB``: the process's peak resident memory while reading (VmHWM, Rust's
  memory included, which tracemalloc cannot see) and ``+MB`` above the same process's
  RSS before reading (Python, Django and both libraries imported);
- ``py peak MB``: tracemalloc's peak of Python allocations, in a separate run (tracing
  slows reading, so its time is not the one reported).
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "12000,100000").split(",")]
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
DIRECTORY = Path(os.environ.get("BENCH_DIR", "/tmp/register-bench"))
ENGINES = ("openpyxl", "calamine")


def _setup() -> None:
    import django

    django.setup()


def _status_mb(field: str) -> float:
    """VmRSS / VmHWM of this process, from /proc: ru_maxrss would not do, as Linux
    carries it over from the parent through fork and exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024  # kB
    raise LookupError(field)


def _reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM back to VmRSS (Linux 4.0+)


def workbook(size: int) -> Path:
    """The ``size``-row register, written once."""
    path = DIRECTORY / f"register-{size}.xlsx"
    if path.exists():
        return path
    from notices.register.testing import sample_rows, write_register

    DIRECTORY.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rows = sample_rows(size, seed=size)
    partial = path.with_suffix(".partial")
    write_register(
        partial,
        rows,
        date_style="mixed",
        fullwidth=True,
        blank_every=500,
        damaged=range(7, size, 100),
    )
    partial.rename(path)
    print(
        f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return path


def measure(path: str, engine: str, mode: str) -> dict:
    """One measurement, in this (fresh) process."""
    _setup()
    import io
    import tracemalloc

    import openpyxl  # noqa: F401  (imported before the baseline, like calamine)
    import python_calamine  # noqa: F401

    from notices.register import reading

    baseline = _status_mb("VmRSS")
    _reset_peak()
    if mode == "trace":
        tracemalloc.start()
    started = time.perf_counter()
    if mode == "cells":
        data = Path(path).read_bytes()
        count = 0
        for _sheet, rows in reading._ENGINES[engine](data):
            for _row in rows:
                count += 1
        result = {"rows": count}
    else:
        result_reading = reading.read_register(io.BytesIO(Path(path).read_bytes()), engine=engine)
        result = {"rows": len(result_reading.rows), "errors": len(result_reading.errors)}
    result["seconds"] = time.perf_counter() - started
    if mode == "trace":
        result["py_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    result["peak_rss_mb"] = _status_mb("VmHWM")
    result["baseline_rss_mb"] = baseline
    return result


def run(path: Path, engine: str, mode: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--measure", str(path), engine, mode],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    _setup()
    paths = {size: workbook(size) for size in SIZES}
    print(
        f"{'rows':>8} {'engine':>9} {'read s':>7} {'cells s':>8} {'peak RSS MB':>12} {'+MB':>6} "
        f"{'py peak MB':>11} {'read':>7} {'errors':>6}"
    )
    for size, path in paths.items():
        for engine in ENGINES:
            reads = [run(path, engine, "read") for _ in range(REPEAT)]
            cells = [run(path, engine, "cells") for _ in range(REPEAT)]
            traced = run(path, engine, "trace")
            worst = max(reads, key=lambda result: result["peak_rss_mb"])
            print(
                f"{size:>8} {engine:>9} {statistics.median(r['seconds'] for r in reads):>7.2f} "
                f"{statistics.median(r['seconds'] for r in cells):>8.2f} {worst['peak_rss_mb']:>12.0f} "
                f"{worst['peak_rss_mb'] - worst['baseline_rss_mb']:>6.0f} {traced['py_peak_mb']:>11.0f} "
                f"{reads[0]['rows']:>7} {reads[0]['errors']:>6}",
                flush=True,
            )


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--measure":
        print(json.dumps(measure(sys.argv[2], sys.argv[3], sys.argv[4])))
    else:
        main()
