from dataclasses import dataclass

from django import forms
from django.forms import BoundField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.forms_base import PortalForm, PortalModelForm
from portal.models import User
from portal.uploads import validate_upload

from .choices import CriterionResult, InvestigationOutcome, RevocationReason
from .models import PUBLISHED_FIELDS, Investigation, ScreeningCriterion, SendingAgency

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


@dataclass
class CriterionFields:
    """One criterion of the screening form: its result (radios), note and evidence, and
    the documents already given for it."""

    criterion: ScreeningCriterion
    result: BoundField
    note: BoundField
    evidence: BoundField
    attachments: list


@dataclass
class ScreeningSection:
    """The criteria of one category of the checklist (``shared/reference-data.md``:
    M = mandatory, a failure blocks certification; A = advisory)."""

    key: str
    legend: str
    lead: str
    criteria: list[CriterionFields]


class ScreeningForm(PortalForm):
    """One result and note per criterion of the screening, in sections: the mandatory
    criteria, then the advisory ones (the checklist's two categories)."""

    note = forms.CharField(label=_("Overall note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, screening, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(screening.results.select_related("criterion").prefetch_related("attachments"))
        self.fields["note"].initial = screening.note
        for row in self.rows:
            criterion = row.criterion
            self.fields[f"result_{criterion.pk}"] = forms.ChoiceField(
                label=f"{criterion.number}. {criterion.text}",
                choices=CriterionResult.choices,
                initial=row.result,
                widget=forms.RadioSelect,
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

    def sections(self) -> list[ScreeningSection]:
        """The criteria grouped by category, each with its bound fields; a category with
        no criterion is left out."""
        categories = [
            ScreeningSection("mandatory", _("Mandatory criteria"), _("A failure blocks certification."), []),
            ScreeningSection(
                "advisory", _("Advisory criteria"), _("A failure does not block certification."), []
            ),
        ]
        for row in self.rows:
            pk = row.criterion_id
            categories[0 if row.criterion.mandatory else 1].criteria.append(
                CriterionFields(
                    row.criterion,
                    self[f"result_{pk}"],
                    self[f"note_{pk}"],
                    self[f"evidence_{pk}"],
                    list(row.attachments.all()),
                )
            )
        return [section for section in categories if section.criteria]

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
