from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Correspondence, Organization


class CorrespondenceForm(forms.ModelForm):
    class Meta:
        model = Correspondence
        fields = ["recipient", "subject", "body"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Letters go to the other side's organizations.
        self.fields["recipient"].queryset = (
            Organization.objects.filter(side__isnull=False).exclude(side_id=user.side_id).order_by("id")
        )


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
