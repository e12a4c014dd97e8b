"""Helpers for the agencies tests and benchmarks: an agency taken through screening to
certification with the services, as an officer would, and the operations an officer may
attempt in any order (the property-based tests)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from portal.exceptions import InvalidInput

from . import services
from .choices import CriterionResult, RevocationReason
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


#: What an officer may attempt on an agency, in any order; a refusal is a valid outcome.
OPERATIONS = [
    "screen_pass",
    "screen_fail",
    "certify",
    "reject",
    "revoke",
    "reapply",
    "expire",
    "record_pass",
    "edit",
]


def attempt(operation: str, agency, officer) -> None:
    agency.refresh_from_db()
    if operation in {"screen_pass", "screen_fail"}:
        screening = services.start_screening(agency, officer)
        failing = operation == "screen_fail"
        services.record_screening(
            screening,
            officer,
            {
                row.criterion_id: (
                    CriterionResult.NOT_MET if failing and row.criterion.mandatory else CriterionResult.MET,
                    "",
                )
                for row in screening.results.select_related("criterion")
            },
        )
    elif operation == "record_pass":
        screening = agency.screenings.first()
        if screening is None:
            raise InvalidInput("no screening")
        services.record_screening(
            screening,
            officer,
            {row.criterion_id: (CriterionResult.MET, "") for row in screening.results.all()},
        )
    elif operation == "certify":
        services.certify(
            agency,
            officer,
            certification_number=f"P-{next(_numbers)}",
            certified_on=dt.date(2026, 1, 1),
            valid_until=dt.date(2027, 1, 1),
        )
    elif operation == "reject":
        services.reject(agency, officer, reason="incomplete")
    elif operation == "revoke":
        services.revoke(agency, officer, reason="breach", public_reason=RevocationReason.CRITERIA_NOT_MET)
    elif operation == "reapply":
        services.reapply(agency, officer)
    elif operation == "expire":
        services.expire_certifications(dt.date(2027, 1, 2))
    elif operation == "edit":
        count = next(_numbers)
        services.update_agency(
            agency,
            officer,
            phone=f"+992 {count:09d}",
            sectors=list(Sector.objects.filter(is_open=True).order_by("code")[count % 3 : count % 3 + 2]),
        )
