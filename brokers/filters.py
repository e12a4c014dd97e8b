"""The filters of the report list, its CSV and its PDF (``portal.filters``: related
choices restricted to the user, an invalid filter selects nothing, and the filters on a
part a third party may have withheld are dropped for it)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.filters import PortalFilterSet
from portal.models import Side

from .choices import Category, ReportStage
from .models import Broker, MisconductReport

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _brokers(request):
    """Brokers the user may read (``restrict_choices`` narrows them to the user); a
    merged record answers as the broker it was merged into, so it is not offered."""
    return Broker.objects.filter(merged_into__isnull=True).order_by("name", "id")


class ReportFilterSet(PortalFilterSet):
    reference = django_filters.CharFilter(lookup_expr="icontains", label=_("Reference"), max_length=32)
    # ``field_name`` names the field each filter reads, so that a reader for whom that
    # part may be withheld (a third party) is not offered it (``withheld_filters``).
    category = django_filters.ChoiceFilter(
        field_name="categories",
        choices=Category.choices,
        label=_("Category of misconduct"),
        empty_label=_("All"),
        method="filter_category",
    )
    side = django_filters.ModelChoiceFilter(
        field_name="origin__side",
        queryset=Side.objects.order_by("id"),
        label=_("Reporting side"),
        empty_label=_("All"),
    )
    stage = django_filters.ChoiceFilter(choices=ReportStage.choices, label=_("Stage"), empty_label=_("All"))
    period_from = django_filters.DateFilter(
        field_name="period_to",
        method="filter_period_from",
        label=pgettext_lazy("misconduct period", "Period from"),
        widget=DATE,
    )
    period_to = django_filters.DateFilter(
        field_name="period_from",
        method="filter_period_to",
        label=pgettext_lazy("misconduct period", "Period until"),
        widget=DATE,
    )
    broker = django_filters.ModelChoiceFilter(
        field_name="brokers",
        queryset=_brokers,
        label=_("Broker named"),
        empty_label=_("All"),
        method="filter_broker",
    )

    class Meta:
        model = MisconductReport
        fields = ["reference", "category", "side", "stage", "period_from", "period_to", "broker"]

    def filter_category(self, queryset, name, value):
        return queryset.filter(categories__contains=value)

    # The misconduct's period overlaps the one asked for; a report that gives only one
    # end of its period is read as that one day.
    def filter_period_from(self, queryset, name, value):
        return queryset.alias(_period_end=Coalesce("period_to", "period_from")).filter(_period_end__gte=value)

    def filter_period_to(self, queryset, name, value):
        return queryset.alias(_period_start=Coalesce("period_from", "period_to")).filter(
            _period_start__lte=value
        )

    def filter_broker(self, queryset, name, value):
        # The broker and the records merged into it: the same reports its page lists.
        named = MisconductReport.brokers.through.objects.filter(
            Q(broker=value) | Q(broker__merged_into=value)
        )
        return queryset.filter(pk__in=named.values("misconductreport_id"))
