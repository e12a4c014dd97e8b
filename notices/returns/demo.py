"""Demo return case for ``make run`` (clause 8): one request from Japan for two persons,
shared with Tajikistan and the Embassy, acknowledged, with steps recorded for both (one
returned). Run twice, it adds nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from notices.models import ReturnRequest
from portal.records import services as kit
from portal.timezones import today_in

from . import services

PERSONS = [
    {
        "full_name": "Rahimov Sherzod",
        "date_of_birth": dt.date(1996, 4, 12),
        "residence_status": "ssw_i",
        "whereabouts": "Aichi Prefecture, Nagoya: staying with a friend after leaving the employer.",
        "reason": "The employer closed; no new employer was found within the period of stay.",
        "dependants": "",
    },
    {
        "full_name": "Nazarova Dilnoza",
        "date_of_birth": dt.date(1993, 9, 3),
        "residence_status": "ssw_ii",
        "whereabouts": "Osaka Prefecture, Sakai: the receiving organization's dormitory.",
        "reason": "Wishes to return for family reasons.",
        "dependants": "A son, 4 years old.",
    },
]


def seed(users) -> None:
    if ReturnRequest.objects.exists():
        return
    today = today_in("JP")
    with transaction.atomic():
        record = services.create_request(users["jp-contact"], persons=PERSONS)
        kit.acknowledge(record, users["tj-contact"])
        first, second = record.persons.order_by("number")
        embassy = users["embassy-viewer"]
        for person, steps in (
            (first, [("contacted", 20), ("document_applied", 15), ("document_issued", 9), ("returned", 2)]),
            (second, [("contacted", 12), ("identity_confirmed", 10)]),
        ):
            for kind, days in steps:
                actor = embassy if kind.startswith("document") else users["tj-officer"]
                services.record_step(
                    record, actor, person=person.pk, kind=kind, on=today - dt.timedelta(days=days)
                )
