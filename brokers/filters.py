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
    # A text field, not a drop-down: an officer may read tens of thousands of brokers
    # (docs/benchmarks.md: an 18,000-option select made the page 4-8 s). The broker's
    # page links here with its id; an officer types a reference.
    broker = django_filters.CharFilter(
        field_name="brokers",
        label=_("Broker named (reference)"),
        help_text=_("For example TJ-BRO-2026-0001."),
        max_length=32,
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
        """Reports naming the broker (or a record merged into it) with this reference or
        id, if the user may read it: a hidden broker and a missing one both select
        nothing, so the filter cannot tell which exist."""
        value = value.strip()
        if not value:
            return queryset
        match = Q(reference__iexact=value) | (
            Q(pk=int(value)) if value.isdigit() and len(value) < 19 else Q(pk__in=[])
        )
        broker = Broker.objects.restrict(self.request.user).filter(match).values("pk")
        named = MisconductReport.brokers.through.objects.filter(
            Q(broker__in=broker) | Q(broker__merged_into__in=broker)
        )
        return queryset.filter(pk__in=named.values("misconductreport_id"))
