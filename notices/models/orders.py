"""Improvement orders (改善命令, 6(3), 7(5)): what Japan orders a receiving organization
to put right, recorded by a Japan-side officer and shared with Tajikistan at once, which
publishes it.

An order is a shared record on the kit (``portal.records``): reference number,
acknowledgement, inbox and e-mail are the kit's. Its own life is ``state``: in force, or
withdrawn when it was recorded in error (kept with its reason, never deleted).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase

from portal.choices import RecordStatus
from portal.records.models import SharedRecord, due_index
from portal.timezones import today_in
from portal.validators import check_corporate_number

from ..orders.choices import ORDER_TRANSITIONS, OrderState

__all__ = ["ImprovementOrder", "ImprovementOrderGroupObjectPermission"]


def _known_prefecture(code: str) -> bool:
    from notices.prefectures import BY_CODE

    return code in BY_CODE


def _prefecture_of(address: str) -> str:
    from notices.prefectures import prefecture_of

    return prefecture_of(address)


class ImprovementOrder(SharedRecord):
    """An improvement order issued to a receiving organization (受入機関): who, where,
    in which SSW sector, when, what was found and what was ordered, where it was
    publicly notified, and how many Tajik workers it concerns."""

    reference_kind = "IMP"
    transitions = {**SharedRecord.transitions, "state": ORDER_TRANSITIONS}
    transition_message = _("An improvement order that is “%(current)s” cannot become “%(target)s”.")

    organization_name = models.CharField(_("receiving organization"), max_length=300)
    corporate_number = models.CharField(
        _("Japanese corporate number"),
        max_length=13,
        validators=[check_corporate_number],
        help_text=_("13 digits, as in the National Tax Agency's corporate number registry."),
    )
    address = models.CharField(_("address"), max_length=500)
    #: JIS X 0401 code ("01"–"47", ``notices.prefectures``); taken from the address
    #: when left empty (``clean``).
    prefecture = models.CharField(
        _("prefecture"), max_length=2, blank=True, help_text=_("Left empty, it is read from the address.")
    )
    sector = models.ForeignKey(
        "agencies.Sector", verbose_name=_("SSW sector"), on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("date issued"))
    violations = models.TextField(_("violations found"))
    measures = models.TextField(_("measures ordered"))
    public_notice = models.CharField(
        _("public notice"),
        max_length=500,
        blank=True,
        help_text=_("The Immigration Services Agency's public-notice number or address (URL)."),
    )
    #: Never published: a small number could point at persons.
    tajik_workers = models.PositiveIntegerField(_("Tajik workers concerned"), default=0)
    state = models.CharField(
        _("state"), max_length=20, choices=OrderState.choices, default=OrderState.IN_FORCE, editable=False
    )
    corrected_at = models.DateTimeField(_("last corrected at"), null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True, editable=False)

    #: The fields a correction may change (``notices.orders.services.correct_order``).
    fact_fields = (
        "organization_name",
        "corporate_number",
        "address",
        "prefecture",
        "sector",
        "issued_on",
        "violations",
        "measures",
        "public_notice",
        "tajik_workers",
    )

    class Meta:
        verbose_name = _("improvement order")
        verbose_name_plural = _("improvement orders")
        ordering = ["-issued_on", "-id"]
        indexes = [
            # The list's order and its date filter.
            models.Index(fields=["-issued_on", "-id"], name="order_newest_first"),
            models.Index(fields=["corporate_number"], name="order_corporate_number"),
            due_index("order_due"),
        ]

    def __str__(self) -> str:
        # Every reader of the record sees this: the reference, never the content.
        return self.reference or str(_("Draft improvement order"))

    def get_absolute_url(self) -> str:
        return reverse("notices:order", args=[self.pk])

    def clean(self) -> None:
        """The prefecture comes from the address when left empty; an unknown one and a
        date after today (Japan's date: the order is issued there) are refused."""
        super().clean()
        errors = {}
        if not self.prefecture and self.address:
            self.prefecture = _prefecture_of(self.address)
        if self.prefecture and not _known_prefecture(self.prefecture):
            errors["prefecture"] = _("Choose one of the 47 prefectures.")
        if self.issued_on:
            today = today_in(self._origin_country())
            if self.issued_on > today:
                errors["issued_on"] = _("The date issued cannot be after today (%(today)s).") % {
                    "today": today.isoformat()
                }
        if errors:
            raise ValidationError(errors)

    def _origin_country(self) -> str:
        side = self.origin.side if self.origin_id else None
        return side.country if side is not None else "JP"

    @property
    def in_force(self) -> bool:
        return self.status == RecordStatus.SHARED and self.state == OrderState.IN_FORCE

    def is_open(self) -> bool:
        return super().is_open() and self.state == OrderState.IN_FORCE

    @classmethod
    def open_records(cls):
        return super().open_records().filter(state=OrderState.IN_FORCE)


class ImprovementOrderGroupObjectPermission(GroupObjectPermissionBase):
    """Direct foreign-key permission table: ``restrict()`` stays an integer join."""

    content_object = models.ForeignKey(ImprovementOrder, on_delete=models.CASCADE)
