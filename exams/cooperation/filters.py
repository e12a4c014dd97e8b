"""The filters of the cooperation requests' list (``portal.filters``: an invalid filter
selects nothing; the list is already restricted to what its reader may read).

The stage is the partner side's part (its answer moves it): declared on ``stage``, the
filter is dropped for a third party by ``portal.filters.withheld_filters``, who could
otherwise learn by filtering what it may not read."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.filters import PortalFilterSet

from ..choices import CooperationKind, CooperationStage
from ..models import CooperationRequest, Exam


class CooperationFilterSet(PortalFilterSet):
    reference = django_filters.CharFilter(
        label=_("Reference or subject"), method="filter_reference", max_length=300
    )
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), field_name="stage", choices=CooperationStage.choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Cooperation asked for"), choices=CooperationKind.choices, empty_label=_("All")
    )
    exam = django_filters.ModelChoiceFilter(
        label=_("Test"), queryset=Exam.objects.all(), empty_label=_("All")
    )

    class Meta:
        model = CooperationRequest
        fields = ["reference", "stage", "kind", "exam"]

    def filter_reference(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        organization = getattr(getattr(self.request, "user", None), "organization", None)
        if organization is None or organization.is_third_party:
            # The subject is the requesting side's part: a third party may hold only
            # the other side's consent, so it finds a request by its reference alone.
            return queryset.filter(reference__iexact=value)
        return queryset.filter(Q(reference__iexact=value) | Q(subject__icontains=value))
