"""Publication under faults (issue 15), with real processes: a private Redis, beat and
a Celery worker (both queues) on the test database. The worker's whole process group
is killed with SIGKILL while it publishes, then again while it renders a version's
documents; each time another worker comes back and the work must be done within the
targets (both lists within 90 s of the change, the documents within 3 minutes of a
worker being back), not after Redis re-delivers the lost task two hours later.

The worker is held at the right moment by a wrapper (``LAUNCHER``) that the test alone
starts: it waits inside the publisher or the PDF render while a file exists, so the
kill lands mid-way every time. Sweep intervals are shortened through the environment;
the production defaults are the targets' values (portal/settings.py)."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from portal.publication import publishing
from portal.publication.models import Publication
from portal.publication.reading import published_lists
from portal.testing.processes import (
    BASE_DIR,
    RedisServer,
    celery,
    portal_env,
    run_manage,
    wait_for,
    worker_ready,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

#: Started as ``python -c LAUNCHER <celery arguments>``: a Celery worker whose publisher
#: and PDF render wait while ``HOLD_PUBLISH`` / ``HOLD_RENDER`` exist, after touching
#: ``<file>.reached`` (the pool's processes are forked from this one: they inherit it).
LAUNCHER = """
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
import django
django.setup()
from portal.publication import publishing, rendering

def held(function, variable):
    def wrapper(*args, **kwargs):
        hold = os.environ.get(variable)
        if hold and os.path.exists(hold):
            open(hold + ".reached", "a").close()
            while os.path.exists(hold):
                time.sleep(0.1)
        return function(*args, **kwargs)
    return wrapper

publishing._write_version = held(publishing._write_version, "HOLD_PUBLISH")
rendering.render_pdf = held(rendering.render_pdf, "HOLD_RENDER")
from celery.__main__ import main
sys.argv = ["celery", "-A", "portal", *sys.argv[1:]]
main()
"""

#: FAULTS_PRODUCTION_SWEEPS=1 runs it with the production intervals instead (about
#: two minutes): the figures of docs/benchmarks.md.
SHORT_SWEEPS = (
    {}
    if os.environ.get("FAULTS_PRODUCTION_SWEEPS")
    else {
        "OUTBOX_SWEEP_SECONDS": 2,
        "PUBLICATION_SWEEP_SECONDS": 2,
        "PUBLICATION_OVERDUE_SECONDS": 2,
        "PUBLICATION_DOCUMENTS_SWEEP_SECONDS": 2,
    }
)


@contextmanager
def worker(env: dict, log: Path):
    """A worker in its own process group, so that the test can kill all of it at once."""
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                LAUNCHER,
                "worker",
                "-Q",
                "celery,documents",
                "--concurrency",
                "2",
                "--loglevel",
                "INFO",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            kill_group(process)


def kill_group(process: subprocess.Popen) -> None:
    if process.poll() is None or _group_alive(process.pid):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    wait_for(lambda: not _group_alive(process.pid), timeout=10, what="the worker's processes to end")


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def change(env: dict, code: str) -> float:
    """Run a change in a fresh process talking to the private Redis; return when it
    committed (epoch seconds)."""
    result = run_manage(
        "import time\n"
        "from django.contrib.auth import get_user_model\n"
        "from agencies import services\n"
        "from agencies.models import SendingAgency\n"
        "from agencies.testing import certified\n"
        "officer = get_user_model().objects.get(username='tj-officer')\n"
        f"{code}\n"
        "print('COMMITTED', time.time())\n",
        env,
    )
    assert result.returncode == 0, result.stderr.decode()
    return float(result.stdout.decode().split("COMMITTED")[1].split()[0])


def _sections(side: str) -> tuple[str, str]:
    html = Client().get(f"/public/agencies/{side}/?lang=en").content.decode()
    if 'id="withdrawn-heading"' not in html:
        return "", ""
    return tuple(html.split('id="withdrawn-heading"'))


def test_a_worker_killed_mid_publication_and_mid_render_delays_nothing_for_long(cast, tmp_path):
    published_lists.clear()
    redis = RedisServer()
    redis.start()
    hold_publish, hold_render = tmp_path / "hold-publish", tmp_path / "hold-render"
    env = portal_env(
        REDIS_URL=redis.url,
        HOLD_PUBLISH=hold_publish,
        HOLD_RENDER=hold_render,
        **SHORT_SWEEPS,
    )
    try:
        with celery("beat", "-s", str(tmp_path / "beat-schedule"), env=env, log=tmp_path / "beat.log"):
            # 1. Killed while publishing the revocation (both sides' tasks in hand).
            first = tmp_path / "worker-1.log"
            with worker(env, first) as process:
                wait_for(lambda: worker_ready(first), timeout=60, what="the first worker")
                change(env, "certified(officer, number='FAULT-0001')")
                for side in ("japan", "tajikistan"):
                    wait_for(lambda side=side: "FAULT-0001" in _sections(side)[0], timeout=60, what=side)
                wait_for(
                    lambda: not Publication.objects.filter(publishing.DOCUMENTS_MISSING).exists(),
                    timeout=120,
                    what="the first versions' documents",
                )
                hold_publish.touch()
                revoked_at = change(
                    env,
                    "services.revoke(SendingAgency.objects.get(certification_number='FAULT-0001'),"
                    " officer, reason='Held passports', public_reason='improper_conduct')",
                )
                wait_for(
                    lambda: Path(f"{hold_publish}.reached").exists(), timeout=30, what="a publish in hand"
                )
                kill_group(process)
            hold_publish.unlink()

            # 2. The next worker is held in the PDF render of the new versions, and killed.
            hold_render.touch()
            second = tmp_path / "worker-2.log"
            with worker(env, second) as process:
                for side in ("japan", "tajikistan"):
                    wait_for(
                        lambda side=side: "FAULT-0001" in _sections(side)[1],
                        timeout=90 - (time.time() - revoked_at),
                        what=f"{side} revoked section within 90 s of the change",
                    )
                lists_seconds = time.time() - revoked_at
                wait_for(lambda: Path(f"{hold_render}.reached").exists(), timeout=60, what="a render in hand")
                kill_group(process)
            hold_render.unlink()
            assert Publication.objects.filter(publishing.DOCUMENTS_MISSING).exists()

            third = tmp_path / "worker-3.log"
            with worker(env, third):
                wait_for(lambda: worker_ready(third), timeout=60, what="the third worker")
                back_at = time.time()
                wait_for(
                    lambda: not Publication.objects.filter(publishing.DOCUMENTS_MISSING).exists(),
                    timeout=180,
                    what="every version's documents within 3 minutes of a worker being back",
                )
                documents_seconds = time.time() - back_at
            # The killed render's CSV and HTML are named by no version: the sweep takes
            # them (here with no age threshold) and leaves every file a version names.
            referenced = publishing.referenced_files()
            assert publishing.remove_orphan_files(older_than_minutes=0) >= 2
            assert all((Path(settings.MEDIA_ROOT) / name).exists() for name in referenced)
    finally:
        redis.stop()
    print(f"\nrevocation -> both public lists, across a killed worker: {lists_seconds:.1f} s")
    print(f"worker back -> the killed render's documents: {documents_seconds:.1f} s")
    assert "Traceback" not in (tmp_path / "worker-3.log").read_text()
