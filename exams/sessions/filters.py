"""The filters of the test sessions' list: the test, and the year a session began in
(``portal.filters``: an invalid filter selects nothing)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from portal.filters import PortalFilterSet

from ..models import Exam, ExamSession


class SessionFilterSet(PortalFilterSet):
    exam = django_filters.ModelChoiceFilter(
        label=_("Test"), queryset=Exam.objects.all(), empty_label=_("All")
    )
    year = django_filters.NumberFilter(
        label=_("Year"), field_name="starts_on", lookup_expr="year", min_value=2000, max_value=2100
    )

    class Meta:
        model = ExamSession
        fields = ["exam", "year"]
