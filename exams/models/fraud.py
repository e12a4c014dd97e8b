"""Fraud reports (5, second paragraph): impersonation, a forged or altered pass
certificate, or other fraud in the tests, shared promptly as under 4(1).

A shared record on the kit, like a broker misconduct report: reference, acknowledgement
and its timing, assignment, files (the evidence), comments, written consent, audit. The
persons named are the originating side's part with the rest of the report; the receiving
side closes it with what it did (its part)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase

from portal.records.models import SharedRecord, due_index

from ..choices import FRAUD_TRANSITIONS, FraudKind, FraudOutcome, FraudStage, PersonRole

__all__ = ["FraudReport", "FraudReportGroupObjectPermission", "FraudReportPerson"]


class FraudReport(SharedRecord):
    reference_kind = "TFR"
    transitions = {**SharedRecord.transitions, "stage": FRAUD_TRANSITIONS}
    #: Acknowledging a report starts its follow-up; either side then adds comments.
    acknowledgement_moves = {"stage": FraudStage.FOLLOW_UP}
    accepts_comments = True
    transition_message = _("A fraud report that is “%(current)s” cannot become “%(target)s”.")
    #: The receiving side closes the report with what it did: its part.
    counterpart_fields = ("stage", "outcome", "outcome_note", "closed_at")

    kind = models.CharField(_("kind of fraud"), max_length=20, choices=FraudKind.choices)
    exam = models.ForeignKey("exams.Exam", verbose_name=_("test"), on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        "exams.ExamSession",
        verbose_name=_("test session"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    test_date = models.DateField(_("test date"), null=True, blank=True)
    narrative = models.TextField(_("account of what happened"))
    brokers = models.ManyToManyField(
        "brokers.Broker", verbose_name=_("brokers involved"), blank=True, related_name="fraud_reports"
    )

    stage = models.CharField(
        _("stage"), max_length=20, choices=FraudStage.choices, default=FraudStage.REPORTED, editable=False
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=FraudOutcome.choices, blank=True, editable=False
    )
    outcome_note = models.TextField(_("what was done"), blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("test fraud report")
        verbose_name_plural = _("test fraud reports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="fraud_newest_first"),
            due_index("fraud_due"),
        ]

    def __str__(self) -> str:
        # Every reader of the record sees this: the reference, never the content.
        return self.reference or str(_("Draft fraud report"))

    def get_absolute_url(self) -> str:
        return reverse("exams:fraud", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.session_id and self.exam_id and self.session.exam_id != self.exam_id:
            raise ValidationError({"session": _("This session was of another test.")})

    def is_open(self) -> bool:
        return super().is_open() and self.stage != FraudStage.CLOSED

    @classmethod
    def open_records(cls):
        return super().open_records().exclude(stage=FraudStage.CLOSED)


class FraudReportGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(FraudReport, on_delete=models.CASCADE)


class FraudReportPerson(models.Model):
    """A person the report names: the holder, the one who sat in their place, another.
    Part of the originating side's report: read with it, never on its own."""

    report = models.ForeignKey(FraudReport, on_delete=models.CASCADE, related_name="persons")
    role = models.CharField(_("role"), max_length=20, choices=PersonRole.choices, default=PersonRole.HOLDER)
    name = models.CharField(_("name"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("person named")
        verbose_name_plural = _("persons named")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
