"""Demo fraud reports for ``make run`` (5, second paragraph): one from each side, made
through the services as officers would — Tajikistan's ministry reports an impersonation
at a skills test involving a demo broker, shared and acknowledged by Japan (in
follow-up); Japan's side reports a forged JFT-Basic certificate, shared and waiting for
acknowledgement. Run twice, it adds nothing (``seed`` stops when reports exist)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from brokers.models import Broker
from portal.records import services as kit

from ..choices import FraudKind, PersonRole
from ..models import Exam, FraudReport
from . import services


def seed(users) -> None:
    if FraudReport.objects.exists():
        return
    today = timezone.localdate()
    with transaction.atomic():
        skills = Exam.objects.filter(code__startswith="skills-").order_by("sort_order", "id").first()
        jft = Exam.objects.filter(code="jft-basic").first() or Exam.objects.order_by("id").first()
        broker = Broker.objects.filter(status="shared", merged_into__isnull=True).order_by("id").first()
        tajik = services.report(
            users["tj-officer"],
            kind=FraudKind.IMPERSONATION,
            exam=skills or jft,
            test_date=today - dt.timedelta(days=20),
            narrative="At the Dushanbe sitting another man sat the test in the candidate's place; the "
            "photograph on the admission ticket does not match. The broker arranged both.",
            persons=[
                {"role": PersonRole.HOLDER, "name": "Саидов Бахтиёр", "date_of_birth": dt.date(1998, 4, 2)},
                {"role": PersonRole.IMPERSONATOR, "name": "Unknown man, about 30"},
            ],
            brokers=[broker] if broker else [],
        )
        tajik = services.share(tajik, users["tj-officer"])
        kit.acknowledge(tajik, users["jp-contact"])
        kit.comment(
            tajik, users["jp-officer"], "The test body has been asked for the sitting's seating plan."
        )
        japan = services.report(
            users["jp-officer"],
            kind=FraudKind.FORGED_CERTIFICATE,
            exam=jft,
            narrative="A pass certificate presented to an accepting organization in Osaka is not in the "
            "test body's register: the number was altered.",
            persons=[
                {
                    "role": PersonRole.HOLDER,
                    "name": "Karimova Dilnoza",
                    "date_of_birth": dt.date(2000, 11, 19),
                    "certificate_number": jft.certificate_example or "",
                }
            ],
        )
        services.share(japan, users["jp-officer"])
