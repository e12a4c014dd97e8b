"""The forms of the return pages: a request (its first person), a further person, a
step, closing. The service checks everything again and decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.forms_base import PortalForm

from .choices import ResidenceStatus, StepKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonForm(PortalForm):
    """One person's personal data (read back only by the contact points and the Embassy)."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DATE)
    residence_status = forms.ChoiceField(label=_("Status of residence"), choices=ResidenceStatus.choices)
    whereabouts = forms.CharField(
        label=_("Where the person is"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Address, facility or other whereabouts in Japan."),
    )
    reason = forms.CharField(
        label=_("Reason for the return"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    dependants = forms.CharField(
        label=_("Dependants"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Family members in Japan who return with the person, if any."),
    )

    def person(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class RequestForm(PersonForm):
    """A request names its first person; further persons are added on the request's page."""


class StepForm(PortalForm):
    # "Person" alone is the brokers' natural person, as opposed to a company.
    person = forms.ChoiceField(label=pgettext_lazy("return case", "Person"))
    kind = forms.ChoiceField(label=_("Step"), choices=StepKind.choices)
    on = forms.DateField(label=_("Date"), widget=DATE)

    def __init__(self, *args, persons=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Persons by number only: the form is also the masked readers'.
        self.fields["person"].choices = [(str(row.pk), row.label) for row in persons]


class CloseForm(PortalForm):
    withdraw = forms.TypedChoiceField(
        label=_("Outcome"),
        choices=[("0", _("Close the case")), ("1", _("Withdraw the request"))],
        coerce=lambda value: value == "1",
        initial="0",
        widget=forms.RadioSelect,
        help_text=_("Only the side that made the request withdraws it."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Write no personal data here: every officer of both sides reads it."),
    )
