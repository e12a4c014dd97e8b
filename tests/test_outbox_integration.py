"""The outbox with a real Celery worker, real Redis and real PostgreSQL."""

import time

import pytest
from django.conf import settings

from portal import services
from portal.models import Notification, Organization, OutboxEntry
from portal.testing.processes import RedisServer, celery, portal_env, run_manage, wait_for, worker_ready

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _notifications(code="jp-isa-rmd"):
    return Notification.objects.filter(organization__code=code, kind="correspondence.received")


def test_worker_delivers_a_committed_event_exactly_once(cast, tmp_path):
    log = tmp_path / "worker.log"
    env = portal_env(REDIS_URL=settings.REDIS_URL)
    # Two worker processes and a 1-second sweep compete for the same entries.
    with celery("worker", "--concurrency", "2", "--loglevel", "INFO", env=env, log=log):
        wait_for(lambda: worker_ready(log), timeout=60, what="the Celery worker")
        with celery(
            "beat",
            "--schedule",
            str(tmp_path / "beat"),
            env={**env, "OUTBOX_SWEEP_SECONDS": "1"},
            log=tmp_path / "beat.log",
        ):
            letter = services.draft_correspondence(
                cast["tj_contact"],
                recipient=Organization.objects.get(code="jp-isa-rmd"),
                subject="Real",
                body="…",
            )
            services.send_correspondence(letter, cast["tj_contact"])
            wait_for(lambda: _notifications().exists(), timeout=30, what="the notification")
            time.sleep(3)  # several sweeps later, still one
    assert _notifications().count() == 1
    assert not OutboxEntry.objects.filter(processed_at__isnull=True).exists()


def test_event_committed_while_redis_is_down_is_delivered_when_it_returns(cast, tmp_path):
    redis_server = RedisServer()
    redis_server.start()
    env = portal_env(REDIS_URL=redis_server.url, OUTBOX_SWEEP_SECONDS="1")
    log = tmp_path / "worker.log"
    try:
        with celery("worker", "--concurrency", "1", "--loglevel", "INFO", env=env, log=log):
            wait_for(lambda: worker_ready(log), timeout=60, what="the Celery worker")
            with celery("beat", "--schedule", str(tmp_path / "beat"), env=env, log=tmp_path / "beat.log"):
                redis_server.stop()
                # A separate portal process commits the change while the broker is down.
                result = run_manage(
                    "from portal import services; from portal.models import *; "
                    "u = User.objects.get(username='tj-contact'); "
                    "l = services.draft_correspondence(u, recipient=Organization.objects.get(code='jp-isa-rmd'), "
                    "subject='While Redis was down', body='...'); "
                    "services.send_correspondence(l, u); print('committed', l.pk)",
                    env=env,
                )
                assert result.returncode == 0, result.stderr.decode()
                assert b"committed" in result.stdout
                assert OutboxEntry.objects.filter(topic="notify", processed_at__isnull=True).count() == 1
                assert not _notifications().exists()

                redis_server.start()  # same port: worker and beat reconnect
                wait_for(
                    lambda: _notifications().exists(),
                    timeout=120,
                    interval=0.5,
                    what="delivery after restart",
                )
                time.sleep(2)
        assert _notifications().count() == 1
        assert not OutboxEntry.objects.filter(topic="notify", processed_at__isnull=True).exists()
    finally:
        redis_server.stop()
