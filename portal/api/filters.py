"""The API's filter backend: django-filter, with every choice of a related-object filter
narrowed to the caller's scope (``restrict()``). A module of its own because DRF imports
it while building its generic views."""

from __future__ import annotations

from django_filters import rest_framework as filters


def restricted(queryset, request, action: str = "view"):
    """``queryset`` narrowed to what the request's user may ``action``, when its model
    has a rule; reference data without one is left as it is."""
    if not hasattr(queryset, "restrict"):
        return queryset
    user = getattr(request, "user", None)
    if user is None:
        return queryset.none()
    return queryset.restrict(user, action)


class RestrictedFilterBackend(filters.DjangoFilterBackend):
    """django-filter, with every choice of a related-object filter narrowed to the
    caller's scope: the browsable API's drop-downs name only what the caller may see,
    and ``?agency=<hidden id>`` is refused exactly like ``?agency=<missing id>``."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            for item in filterset.filters.values():
                if isinstance(item, filters.ModelChoiceFilter | filters.ModelMultipleChoiceFilter):
                    base = item.queryset
                    item.queryset = lambda req, base=base: restricted(base.all(), req)
        return filterset
