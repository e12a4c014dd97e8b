"""The filters of the improvement orders' list (``portal.filters``: an invalid filter
selects nothing; the list is already restricted to what its reader may read)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from agencies.models import Sector
from notices.models import ImprovementOrder
from notices.prefectures import prefecture_choices
from portal.filters import PortalFilterSet

from .choices import OrderState

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrderFilterSet(PortalFilterSet):
    organization = django_filters.CharFilter(
        label=_("Receiving organization"),
        help_text=_("Part of its name, its corporate number or the order's reference."),
        method="filter_organization",
        max_length=300,
    )
    prefecture = django_filters.ChoiceFilter(label=_("Prefecture"), empty_label=_("All"), choices=[])
    sector = django_filters.ModelChoiceFilter(
        label=_("SSW sector"), queryset=Sector.objects.order_by("sort_order", "id"), empty_label=_("All")
    )
    issued_from = django_filters.DateFilter(
        field_name="issued_on", lookup_expr="gte", label=_("Issued from"), widget=DATE
    )
    issued_to = django_filters.DateFilter(
        field_name="issued_on", lookup_expr="lte", label=_("Issued until"), widget=DATE
    )
    state = django_filters.ChoiceFilter(choices=OrderState.choices, label=_("State"), empty_label=_("All"))

    class Meta:
        model = ImprovementOrder
        fields = ["organization", "prefecture", "sector", "issued_from", "issued_to", "state"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "prefecture" in self.filters:  # dropped for a reader who may have it withheld
            self.filters["prefecture"].extra["choices"] = prefecture_choices(get_language())

    def filter_organization(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        match = Q(organization_name__icontains=value) | Q(reference__iexact=value)
        if value.isdigit():
            match |= Q(corporate_number=value)
        return queryset.filter(match)
