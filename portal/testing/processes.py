"""Real processes for integration tests: a private Redis server, Celery workers and
beat pointed at the test database. Each is stopped when the test ends."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_url() -> str:
    """The URL of the database this test runs on (pytest-django's test_… database)."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


class RedisServer:
    """A throw-away redis-server on its own port that a test may stop and restart."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.ping, timeout=10, what=f"redis-server on port {self.port}")

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except Exception:  # noqa: BLE001
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def portal_env(**overrides) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": test_database_url(), "PYTHONUNBUFFERED": "1"}
    env.update({key: str(value) for key, value in overrides.items()})
    return env


@contextmanager
def celery(*args: str, env: dict[str, str], log: Path):
    """Run ``celery -A portal <args>`` until the block ends."""
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", *args],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def worker_ready(log: Path) -> bool:
    return log.exists() and b" ready." in log.read_bytes()


def run_manage(code: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    """Run Python code in a fresh Django process (``manage.py shell -c``)."""
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


@contextmanager
def frozen(server: RedisServer, thaw_after: float = 60.0):
    """SIGSTOP ``server`` for the block: it keeps accepting connections (the kernel
    completes the handshake) but answers nothing, as an overloaded Redis or a network
    black hole. SIGCONT when the block ends, even on failure, or after ``thaw_after``
    seconds, so that a client without timeouts hangs for that long rather than forever."""
    import signal
    import threading
    from contextlib import suppress

    pid = server.process.pid

    def thaw() -> None:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGCONT)

    os.kill(pid, signal.SIGSTOP)
    watchdog = threading.Timer(thaw_after, thaw)
    watchdog.daemon = True
    watchdog.start()
    try:
        yield server
    finally:
        watchdog.cancel()
        thaw()


def refusing_redis_url() -> str:
    """A Redis URL on a port where nothing listens: every connection is refused."""
    return f"redis://127.0.0.1:{free_port()}/0"


@contextmanager
def black_hole():
    """A Redis URL whose connections never complete, as a host that drops packets: a
    listening socket that never accepts and whose one-place queue is already full, so
    the kernel drops every further SYN. Yields the URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    filler = socket.create_connection(listener.getsockname(), timeout=1)
    try:
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    finally:
        filler.close()
        listener.close()


@contextmanager
def celery_broker(url: str):
    """Point this process's Celery app (what the request path publishes with) at
    ``url`` for the block, sending tasks instead of running them eagerly; restored
    afterwards. Pooled connections are dropped on the way in and out."""
    from kombu import pools

    from portal.celery import app

    def point(broker_url: str, eager: bool) -> None:
        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None
        app.conf.broker_url = broker_url
        app.conf.task_always_eager = eager

    previous = app.conf.broker_url, app.conf.task_always_eager
    point(url, eager=False)
    try:
        yield app
    finally:
        point(*previous)
