"""Template filters for the shared form include (``templates/includes/form.html``)."""

from django import template

from portal import forms_base

register = template.Library()


@register.filter
def error_links(form) -> list[tuple[str, str]]:
    return forms_base.error_links(form)


@register.filter
def widget(field) -> str:
    return forms_base.widget_html(field)
