"""The forms of the brokers' pages. Each offers only what its user may read (brokers,
agencies, investigations through ``restrict()``); the services decide the rest."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from agencies.models import Investigation, SendingAgency
from portal.forms_base import PortalForm, PortalModelForm
from portal.uploads import validate_upload

from .choices import CATEGORY_FACTS, Category, Outcome
from .models import Broker, MisconductReport
from .services import REPORT_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, each checked by content (``validate_upload``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


def readable_brokers(user):
    """Brokers ``user`` may read and name: merged records answer as their target."""
    return Broker.objects.restrict(user).filter(merged_into__isnull=True).order_by("name", "id")


class ReferencesInput(forms.Textarea):
    """Brokers by their references, typed or pasted, one a line or separated by commas:
    a select of every readable broker was 18,000 options (1 MB, 4–8 s a page) at the
    registry's expected size. The broker search finds a reference by any name."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"rows": 2, "autocapitalize": "characters", "spellcheck": "false", **(attrs or {})}
        )

    def format_value(self, value):
        if value in (None, ""):
            return ""
        values = value if isinstance(value, (list, tuple)) else [value]
        return "\n".join(str(item) for item in values)

    def value_from_datadict(self, data, files, name):
        raw = data.getlist(name) if hasattr(data, "getlist") else [data.get(name, "")]
        return [part for chunk in raw for part in re.split(r"[\s,;]+", str(chunk or "").upper()) if part]

    def value_omitted_from_data(self, data, files, name):
        return name not in data


def references_field(label, *, multiple: bool, help_text):
    """A field of brokers chosen by reference among a restricted queryset: a hidden and
    a missing reference get the same answer ("not one of the available choices")."""
    field_class = forms.ModelMultipleChoiceField if multiple else forms.ModelChoiceField
    return field_class(
        label=label,
        queryset=Broker.objects.none(),
        to_field_name="reference",
        widget=ReferencesInput(),
        help_text=help_text,
    )


class ReferenceInput(ReferencesInput):
    """One reference (the merge's record to keep)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"rows": 1, **(attrs or {})})

    def value_from_datadict(self, data, files, name):
        values = super().value_from_datadict(data, files, name)
        return values[0] if len(values) == 1 else (" ".join(values) if values else "")


@dataclass
class CategorySection:
    """One category of misconduct and the facts it needs, shown as its own fieldset."""

    letter: str
    label: str
    fields: list[BoundField]


class ReportForm(PortalModelForm):
    """A misconduct report: the brokers it names, its categories (a)–(e) with each one's
    facts (``CATEGORY_FACTS``: the model refuses a category without them, naming the
    field), the rest of what happened and, for a new report, its files."""

    brokers = references_field(
        _("Brokers named"),
        multiple=True,
        help_text=_(
            "Their references, one a line (TJ-BRO-2026-0001). Find a broker by any of its names first."
        ),
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories of misconduct"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one category, (a) to (e).")},
    )
    evidence = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        validators=[validate_upload],
        help_text=_("PDF, image, office document or plain text, checked by its content."),
    )

    class Meta:
        model = MisconductReport
        fields = ["brokers", *REPORT_FIELDS]
        widgets = {
            "period_from": DATE,
            "period_to": DATE,
            "held_items": forms.Textarea(attrs={"rows": 2}),
            "contract_terms": forms.Textarea(attrs={"rows": 3}),
            "violence_nature": forms.Textarea(attrs={"rows": 3}),
            "forged_documents": forms.Textarea(attrs={"rows": 2}),
            "narrative": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brokers"].queryset = readable_brokers(user)
        if self.instance.pk:
            # Editing a draft: its files are on its page (the kit's panel adds more).
            del self.fields["evidence"]
            self.initial["categories"] = list(self.instance.categories)
            self.initial["brokers"] = list(self.instance.brokers.values_list("reference", flat=True))

    def clean_categories(self) -> str:
        return "".join(sorted(set(self.cleaned_data["categories"])))

    def category_sections(self) -> list[CategorySection]:
        labels = dict(Category.choices)
        return [
            CategorySection(letter, str(labels[letter]), [self[name] for name in names])
            for letter, names in CATEGORY_FACTS.items()
        ]

    def fact_names(self) -> set[str]:
        return {name for names in CATEGORY_FACTS.values() for name in names}

    def other_fields(self) -> list[BoundField]:
        """What every report tells besides its categories' facts."""
        skip = self.fact_names() | {"brokers", "categories", "evidence"}
        return [self[name] for name in REPORT_FIELDS if name not in skip]

    def facts(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in REPORT_FIELDS}


