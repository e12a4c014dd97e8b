"""Template filters of the shared-record panels."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def duration(value: dt.timedelta | None) -> str:
    """A delay as an officer reads it: "45 min", "3 h 20 min", "2 days 4 h"."""
    if not isinstance(value, dt.timedelta):
        return ""
    minutes = max(int(value.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        text = ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
        return text + " " + _("%(count)d h") % {"count": hours} if hours else text
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(count)d min") % {"count": minutes}


@register.filter
def app_label(obj) -> str:
    return obj._meta.app_label


@register.filter
def model_name(obj) -> str:
    return obj._meta.model_name
