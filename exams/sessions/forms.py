"""The form of a test session's pages (record, change). The service decides the rest:
the last day before the first, a year outside 2000–2100, who may change it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms_base import PortalForm

from ..models import Exam
from .services import FIRST_YEAR, LAST_YEAR

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SessionForm(PortalForm):
    exam = forms.ModelChoiceField(label=_("Test"), queryset=Exam.objects.all())
    starts_on = forms.DateField(
        label=_("First day"),
        widget=DATE,
        error_messages={"invalid": _("First day: not a date that exists (write it as YYYY-MM-DD).")},
    )
    ends_on = forms.DateField(
        label=_("Last day"),
        widget=DATE,
        error_messages={"invalid": _("Last day: not a date that exists (write it as YYYY-MM-DD).")},
    )
    city = forms.CharField(label=_("City"), max_length=100)
    venue = forms.CharField(label=_("Venue"), max_length=300)
    body = forms.CharField(
        label=_("Administering body"),
        max_length=300,
        required=False,
        help_text=_("Left empty, the test's administering body."),
    )
    candidates = forms.IntegerField(
        label=_("Number of candidates"),
        required=False,
        min_value=0,
        error_messages={"min_value": _("Number of candidates: it cannot be negative.")},
    )

    def clean(self):
        data = super().clean()
        for name in ("starts_on", "ends_on"):
            value = data.get(name)
            if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
                self.add_error(
                    name,
                    _("The year must be between %(first)d and %(last)d.")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR},
                )
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        return data

    def facts(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.fields}
