"""The forms of the suspensions' pages: record, correct, lift. The service decides
(one suspension in force per sector, the lifting date); the form shows each refusal
next to its field where it can."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Sector
from notices.models import AcceptanceSuspension
from portal.forms_base import PortalForm, PortalModelForm

from .services import SUSPENSION_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SuspensionForm(PortalModelForm):
    """A suspension's facts: the record form and the correction form (which adds why)."""

    class Meta:
        model = AcceptanceSuspension
        fields = list(SUSPENSION_FIELDS)
        widgets = {
            "suspended_from": DATE,
            "reason": forms.Textarea(attrs={"rows": 4}),
            "those_in_japan": forms.Textarea(attrs={"rows": 4}),
            "internal_notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "reason": _("Published as you write it, beside a fixed sentence in four languages."),
            "internal_notes": _("Never published: read by the officers of both sides only."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.order_by("sort_order", "id")
        self.fields["sector"].empty_label = "—"

    def facts(self) -> dict:
        return {name: self.cleaned_data[name] for name in SUSPENSION_FIELDS if name in self.cleaned_data}


class CorrectionForm(SuspensionForm):
    reason_for_correction = forms.CharField(
        label=_("What was corrected and why"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta(SuspensionForm.Meta):
        pass


class LiftForm(PortalForm):
    lifted_on = forms.DateField(
        label=_("Lifted on"),
        help_text=_("The day the acceptance resumes: not before the suspension's start, not after today."),
        widget=DATE,
    )
    reason = forms.CharField(
        label=_("Reason for the lifting"),
        help_text=_("Published with the suspension."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
