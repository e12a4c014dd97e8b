"""The forms of a shared record's panels."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.forms_base import PortalForm
from portal.models import Organization, Side, User
from portal.uploads import validate_upload

from . import policies


class AssignForm(PortalForm):
    assignee = forms.ModelChoiceField(label=_("Officer"), queryset=User.objects.none())

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, **kwargs)
        # Officers of the receiving side who may write: nobody else is offered.
        self.fields["assignee"].queryset = (
            User.objects.filter(
                is_active=True,
                organization__side_id=policies.receiving_side_id(record),
                role__in=["contact_point_officer", "officer"],
            )
            .select_related("organization")
            .order_by("last_name", "first_name", "username")
        )
        self.fields["assignee"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.username} — {user.organization.name}"
        )


class AttachmentForm(PortalForm):
    file = forms.FileField(
        label=_("File"),
        validators=[validate_upload],
        help_text=_("PDF, image, office document or plain text, checked by its content."),
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class CommentForm(PortalForm):
    text = forms.CharField(
        label=_("Comment or additional information"), widget=forms.Textarea(attrs={"rows": 4})
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        validators=[validate_upload],
        help_text=_("PDF, image, office document or plain text, checked by its content."),
    )


class ConsentRequestForm(PortalForm):
    third_party = forms.ModelChoiceField(
        label=_("Third party"), queryset=Organization.objects.third_parties()
    )
    side = forms.ModelChoiceField(
        label=_("Side asked to consent"),
        queryset=Side.objects.none(),
        help_text=_("The side whose information would be disclosed."),
    )
    purpose = forms.CharField(label=_("Purpose of the disclosure"), widget=forms.Textarea(attrs={"rows": 3}))
    requested_until = forms.DateField(
        label=_("Disclosure needed until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, **kwargs)
        sides = Side.objects.filter(memorandum_id=record.memorandum_id)
        self.fields["side"].queryset = sides.filter(
            pk__in=[side.pk for side in sides if policies.has_a_part(side, record)]
        )

    def clean_requested_until(self):
        day = self.cleaned_data["requested_until"]
        if day <= timezone.localdate():
            raise forms.ValidationError(_("The disclosure must be needed until a day in the future."))
        return day


class ConsentDecisionForm(PortalForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("grant", _("Grant the written consent")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Reason or conditions"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required for a refusal."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("note") or "").strip():
            self.add_error("note", _("Give the reason for the refusal."))
        return data
