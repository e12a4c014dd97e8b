"""How every page shows a time: on the reader's clock, saying which clock it is.

``{{ value|when }}`` → ``<time datetime="2026-12-06T14:05:00+05:00">2026-12-06 14:05
(UTC+5)</time>``; ``{{ value|when:"seconds" }}`` adds the seconds (the audit trail).
``{{ value|day }}`` → ``<time datetime="2026-12-06">2026-12-06</time>``, a datetime's
date taken in the reader's zone. The zone is the one active for the request
(``portal.middleware.TimeZoneMiddleware``, ``portal.timezones``). Both return safe
HTML, so they can be passed to ``{% blocktranslate with … %}``.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.html import format_html

from portal.timezones import offset_label

register = template.Library()


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter(is_safe=True)
def when(value, precision: str = "minutes") -> str:
    """A moment with its zone, in one format everywhere."""
    if not isinstance(value, dt.datetime):
        return ""
    local = _local(value)
    shown = local.strftime("%Y-%m-%d %H:%M:%S" if precision == "seconds" else "%Y-%m-%d %H:%M")
    if timezone.is_aware(local):
        shown = f"{shown} ({offset_label(local)})"
    return format_html('<time datetime="{}">{}</time>', local.isoformat(timespec="seconds"), shown)


@register.filter(is_safe=True)
def day(value) -> str:
    """A date; a datetime's date as it is on the reader's clock."""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    if not isinstance(value, dt.date):
        return ""
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), value.isoformat())
