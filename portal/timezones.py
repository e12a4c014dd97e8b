"""Whose clock a time is read on: each side's time zone, and the dates computed from it.

Tajikistan is UTC+5 and Japan UTC+9, so "today" differs between them for four hours a
day, and a time shown without its zone is read on the wrong clock. The rule:

- a signed-in officer of a side sees every time in that side's zone
  (``portal.middleware.TimeZoneMiddleware`` activates it for the request);
- a third party and the public see Japan's zone (``settings.TIME_ZONE``): the
  Memorandum's portal is Japan's, third parties are Japanese ministries, prefectures
  and embassies in Tokyo, and the published lists already said "JST";
- every displayed time says which zone it is in (``{{ value|when }}``, ``portal.
  templatetags.times``), so nobody has to know the rule to read a time right;
- a date computed from "now" by a service (an event's effective date, "is the due date
  in the future?") is the acting side's date (``today_for(actor)``), and a daily sweep
  uses the date of the side whose decision it applies (``today_in(country)``);
- an e-mail is rendered in its recipient's zone (``override_for(user)``);
- the API keeps ISO 8601 with its offset, so a machine needs no rule at all.

The zones are settings (``PORTAL_SIDE_TIME_ZONES``, by the side's ISO country code),
not code: another memorandum's partner is one more entry.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import lru_cache

from django.conf import settings
from django.utils import timezone

#: The session key under which the middleware remembers a user's zone (with the
#: organization it was computed for), so that a page costs no query for it.
SESSION_KEY = "portal_time_zone"


@lru_cache(maxsize=32)
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def default_zone() -> zoneinfo.ZoneInfo:
    """Japan's zone: third parties', the public's and the background tasks'."""
    return _zone(settings.TIME_ZONE)


def zone_for_country(country: str | None) -> zoneinfo.ZoneInfo:
    """The zone of the side whose ISO country code is ``country``."""
    name = getattr(settings, "PORTAL_SIDE_TIME_ZONES", {}).get((country or "").upper())
    return _zone(name) if name else default_zone()


def country_of(user) -> str | None:
    """The ISO code of the side ``user``'s organization belongs to; None for a third
    party, an anonymous visitor or a user without an organization."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.organization_id:
        return None
    from .models import Organization

    return (
        Organization.objects.filter(pk=user.organization_id).values_list("side__country", flat=True).first()
    )


def zone_for(user) -> zoneinfo.ZoneInfo:
    """The zone ``user`` reads times in: their side's, else Japan's."""
    return zone_for_country(country_of(user))


def today_in(country: str | None) -> dt.date:
    """Today's date on the clock of the side with this country code."""
    return timezone.localdate(timezone=zone_for_country(country))


def today_for(actor) -> dt.date:
    """Today on the acting user's side's clock (a service's "effective on" and "must be
    in the future"); without a user (a task), on the zone active now."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return timezone.localdate()
    return timezone.localdate(timezone=zone_for(actor))


def override_for(user) -> timezone.override:
    """``with override_for(user):`` renders dates and times in ``user``'s zone."""
    return timezone.override(zone_for(user))


def offset_label(value: dt.datetime) -> str:
    """``UTC+5``, ``UTC+9``, ``UTC+5:30``, ``UTC``: a zone named by its offset, which
    reads the same in every language (Dushanbe's zone has no abbreviation)."""
    offset = value.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if not minutes:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
