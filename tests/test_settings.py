"""Configuration from the environment: embedded by default, strict in production."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

BASE = str(settings.BASE_DIR)
PRODUCTION = {
    "PORTAL_ENV": "production",
    "SECRET_KEY": "x" * 60 + "-production-secret-for-the-test",
    "ALLOWED_HOSTS": "portal.example.go.jp",
    "DATABASE_URL": "postgres://portal@127.0.0.1:5432/portal",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def manage(*args, **env):
    # Only what the test sets: not the CI's DATABASE_URL, not a browser test's
    # DJANGO_ALLOW_ASYNC_UNSAFE (which check --deploy rightly warns about).
    ignored = {*PRODUCTION, "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}
    clean = {k: v for k, v in os.environ.items() if k not in ignored and not k.endswith("_FILE")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert f"{missing} must be set when PORTAL_ENV=production" in result.stderr


def test_production_passes_check_deploy_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_secret_from_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("f" * 64 + "\n")
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(len(settings.SECRET_KEY))",
        SECRET_KEY_FILE=str(secret),
        **env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "64"


def test_bad_boolean_is_named():
    result = manage("check", DEBUG="perhaps")
    assert result.returncode != 0 and "DEBUG must be a boolean" in result.stderr


def test_embedded_defaults():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG, s.EMAIL_BACKEND)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "False",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_celery_is_configured_not_to_lose_work():
    from portal.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_transport_options["visibility_timeout"] > app.conf.task_time_limit
    assert "outbox-sweep" in app.conf.beat_schedule


@pytest.mark.postgres
def test_postgres_connections_run_without_jit(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
