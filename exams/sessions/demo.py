"""Demo test sessions for ``make run``: two sittings in Dushanbe and Khujand recorded by
Tajikistan's officers and one Japan recorded, through the service. Run twice, it adds
nothing (``seed`` stops when a session exists)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ..models import Exam, ExamSession
from . import services


def seed(users) -> None:
    if ExamSession.objects.exists():
        return
    exams = {
        exam.code: exam
        for exam in Exam.objects.filter(code__in=["jft-basic", "jlpt-n4", "skills-nursing-care"])
    }
    if not exams:
        return
    today = timezone.localdate()
    rows = [
        ("tj-officer", "jft-basic", -40, 0, "Dushanbe", "Testing centre, 45 Rudaki Avenue", 180),
        ("tj-contact", "jlpt-n4", -10, 0, "Khujand", "Khujand State University, main building", 240),
        ("jp-officer", "skills-nursing-care", 30, 1, "Dushanbe", "Testing centre, 45 Rudaki Avenue", None),
    ]
    with transaction.atomic():
        for user, code, start, length, city, venue, candidates in rows:
            if code not in exams:
                continue
            first = today + dt.timedelta(days=start)
            services.record_session(
                users[user],
                exam=exams[code],
                starts_on=first,
                ends_on=first + dt.timedelta(days=length),
                city=city,
                venue=venue,
                candidates=candidates,
            )
