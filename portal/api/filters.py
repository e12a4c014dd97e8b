"""The API's filter backend: django-filter, with every choice of a related-object filter
narrowed to the caller's scope (``restrict()``), by the same ``restrict_choices`` as the
pages' filter sets (``portal.filters``). A module of its own because DRF imports it
while building its generic views."""

from __future__ import annotations

from django_filters import rest_framework as filters

from ..filters import restrict_choices, restricted

__all__ = ["RestrictedFilterBackend", "restricted"]


class RestrictedFilterBackend(filters.DjangoFilterBackend):
    """django-filter, with every choice of a related-object filter narrowed to the
    caller's scope: the browsable API's drop-downs name only what the caller may see,
    and ``?agency=<hidden id>`` is refused (400) exactly like ``?agency=<missing id>``."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            restrict_choices(filterset, request)
        return filterset
