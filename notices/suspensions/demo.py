"""Demo suspensions for ``make run``: one temporary suspension of acceptance Japan
recorded in the fishery sector and lifted three months later, so that the public
suspensions list and its versions show a whole life. None is left in force: a demo
suspension in force would mark a sector on every public list of the demo. Run twice,
it adds nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from notices.models import AcceptanceSuspension
from portal.records import services as kit

from . import services


def seed(users) -> None:
    if AcceptanceSuspension.objects.exists():
        return
    today = timezone.localdate()
    with transaction.atomic():
        suspension = services.record_suspension(
            users["jp-officer"],
            sector="fishery",
            suspended_from=today - dt.timedelta(days=120),
            reason="受入れ見込数に達したため。\nThe expected number of workers in the sector was reached.",
            those_in_japan="在留中の特定技能外国人は、引き続き在留・就労できます。"
            "\nSpecified Skilled Workers already in Japan keep their status and may change employer "
            "within the sector.",
            internal_notes="Announced by the ISA on its website the same day.",
        )
        kit.acknowledge(suspension, users["tj-contact"])
        services.lift_suspension(
            suspension,
            users["jp-officer"],
            lifted_on=today - dt.timedelta(days=30),
            reason="The labour shortage in the sector returned.",
        )
