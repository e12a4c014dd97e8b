"""The forms of the fraud pages. Each offers only what its user may read (brokers and
sessions through ``restrict()``); the services decide the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from brokers.forms import MultipleFileField
from brokers.models import Broker
from portal.forms_base import PortalForm
from portal.uploads import validate_upload

from ..choices import FraudKind, FraudOutcome, PersonRole
from ..models import Exam, ExamSession

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

#: Rows of persons the create form offers (empty ones are left out).
PERSON_ROWS = 3


def readable_brokers(user):
    """Brokers ``user`` may read and link: merged records answer as their target."""
    return Broker.objects.restrict(user).filter(merged_into__isnull=True).order_by("name", "id")


class BrokerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.reference})" if obj.reference else obj.name


def brokers_field(required: bool = False) -> BrokerChoiceField:
    return BrokerChoiceField(
        label=_("Brokers involved"),
        queryset=Broker.objects.none(),
        required=required,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("One of the brokers named does not exist or cannot be read.")},
    )


class PersonForm(PortalForm):
    role = forms.ChoiceField(label=_("Role"), choices=PersonRole.choices, initial=PersonRole.HOLDER)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=40, required=False)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(data.get(name) for name in ("name", "date_of_birth", "certificate_number"))


PersonFormSet = forms.formset_factory(PersonForm, extra=0, min_num=0, max_num=20, absolute_max=20)


class FraudForm(PortalForm):
    """A fraud report: the test (and session), the kind, what happened, the persons
    named (a small formset: ``form.persons``), the brokers involved and, for a new
    report, the evidence."""

    kind = forms.ChoiceField(label=_("Kind of fraud"), choices=FraudKind.choices)
    exam = forms.ModelChoiceField(label=_("Test"), queryset=Exam.objects.all())
    session = forms.ModelChoiceField(
        label=_("Test session"),
        queryset=ExamSession.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("This session does not exist or cannot be read.")},
    )
    test_date = forms.DateField(label=_("Test date"), required=False, widget=DATE)
    narrative = forms.CharField(label=_("Account of what happened"), widget=forms.Textarea(attrs={"rows": 6}))
    brokers = brokers_field()
    evidence = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        validators=[validate_upload],
        help_text=_("PDF, image, office document or plain text, checked by its content."),
    )

    def __init__(self, *args, user, instance=None, persons=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["exam"].queryset = Exam.objects.order_by("sort_order", "id")
        self.fields["session"].queryset = ExamSession.objects.restrict(user).select_related("exam")
        self.fields["brokers"].queryset = readable_brokers(user)
        if instance is not None:
            del self.fields["evidence"]  # its files are on its page (the kit's panel adds more)
            for name in ("kind", "exam", "session", "test_date", "narrative"):
                self.initial.setdefault(
                    name, getattr(instance, f"{name}_id", None) or getattr(instance, name)
                )
            self.initial.setdefault("brokers", list(instance.brokers.values_list("pk", flat=True)))
            persons = list(instance.persons.values("role", "name", "date_of_birth", "certificate_number"))
        persons = list(persons or [])
        initial = persons + [{"role": PersonRole.HOLDER}] * max(0, PERSON_ROWS - len(persons))
        # Bound, the rows are what was posted (an unchanged pre-filled row is kept).
        self.persons = PersonFormSet(
            self.data if self.is_bound else None,
            prefix="persons",
            initial=None if self.is_bound else initial,
            form_kwargs={"empty_permitted": True, "use_required_attribute": False},
        )

    def is_valid(self) -> bool:
        valid = super().is_valid()
        persons_valid = self.persons.is_valid()
        if not persons_valid:
            for number, form in enumerate(self.persons.forms, start=1):
                for field, errors in form.errors.items():
                    label = form.fields[field].label if field in form.fields else ""
                    for error in errors:
                        self.add_error(
                            None,
                            _("Person %(number)s, %(field)s: %(error)s")
                            % {"number": number, "field": label, "error": error},
                        )
            return False
        return valid

    def person_rows(self) -> list[dict]:
        return [form.cleaned_data for form in self.persons.forms if not form.is_blank()]

    def facts(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in ("kind", "exam", "session", "test_date", "narrative")}


class LinkBrokersForm(PortalForm):
    brokers = brokers_field(required=True)

    def __init__(self, *args, user, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brokers"].queryset = readable_brokers(user).exclude(pk__in=report.brokers.values("pk"))


class CloseForm(PortalForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=FraudOutcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}))
