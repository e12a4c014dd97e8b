"""The daily reminder of broker reports awaiting acknowledgement (4(1): promptly), run
the way beat runs it: the task of the beat entry "brokers-acknowledge-reminders" sent
to a real Celery worker, against PostgreSQL and Redis."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from brokers import services
from brokers.models import MisconductReport
from portal.models import Notification, Organization
from portal.testing.processes import celery, celery_broker, portal_env, wait_for, worker_ready

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TASK = "brokers.tasks.remind_unacknowledged"


def _shared_report(officer, name: str) -> MisconductReport:
    broker = services.share_broker(
        services.record_broker(officer, name=name, kind="person", country="TJ"), officer
    )
    report = services.file_report(
        officer,
        brokers=[broker],
        categories="e",
        fee_amount=Decimal("9000"),
        fee_currency="TJS",
        narrative="Fees charged without a breakdown.",
    )
    return services.share_report(report, officer)


def _reminders():
    return Notification.objects.filter(kind="brokers.acknowledge_reminder")


def _runs_succeeded(log) -> list[str]:
    """What each run of the task returned, as the worker logged it."""
    return re.findall(rf"Task {re.escape(TASK)}\[[^\]]+\] succeeded in [\d.]+s: (\S+)", log.read_text())


def test_the_beat_entry_reminds_japan_of_a_waiting_tajik_report_once_a_day(cast, tmp_path):
    from portal.celery import app

    entry = app.conf.beat_schedule["brokers-acknowledge-reminders"]
    assert entry["task"] == TASK

    days = settings.BROKERS_ACKNOWLEDGE_WITHIN_DAYS
    waiting = _shared_report(cast["tj_officer"], "Раҳимов Фаррух")
    recent = _shared_report(cast["tj_officer"], "Каримов Бахтиёр")
    acknowledged = _shared_report(cast["tj_officer"], "Назаров Ҷамшед")
    long_ago = timezone.now() - dt.timedelta(days=days, hours=2)
    MisconductReport.objects.filter(pk__in=[waiting.pk, acknowledged.pk]).update(shared_at=long_ago)
    MisconductReport.objects.filter(pk=acknowledged.pk).update(
        acknowledged_at=timezone.now(), acknowledged_by=cast["jp_contact"]
    )

    log = tmp_path / "worker.log"
    env = portal_env(REDIS_URL=settings.REDIS_URL)
    with celery("worker", "--concurrency", "1", "--loglevel", "INFO", env=env, log=log):
        wait_for(lambda: worker_ready(log), timeout=60, what="the Celery worker")
        with celery_broker(settings.REDIS_URL) as sender:
            sender.send_task(entry["task"], **entry.get("options", {}))
            wait_for(lambda: _reminders().exists(), timeout=30, what="the reminder in Japan's inbox")
            # The same day, beat (or a second beat after a restart) sends it again.
            sender.send_task(entry["task"], **entry.get("options", {}))
            wait_for(lambda: len(_runs_succeeded(log)) == 2, timeout=30, what="the second run")

    assert _runs_succeeded(log) == ["1", "0"]
    reminder = _reminders().get()
    assert reminder.organization == Organization.objects.get(code="jp-isa-rmd")
    assert reminder.url == waiting.get_absolute_url()
    assert reminder.params["reference"] == MisconductReport.objects.get(pk=waiting.pk).reference
    assert int(reminder.params["days"]) >= days
    assert MisconductReport.objects.get(pk=waiting.pk).acknowledgement_reminded_on is not None
    assert MisconductReport.objects.get(pk=recent.pk).acknowledgement_reminded_on is None
    assert "Traceback" not in log.read_text()
