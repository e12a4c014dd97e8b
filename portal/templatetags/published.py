"""Filters of the published lists' templates: names of the codes a version's content
carries in four languages (``page_context`` gives them in the reader's language)."""

from django import template

register = template.Library()


@register.filter
def named(names: dict, code):
    """``{{ prefecture_names|named:row.prefecture }}``: the name, or the code itself."""
    if not code:
        return ""
    return (names or {}).get(code, code)


@register.filter
def named_all(codes, names: dict) -> str:
    """``{{ row.languages|named_all:language_names }}``: the names, comma-separated."""
    return ", ".join((names or {}).get(code, code) for code in codes or ())


@register.filter
def diff_count(diff: dict, kind: str) -> int:
    return len((diff or {}).get(kind, ()))
