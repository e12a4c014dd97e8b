"""The brokers app's home card: how promptly reports are shared and acknowledged (4(1))."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.hooks import is_third_party_user
from portal.models import Side

from . import services


def _months(now) -> tuple[str, str]:
    """This month and last month, ``YYYY-MM``, on the reader's clock (the active zone)."""
    local = timezone.localtime(now)
    this = local.strftime("%Y-%m")
    first = local.replace(day=1)
    last = (first - dt.timedelta(days=1)).strftime("%Y-%m")
    return this, last


def promptness(user, *, now=None) -> dict | None:
    """The medians of creation → sharing and sharing → acknowledgement per reporting side
    for this month and last month, over the reports the officer may read; nothing for a
    third party (the card would tell it how many reports it cannot read)."""
    organization = getattr(user, "organization", None)
    if organization is None or organization.side_id is None or is_third_party_user(user):
        return None
    now = now or timezone.now()
    months = _months(now)
    names = {side.country: side.name for side in Side.objects.all()}
    figures = [
        {**vars(row), "side_name": names.get(row.side, row.side)}
        for row in services.promptness(user, months=2, now=now)
        if row.month in months
    ]
    return {"figures": figures, "months": months}
