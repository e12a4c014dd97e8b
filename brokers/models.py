"""Brokers and the misconduct reports that name them (clauses 1, 3 and 4(1)).

Both are shared records on the kit (``portal.records``): a draft reaches its author's
organization alone, a shared one both sides' ministries, a third party only through the
written consent of the side the information came from, for that record alone.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase

from portal.records.models import SharedRecord, due_index
from portal.validators import check_corporate_number

from .choices import (
    CATEGORY_FACTS,
    REPORT_TRANSITIONS,
    BrokerKind,
    Category,
    Currency,
    Outcome,
    ReportStage,
)
from .names import latin_key

#: Shown in place of an identifier to a reader who is not a contact point.
MASK = "•"


def mask(value: str, visible: int = 3) -> str:
    """``"TJ1234567"`` → ``"••••••567"``: enough to tell two identifiers apart on a
    page, not enough to use one."""
    if not value:
        return ""
    if len(value) <= visible:
        return MASK * len(value)
    return MASK * (len(value) - visible) + value[-visible:]


taxpayer_number = RegexValidator(
    r"^\d{9}$", _("A Tajik taxpayer number (INN) has 9 digits."), code="taxpayer_number"
)
passport_number = RegexValidator(
    r"^[A-Z0-9]{5,12}$", _("A passport number is 5 to 12 Latin capitals and digits."), code="passport"
)


class Broker(SharedRecord):
    """A broker in either country, a person or a company, as one side knows it: its
    names in every script, identifiers, addresses and the agencies and investigations it
    is tied to. Two records of one broker are merged (``merged_into``), both kept."""

    reference_kind = "BRO"

    kind = models.CharField(_("person or company"), max_length=10, choices=BrokerKind.choices)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(
        _("country"), max_length=2, help_text=_("Where the broker works: ISO 3166 code, e.g. JP or TJ.")
    )
    corporate_number = models.CharField(
        _("Japanese corporate number"), max_length=13, blank=True, validators=[check_corporate_number]
    )
    taxpayer_number = models.CharField(
        _("Tajik taxpayer number"), max_length=9, blank=True, validators=[taxpayer_number]
    )
    passport_number = models.CharField(
        _("passport number"), max_length=12, blank=True, validators=[passport_number]
    )
    addresses = models.TextField(_("addresses"), blank=True)
    notes = models.TextField(_("what is known"), blank=True)
    agencies = models.ManyToManyField(
        "agencies.SendingAgency",
        verbose_name=_("related sending agencies"),
        blank=True,
        related_name="brokers",
    )
    investigations = models.ManyToManyField(
        "agencies.Investigation", verbose_name=_("related investigations"), blank=True, related_name="brokers"
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        editable=False,
    )
    merged_at = models.DateTimeField(_("merged at"), null=True, blank=True, editable=False)

    #: Identifiers are shown masked to everyone but the contact points (``mask``).
    identifier_fields = ("corporate_number", "taxpayer_number", "passport_number")

    class Meta:
        verbose_name = _("broker")
        verbose_name_plural = _("brokers")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name", "id"], name="broker_by_name"), due_index("broker_due")]

    def __str__(self) -> str:
        # Shown to every reader of the record: the name, nothing confidential beyond it.
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("brokers:broker", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.country:
            self.country = self.country.upper()
        if self.corporate_number and self.kind == BrokerKind.PERSON:
            raise ValidationError(
                {"corporate_number": _("A person has no corporate number: choose “Company”.")}
            )

    def is_open(self) -> bool:
        return super().is_open() and self.merged_into_id is None

    @classmethod
    def open_records(cls):
        return super().open_records().filter(merged_into__isnull=True)


class BrokerGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Broker, on_delete=models.CASCADE)


class BrokerName(models.Model):
    """One name a broker is known by, in whatever script, with its Latin key
    (``brokers.names.latin_key``): what the match compares."""

    broker = models.ForeignKey(Broker, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name or alias"), max_length=200)
    key = models.CharField(max_length=300, editable=False)
    #: The record the name came from, when a merge brought it over.
    merged_from = models.ForeignKey(
        Broker, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("name or alias")
        verbose_name_plural = _("names and aliases")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                "broker",
                Upper("name"),
                name="one_broker_name_once",
                violation_error_message=_("Listed already."),
            )
        ]
        # The trigram index on ``key`` (PostgreSQL only) is created by migration 0003.

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.key = latin_key(self.name)
        super().save(*args, **kwargs)


class MisconductReport(SharedRecord):
    """4(1): what one side learns of brokers' misconduct, shared promptly with the other
    — one or more of the categories (a)–(e), each with the facts it needs."""

    reference_kind = "BRK"
    transitions = {**SharedRecord.transitions, "stage": REPORT_TRANSITIONS}
    #: Acknowledging a report starts its follow-up; either side then adds comments.
    acknowledgement_moves = {"stage": ReportStage.FOLLOW_UP}
    accepts_comments = True
    transition_message = _("A report that is “%(current)s” cannot become “%(target)s”.")

    brokers = models.ManyToManyField(Broker, verbose_name=_("brokers named"), related_name="reports")
    #: The letters of the categories, sorted ("ae"); ``clean`` refuses an empty one.
    categories = models.CharField(_("categories of misconduct"), max_length=5, blank=True)
    held_amount = models.DecimalField(
        _("amount held"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    held_currency = models.CharField(
        _("currency of the amount held"), max_length=3, choices=Currency.choices, blank=True
    )
    held_items = models.TextField(_("what was held"), blank=True, help_text=_("Passports, money, property…"))
    contract_terms = models.TextField(_("penalty or transfer terms"), blank=True)
    violence_nature = models.TextField(_("nature of the violence, threats or restriction"), blank=True)
    forged_documents = models.TextField(_("documents forged, altered or false"), blank=True)
    forged_procedure = models.CharField(_("for which procedure"), max_length=300, blank=True)
    fee_amount = models.DecimalField(
        _("fees charged"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    fee_currency = models.CharField(
        _("currency of the fees"), max_length=3, choices=Currency.choices, blank=True
    )
    workers_affected = models.PositiveIntegerField(_("workers affected"), null=True, blank=True)
    period_from = models.DateField(_("period from"), null=True, blank=True)
    period_to = models.DateField(_("period until"), null=True, blank=True)
    places = models.CharField(_("places where it happened"), max_length=500, blank=True)
    narrative = models.TextField(_("account of what happened"))
    agencies = models.ManyToManyField(
        "agencies.SendingAgency", verbose_name=_("related sending agencies"), blank=True, related_name="+"
    )
    investigations = models.ManyToManyField(
        "agencies.Investigation", verbose_name=_("related investigations"), blank=True, related_name="+"
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=ReportStage.choices, default=ReportStage.REPORTED, editable=False
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, blank=True, editable=False
    )
    outcome_note = models.TextField(_("what was done"), blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    #: The last day the receiving side's contact point was reminded to acknowledge.
    acknowledgement_reminded_on = models.DateField(null=True, blank=True, editable=False)

    #: The receiving side closes the report with what it did: its part, disclosed to a
    #: third party only with its own consent (``portal.disclosure``).
    counterpart_fields = ("stage", "outcome", "outcome_note", "closed_at")

    class Meta:
        verbose_name = _("broker misconduct report")
        verbose_name_plural = _("broker misconduct reports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "shared_at"], name="report_sharing"),
            # The list's order: without it every page sorts the whole table (200–300 ms
            # at 100,000 reports; 0.9 ms with it: bench/brokers_at_scale.py).
            models.Index(fields=["-created_at", "-id"], name="report_newest_first"),
            due_index("report_due"),
        ]

    def __str__(self) -> str:
        # Every reader of the record sees this: the reference, never the content.
        return self.reference or str(_("Draft report"))

    def get_absolute_url(self) -> str:
        return reverse("brokers:report", args=[self.pk])

    @property
    def category_list(self) -> list[str]:
        return [letter for letter in self.categories]

    def category_labels(self) -> list[str]:
        labels = dict(Category.choices)
        return [str(labels[letter]) for letter in self.categories if letter in labels]

    def clean(self) -> None:
        """A category outside (a)–(e) or one without its facts is refused, naming what
        is missing; so is a period that ends before it starts."""
        super().clean()
        letters = "".join(sorted(set(self.categories or "")))
        unknown = [letter for letter in letters if letter not in Category.values]
        if unknown:
            raise ValidationError(
                {
                    "categories": _("Only the categories (a) to (e) exist; not: %(letters)s.")
                    % {"letters": ", ".join(unknown)}
                }
            )
        if not letters:
            raise ValidationError({"categories": _("Choose at least one category, (a) to (e).")})
        self.categories = letters
        errors = {}
        for letter in letters:
            for field_name in CATEGORY_FACTS[letter]:
                value = getattr(self, field_name)
                if value is None or (isinstance(value, str) and not value.strip()):
                    label = dict(Category.choices)[letter]
                    errors[field_name] = _("Needed for %(category)s.") % {"category": label}
        if self.period_from and self.period_to and self.period_to < self.period_from:
            errors["period_to"] = _("The period cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    def is_open(self) -> bool:
        return super().is_open() and self.stage != ReportStage.CLOSED

    @classmethod
    def open_records(cls):
        return super().open_records().exclude(stage=ReportStage.CLOSED)


class MisconductReportGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(MisconductReport, on_delete=models.CASCADE)
