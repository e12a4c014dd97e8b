"""Which real services this run can reach. A test that needs a missing one is skipped
with the reason; with PORTAL_REQUIRE_SERVICES=1 (set by .ci/run) it fails instead, so
CI never silently falls back to SQLite or eager Celery."""

from __future__ import annotations

import functools
import os
import shutil

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def required() -> bool:
    return os.environ.get("PORTAL_REQUIRE_SERVICES", "") in {"1", "true", "yes"}


@functools.cache
def postgres_reason() -> str | None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://…"
    return None


@functools.cache
def redis_reason() -> str | None:
    if not settings.REDIS_URL:
        return "needs Redis: set REDIS_URL=redis://…"
    try:
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"Redis at {settings.REDIS_URL} is not reachable: {exc}"
    return None


@functools.cache
def redis_server_reason() -> str | None:
    if shutil.which("redis-server") is None:
        return "needs the redis-server binary to run a private Redis"
    return None


@functools.cache
def browser_reason() -> str | None:
    if not os.path.exists(CHROMIUM):
        return f"needs Debian's chromium at {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "needs the playwright Python package"
    return None


MARKER_CHECKS = {
    "postgres": [postgres_reason],
    "redis": [redis_reason],
    "integration": [postgres_reason, redis_reason, redis_server_reason],
    "browser": [browser_reason],
}


def skip_or_fail(item) -> None:
    for marker, checks in MARKER_CHECKS.items():
        if item.get_closest_marker(marker) is None:
            continue
        for check in checks:
            reason = check()
            if reason:
                if required():
                    pytest.fail(f"PORTAL_REQUIRE_SERVICES is set but {reason}", pytrace=False)
                pytest.skip(reason)
