"""Consultations to correct problems (協議, 4(2)): regular or ad-hoc meetings of the two
sides, with their participants, an agenda whose items each carry one of the topics
(a)–(f) of 4(2) and link the records they concern, minutes both sides agree, corrective
action items with an owning side and a due date, and briefing packs (PDF).

Whose part is what (clause 3, ``portal.disclosure``): the consultation's facts (kind,
date, place, link) are the calling side's; the minutes are both sides' (a third party
reads them only with the written consent of both, ``hidden_fields_for``); every
participant, agenda item, link and action item is the part of the side that entered it,
like the kit's files and comments (a third party reads the rows of the sides that
consented, ``readable_side_ids``). A briefing pack is its requester's organization's:
it holds what that organization may read, and nobody else downloads it.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, URLValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase

from portal.records.models import SharedRecord, private_storage

__all__ = [
    "ActionItem",
    "ActionItemStatus",
    "AgendaItem",
    "AgendaLink",
    "BriefingPack",
    "BriefingPackStatus",
    "Consultation",
    "ConsultationGroupObjectPermission",
    "ConsultationKind",
    "ConsultationTopic",
    "MinutesAgreement",
    "Participant",
]


class ConsultationKind(models.TextChoices):
    REGULAR = "regular", _("Regular consultation")
    AD_HOC = "ad_hoc", _("Ad-hoc consultation")


class ConsultationTopic(models.TextChoices):
    """The main topics of consultations, clause 4(2) (a)–(f)."""

    POLICIES = "a", _("(a) Implementation and changes of either side's policies on the scheme")
    BROKERS = "b", _("(b) Propriety of SSW brokers, including corrective measures")
    SCREENING = (
        "c",
        _(
            "(c) Screening; corrective measures against improper receiving organizations, support "
            "organizations and sending agencies"
        ),
    )
    TESTS = "d", _("(d) Proper conduct of the tests")
    RESIDENCE = "e", _("(e) Residence management of SSW workers in Japan")
    OTHER = "f", _("(f) Other matters of the proper operation of the scheme")


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", pgettext_lazy("action item", "Cancelled")


class BriefingPackStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RENDERING = "rendering", _("Rendering")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def https_only(value: str) -> None:
    """A video link is an https address: a plain-http link would carry the meeting's
    credentials in clear."""
    if value and not value.lower().startswith("https://"):
        raise ValidationError(_("Give the video link as an https:// address."))


class Consultation(SharedRecord):
    """A consultation of the two sides (4(2)): regular or ad hoc, when, where or by
    which video link. Created by one side and shared with the other at once."""

    reference_kind = "CON"
    #: The minutes: written by either side, agreed by both, so disclosed to a third
    #: party only with both sides' consent (``hidden_fields_for``).
    counterpart_fields = ("minutes", "minutes_changed_at")

    kind = models.CharField(
        _("kind of consultation"),
        max_length=10,
        choices=ConsultationKind.choices,
        default=ConsultationKind.REGULAR,
    )
    starts_at = models.DateTimeField(_("date and time"))
    # Where the meeting is held; "place" alone is the places register's (portal.places).
    place = models.CharField(pgettext_lazy("meeting", "place"), max_length=300, blank=True)
    video_link = models.URLField(
        _("video link"), max_length=500, blank=True, validators=[URLValidator(schemes=["https"]), https_only]
    )
    minutes = models.TextField(_("minutes"), blank=True, editable=False)
    minutes_changed_at = models.DateTimeField(
        _("minutes last changed at"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["-starts_at", "-id"], name="consultation_newest_first")]

    def __str__(self) -> str:
        # Every reader of the record sees this: the reference, never the content.
        return self.reference or str(_("Draft consultation"))

    def get_absolute_url(self) -> str:
        return reverse("notices:consultation", args=[self.pk])

    #: The years a consultation can be held in: a date outside is a typing error (the
    #: year 190 has no time-zone offset in whole minutes, which RFC 3339 needs).
    YEARS = (2000, 2100)

    def clean(self) -> None:
        super().clean()
        if not self.place and not self.video_link:
            raise ValidationError(_("Give the place or the video link of the consultation."))
        if self.starts_at and not self.YEARS[0] <= self.starts_at.year <= self.YEARS[1]:
            raise ValidationError(
                {
                    "starts_at": _("Give a date from %(first)s to %(last)s.")
                    % {"first": self.YEARS[0], "last": self.YEARS[1]}
                }
            )

    @property
    def minutes_sha256(self) -> str:
        """What an agreement agreed to: the minutes' text as it was."""
        return hashlib.sha256(self.minutes.encode()).hexdigest()

    def hidden_fields_for(self, user) -> frozenset[str]:
        """The kit's rule, and the minutes withheld from a third party unless both
        sides consented: both wrote and agreed them."""
        from portal.disclosure import consenting_side_ids, shared_record_hidden_fields

        hidden = set(shared_record_hidden_fields(user, self))
        organization = getattr(user, "organization", None)
        third_party = not user.is_superuser and organization is not None and organization.is_third_party
        if third_party and len(consenting_side_ids(organization, self)) < 2:
            hidden |= {"minutes", "minutes_changed_at", "agreements"}
        return frozenset(hidden)


