"""The forms of the consultations' pages. The model's rules are checked by the form,
next to each field; the service checks them again and decides the rest."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from notices.models import Consultation
from portal.forms_base import PortalForm, PortalModelForm
from portal.models import Side

from .choices import ActionItemStatus, ConsultationTopic
from .services import CONSULTATION_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class HttpsURLField(forms.URLField):
    """A video link typed without its scheme is read as https (the model refuses http)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class ConsultationForm(PortalModelForm):
    class Meta:
        model = Consultation
        fields = list(CONSULTATION_FIELDS)
        field_classes = {"video_link": HttpsURLField}
        widgets = {"starts_at": DATETIME, "kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def facts(self) -> dict:
        return {name: self.cleaned_data[name] for name in CONSULTATION_FIELDS if name in self.cleaned_data}


class SideField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


def _sides(consultation):
    return Side.objects.filter(memorandum_id=consultation.memorandum_id).order_by("id")


class ParticipantForm(PortalForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    title = forms.CharField(label=_("Organization and title"), max_length=300)
    sits_for = SideField(label=_("Side of the participant"), queryset=Side.objects.none(), empty_label="—")

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sits_for"].queryset = _sides(consultation)


class AgendaItemForm(PortalForm):
    topic = forms.ChoiceField(
        label=_("Topic (clause 4(2))"), choices=ConsultationTopic.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Item"), max_length=300)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    references = forms.CharField(
        label=_("Records concerned"),
        required=False,
        max_length=2000,
        help_text=_("Their reference numbers, separated by commas or spaces (JP-IMP-2026-0001)."),
    )

    def clean_references(self) -> list[str]:
        return [part for part in self.cleaned_data["references"].replace(",", " ").split() if part]


class LinkForm(PortalForm):
    reference = forms.CharField(label=_("Reference of the record"), max_length=40)


class MinutesForm(PortalForm):
    text = forms.CharField(
        label=_("Minutes"),
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Changing the minutes clears the agreements both sides gave to the earlier text."),
    )


class ActionItemForm(PortalForm):
    description = forms.CharField(
        label=_("Corrective action"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner_side = SideField(label=_("Owning side"), queryset=Side.objects.none(), empty_label="—")
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=DATE,
        help_text=_("Left empty, the memorandum's usual period applies."),
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_side"].queryset = _sides(consultation)


class CloseActionItemForm(PortalForm):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (ActionItemStatus.DONE, ActionItemStatus.DONE.label),
            (ActionItemStatus.CANCELLED, ActionItemStatus.CANCELLED.label),
        ],
        widget=forms.RadioSelect,
    )


class PackForm(PortalForm):
    language = forms.ChoiceField(label=_("Language of the pack"), choices=settings.LANGUAGES)
