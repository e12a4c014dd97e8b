"""The filters of the inquiries' list (``portal.filters``: an invalid filter selects
nothing; the list is already restricted to what its reader may read).

Whether an inquiry is answered is the answering side's part: the status filter is
declared on ``answered_at`` so that ``portal.filters.withheld_filters`` drops it for a
third party, who could otherwise learn by filtering what it may not read."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notices.models import Inquiry
from portal.filters import PortalFilterSet

from .querysets import ANSWERED, OPEN, OVERDUE, by_status

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ASKED, RECEIVED = "asked", "received"


class InquiryFilterSet(PortalFilterSet):
    reference = django_filters.CharFilter(
        label=_("Reference or subject"), method="filter_reference", max_length=300
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        field_name="answered_at",
        choices=[(OPEN, _("Open")), (ANSWERED, _("Answered")), (OVERDUE, _("Overdue"))],
        method="filter_status",
        empty_label=_("All"),
    )
    side = django_filters.ChoiceFilter(
        label=_("Side"),
        choices=[(ASKED, _("Asked by our side")), (RECEIVED, _("Asked of our side"))],
        method="filter_side",
        empty_label=_("All"),
    )
    asked_from = django_filters.DateFilter(
        field_name="shared_at", lookup_expr="date__gte", label=_("Asked from"), widget=DATE
    )
    asked_to = django_filters.DateFilter(
        field_name="shared_at", lookup_expr="date__lte", label=_("Asked until"), widget=DATE
    )

    class Meta:
        model = Inquiry
        fields = ["reference", "status", "side", "asked_from", "asked_to"]

    def filter_reference(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(reference__iexact=value) | Q(subject__icontains=value))

    def filter_status(self, queryset, name, value):
        return by_status(queryset, value)

    def filter_side(self, queryset, name, value):
        organization = getattr(self.request.user, "organization", None)
        side_id = organization.side_id if organization is not None else None
        if side_id is None:
            return queryset.none()
        mine = Q(origin__side_id=side_id)
        return queryset.filter(mine if value == ASKED else ~mine)
