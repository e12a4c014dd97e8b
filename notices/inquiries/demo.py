"""Demo inquiries for ``make run`` (6(4), 7(6)): one Tajikistan asked and Japan
answered after its due date, one Japan asked that waits for Tajikistan's answer, with a
comment in its thread. Asked through the services as officers would; the late answer's
dates are then set back, as if it had been asked six weeks ago. Run twice, it adds
nothing (``seed`` stops when an inquiry exists)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from notices.models import Inquiry
from portal.records import services as kit

from . import services


def seed(users) -> None:
    if Inquiry.objects.exists():
        return
    now = timezone.now()
    with transaction.atomic():
        late = services.ask(
            users["tj-contact"],
            subject="Workers moved between receiving organizations",
            question="Please confirm whether the three SSW workers named in our letter of 2 October "
            "were moved to another receiving organization, and if so to which one.",
        )
        # Asked six weeks ago, due two weeks ago: its answer today is late.
        Inquiry.objects.filter(pk=late.pk).update(
            created_at=now - dt.timedelta(days=42),
            shared_at=now - dt.timedelta(days=42),
            due_on=timezone.localdate() - dt.timedelta(days=14),
        )
        services.answer(
            late,
            users["jp-contact"],
            answer="Two of the three workers changed receiving organization in September; the "
            "Immigration Services Agency has the notifications. The third remains where he was.",
        )
        waiting = services.ask(
            users["jp-officer"],
            subject="Pre-departure orientation of the sending agencies",
            question="Which certified sending agencies gave the pre-departure orientation in "
            "Japanese in the last quarter?",
        )
        kit.comment(waiting, users["tj-officer"], "We are collecting the figures from the agencies.")
