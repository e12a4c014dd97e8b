"""Demo sending agencies for ``make run``: about thirty, as many as Tajikistan is
expected to certify (shared/reference-data.md), in each of the states a list shows."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from . import services
from .choices import RevocationReason
from .models import Sector, SendingAgency
from .testing import register, screen

REGIONS = [
    ("Dushanbe", "Dushanbe"),
    ("Sughd", "Khujand"),
    ("Khatlon", "Bokhtar"),
    ("Khatlon", "Kulob"),
    ("RRP", "Vahdat"),
]
NAMES = [
    ("Ширкати «Пули Ҷопон»", "ООО «Мост в Японию»", "Japan Bridge LLC", "ジャパン・ブリッジ"),
    ("Агентии «Сомон»", "Агентство «Сомон»", "Somon Agency", "ソモン・エージェンシー"),
    ("Ширкати «Меҳнат Плюс»", "ООО «Мехнат Плюс»", "Mehnat Plus LLC", "メフナト・プラス"),
    ("Ширкати «Роҳи Нур»", "ООО «Рохи Нур»", "Rohi Nur LLC", "ロヒ・ヌール"),
    ("Агентии «Осиё Кадр»", "Агентство «Азия Кадр»", "Asia Kadr Agency", "アジア・カドル"),
    ("Ширкати «Кӯҳистон Трейд»", "ООО «Кухистон Трейд»", "Kuhiston Trade LLC", "クヒストン・トレード"),
]


def seed(users) -> None:
    if SendingAgency.objects.exists():
        return
    officer = users["tj-officer"]
    sectors = list(Sector.objects.filter(is_open=True))
    today = timezone.localdate()
    certified = []
    with transaction.atomic():  # one publication for the whole first list
        for i in range(30):
            tg, ru, en, ja = NAMES[i % len(NAMES)]
            region, city = REGIONS[i % len(REGIONS)]
            agency = register(
                officer,
                name_tg=f"{tg} {i + 1}",
                name_ru=f"{ru} {i + 1}",
                name_en=f"{en} {i + 1}",
                name_ja=f"{ja}{i + 1}",
                region=region,
                city=city,
                phone=f"+992 37 221 {i:02d} {i:02d}",
                sectors=[sectors[i % len(sectors)], sectors[(i * 7 + 3) % len(sectors)]],
            )
            if i >= 27:
                continue  # applications still being received or screened
            screen(agency, officer)
            certified.append(
                services.certify(
                    agency,
                    officer,
                    certification_number=f"TJ-SSW-2026-{i + 1:04d}",
                    certified_on=today - dt.timedelta(days=200 - i),
                    valid_until=today + dt.timedelta(days=165 + i * 10),
                )
            )
        services.start_screening(SendingAgency.objects.get(name_en=f"{NAMES[27 % 6][2]} 28"), officer)
    with transaction.atomic():  # the second version: one revocation
        services.revoke(
            certified[4],
            officer,
            reason="Demo: took a deposit from workers (4(1)(a)).",
            public_reason=RevocationReason.IMPROPER_CONDUCT,
        )
