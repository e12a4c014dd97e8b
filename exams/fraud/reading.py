"""What a reader sees of a fraud report's rows: the persons named (the reporting side's
part: none for a reader who may not read it, such as a third party holding only the
receiving side's consent) and the brokers linked (only those the reader may read
through ``Broker.objects.restrict``, and of them what it may read). The page, the API
and the demo read through here (as ``notices/consultations/reading.py``)."""

from __future__ import annotations

from brokers.models import Broker
from portal.disclosure import hidden_fields, prefetch_consents

from ..models import FraudReport, FraudReportPerson


def _record(report) -> FraudReport:
    return getattr(report, "_obj", report)  # a Disclosed view: the record itself


def persons_of(report, user):
    """The persons named, for ``user``: none where the reporting side's part is withheld."""
    record = _record(report)
    if "persons" in hidden_fields(user, record):
        return FraudReportPerson.objects.none()
    return record.persons.all()


def brokers_shown(report, user) -> list[Broker]:
    """The brokers linked that ``user`` may read (and whose names it may read)."""
    record = _record(report)
    if "brokers" in hidden_fields(user, record):
        return []
    linked = list(record.brokers.all())
    if not linked:
        return []
    readable = list(
        Broker.objects.restrict(user).filter(pk__in=[broker.pk for broker in linked]).order_by("name", "id")
    )
    prefetch_consents(readable, user)
    return [broker for broker in readable if "name" not in hidden_fields(user, broker)]
