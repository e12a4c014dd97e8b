"""Issue 15, item 3: a worker killed while it sends a batch of e-mails, then restarted,
sends again only the e-mail that was in flight — with a real Celery worker, a private
Redis and PostgreSQL. Each e-mail is a file named by its Message-ID, written by
``portal.testing.mail.SlowFileBackend`` after 0.2 s, so the kill lands mid-batch."""

import signal

import pytest

from portal.models import Notification, Organization, OutboxEntry
from portal.notifications import message_id
from portal.testing.mail import sent
from portal.testing.processes import RedisServer, celery, portal_env, wait_for, worker_ready

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

EMAILS = 20
KILL_AFTER = 6  # e-mails sent when the worker is killed


def test_a_killed_worker_sends_again_only_the_email_in_flight(cast, tmp_path):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    notification = Notification.objects.create(
        organization=Organization.objects.get(code="jp-isa-rmd"), kind="correspondence.received"
    )
    payload = {"user": cast["jp_contact"].pk, "notification": notification.pk}
    entries = [OutboxEntry.objects.create(topic="email.notification", payload=payload) for _ in range(EMAILS)]

    redis_server = RedisServer()
    redis_server.start()
    env = portal_env(
        REDIS_URL=redis_server.url,
        OUTBOX_SWEEP_SECONDS="1",  # the periodic sweep finds the entries and, after the kill, the rest
        EMAIL_BACKEND="portal.testing.mail.SlowFileBackend",
        TEST_MAIL_DIR=mail_dir,
        TEST_MAIL_DELAY="0.2",
    )
    # The solo pool runs the drain in the worker process itself, so SIGKILL stops the
    # sending at once (a prefork child would outlive its killed parent for a while).
    worker = ("worker", "--pool", "solo", "--loglevel", "INFO")
    try:
        with celery("beat", "--schedule", str(tmp_path / "beat"), env=env, log=tmp_path / "beat.log"):
            log = tmp_path / "worker-1.log"
            with celery(*worker, env=env, log=log) as process:
                wait_for(lambda: worker_ready(log), timeout=60, what="the Celery worker")
                wait_for(
                    lambda: sum(sent(mail_dir).values()) >= KILL_AFTER,
                    timeout=60,
                    interval=0.02,
                    what=f"{KILL_AFTER} e-mails",
                )
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=10)
            sent_before_restart = sum(sent(mail_dir).values())
            assert sent_before_restart < EMAILS, "the worker was killed after the batch: no crash mid-batch"

            log = tmp_path / "worker-2.log"
            with celery(*worker, env=env, log=log):
                wait_for(
                    lambda: not OutboxEntry.objects.filter(processed_at__isnull=True).exists(),
                    timeout=120,
                    interval=0.2,
                    what="the restarted worker to send the rest",
                )
    finally:
        redis_server.stop()

    counts = sent(mail_dir)
    duplicates = sum(count - 1 for count in counts.values())
    print(
        f"\ne-mails: {EMAILS} entries, {sum(counts.values())} sent, {sent_before_restart} before the kill, "
        f"{duplicates} duplicates ({sorted(n for n in counts.values() if n > 1)})"
    )
    assert set(counts) == {message_id(entry).strip("<>") for entry in entries}  # none lost
    assert duplicates <= 1, f"{duplicates} e-mails were sent twice; only the one in flight may be"
