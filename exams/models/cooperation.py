"""Cooperation requests (5, first paragraph): a Japanese relevant ministry asks the
partner country's ministry to cooperate in delivering a test or in the Japanese-language
education for it; the partner side answers what it can do, and the request is tracked to
its completion.

A shared record on the kit: Japan's side records the request for the ministry that
asks (``requesting_ministry``, often a sector ministry that is a third party in the
portal's terms), shares it at once, and the partner side acknowledges, answers and
records the completion. The answer and the completion are the partner side's part
(``counterpart_fields``), disclosed to a third party only with that side's consent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase

from portal.records.models import SharedRecord, due_index

from ..choices import COOPERATION_TRANSITIONS, Capability, CooperationKind, CooperationStage

__all__ = ["CooperationRequest", "CooperationRequestGroupObjectPermission"]


class CooperationRequest(SharedRecord):
    reference_kind = "TCR"
    accepts_comments = True
    transitions = {**SharedRecord.transitions, "stage": COOPERATION_TRANSITIONS}
    transition_message = _("A cooperation request that is “%(current)s” cannot become “%(target)s”.")
    counterpart_fields = (
        "stage",
        "capability",
        "answer",
        "answered_at",
        "answered_by",
        "completed_at",
        "completion_note",
    )

    requesting_ministry = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("requesting ministry"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The Japanese relevant ministry that conducts the test."),
    )
    kind = models.CharField(_("cooperation asked for"), max_length=20, choices=CooperationKind.choices)
    exam = models.ForeignKey(
        "exams.Exam",
        verbose_name=_("test"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=300)
    request = models.TextField(_("what is asked"))
    period_from = models.DateField(_("period from"), null=True, blank=True)
    period_to = models.DateField(_("period until"), null=True, blank=True)
    place = models.CharField(_("where"), max_length=300, blank=True)

    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=CooperationStage.choices,
        default=CooperationStage.REQUESTED,
        editable=False,
    )
    capability = models.CharField(
        _("what can be done"), max_length=10, choices=Capability.choices, blank=True, editable=False
    )
    answer = models.TextField(_("answer"), blank=True, editable=False)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, editable=False)
    completion_note = models.TextField(_("what was done"), blank=True, editable=False)
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True, editable=False)

    class Meta:
        verbose_name = _("cooperation request")
        verbose_name_plural = _("cooperation requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="cooperation_newest_first"),
            due_index("cooperation_due"),
        ]

    def __str__(self) -> str:
        # Every reader of the record sees this: the reference, never the subject.
        return self.reference or str(_("Draft cooperation request"))

    def get_absolute_url(self) -> str:
        return reverse("exams:cooperation", args=[self.pk])

    def is_open(self) -> bool:
        return super().is_open() and self.stage in (CooperationStage.REQUESTED, CooperationStage.ANSWERED)

    @classmethod
    def open_records(cls):
        return (
            super().open_records().filter(stage__in=[CooperationStage.REQUESTED, CooperationStage.ANSWERED])
        )


class CooperationRequestGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(CooperationRequest, on_delete=models.CASCADE)