class BrokerForm(PortalModelForm):
    """A broker as one side knows it. The first post shows the likely existing brokers
    (``services.match``); ``confirm_new`` is then the officer's word that it is another."""

    aliases = forms.CharField(
        label=_("Other names and aliases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line, in any script: Cyrillic, Latin, Japanese."),
    )
    confirm_new = forms.BooleanField(
        label=_("None of the brokers above: this is a new broker"),
        required=False,
    )

    class Meta:
        model = Broker
        fields = [
            "kind",
            "name",
            "aliases",
            "country",
            "corporate_number",
            "taxpayer_number",
            "passport_number",
            "addresses",
            "notes",
            "agencies",
            "investigations",
        ]
        widgets = {"addresses": forms.Textarea(attrs={"rows": 3}), "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = SendingAgency.objects.restrict(user).order_by("name_en", "id")
        self.fields["investigations"].queryset = Investigation.objects.restrict(user).order_by("-id")
        self.fields["investigations"].label_from_instance = lambda item: item.reference or str(item.pk)
        self.fields["country"].widget.attrs.update(size=2, autocapitalize="characters")

    def clean_country(self) -> str:
        return (self.cleaned_data.get("country") or "").strip().upper()

    def alias_list(self) -> list[str]:
        return [
            line.strip() for line in (self.cleaned_data.get("aliases") or "").splitlines() if line.strip()
        ]

    def names(self) -> list[str]:
        return [self.cleaned_data["name"], *self.alias_list()]

    def fields_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("aliases", "confirm_new", "name", "agencies", "investigations"):
            data.pop(name, None)
        return data


class NamesForm(PortalForm):
    names = forms.CharField(
        label=_("Names and aliases to add"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line, in any script: Cyrillic, Latin, Japanese."),
    )

    def name_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["names"].splitlines() if line.strip()]


class MergeForm(PortalForm):
    target = forms.ModelChoiceField(
        label=_("The record to keep"),
        queryset=Broker.objects.none(),
        to_field_name="reference",
        widget=ReferenceInput(),
        help_text=_(
            "Its reference (TJ-BRO-2026-0001). This record's names, links and reports move to it; "
            "this record stays, marked merged."
        ),
    )
    reason = forms.CharField(
        label=_("Why they are one broker"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, user, broker, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = readable_brokers(user).exclude(pk=broker.pk)


class LinkForm(PortalForm):
    agencies = forms.ModelMultipleChoiceField(
        label=_("Sending agencies"), queryset=SendingAgency.objects.none(), required=False
    )
    investigations = forms.ModelMultipleChoiceField(
        label=_("Investigations"), queryset=Investigation.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = SendingAgency.objects.restrict(user).order_by("name_en", "id")
        self.fields["investigations"].queryset = Investigation.objects.restrict(user).order_by("-id")
        self.fields["investigations"].label_from_instance = lambda item: item.reference or str(item.pk)

    def clean(self):
        data = super().clean()
        if not data.get("agencies") and not data.get("investigations"):
            raise forms.ValidationError(_("Choose at least one sending agency or investigation."))
        return data


class CloseForm(PortalForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}))


class BrokerSearchForm(PortalForm):
    q = forms.CharField(
        label=_("Name in any script"),
        required=False,
        max_length=200,
        help_text=_("Раҳимов, Rakhimov, Rahimov and ラヒモフ find the same broker."),
    )
