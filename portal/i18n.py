"""The portal's one naming rule (DESIGN.md, principle 8; docs/naming.md).

Names are stored in the scripts they are written in: ``name_ja``, ``name_en`` (English,
or for a sending agency its name in Latin script), ``name_ru``, ``name_tg``. Every page,
e-mail, PDF, inbox item and API display field shows a record's name through
``localized`` (or ``pick`` for renderings already copied out of a record, such as an
inbox item's parameters or a published snapshot), so that one reader sees one name for
one thing everywhere.

The rule: the reader's own language if the record has a name in it, else the first
rendering in ``FALLBACKS[language]`` that it has. One table for every kind of record
(sides, organizations, sending agencies, sectors, memoranda, any MultilingualName),
chosen by what each reader can read:

- **ja → ja, en, ru, tg.** A Japanese officer reads the Latin script (foreign names are
  romanised in Japan's own documents and passports) but rarely Cyrillic; Russian before
  Tajik because a Russian spelling is the more likely to be recognised from other
  documents.
- **en → en, ru, tg, ja.** Latin first; then Russian, the language the partner
  ministries use with foreign partners; Japanese last, as an English reader is the least
  likely to read it (every Japanese organization has an English name anyway).
- **ru → ru, tg, en, ja.** Cyrillic first: a Russian reader reads a Tajik name written
  in Cyrillic (and most Tajik organization names are close to their Russian ones).
- **tg → tg, ru, en, ja.** Tajik officers read Russian; then Latin.

Every language ends with every other, so a record that has a name in any script always
shows one (a sending agency's ``name_tg`` is required, so it never shows an empty
name).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGE_CODES = ("ja", "en", "ru", "tg")
#: The naming rule: which stored rendering a reader of each language sees, in order of
#: preference (the reasons are in the module's docstring and docs/naming.md).
FALLBACKS: dict[str, tuple[str, ...]] = {
    "ja": ("ja", "en", "ru", "tg"),
    "en": ("en", "ru", "tg", "ja"),
    "ru": ("ru", "tg", "en", "ja"),
    "tg": ("tg", "ru", "en", "ja"),
}


def language_code(language: str | None = None) -> str:
    """One of ``LANGUAGE_CODES``: the given or active language without its region
    (``ru-RU`` → ``ru``); the default language for one the portal does not speak."""
    code = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
    return code if code in FALLBACKS else settings.LANGUAGE_CODE


def pick(renderings: Mapping[str, str] | None, language: str | None = None) -> str:
    """The rendering the rule chooses from ``{"ja": …, "en": …, "ru": …, "tg": …}`` for a
    reader of ``language`` (the active language by default); ``""`` if all are empty."""
    if not renderings:
        return ""
    for code in FALLBACKS[language_code(language)]:
        value = renderings.get(code)
        if value:
            return str(value)
    return ""


def renderings(obj: object, field: str = "name") -> dict[str, str]:
    """The non-empty renderings ``<field>_<lang>`` of a record (or of a row read as a
    dict, such as a published snapshot's), keyed by language: what an inbox item stores
    so that it shows the name in its reader's language when read."""
    if isinstance(obj, Mapping):
        values = {code: obj.get(f"{field}_{code}") for code in LANGUAGE_CODES}
    else:
        values = {code: getattr(obj, f"{field}_{code}", "") for code in LANGUAGE_CODES}
    return {code: str(value) for code, value in values.items() if value}


def localized(obj: object, field: str = "name", language: str | None = None) -> str:
    """``obj``'s ``field`` (``name``, ``title``, ``summary``…) as the rule chooses it for a
    reader of ``language`` (the active language by default)."""
    if obj is None:
        return ""
    return pick(renderings(obj, field), language)


def request_language(request) -> str:
    """The language a request asks for: ``?lang=`` when it names one of the portal's
    languages (as on the public pages), else what LocaleMiddleware chose from the
    cookie or ``Accept-Language``."""
    requested = getattr(request, "GET", {}).get("lang", "") if request is not None else ""
    if requested in FALLBACKS:
        return requested
    return language_code(getattr(request, "LANGUAGE_CODE", None))


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
        """The name in the reader's language, by the portal's one rule (``localized``)."""
        return localized(self, "name")
