"""The forms of the improvement orders' pages: record, correct, withdraw. The model's
rules (check digit, date, prefecture) are checked by the form, which shows each next
to its field; the service checks them again and decides the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from agencies.models import Sector
from notices.models import ImprovementOrder
from notices.prefectures import prefecture_choices
from portal.forms_base import PortalForm, PortalModelForm

from .services import ORDER_FIELDS, ascii_digits

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CorporateNumberField(forms.CharField):
    def to_python(self, value):
        return ascii_digits(super().to_python(value))


class OrderForm(PortalModelForm):
    """An order's facts: the record form and the correction form (which adds why)."""

    prefecture = forms.ChoiceField(
        label=_("Prefecture"),
        required=False,
        help_text=_("Left empty, it is read from the address."),
    )

    class Meta:
        model = ImprovementOrder
        fields = list(ORDER_FIELDS)
        field_classes = {"corporate_number": CorporateNumberField}
        widgets = {
            "issued_on": DATE,
            "violations": forms.Textarea(attrs={"rows": 5}),
            "measures": forms.Textarea(attrs={"rows": 5}),
            "corporate_number": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].choices = [("", "—"), *prefecture_choices(get_language())]
        self.fields["sector"].queryset = Sector.objects.order_by("sort_order", "id")
        self.fields["sector"].empty_label = "—"

    def facts(self) -> dict:
        return {name: self.cleaned_data[name] for name in ORDER_FIELDS if name in self.cleaned_data}


class CorrectionForm(OrderForm):
    reason = forms.CharField(
        label=_("What was corrected and why"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta(OrderForm.Meta):
        pass


class WithdrawForm(PortalForm):
    reason = forms.CharField(
        label=_("Why the order is withdrawn"),
        help_text=_("For example: recorded twice, or recorded for the wrong organization."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
