"""Inquiries (照会, 6(4), 7(6)): either side asks, the other side's contact point (or
the officer it assigns) answers by a due date.

An inquiry is a shared record on the kit (``portal.records``): reference number,
acknowledgement, assignment, files, the comments that make its thread, written consent
and the daily reminders before and after the due date are the kit's. Its own life is
the answer: the answer and when, by whom and whether late are the answering side's
part (``counterpart_fields``), disclosed to a third party only with that side's
consent. An inquiry is open while shared and unanswered; the kit's reminder job reads
``open_records()`` and so stops once it is answered.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase

from portal.records.models import SharedRecord, due_index

__all__ = ["Inquiry", "InquiryGroupObjectPermission"]


class Inquiry(SharedRecord):
    """A question one side asks the other under the Memorandum, and its answer."""

    reference_kind = "INQ"
    accepts_comments = True
    #: The answer is the answering side's part.
    counterpart_fields = ("answer", "answered_at", "answered_by", "answered_late")

    subject = models.CharField(_("subject"), max_length=300)
    question = models.TextField(_("question"))
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
    #: Set when answered: the answer's date, on the answering side's clock, was after
    #: the due date (None while unanswered or when there was no due date).
    answered_late = models.BooleanField(_("answered late"), null=True, editable=False)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-shared_at", "-id"]
        indexes = [
            # The list's order, newest first.
            models.Index(fields=["-shared_at", "-id"], name="inquiry_newest_first"),
            due_index("inquiry_due"),
        ]

    def __str__(self) -> str:
        # Every reader of the record sees this: the reference, never the subject.
        return self.reference or str(_("Draft inquiry"))

    def get_absolute_url(self) -> str:
        return reverse("notices:inquiry", args=[self.pk])

    def is_open(self) -> bool:
        return super().is_open() and self.answered_at is None

    @classmethod
    def open_records(cls):
        return super().open_records().filter(answered_at__isnull=True)

    @property
    def time_to_answer(self) -> dt.timedelta | None:
        """Shared → answered: what 6(4) and 7(6) ask to be prompt."""
        return self.answered_at - self.shared_at if self.answered_at and self.shared_at else None


class InquiryGroupObjectPermission(GroupObjectPermissionBase):
    """Direct foreign-key permission table: ``restrict()`` stays an integer join."""

    content_object = models.ForeignKey(Inquiry, on_delete=models.CASCADE)
