from django import template

from portal.i18n import localized

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
    """A published row's name for a reader of ``language``, by the portal's one naming
    rule (``portal.i18n``; the Tajik name is always there)."""
    return localized(row, "name", language)
