"""The reminders of inquiries fired by beat, with a real Celery worker, real Redis and
real PostgreSQL: the kit's daily entry (``records-remind``, registered by
``portal.records.registry``) reads ``Inquiry.open_records()``; the side asked's contact
point gets one item an inquiry, once."""

import datetime as dt
import time

import pytest
from django.conf import settings
from django.utils import timezone

from notices.inquiries.testing import ask
from notices.models import Inquiry
from portal.models import Notification
from portal.testing.processes import celery, portal_env, wait_for, worker_ready
from portal.timezones import today_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ENTRY = "records-remind"


def _last_ran_two_days_ago(path) -> None:
    """Write beat's schedule file as if ``records-remind`` last ran two days ago: its
    daily crontab is then due, and beat sends it as soon as it starts (the entry keeps
    its schedule; only when it last ran is set)."""
    from celery.beat import PersistentScheduler

    from portal.celery import app

    scheduler = PersistentScheduler(app=app, schedule_filename=str(path), lazy=True)
    scheduler.setup_schedule()
    assert ENTRY in scheduler.schedule, sorted(scheduler.schedule)
    scheduler.schedule[ENTRY].last_run_at = app.now() - dt.timedelta(days=2)
    scheduler.sync()
    scheduler.close()


def _reminders():
    return Notification.objects.filter(kind__in=["record.due", "record.overdue"])


def test_beat_reminds_the_side_asked_of_an_inquiry_due_tomorrow_and_an_overdue_one_once(cast, tmp_path):
    due, overdue, answered = ask(cast["tj_officer"]), ask(cast["tj_officer"]), ask(cast["tj_officer"])
    today = today_for(cast["jp_contact"])  # the side asked's clock
    Inquiry.objects.filter(pk=due.pk).update(due_on=today + dt.timedelta(days=1))
    Inquiry.objects.filter(pk__in=[overdue.pk, answered.pk]).update(due_on=today - dt.timedelta(days=1))
    Inquiry.objects.filter(pk=answered.pk).update(answered_at=timezone.now(), answer="Done.")
    schedule = tmp_path / "beat"
    _last_ran_two_days_ago(schedule)
    env = portal_env(REDIS_URL=settings.REDIS_URL)
    log = tmp_path / "worker.log"
    with celery("worker", "--concurrency", "1", "--loglevel", "INFO", env=env, log=log):
        wait_for(lambda: worker_ready(log), timeout=60, what="the Celery worker")
        with celery(
            "beat", "--schedule", str(schedule), "--loglevel", "INFO", env=env, log=tmp_path / "beat.log"
        ):
            wait_for(lambda: _reminders().count() >= 2, timeout=30, interval=0.2, what="the reminders")
            time.sleep(1.5)  # a second send of the entry would show by now
    got = sorted((item.kind, item.url, item.organization.code) for item in _reminders())
    assert got == sorted(
        [
            ("record.due", due.get_absolute_url(), "jp-isa-rmd"),
            ("record.overdue", overdue.get_absolute_url(), "jp-isa-rmd"),
        ]
    )
    assert b"Sending due task " + ENTRY.encode() in (tmp_path / "beat.log").read_bytes()
