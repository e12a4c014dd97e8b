"""The period of the statistics: from and to a month (``YYYY-MM``), the last twelve
months when none is given. The page and the API read it through this one form, so that
a bad or reversed period gets the same clear message in both."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.timezones import default_zone

from .figures import MAX_MONTHS, add_months, default_period, months_between


class MonthField(forms.CharField):
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, for example 2026-04.")}

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        try:
            month = dt.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not 2000 <= month.year <= 2099:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return month


class PeriodForm(forms.Form):
    """The query names the months ``from`` and ``to`` (``add_prefix``): ``from`` is a
    Python keyword, so the fields are ``start`` and ``end``."""

    start = MonthField(label=_("From (month)"), required=False, help_text=_("YYYY-MM"))
    end = MonthField(label=_("To (month)"), required=False, help_text=_("YYYY-MM"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start"].widget.attrs.update(
            placeholder="2026-01", inputmode="numeric", pattern=r"\d{4}-\d{2}"
        )
        self.fields["end"].widget.attrs.update(
            placeholder="2026-12", inputmode="numeric", pattern=r"\d{4}-\d{2}"
        )

    def add_prefix(self, field_name):
        return {"start": "from", "end": "to"}.get(field_name, field_name)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        today = dt.datetime.now(default_zone()).date()
        default_start, default_end = default_period(today)
        end = cleaned.get("end") or default_end
        start = cleaned.get("start") or (add_months(end, -11) if cleaned.get("end") else default_start)
        if start > end:
            raise forms.ValidationError(
                _("The period starts after it ends: choose a “from” month before the “to” month.")
            )
        if len(months_between(start, end)) > MAX_MONTHS:
            raise forms.ValidationError(
                _("Choose a period of at most %(months)s months.") % {"months": MAX_MONTHS}
            )
        cleaned["start"], cleaned["end"] = start, end
        return cleaned

    def period(self) -> tuple[dt.date, dt.date]:
        return self.cleaned_data["start"], self.cleaned_data["end"]
