from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.forms_base import PortalForm, PortalModelForm
from portal.models import User
from portal.uploads import validate_upload

from .choices import CriterionResult, InvestigationOutcome, RevocationReason
from .models import PUBLISHED_FIELDS, Investigation, SendingAgency

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgencyForm(PortalModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = SendingAgency
        fields = [*PUBLISHED_FIELDS, "tax_number", "sectors"]
        widgets = {"sectors": forms.CheckboxSelectMultiple}


class CertifyForm(PortalForm):
    certification_number = forms.CharField(label=_("Certification number"), max_length=64)
    certified_on = forms.DateField(label=_("Certified on"), widget=DATE, initial=timezone.localdate)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE)


class RejectForm(PortalForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))


class RevokeForm(PortalForm):
    public_reason = forms.ChoiceField(label=_("Public reason category"), choices=RevocationReason.choices)
    reason = forms.CharField(
        label=_("Reason (internal)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shared with Japan; the public list shows only the category."),
    )
    effective_on = forms.DateField(label=_("Effective on"), widget=DATE, initial=timezone.localdate)


class GuidanceForm(PortalForm):
    given_on = forms.DateField(
        label=pgettext_lazy("calendar day", "Date"), widget=DATE, initial=timezone.localdate
    )
    subject = forms.CharField(label=_("Subject"), max_length=300)
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class ScreeningForm(PortalForm):
    """One result and note per criterion of the screening."""

    note = forms.CharField(label=_("Overall note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, screening, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(screening.results.select_related("criterion"))
        self.fields["note"].initial = screening.note
        for row in self.rows:
            criterion = row.criterion
            label = f"{criterion.number}. {criterion.text}" + (
                "" if criterion.mandatory else f" ({_('advisory')})"
            )
            self.fields[f"result_{criterion.pk}"] = forms.ChoiceField(
                label=label, choices=CriterionResult.choices, initial=row.result
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Note on criterion %(number)s") % {"number": criterion.number},
                required=False,
                initial=row.note,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"evidence_{criterion.pk}"] = forms.FileField(
                label=_("Evidence for criterion %(number)s") % {"number": criterion.number},
                required=False,
                validators=[validate_upload],
            )

    def results(self) -> dict[int, tuple[str, str]]:
        return {
            row.criterion_id: (
                self.cleaned_data[f"result_{row.criterion_id}"],
                self.cleaned_data[f"note_{row.criterion_id}"],
            )
            for row in self.rows
        }

    def evidence(self):
        for row in self.rows:
            file = self.cleaned_data.get(f"evidence_{row.criterion_id}")
            if file:
                yield row, file


class InvestigationReportForm(PortalForm):
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 6}))
    related_references = forms.CharField(
        label=_("Related brokers or reports"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    due_on = forms.DateField(label=_("Result due on"), widget=DATE)
    attachment = forms.FileField(label=_("Attachment"), required=False, validators=[validate_upload])


class AssignForm(PortalForm):
    assignee = forms.ModelChoiceField(label=_("Investigating officer"), queryset=User.objects.none())

    def __init__(self, *args, investigation: Investigation, **kwargs):
        super().__init__(*args, **kwargs)
        partner = investigation.agency.memorandum.partner_country
        self.fields["assignee"].queryset = User.objects.filter(
            is_active=True, organization__side__country=partner, role__in=["contact_point_officer", "officer"]
        ).order_by("username")


class ResultForm(PortalForm):
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 5}))
    measures = forms.CharField(
        label=_("Guidance and supervision measures"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=InvestigationOutcome.choices)
    public_reason = forms.ChoiceField(
        label=_("Public reason category (if revoked)"),
        choices=[("", "—"), *RevocationReason.choices],
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == InvestigationOutcome.REVOKED and not data.get("public_reason"):
            self.add_error("public_reason", _("Choose the public reason category of the revocation."))
        return data
