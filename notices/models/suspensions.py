"""Acceptance suspensions (clause 8): Japan temporarily suspends the acceptance of
Specified Skilled Workers in an SSW sector, from a date, for a reason, saying what
happens to those already in Japan; and lifts it later. Recorded by a Japan-side officer
and shared with Tajikistan at once (the kit: reference, acknowledgement, inbox); while
in force it is shown with every public list (``notices.suspensions.publication``).

Its own life is ``state``: in force, then lifted (with the date and reason), kept for
ever. At most one suspension of a sector is in force (a partial unique constraint).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase

from portal.choices import RecordStatus
from portal.records.models import SharedRecord

from ..suspensions.choices import SUSPENSION_TRANSITIONS, SuspensionState

__all__ = ["AcceptanceSuspension", "AcceptanceSuspensionGroupObjectPermission"]


class AcceptanceSuspension(SharedRecord):
    """A temporary suspension of the acceptance of SSW workers in one sector."""

    reference_kind = "SUS"
    transitions = {**SharedRecord.transitions, "state": SUSPENSION_TRANSITIONS}
    transition_message = _("An acceptance suspension that is “%(current)s” cannot become “%(target)s”.")

    sector = models.ForeignKey(
        "agencies.Sector", verbose_name=_("SSW sector"), on_delete=models.PROTECT, related_name="+"
    )
    suspended_from = models.DateField(_("suspended from"))
    reason = models.TextField(_("reason for the suspension"))
    those_in_japan = models.TextField(
        _("workers already in Japan"),
        help_text=_("What happens to the Specified Skilled Workers of the sector already in Japan."),
    )
    #: Never published: what the officers keep for themselves (the kit's rules).
    internal_notes = models.TextField(_("internal notes"), blank=True)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=SuspensionState.choices,
        default=SuspensionState.IN_FORCE,
        editable=False,
    )
    corrected_at = models.DateTimeField(_("last corrected at"), null=True, blank=True, editable=False)
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True, editable=False)
    lifting_reason = models.TextField(_("reason for the lifting"), blank=True, editable=False)

    #: The fields a correction may change (``notices.suspensions.services``).
    fact_fields = ("sector", "suspended_from", "reason", "those_in_japan", "internal_notes")

    class Meta:
        verbose_name = _("temporary suspension of acceptance")
        verbose_name_plural = _("temporary suspensions of acceptance")
        ordering = ["-suspended_from", "-id"]
        indexes = [models.Index(fields=["-suspended_from", "-id"], name="suspension_newest_first")]
        constraints = [
            # At most one suspension of a sector in force (a draft never exists: the
            # service records and shares in one transaction).
            models.UniqueConstraint(
                fields=["memorandum", "sector"],
                condition=models.Q(state="in_force", status="shared"),
                name="one_suspension_in_force_per_sector",
            ),
        ]

    def __str__(self) -> str:
        # Every reader of the record sees this: the reference, never the content.
        return self.reference or str(_("Draft suspension of acceptance"))

    def get_absolute_url(self) -> str:
        return reverse("notices:suspension", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.lifted_on and self.suspended_from and self.lifted_on < self.suspended_from:
            raise ValidationError(
                {"lifted_on": _("The lifting date cannot be before the suspension's start.")}
            )

    @property
    def in_force(self) -> bool:
        return self.status == RecordStatus.SHARED and self.state == SuspensionState.IN_FORCE

    def is_open(self) -> bool:
        return super().is_open() and self.state == SuspensionState.IN_FORCE

    @classmethod
    def open_records(cls):
        return super().open_records().filter(state=SuspensionState.IN_FORCE)


class AcceptanceSuspensionGroupObjectPermission(GroupObjectPermissionBase):
    """Direct foreign-key permission table: ``restrict()`` stays an integer join."""

    content_object = models.ForeignKey(AcceptanceSuspension, on_delete=models.CASCADE)
