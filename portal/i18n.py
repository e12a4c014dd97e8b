"""Helpers for names stored in every interface language (DESIGN.md, principle 8)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGE_CODES = ("ja", "en", "ru", "tg")
#: Which stored rendering to fall back to when the active language's one is empty.
FALLBACKS = {"ja": ("ja", "en"), "en": ("en",), "ru": ("ru", "en"), "tg": ("tg", "ru", "en")}


def localized(obj: object, field: str, language: str | None = None) -> str:
    """``obj.<field>_<lang>`` for the active language, falling back sensibly."""
    lang = (language or get_language() or "en").split("-")[0]
    for code in FALLBACKS.get(lang, ("en",)):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value
    return getattr(obj, f"{field}_en", "")


class MultilingualName(models.Model):
    """A name stored in Japanese, English, Russian and Tajik."""

    name_ja = models.CharField(_("Name in Japanese"), max_length=300, blank=True)
    name_en = models.CharField(_("Name in English"), max_length=300)
    name_ru = models.CharField(_("Name in Russian"), max_length=300, blank=True)
    name_tg = models.CharField(_("Name in Tajik"), max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")
