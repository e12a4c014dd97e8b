"""The filters of the suspensions' list (``portal.filters``: an invalid filter selects
nothing; the list is already restricted to what its reader may read)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from agencies.models import Sector
from notices.models import AcceptanceSuspension
from portal.filters import PortalFilterSet

from .choices import SuspensionState


class SuspensionFilterSet(PortalFilterSet):
    sector = django_filters.ModelChoiceFilter(
        label=_("SSW sector"), queryset=Sector.objects.order_by("sort_order", "id"), empty_label=_("All")
    )
    state = django_filters.ChoiceFilter(
        choices=SuspensionState.choices, label=_("State"), empty_label=_("All")
    )

    class Meta:
        model = AcceptanceSuspension
        fields = ["sector", "state"]
