from django import template

from ..choices import AgencyStatus, RevocationReason

register = template.Library()


@register.filter
def status_label(code: str) -> str:
    try:
        return AgencyStatus(code).label
    except ValueError:
        return code


@register.filter
def reason_label(code: str) -> str:
    try:
        return RevocationReason(code).label if code else ""
    except ValueError:
        return code


@register.filter
def sector_names(codes, names: dict) -> str:
    return ", ".join(names.get(code, code) for code in codes)


@register.filter
def agency_name(row: dict, language: str) -> str:
    """The agency's name in the reader's script, then Tajik (always present)."""
    preferred = {"ja": ("name_ja", "name_en"), "en": ("name_en",), "ru": ("name_ru",), "tg": ("name_tg",)}
    for field in preferred.get(language, ()):
        if row.get(field):
            return row[field]
    return row.get("name_tg", "")
