"""The forms of the cooperation requests' pages: request, answer, complete, cancel. The
service decides the rest (a due date in the past, a ministry that cannot request, who
may answer)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms_base import PortalForm
from portal.models import Organization
from portal.uploads import validate_upload

from ..choices import Capability, CooperationKind
from ..models import Exam

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label):
    return forms.DateField(
        label=label,
        required=False,
        widget=DATE,
        error_messages={"invalid": _("Not a date that exists (write it as YYYY-MM-DD).")},
    )


class RequestForm(PortalForm):
    requesting_ministry = forms.ModelChoiceField(
        label=_("Requesting ministry"),
        queryset=Organization.objects.none(),
        help_text=_("The Japanese relevant ministry that conducts the test."),
    )
    kind = forms.ChoiceField(label=_("Cooperation asked for"), choices=CooperationKind.choices)
    exam = forms.ModelChoiceField(label=_("Test"), queryset=Exam.objects.all(), required=False)
    subject = forms.CharField(label=_("Subject"), max_length=300)
    request = forms.CharField(label=_("What is asked"), widget=forms.Textarea(attrs={"rows": 6}))
    period_from = _date(_("Period from"))
    period_to = _date(_("Period until"))
    place = forms.CharField(label=_("Where"), max_length=300, required=False)
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=DATE,
        help_text=_("Left empty, 30 days from today."),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        validators=[validate_upload],
        help_text=_("PDF, image, office document or plain text, checked by its content."),
    )

    def __init__(self, *args, ministries=None, **kwargs):
        super().__init__(*args, **kwargs)
        if ministries is not None:
            self.fields["requesting_ministry"].queryset = ministries

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("The end of the period cannot be before its start."))
        return data

    def facts(self) -> dict:
        data = dict(self.cleaned_data)
        file = data.pop("file", None)
        return {**data, "files": [file] if file else []}


class AnswerForm(PortalForm):
    capability = forms.ChoiceField(
        label=_("What can be done"), choices=Capability.choices, widget=forms.RadioSelect
    )
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 8}))


class CompleteForm(PortalForm):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 6}))


class CancelForm(PortalForm):
    reason = forms.CharField(label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 4}))
