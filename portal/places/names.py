"""A place's name in the reader's language, from the text a record stores."""

from __future__ import annotations

from django.core.cache import cache

from portal.i18n import localized

#: One cache entry for the whole table (tens of rows): every page that names a place
#: reads it without a query; saving or deleting a place drops it (Redis in production,
#: so every process sees the change; the embedded mode runs one process).
CACHE_KEY = "places:renderings:v1"


def normalized(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def renderings() -> dict[str, dict[str, str]]:
    """``{normalized spelling: {"name_ja": …, "name_en": …, "name_ru": …, "name_tg": …}}``."""
    table = cache.get(CACHE_KEY)
    if table is None:
        from .models import Place

        table = {}
        for place in Place.objects.all():
            names = {f"name_{code}": getattr(place, f"name_{code}") for code in ("ja", "en", "ru", "tg")}
            for spelling in place.spellings():
                table.setdefault(normalized(spelling), names)
        cache.set(CACHE_KEY, table, None)
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
    cache.delete(CACHE_KEY)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from .models import Place

    post_save.connect(forget, sender=Place, dispatch_uid="places.forget.save")
    post_delete.connect(forget, sender=Place, dispatch_uid="places.forget.delete")