class ConsultationGroupObjectPermission(GroupObjectPermissionBase):
    """Direct foreign-key permission table: ``restrict()`` stays an integer join."""

    content_object = models.ForeignKey(Consultation, on_delete=models.CASCADE)


class SideRow(models.Model):
    """A row of a consultation entered by one side: that side's part."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="+")
    side = models.ForeignKey(
        "portal.Side", verbose_name=_("side"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Participant(SideRow):
    """Who takes part: a name, an organization or title, and the side they sit on."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("organization and title"), max_length=300)
    #: The side the person sits on (either side records both sides' lists).
    sits_for = models.ForeignKey(
        "portal.Side", verbose_name=_("side of the participant"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["sits_for_id", "id"]

    def __str__(self) -> str:
        return self.name


class AgendaItem(SideRow):
    """An item of the agenda, under one topic of 4(2)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("position"), default=1, validators=[MaxValueValidator(999)])
    topic = models.CharField(_("topic"), max_length=1, choices=ConsultationTopic.choices)
    title = models.CharField(_("item"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.position}. {self.get_topic_display()}"


class AgendaLink(models.Model):
    """A record an agenda item concerns (any shared-record kind). Linked only by a
    user who may read it; shown only to readers who may read it (``restrict()``)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="links")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    side = models.ForeignKey("portal.Side", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("record on the agenda")
        verbose_name_plural = _("records on the agenda")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "content_type", "object_id"], name="agenda_link_once")
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}"


class MinutesAgreement(models.Model):
    """One side's agreement to the minutes as they stood (their SHA-256): who, when.
    A change of the minutes removes every agreement (the timeline keeps them)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="agreements")
    side = models.ForeignKey(
        "portal.Side", verbose_name=_("side"), on_delete=models.PROTECT, related_name="+"
    )
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agreed by"), on_delete=models.PROTECT, related_name="+"
    )
    agreed_at = models.DateTimeField(_("agreed at"), auto_now_add=True)
    minutes_sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        verbose_name = _("agreement to the minutes")
        verbose_name_plural = _("agreements to the minutes")
        ordering = ["agreed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["consultation", "side"], name="minutes_agreed_once")]

    def __str__(self) -> str:
        return f"{self.side_id} {self.agreed_at:%Y-%m-%d}"


class ActionItem(SideRow):
    """A corrective action agreed at a consultation: what, which side does it, by
    when; reminded to the owning side's contact point three days before and daily
    after the due date (``services.remind_action_items``)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="action_items")
    description = models.TextField(_("corrective action"))
    owner_side = models.ForeignKey(
        "portal.Side", verbose_name=_("owning side"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ActionItemStatus.choices,
        default=ActionItemStatus.OPEN,
        editable=False,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    last_reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "id"]
        indexes = [
            # The reminder job reads the open items due soon.
            models.Index(fields=["due_on"], condition=models.Q(status="open"), name="action_item_open_due")
        ]

    def __str__(self) -> str:
        return str(_("Action item %(number)s") % {"number": self.pk})


def pack_path(instance, filename: str) -> str:
    return f"notices/briefing-packs/{instance.consultation_id}/{instance.pk}-{instance.language}.pdf"


class BriefingPack(models.Model):
    """A briefing pack of a consultation, rendered for one requester in one language
    (``notices.consultations.packs``): its progress while it renders, then the PDF and
    its SHA-256."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="packs")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=10, choices=BriefingPackStatus.choices, default=BriefingPackStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    file = models.FileField(
        _("file"), upload_to=pack_path, storage=private_storage, max_length=300, blank=True
    )
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("briefing pack")
        verbose_name_plural = _("briefing packs")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return str(_("Briefing pack %(number)s") % {"number": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("notices:consultation-pack", args=[self.consultation_id, self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (BriefingPackStatus.DONE, BriefingPackStatus.FAILED)
