"""Helpers for the agencies tests and benchmarks: an agency taken through screening to
certification with the services, as an officer would."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from . import services
from .choices import CriterionResult
from .models import Sector

_numbers = itertools.count(1)


def register(officer, **overrides):
    fields = {
        "name_tg": "Ширкати «Роҳи Ҷопон»",
        "name_ru": "ООО «Путь в Японию»",
        "name_en": "Japan Way LLC",
        "name_ja": "ジャパン・ウェイ",
        "registration_number": f"REG-{next(_numbers):05d}",
        "region": "Sughd",
        "city": "Khujand",
    }
    fields.update(overrides)
    sectors = fields.pop("sectors", None)
    if sectors is None:
        sectors = list(Sector.objects.filter(code__in=["nursing-care", "construction"]))
    return services.register_agency(officer, sectors=sectors, **fields)


def screen(agency, officer, *, failing: set[int] = frozenset()):
    screening = services.start_screening(agency, officer)
    results = {
        row.criterion_id: (
            CriterionResult.NOT_MET if row.criterion.number in failing else CriterionResult.MET,
            "",
        )
        for row in screening.results.select_related("criterion")
    }
    return services.record_screening(screening, officer, results)


def certified(officer, number: str | None = None, **overrides):
    agency = register(officer, **overrides)
    screen(agency, officer)
    today = timezone.localdate()
    return services.certify(
        agency,
        officer,
        certification_number=number or f"TJ-SSW-{next(_numbers):05d}",
        certified_on=today,
        valid_until=today + dt.timedelta(days=365),
    )
