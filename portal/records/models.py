"""The shared record and what hangs off every one: its timeline, its attachments, the
counters behind its reference number, and requests to disclose it to a third party.

These models name the core's models by string ("portal.Organization"), so that
``portal.models`` can build its own record kinds on ``SharedRecord`` without an import
circle: dependencies run core querysets ← kit models ← core models ← kit services.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal.choices import RECORD_TRANSITIONS, RecordStatus
from portal.querysets import ConsentRequestQuerySet, RestrictedQuerySet


def private_storage():
    """Files outside any public URL (attachments, consent letters): served only by
    views that check who asks."""
    return storages["attachments"]


def attachment_path(instance, filename: str) -> str:
    # A random folder: the stored name reveals nothing and two uploads never collide.
    return f"{instance.content_type.app_label}/{instance.content_type.model}/{uuid.uuid4().hex}/{filename}"


class Attachment(models.Model):
    """A file on any record: a shared record's evidence, a screening criterion's
    document. Checked by content on the way in (``portal.uploads``), stored outside any
    public URL, served only through ``restrict()`` on the record that owns it
    (``portal.views.files``), each download audited.

    On a shared record the file is part of what its uploader's side gave: a third party
    gets it only with that side's written consent (``portal.disclosure``)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), upload_to=attachment_path, storage=private_storage, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    media_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField("SHA-256", max_length=64)
    description = models.CharField(_("description"), max_length=300, blank=True)
    #: The side whose information the file is: the uploader's.
    side = models.ForeignKey(
        "portal.Side",
        verbose_name=_("side"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_owner")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("file-download", args=[self.pk])

    @property
    def label(self) -> str:
        return self.name or posixpath.basename(self.file.name)


class Event(models.Model):
    """One dated step in a record's life: who, when, from which state to which, why.
    Every shared record's timeline and a sending agency's history are made of these."""

    at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(_("from"), max_length=30, blank=True)
    to_status = models.CharField(_("to"), max_length=30, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class RecordEvent(Event):
    """A step of a shared record: created, shared, acknowledged, assigned, a stage
    changed, a file attached, a consent given. ``side`` is the actor's: a third party
    reads the steps of the sides that consented, nothing of the others."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("what happened"), max_length=40)
    side = models.ForeignKey("portal.Side", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta(Event.Meta):
        verbose_name = _("record event")
        verbose_name_plural = _("record events")
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="record_event_timeline")]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        """What happened, in the reader's language: a kit step by name, a move by the
        state it reached (``stage:result_sent`` → "Result sent to Japan")."""
        if self.action in EVENT_LABELS:
            return str(EVENT_LABELS[self.action])
        field_name, _sep, value = self.action.partition(":")
        model = self.content_type.model_class()
        try:
            choices = dict(model._meta.get_field(field_name).flatchoices)
        except Exception:  # an action named after a field the kind no longer has
            return self.action
        return str(choices.get(value, value))


#: The steps every shared record can take, by ``RecordEvent.action``.
EVENT_LABELS = {
    "created": _("Created"),
    "shared": _("Shared with the other side"),
    "withdrawn": _("Draft withdrawn"),
    "acknowledged": _("Receipt acknowledged"),
    "assigned": _("Assigned to an officer"),
    "attached": _("File added"),
    "consent_requested": _("Written consent to disclose requested"),
    "consent_granted": _("Written consent to disclose given"),
    "consent_refused": _("Request for written consent refused"),
    "consent_withdrawn": _("Written consent withdrawn"),
    "commented": _("Comment added"),
}


def record_event(record, action: str, *, actor=None, **fields) -> RecordEvent:
    """Add a dated step to ``record``'s timeline, on the side of whoever took it."""
    person = actor if getattr(actor, "is_authenticated", False) else None
    organization = getattr(person, "organization", None)
    return RecordEvent.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        action=action,
        actor=person,
        side_id=organization.side_id if organization is not None else None,
        **fields,
    )


class Comment(models.Model):
    """A comment or additional information on a shared record, from either side (a
    broker report's follow-up, an inquiry's thread). ``side`` is the author's: like a
    file, a comment is its side's part, and a third party reads only the comments of
    the sides that consented (``portal.disclosure.visible_comments``)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    text = models.TextField(_("comment or additional information"))
    side = models.ForeignKey(
        "portal.Side", verbose_name=_("side"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="record_comment_thread")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}"


class ReferenceCounter(models.Model):
    """The last number given under one prefix (``JP-INV-2026``): reference numbers run
    per side, kind and year (``portal.records.references``)."""

    prefix = models.CharField(max_length=32, unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self) -> str:
        return f"{self.prefix}-{self.last:04d}"


def due_index(name: str) -> models.Index:
    """A kind's partial index on its due dates: the home page's "due" card and the
    menu's count read the open records due soon on every officer page, and without it
    they scan the whole table (80–190 ms at 100,000 broker reports, none of them with a
    due date; 4.5 ms with it: bench/brokers_at_scale.py). Each kind puts it in its
    ``Meta.indexes``."""
    return models.Index(fields=["due_on"], condition=models.Q(due_on__isnull=False), name=name)


class SharedRecord(models.Model):
    """Base of every confidential record exchanged under the Memorandum.

    Who may read or change a record is a set of object permissions held by
    organizations' groups (DESIGN.md, principle 3). A draft is granted to its author's
    organization; sharing grants it to every signatory and contact point of both sides;
    a written consent grants one third party read access to that record alone.

    Every record has a reference number (``JP-INV-2026-0007``), and once shared the
    other side acknowledges it, assigns it to an officer and may be held to a due date:
    the times created → shared → acknowledged are kept, so that "promptly" (4(1)) can
    be measured.
    """

    #: The middle part of the reference number (``INV``); a subclass names its own.
    reference_kind = "REC"
    #: ``{field: target}``: where assigning an officer moves the record, when its table
    #: allows (an investigation reported → under investigation).
    assignment_moves: dict[str, str] = {}
    #: ``{field: target}``: where acknowledging moves the record (a broker report
    #: reported → follow-up), when its table allows.
    acknowledgement_moves: dict[str, str] = {}
    #: ``{field: {from: frozenset(to…)}}``: the moves allowed, for
    #: ``portal.records.transitions``; a kind adds its own fields' tables to this one.
    transitions: dict[str, dict[str, frozenset[str]]] = {"status": RECORD_TRANSITIONS}

    memorandum = models.ForeignKey("portal.Memorandum", on_delete=models.PROTECT, related_name="+")
    origin = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("originating organization"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reference = models.CharField(
        _("reference"), max_length=32, unique=True, null=True, blank=True, editable=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RecordStatus.choices, default=RecordStatus.DRAFT, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True, editable=False)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True, editable=False)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True, editable=False)

    attachments = GenericRelation(Attachment)
    events = GenericRelation(RecordEvent)
    comments = GenericRelation("records.Comment")

    objects = RestrictedQuerySet.as_manager()

    #: Fields (and relations) the other side adds to the record: its part, disclosed to
    #: a third party only by that side's consent (``portal.disclosure``). The rest,
    #: apart from metadata and ``subject_fields``, is the originating side's.
    #: Acknowledgement and assignment are always the other side's.
    counterpart_fields: tuple[str, ...] = ()
    #: What the record is about (an investigated agency): shown with the record.
    subject_fields: tuple[str, ...] = ()
    #: Whether either side may add comments and information while the record is open
    #: (``services.comment``; the page's comments panel and the API's ``comments``).
    accepts_comments = False

    class Meta:
        abstract = True

    @property
    def origin_side_id(self) -> int | None:
        return self.origin.side_id

    def hidden_fields_for(self, user) -> frozenset[str]:
        from portal.disclosure import shared_record_hidden_fields

        return shared_record_hidden_fields(user, self)

    def is_open(self) -> bool:
        """Whether the record still waits for something (a due date applies to it)."""
        return self.status == RecordStatus.SHARED

    @classmethod
    def open_records(cls):
        """The rows ``is_open`` holds for, as a query (the reminder job reads it)."""
        return cls.objects.filter(status=RecordStatus.SHARED)

    def make_event(self, change) -> RecordEvent:
        """The timeline row of a move (``portal.records.transitions``)."""
        return record_event(
            self,
            change.action,
            actor=change.actor,
            from_status=change.previous,
            to_status=change.target,
            **change.event_fields,
        )

    @property
    def time_to_share(self) -> dt.timedelta | None:
        return self.shared_at - self.created_at if self.shared_at else None

    @property
    def time_to_acknowledge(self) -> dt.timedelta | None:
        return self.acknowledged_at - self.shared_at if self.acknowledged_at and self.shared_at else None


class ConsentRequest(models.Model):
    """Clause 3, asked: an officer asks the side the information came from to consent
    in writing to disclosing one record to one third party. That side's contact point
    grants it (a ``DisclosureConsent`` and its letter follow) or refuses it, with a
    reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", _("Cancelled")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    third_party = models.ForeignKey(
        "portal.Organization", verbose_name=_("third party"), on_delete=models.PROTECT, related_name="+"
    )
    #: The side asked: the one whose part of the record would be disclosed.
    side = models.ForeignKey(
        "portal.Side", verbose_name=_("side asked"), on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.TextField(_("purpose of the disclosure"))
    requested_until = models.DateField(_("disclosure needed until"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, editable=False
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("reason given"), blank=True)
    consent = models.OneToOneField(
        "portal.DisclosureConsent", on_delete=models.PROTECT, null=True, blank=True, related_name="request"
    )

    objects = ConsentRequestQuerySet.as_manager()

    transitions = {
        "status": {
            Status.PENDING: frozenset({Status.GRANTED, Status.REFUSED, Status.CANCELLED}),
            Status.GRANTED: frozenset(),
            Status.REFUSED: frozenset(),
            Status.CANCELLED: frozenset(),
        }
    }

    class Meta:
        verbose_name = _("request for written consent")
        verbose_name_plural = _("requests for written consent")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="consent_request_record")]

    def __str__(self) -> str:
        return f"{self.record} → {self.third_party}"

    @cached_property
    def record_model(self):
        return self.content_type.model_class()
