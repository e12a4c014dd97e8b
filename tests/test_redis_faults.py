"""A Redis that does not answer must not hold a request (issue 15, item 1).

A Redis that accepts connections but stays silent (stopped, overloaded, a network black
hole) once held the after-commit kick of the outbox, and so the request, for as long as
it was silent. Now every Redis client has connect and socket timeouts and the kick makes
one attempt: the change commits, the request returns, and the entry waits for the
periodic sweep, which a real worker carries out once Redis answers again.

The measured times are printed (``pytest -s``) for the record.
"""

import time

import pytest

from portal.models import Notification, OutboxEntry
from portal.testing.processes import (
    RedisServer,
    black_hole,
    celery,
    celery_broker,
    frozen,
    portal_env,
    refusing_redis_url,
    wait_for,
    worker_ready,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

#: What a fault may add to a request at most; the default timeouts give about 0.25 s.
BOUND = 1.0


def _send_a_letter(client, subject: str) -> tuple[int, float, float]:
    """Draft a letter and send it through the API, as tj-contact's client would; the
    send commits a notification to the outbox and kicks. Returns the letter's id and how
    long each of the two requests took."""
    started = time.monotonic()
    response = client.post(
        "/api/v1/correspondence/",
        {"recipient": "jp-isa-rmd", "subject": subject, "body": "…"},
        content_type="application/json",
    )
    draft_seconds = time.monotonic() - started
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    started = time.monotonic()
    response = client.post(f"/api/v1/correspondence/{pk}/send/")
    send_seconds = time.monotonic() - started
    assert response.status_code == 200, response.content
    return pk, draft_seconds, send_seconds


def _delivered(subject: str):
    return Notification.objects.filter(
        organization__code="jp-isa-rmd", kind="correspondence.received", params__subject=subject
    )


def _pending():
    return OutboxEntry.objects.filter(topic="notify", processed_at__isnull=True)


def test_a_silent_redis_holds_no_request_and_the_sweep_delivers_once_it_answers(client_for, tmp_path):
    client = client_for("tj_contact")
    redis_server = RedisServer()
    redis_server.start()
    env = portal_env(REDIS_URL=redis_server.url, OUTBOX_SWEEP_SECONDS="1")
    log = tmp_path / "worker.log"
    try:
        with (
            celery("worker", "--concurrency", "1", "--loglevel", "INFO", env=env, log=log),
            celery_broker(redis_server.url),
        ):
            wait_for(lambda: worker_ready(log), timeout=60, what="the Celery worker")
            _letter, draft, send = _send_a_letter(client, "Redis answering")
            wait_for(
                lambda: _delivered("Redis answering").exists(), timeout=30, what="delivery, Redis answering"
            )
            print(f"\nRedis answering: draft {draft:.3f}s, send {send:.3f}s")

            with celery("beat", "--schedule", str(tmp_path / "beat"), env=env, log=tmp_path / "beat.log"):
                with frozen(redis_server, thaw_after=30):
                    letter, draft, send = _send_a_letter(client, "Redis silent")
                    print(f"Redis silent (SIGSTOP): draft {draft:.3f}s, send {send:.3f}s")
                    assert send < BOUND and draft < BOUND
                    # The change committed; its side effect waits in the outbox.
                    assert client.get(f"/api/v1/correspondence/{letter}/").json()["status"] == "shared"
                    assert _pending().count() == 1
                    assert not _delivered("Redis silent").exists()
                    time.sleep(2)  # two sweeps' worth: nothing reaches a silent Redis
                    assert _pending().count() == 1
                # Redis answers again: the worker and beat carry on, the sweep delivers.
                wait_for(
                    lambda: _delivered("Redis silent").exists(),
                    timeout=60,
                    interval=0.5,
                    what="delivery after Redis answered again",
                )
                time.sleep(2)
        assert _delivered("Redis silent").count() == 1
        assert not _pending().exists()
        assert b"Traceback" not in log.read_bytes(), log.read_text()
    finally:
        redis_server.stop()


def test_a_refusing_or_unreachable_redis_holds_no_request(client_for):
    """Nothing listening answers at once; a host that drops packets costs the connect
    timeout. Either way the entry waits for the sweep."""
    client = client_for("tj_contact")
    with celery_broker(refusing_redis_url()):
        _letter, draft, send = _send_a_letter(client, "Redis refusing")
    print(f"\nRedis refusing: draft {draft:.3f}s, send {send:.3f}s")
    assert send < BOUND and draft < BOUND
    with black_hole() as url, celery_broker(url):
        _letter, draft, send = _send_a_letter(client, "Redis unreachable")
    print(f"Redis unreachable (SYNs dropped): draft {draft:.3f}s, send {send:.3f}s")
    assert send < BOUND and draft < BOUND
    assert _pending().count() == 2
