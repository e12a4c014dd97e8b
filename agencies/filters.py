"""The filter sets of the register's pages (``portal.filters``: related choices are
restricted to the user, an invalid filter selects nothing)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from portal.filters import PortalFilterSet, SearchFilter

from .choices import AgencyStatus, InvestigationStatus
from .models import Investigation, Sector, SendingAgency


class AgencyFilterSet(PortalFilterSet):
    q = SearchFilter(label=_("Name or number (any script)"))
    status = django_filters.ChoiceFilter(
        choices=AgencyStatus.choices, label=_("Status"), empty_label=_("All")
    )
    # By code, as the links that already name a sector do (?sector=nursing-care).
    sector = django_filters.ModelChoiceFilter(
        field_name="sectors",
        to_field_name="code",
        queryset=Sector.objects.all(),
        label=_("SSW sector"),
        empty_label=_("All"),
    )
    region = django_filters.CharFilter(lookup_expr="icontains", label=_("Region"), max_length=100)

    class Meta:
        model = SendingAgency
        fields = ["q", "status", "sector", "region"]


def _investigated_agencies(request):
    """Only agencies with an investigation the user may see: a drop-down of the whole
    register would be long, and one of every agency ever investigated would tell which
    were. (``restrict_choices`` then restricts the agencies themselves.)"""
    user = getattr(request, "user", None)
    if user is None:
        return SendingAgency.objects.none()
    return SendingAgency.objects.filter(pk__in=Investigation.objects.restrict(user).values("agency_id"))


class InvestigationFilterSet(PortalFilterSet):
    reference = django_filters.CharFilter(lookup_expr="icontains", label=_("Reference"), max_length=32)
    stage = django_filters.ChoiceFilter(
        choices=InvestigationStatus.choices, label=_("Stage"), empty_label=_("All")
    )
    agency = django_filters.ModelChoiceFilter(
        queryset=_investigated_agencies, label=_("Sending agency"), empty_label=_("All")
    )

    class Meta:
        model = Investigation
        fields = ["reference", "stage", "agency"]
