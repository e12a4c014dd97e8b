"""A quiet, honest start (issue 10, item 11): ``make run`` gives e-mail links the
address it serves unless ``PORTAL_BASE_URL`` says otherwise, creates the static folder
WhiteNoise would warn about, and ``seed_demo`` says what it made in a few lines."""

import logging
import os
import shlex
import shutil
import subprocess
import sys
import warnings
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
#: Stands in for the venv's python in each of the recipe's commands: prints what it got.
ECHO = shlex.join([sys.executable, "-c", "import os; print(os.environ['PORTAL_BASE_URL'])"])


def _make_run(*args: str, **env: str) -> list[str]:
    if shutil.which("make") is None:
        pytest.skip("needs make")
    environment = {key: value for key, value in os.environ.items() if key != "PORTAL_BASE_URL"} | env
    result = subprocess.run(
        [
            "make",
            "-s",
            "-o",
            ".venv/.installed",
            "run",
            f"PY={ECHO}",
            f"STATIC_ROOT={ROOT / 'staticfiles'}",
            *args,
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def test_make_run_links_e_mails_to_the_address_it_serves():
    # migrate, seed and runserver each see it
    assert _make_run("HOST=192.0.2.7", "PORT=8765") == ["http://192.0.2.7:8765"] * 3
    assert _make_run() == ["http://127.0.0.1:8000"] * 3


def test_portal_base_url_wins_over_host_and_port():
    assert (
        _make_run("PORT=8765", PORTAL_BASE_URL="https://portal.example.go.jp")
        == ["https://portal.example.go.jp"] * 3
    )


def test_whitenoise_finds_the_static_folder_make_run_creates(settings, tmp_path):
    settings.STATIC_ROOT = str(tmp_path / "staticfiles")
    os.makedirs(settings.STATIC_ROOT)  # what `make run` does
    from whitenoise.middleware import WhiteNoiseMiddleware

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        WhiteNoiseMiddleware(lambda request: None)


def test_the_pdf_libraries_log_only_what_matters():
    assert logging.getLogger("weasyprint.progress").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("fontTools.subset").getEffectiveLevel() == logging.ERROR
    assert settings.LOGGING["loggers"]["weasyprint"]["level"] == "WARNING"


@pytest.mark.django_db
def test_seed_demo_says_what_it_made_in_a_few_lines(capsys, caplog):
    from portal.testing.fixtures import ensure_reference_data

    ensure_reference_data()
    out = StringIO()
    with caplog.at_level(logging.INFO):
        call_command("seed_demo", stdout=out)
    lines = out.getvalue().splitlines()
    assert 1 <= len(lines) <= 3 and lines[0].startswith("Demo accounts")
    assert capsys.readouterr().out == ""  # no e-mail printed by the console backend
    noisy = [r for r in caplog.records if r.name.startswith(("celery.app.trace", "weasyprint", "fontTools"))]
    assert noisy == []
