from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Correspondence, Organization


class CorrespondenceForm(forms.ModelForm):
    """A letter to the other side (clause 2): the only recipient offered, and accepted,
    is the other side's contact point. A reply (``in_reply_to``) starts with "Re: …"."""

    class Meta:
        model = Correspondence
        fields = ["recipient", "subject", "body"]

    def __init__(self, *args, user, in_reply_to=None, **kwargs):
        from .services import other_contact_point, reply_subject

        super().__init__(*args, **kwargs)
        organization = user.organization
        # The model's rule (``Correspondence.clean``) is checked with the writer's
        # organization as the origin, as the service will save it.
        self.instance.origin = organization
        self.instance.memorandum_id = organization.side.memorandum_id
        self.instance.in_reply_to = in_reply_to
        contact_point = other_contact_point(user)
        recipient = self.fields["recipient"]
        recipient.queryset = Organization.objects.filter(pk=contact_point.pk)
        recipient.initial = contact_point.pk
        recipient.empty_label = None
        recipient.help_text = _("Letters between the sides go to the other side's contact point (clause 2).")
        if in_reply_to is not None:
            self.fields["subject"].initial = reply_subject(in_reply_to)


class ConsentForm(forms.Form):
    third_party = forms.ModelChoiceField(
        label=_("Third party"), queryset=Organization.objects.third_parties().order_by("id")
    )
    document_reference = forms.CharField(
        label=_("Written consent (document reference)"),
        max_length=200,
        help_text=_("Number and date of the letter that gives the consent."),
    )
    expires_at = forms.DateTimeField(
        label=_("Expires at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )

    def clean_expires_at(self):
        value = self.cleaned_data["expires_at"]
        if value <= timezone.now():
            raise forms.ValidationError(_("The consent must expire in the future."))
        return value


class SecondFactorForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What will use it, e.g. “MHLW case system”.")
    )
    read_only = forms.TypedChoiceField(
        label=_("Access"),
        choices=[("1", _("Read-only")), ("0", _("Read and write"))],
        coerce=lambda value: value == "1",
        initial="1",
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, initial=90)

    def __init__(self, *args, max_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].max_value = max_days
        self.fields["days"].validators.append(MaxValueValidator(max_days))
        self.fields["days"].widget.attrs["max"] = max_days


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor"), required=False)
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.order_by("id"), required=False
    )
    action = forms.ChoiceField(label=_("Action"), required=False)
    object = forms.CharField(label=_("Object"), required=False, help_text=_("Name or id of the object"))
    date_from = forms.DateField(
        label=pgettext_lazy("date range", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=pgettext_lazy("date range", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        from .audit import ACTIONS

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Any"))] + [
            (name, f"{label} ({name})") for name, label in sorted(ACTIONS.items())
        ]


def _current_code_field(label=None, help_text=None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Current code"),
        max_length=32,
        help_text=help_text
        or _("A code your authenticator app shows now, or one of your unused recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )


class CurrentCodeForm(forms.Form):
    """A step-up: a current code asked again before the second factor itself changes
    (new recovery codes, removing the authenticator)."""

    current_token = _current_code_field()


class ReplaceAuthenticatorForm(SecondFactorForm):
    """Enrolling a new phone when one is enrolled: the new app's first code and a code
    from the old phone (or a recovery code), which is about to stop working."""

    current_token = _current_code_field(
        label=_("Code from your current phone"),
        help_text=_(
            "The six digits your current authenticator app shows now. If you no longer have "
            "that phone, one of your unused recovery codes."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].label = _("Code from the new phone")
        self.fields["token"].help_text = _("The six digits the app you have just added shows.")


class UnlockForm(forms.Form):
    """Lift one's own sign-in lockout: the password and a current second-factor code."""

    username = forms.CharField(
        label=_("Username"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )
