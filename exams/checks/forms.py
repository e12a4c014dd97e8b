"""The certificate check's forms: one certificate, and a batch file of candidates."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.forms_base import PortalForm

from ..models import Exam
from . import services


class CheckForm(PortalForm):
    exam = forms.ModelChoiceField(
        label=_("Test"), queryset=Exam.objects.none(), empty_label=_("Choose the test")
    )
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=40)
    name = forms.CharField(
        label=_("Holder's name"),
        max_length=200,
        help_text=_("In Latin or Cyrillic script, in any order; a missing patronymic still matches."),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"}), help_text=_("YYYY-MM-DD")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exam"].queryset = Exam.objects.order_by("sort_order", "id")

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        problem = services.date_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean_name(self):
        value = self.cleaned_data["name"]
        problem = services.name_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value.strip()

    def clean(self):
        cleaned = super().clean()
        exam, number = cleaned.get("exam"), cleaned.get("certificate_number")
        if exam is not None and number is not None:
            number = services.normal_number(number)
            problem = services.number_problem(exam, number)
            if problem:
                self.add_error("certificate_number", problem)
            else:
                cleaned["certificate_number"] = number
        return cleaned


class BatchForm(PortalForm):
    file = forms.FileField(
        label=_("CSV file of candidates"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The columns are shown above the form, as code (``translate="no"``).
        self.fields["file"].help_text = gettext(
            "The test by its code, dates as %(date)s; UTF-8 or Shift_JIS; at most %(lines)s lines."
        ) % {"date": gettext("YYYY-MM-DD"), "lines": services.MAX_BATCH_LINES}
