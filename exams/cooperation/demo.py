"""Demo cooperation requests for ``make run`` (5, first paragraph): one MHLW asked for a
session of the nursing-care Japanese test that Tajikistan answered and completed, one
MAFF asked for Japanese-language education that Tajikistan answered it can do in part,
and one that waits for Tajikistan's answer. Requested through the services as officers
would. Run twice, it adds nothing (``seed`` stops when a request exists)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from portal.models import Organization

from ..choices import Capability, CooperationKind
from ..models import CooperationRequest, Exam
from . import services


def seed(users) -> None:
    if CooperationRequest.objects.exists():
        return
    today = timezone.localdate()
    ministries = {
        org.code: org for org in Organization.objects.filter(code__in=["jp-mhlw", "jp-maff", "jp-isa"])
    }
    exams = {exam.code: exam for exam in Exam.objects.filter(code__in=["nursing-care-japanese", "jft-basic"])}
    if len(ministries) < 3:
        return
    with transaction.atomic():
        done = services.request(
            users["jp-contact"],
            requesting_ministry=ministries["jp-mhlw"],
            kind=CooperationKind.TEST_DELIVERY,
            exam=exams.get("nursing-care-japanese"),
            subject="A session of the nursing-care Japanese test in Dushanbe",
            request="Please help find a venue for about 200 candidates and announce the session "
            "through the Migration Service's employment centres.",
            period_from=today + dt.timedelta(days=20),
            period_to=today + dt.timedelta(days=21),
            place="Dushanbe",
        )
        services.answer(
            done,
            users["tj-contact"],
            capability=Capability.FULL,
            answer="The Migration Service offers its training centre in Dushanbe and will announce the "
            "session in its employment centres.",
        )
        services.complete(
            done,
            users["tj-officer"],
            note="The venue is booked and the session was announced in twelve employment centres.",
        )
        partial = services.request(
            users["jp-officer"],
            requesting_ministry=ministries["jp-maff"],
            kind=CooperationKind.JAPANESE_EDUCATION,
            exam=exams.get("jft-basic"),
            subject="Japanese-language courses before the agriculture skills test",
            request="Could the ministry's vocational schools offer JFT-Basic preparation courses in the "
            "regions where candidates for agriculture live?",
        )
        services.answer(
            partial,
            users["tj-officer"],
            capability=Capability.PARTIAL,
            answer="Courses can start in Khatlon in the spring; in Sughd the schools lack teachers.",
        )
        services.request(
            users["jp-officer"],
            requesting_ministry=ministries["jp-isa"],
            kind=CooperationKind.OTHER,
            subject="Identity checks of candidates at the test venues",
            request="Please confirm which identity documents the venues may accept from candidates.",
        )
