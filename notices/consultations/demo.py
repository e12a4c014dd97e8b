"""Demo consultations for ``make run`` (4(2)): a regular consultation held last month,
with participants of both sides, an agenda under topics (b) and (c) that puts a demo
improvement order on it, minutes agreed by both sides and two action items (one done),
and an ad-hoc video consultation next week. Through the services, as officers would.
Run twice, it adds nothing (``seed`` stops when a consultation exists)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from notices.models import Consultation, ImprovementOrder

from . import services
from .choices import ActionItemStatus, ConsultationKind


def seed(users) -> None:
    if Consultation.objects.exists() or "jp-contact" not in users or "tj-contact" not in users:
        return
    japan, tajikistan = users["jp-contact"], users["tj-contact"]
    jp_side, tj_side = japan.organization.side, tajikistan.organization.side
    with transaction.atomic():
        held = services.schedule_consultation(
            japan,
            kind=ConsultationKind.REGULAR,
            starts_at=timezone.now() - dt.timedelta(days=30),
            place="東京都千代田区霞が関1-1-1 法務省 会議室 / Ministry of Justice, Tokyo",
        )
        for actor, name, title, side in (
            (japan, "佐藤 花子", "出入国在留管理庁 在留管理課長 / ISA, Director", jp_side),
            (
                tajikistan,
                "Раҳимов Фаррух",
                "Хадамоти муҳоҷират / Migration Service, Head of Department",
                tj_side,
            ),
        ):
            services.add_participant(held, actor, name=name, title=title, sits_for=side)
        order = ImprovementOrder.objects.exclude(reference=None).order_by("pk").first()
        services.add_agenda_item(
            held,
            japan,
            topic="c",
            title="Improvement orders of the quarter / 四半期の改善命令",
            references=[order.reference] if order else [],
        )
        services.add_agenda_item(
            held, tajikistan, topic="b", title="Brokers collecting deposits / Миёнаравҳо"
        )
        services.write_minutes(
            held,
            japan,
            text="1. Both sides reviewed the improvement orders of the quarter.\n"
            "2. Tajikistan reported on brokers collecting deposits and will share the cases.",
        )
        services.agree_minutes(held, japan)
        services.agree_minutes(held, tajikistan)
        done = services.add_action_item(
            held,
            japan,
            description="Share the list of brokers under investigation.",
            owner_side=tj_side,
            due_on=timezone.localdate() + dt.timedelta(days=2),
        )
        services.close_action_item(done, tajikistan, status=ActionItemStatus.DONE)
        services.add_action_item(
            held,
            tajikistan,
            description="Send the guidance on interviews under the support plan.",
            owner_side=jp_side,
        )
        services.schedule_consultation(
            tajikistan,
            kind=ConsultationKind.AD_HOC,
            starts_at=timezone.now() + dt.timedelta(days=7),
            video_link="https://meet.example.org/moc-ad-hoc",
        )
