"""The filters of the fraud report list (``portal.filters``: related choices restricted
to the user, an invalid filter selects nothing, and the filters on a part a third party
may have withheld — the kind and test are the reporting side's, the stage the receiving
side's — are dropped for it)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from portal.filters import PortalFilterSet

from ..choices import FraudKind, FraudStage
from ..models import Exam, FraudReport


class FraudFilterSet(PortalFilterSet):
    reference = django_filters.CharFilter(lookup_expr="icontains", label=_("Reference"), max_length=32)
    kind = django_filters.ChoiceFilter(
        choices=FraudKind.choices, label=_("Kind of fraud"), empty_label=_("All")
    )
    exam = django_filters.ModelChoiceFilter(
        field_name="exam",
        queryset=Exam.objects.order_by("sort_order", "id"),
        label=_("Test"),
        empty_label=_("All"),
    )
    stage = django_filters.ChoiceFilter(choices=FraudStage.choices, label=_("Stage"), empty_label=_("All"))

    class Meta:
        model = FraudReport
        fields = ["reference", "kind", "exam", "stage"]
