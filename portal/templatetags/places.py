"""``{{ agency.region|place }}``: a region or city as a record stores it, in the
reader's language (``portal.places``)."""

from django import template

from portal.places.names import place_name

register = template.Library()


@register.filter
def place(text: str) -> str:
    return place_name(text)
