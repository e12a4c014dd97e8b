"""The filters of the return requests' list: by reference and state only. Never by a
person's name, date of birth or whereabouts: a filter is an oracle, and a reader who
sees the mask would learn from the rows it keeps what the mask hides."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from notices.models import ReturnRequest
from portal.filters import PortalFilterSet

from .choices import ReturnState


class ReturnFilterSet(PortalFilterSet):
    reference = django_filters.CharFilter(
        field_name="reference", lookup_expr="iexact", label=_("Reference"), max_length=32
    )
    state = django_filters.ChoiceFilter(choices=ReturnState.choices, label=_("State"), empty_label=_("All"))

    class Meta:
        model = ReturnRequest
        fields = ["reference", "state"]
