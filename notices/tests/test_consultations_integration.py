"""The action items' reminders fired by beat, with a real Celery worker, real Redis and
real PostgreSQL: the daily entry ``consultations-action-items-remind``
(``notices.consultations.registry``) reminds the owning side's contact point of an item
due in two days and of an overdue one, once each. (The briefing pack's render by a
worker is left out: a first render costs a worker ~8 s of font and chart loading; the
pack is rendered in-process by ``test_consultations.py``.)"""

import datetime as dt
import time

import pytest
from django.conf import settings

from notices.consultations import services
from notices.consultations.testing import schedule
from notices.models import ActionItem
from portal.models import Notification
from portal.testing.processes import celery, portal_env, wait_for, worker_ready
from portal.timezones import today_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ENTRY = "consultations-action-items-remind"


def _last_ran_two_days_ago(path) -> None:
    """Beat's schedule file as if the daily entry last ran two days ago: it is then due,
    and beat sends it as soon as it starts (its crontab unchanged)."""
    from celery.beat import PersistentScheduler

    from portal.celery import app

    scheduler = PersistentScheduler(app=app, schedule_filename=str(path), lazy=True)
    scheduler.setup_schedule()
    assert ENTRY in scheduler.schedule, sorted(scheduler.schedule)
    scheduler.schedule[ENTRY].last_run_at = app.now() - dt.timedelta(days=2)
    scheduler.sync()
    scheduler.close()


def _reminders():
    return Notification.objects.filter(kind__in=["notices.action_item_due", "notices.action_item_overdue"])


def test_beat_reminds_the_owning_side_of_a_due_and_an_overdue_action_item_once(cast, tmp_path):
    jp, tj = cast["jp_officer"], cast["tj_officer"]
    consultation = schedule(jp)
    tajik, today = tj.organization.side, today_for(tj)
    due = services.add_action_item(
        consultation, jp, description="Due.", owner_side=tajik, due_on=today + dt.timedelta(days=2)
    )
    overdue = services.add_action_item(
        consultation, jp, description="Overdue.", owner_side=tajik, due_on=today
    )
    ActionItem.objects.filter(pk=overdue.pk).update(due_on=today - dt.timedelta(days=1))
    far = services.add_action_item(
        consultation, jp, description="Far.", owner_side=tajik, due_on=today + dt.timedelta(days=20)
    )
    schedule_file = tmp_path / "beat"
    _last_ran_two_days_ago(schedule_file)
    env = portal_env(REDIS_URL=settings.REDIS_URL)
    log = tmp_path / "worker.log"
    with celery("worker", "--concurrency", "1", "--loglevel", "INFO", env=env, log=log):
        wait_for(lambda: worker_ready(log), timeout=60, what="the Celery worker")
        with celery(
            "beat", "--schedule", str(schedule_file), "--loglevel", "INFO", env=env, log=tmp_path / "beat.log"
        ):
            wait_for(lambda: _reminders().count() >= 2, timeout=30, interval=0.2, what="the reminders")
            time.sleep(1)  # a second send of the entry would show by now
    contact = cast["tj_contact"].organization.code
    got = sorted((item.kind, item.organization.code) for item in _reminders())
    assert got == [("notices.action_item_due", contact), ("notices.action_item_overdue", contact)]
    assert ActionItem.objects.get(pk=far.pk).last_reminded_on is None
    assert ActionItem.objects.get(pk=due.pk).last_reminded_on is not None
    assert b"Sending due task " + ENTRY.encode() in (tmp_path / "beat.log").read_bytes()
