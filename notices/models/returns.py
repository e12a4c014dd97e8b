"""Return facilitation (clause 8): Japan asks Tajikistan to facilitate the return of
named persons; the Tajik side and its Embassy in Japan record the steps for each person
up to the temporary passport issued and the return date.

A request is a shared record on the kit (reference, acknowledgement, assignment, files,
timeline are the kit's). What is its own:

- **Personal data live only in** :class:`ReturnPerson` (name, date of birth, status of
  residence, whereabouts, reason, dependants), never in the request's row, its audit
  entries, inbox items or timeline: the kit's audit snapshot of the request and every
  inbox item name the record only. They are shown to the two contact-point
  organizations and to the request's Embassy (``notices.returns.policies.
  personal_data_visible``), masked for every other reader, each showing audited, and
  erased a configured period after the case closes (``erase_personal_data``).
- **The Embassy's access is an explicit grant, not a disclosure consent.** The request
  names its Embassy (``embassy``, an organization of kind "embassy", a third party);
  sharing records the grant on the request itself (``embassy_granted_at``, a timeline
  step and an audit entry). ``ReturnRequestQuerySet`` lets that one organization read the
  shared request by that grant alone. A grant on the row, not a guardian permission,
  because the job that tidies lapsed consents removes a third party's permissions: a
  consent's end must not end the Embassy's part in a return. What the Embassy reads of
  the request (``hidden_fields_for``) is the case's state and persons with their steps;
  the sides' own text (the closing reason) and the kit's parts stay withheld as from any
  third party unless a side consents in writing.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase

from portal.choices import RecordStatus
from portal.querysets import NOTHING, RestrictedQuerySet
from portal.records.models import SharedRecord, due_index

from ..returns.choices import RETURN_TRANSITIONS, ResidenceStatus, ReturnState, StepKind

__all__ = ["ReturnPerson", "ReturnRequest", "ReturnRequestGroupObjectPermission", "ReturnStep"]


class ReturnRequestQuerySet(RestrictedQuerySet):
    """The kit's rule, and the Embassy's grant: the organization a shared request names
    as its Embassy reads it (``view`` only) without a written consent."""

    def rule(self, user, action):
        base = super().rule(user, action)
        organization = getattr(user, "organization", None)
        if action != "view" or organization is None or not organization.is_third_party:
            return base
        granted = Q(embassy_id=organization.pk, embassy_granted_at__isnull=False, status=RecordStatus.SHARED)
        return granted if base is NOTHING else base | granted


class ReturnRequest(SharedRecord):
    """A request from Japan to facilitate the return of the persons on it."""

    reference_kind = "RET"
    transitions = {**SharedRecord.transitions, "state": RETURN_TRANSITIONS}
    transition_message = _("A return case that is “%(current)s” cannot become “%(target)s”.")
    subject_fields = ("embassy",)

    embassy = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("embassy"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "embassy", "side__isnull": True},
    )
    embassy_granted_at = models.DateTimeField(
        _("access given to the embassy at"), null=True, blank=True, editable=False
    )
    state = models.CharField(
        _("state"), max_length=20, choices=ReturnState.choices, default=ReturnState.OPEN, editable=False
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closure_reason = models.TextField(_("reason for closing"), blank=True, editable=False)
    personal_data_erased_at = models.DateTimeField(
        _("personal data erased at"), null=True, blank=True, editable=False
    )

    objects = ReturnRequestQuerySet.as_manager()

    #: What the Embassy reads of a request besides what every reader does.
    EMBASSY_READS = frozenset(
        {"state", "closed_at", "personal_data_erased_at", "embassy_granted_at", "persons"}
    )

    class Meta:
        verbose_name = _("return request")
        verbose_name_plural = _("return requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="return_newest_first"),
            models.Index(
                fields=["closed_at"],
                condition=Q(personal_data_erased_at__isnull=True, closed_at__isnull=False),
                name="return_to_erase",
            ),
            models.Index(
                fields=["embassy"], condition=Q(embassy_granted_at__isnull=False), name="return_embassy"
            ),
            due_index("return_due"),
        ]

    def __str__(self) -> str:
        # Every reader of the record sees this: the reference, never a person.
        return self.reference or str(_("Draft return request"))

    def get_absolute_url(self) -> str:
        return reverse("notices:return", args=[self.pk])

    def hidden_fields_for(self, user) -> frozenset[str]:
        hidden = super().hidden_fields_for(user)
        organization = getattr(user, "organization", None)
        if organization is not None and self.embassy_reads(organization):
            hidden = hidden - self.EMBASSY_READS
        return hidden

    def embassy_reads(self, organization) -> bool:
        """Whether ``organization`` is this request's Embassy, with the grant given."""
        return (
            organization.pk == self.embassy_id
            and self.embassy_granted_at is not None
            and self.status == RecordStatus.SHARED
        )

    @property
    def is_closed(self) -> bool:
        return self.state != ReturnState.OPEN

    def is_open(self) -> bool:
        return super().is_open() and self.state == ReturnState.OPEN

    @classmethod
    def open_records(cls):
        return super().open_records().filter(state=ReturnState.OPEN)


class ReturnRequestGroupObjectPermission(GroupObjectPermissionBase):
    """Direct foreign-key permission table: ``restrict()`` stays an integer join."""

    content_object = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE)


class ReturnPerson(models.Model):
    """One person on a request, numbered in it ("Person 2"): the number is what every
    reader sees; the rest is personal data (``PERSONAL_FIELDS``), read only through
    ``notices.returns.policies.personal_data`` and erased once the case has been closed
    for the configured period (then ``date_of_birth`` is empty, the texts too)."""

    request = models.ForeignKey(
        ReturnRequest, verbose_name=_("return request"), on_delete=models.CASCADE, related_name="persons"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    residence_status = models.CharField(
        _("status of residence"), max_length=10, choices=ResidenceStatus.choices, blank=True
    )
    whereabouts = models.TextField(_("where the person is"), blank=True)
    reason = models.TextField(_("reason for the return"), blank=True)
    dependants = models.TextField(_("dependants"), blank=True)

    PERSONAL_FIELDS = (
        "full_name",
        "date_of_birth",
        "residence_status",
        "whereabouts",
        "reason",
        "dependants",
    )

    class Meta:
        verbose_name = _("person to return")
        verbose_name_plural = _("persons to return")
        ordering = ["request_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="return_person_number"),
        ]

    def __str__(self) -> str:
        # Never the name: this is what a masked reader sees too.
        return str(_("Person %(number)s") % {"number": self.number})


class ReturnStep(models.Model):
    """A dated step for one person, recorded by the Tajik side or its Embassy. Steps
    hold no personal data: every reader of the request sees them."""

    person = models.ForeignKey(
        ReturnPerson,
        verbose_name=pgettext_lazy("return case", "person"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    kind = models.CharField(_("step"), max_length=30, choices=StepKind.choices)
    on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        "portal.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "portal.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("return step")
        verbose_name_plural = _("return steps")
        ordering = ["person_id", "on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="return_step_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"
