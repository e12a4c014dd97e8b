"""A place's name in the reader's language, from the text a record stores."""

from __future__ import annotations

import time

from portal.i18n import localized

#: Seconds a process keeps the table (tens of rows) before reading it again. A page
#: names a place once or twice a row, so the table lives in the process: no query and
#: no round trip a name, and nothing that waits on Redis (a silent Redis must not hold
#: a page, tests/test_redis_faults.py). Saving or deleting a place drops the table of
#: the process that did it at once; the other processes read it again within this.
TTL_SECONDS = 60
_table: dict = {"renderings": None, "at": 0.0}


def normalized(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def renderings() -> dict[str, dict[str, str]]:
    """``{normalized spelling: {"name_ja": …, "name_en": …, "name_ru": …, "name_tg": …}}``."""
    table = _table["renderings"]
    if table is not None and time.monotonic() - _table["at"] < TTL_SECONDS:
        return table
    from .models import Place

    table = {}
    for place in Place.objects.all():
        names = {f"name_{code}": getattr(place, f"name_{code}") for code in ("ja", "en", "ru", "tg")}
        for spelling in place.spellings():
            table.setdefault(normalized(spelling), names)
    _table.update(renderings=table, at=time.monotonic())
    return table


class _Names:
    def __init__(self, names: dict[str, str]):
        self.__dict__.update(names)


def place_name(text: str, language: str | None = None) -> str:
    """``text`` (a region or city as a record stores it) in ``language`` (the active one
    by default) by the portal's naming rule, ``portal.i18n.localized``; as stored when
    no place is known by that text."""
    if not text:
        return text
    names = renderings().get(normalized(text))
    if names is None:
        return text
    return localized(_Names(names), "name", language) or text


def forget(**kwargs) -> None:
    _table["renderings"] = None


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from .models import Place

    post_save.connect(forget, sender=Place, dispatch_uid="places.forget.save")
    post_delete.connect(forget, sender=Place, dispatch_uid="places.forget.delete")
