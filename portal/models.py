"""The shared core: the Memorandum, its sides and organizations, users, confidential
records and their permissions, consents, the audit trail, the outbox and the inbox."""

from __future__ import annotations

import calendar
import datetime as dt
import uuid

from django.contrib.auth.models import AbstractUser, Group
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase

from .choices import OrganizationKind, RecordStatus, Role
from .i18n import MultilingualName, localized
from .notification_kinds import render
from .querysets import (
    AuditEntryQuerySet,
    ConsentQuerySet,
    NotificationQuerySet,
    OrganizationQuerySet,
    PublicQuerySet,
)
from .records.models import SharedRecord, due_index, private_storage

TERMINATION_NOTICE_MONTHS = 6  # clause 10


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Memorandum(models.Model):
    """One bilateral Memorandum of Cooperation, the scope of every shared record.

    The counterpart country is data (DESIGN.md, principle 1): the Tajik memorandum is a
    seeded row, and another country's would be another row.
    """

    audit_values_public = True  # reference data: its audit entries keep names and values

    partner_country = models.CharField(
        _("partner country"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2 code")
    )
    title_ja = models.CharField(_("title in Japanese"), max_length=300)
    title_en = models.CharField(_("title in English"), max_length=300)
    title_ru = models.CharField(_("title in Russian"), max_length=300, blank=True)
    title_tg = models.CharField(_("title in Tajik"), max_length=300, blank=True)
    signed_in_japan_on = models.DateField(_("signed in Japan on"), null=True, blank=True)
    signed_in_japan_at = models.CharField(_("place of signature in Japan"), max_length=100, blank=True)
    signed_by_partner_on = models.DateField(_("signed by the partner on"), null=True, blank=True)
    signed_by_partner_at = models.CharField(
        _("place of signature by the partner"), max_length=100, blank=True
    )
    commenced_on = models.DateField(
        _("commenced on"),
        null=True,
        blank=True,
        help_text=_("The day Japan received the partner's notice that its procedures are complete."),
    )
    termination_notified_on = models.DateField(_("termination notified on"), null=True, blank=True)
    termination_notified_by = models.ForeignKey(
        "Side",
        verbose_name=_("termination notified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("memorandum")
        verbose_name_plural = _("memoranda")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("memorandum-detail", args=[self.pk])

    def clean(self) -> None:
        if bool(self.termination_notified_on) != bool(self.termination_notified_by_id):
            raise ValidationError(_("A termination notice needs both its date and the side that gave it."))

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def ends_on(self) -> dt.date | None:
        """Clause 10: the Memorandum ends six months after a termination notice."""
        if self.termination_notified_on is None:
            return None
        return add_months(self.termination_notified_on, TERMINATION_NOTICE_MONTHS)

    def is_in_force(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        if self.commenced_on is None or on < self.commenced_on:
            return False
        return self.ends_on is None or on < self.ends_on


class Amendment(models.Model):
    """Clause 9: an amendment or supplement agreed in writing by both sides."""

    memorandum = models.ForeignKey(Memorandum, on_delete=models.PROTECT, related_name="amendments")
    agreed_on = models.DateField(_("agreed on"))
    summary_ja = models.TextField(_("summary in Japanese"), blank=True)
    summary_en = models.TextField(_("summary in English"))
    summary_ru = models.TextField(_("summary in Russian"), blank=True)
    summary_tg = models.TextField(_("summary in Tajik"), blank=True)
    japan_consent_reference = models.CharField(_("Japan's written consent (reference)"), max_length=200)
    partner_consent_reference = models.CharField(_("partner's written consent (reference)"), max_length=200)

    objects = PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["agreed_on", "id"]

    def __str__(self) -> str:
        return f"{self.memorandum} — {self.agreed_on}"

    @property
    def summary(self) -> str:
        return localized(self, "summary")


class Side(MultilingualName):
    """A party to a memorandum: Japan's side or the partner country's side."""

    audit_values_public = True  # reference data: its audit entries keep names and values

    memorandum = models.ForeignKey(Memorandum, on_delete=models.PROTECT, related_name="sides")
    code = models.SlugField(_("code"), unique=True)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code"))

    objects = PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("side")
        verbose_name_plural = _("sides")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["memorandum", "country"], name="one_side_per_country")]

    def counterpart(self) -> Side:
        return Side.objects.filter(memorandum_id=self.memorandum_id).exclude(pk=self.pk).get()

    def contact_point(self) -> Organization:
        return self.organizations.get(is_contact_point=True)


class Organization(MultilingualName):
    """A ministry, agency, unit or embassy. Signatories and contact points belong to a
    side; organizations without a side are third parties (clause 3)."""

    audit_values_public = True  # reference data: its audit entries keep names and values

    code = models.SlugField(_("code"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    side = models.ForeignKey(
        Side,
        verbose_name=_("side"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        help_text=_("Empty for a third party."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
    )
    is_signatory = models.BooleanField(_("signatory ministry"), default=False)
    is_contact_point = models.BooleanField(_("contact point"), default=False)
    email = models.EmailField(_("e-mail"), blank=True)
    # Object permissions are granted to this group, never to individual users, so that
    # a record stays readable by the organization when its officers change.
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="organization", editable=False)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["side_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["side"], condition=models.Q(is_contact_point=True), name="one_contact_point_per_side"
            ),
            models.CheckConstraint(
                condition=models.Q(side__isnull=False) | models.Q(is_signatory=False, is_contact_point=False),
                name="third_parties_are_not_signatories",
            ),
        ]

    @property
    def is_third_party(self) -> bool:
        return self.side_id is None

    def save(self, *args, **kwargs) -> None:
        if self.group_id is None:
            self.group, _created = Group.objects.get_or_create(name=f"org:{self.code}")
        super().save(*args, **kwargs)

    save.alters_data = True


class User(AbstractUser):
    """A person signing in: every user belongs to one organization and has one role."""

    audit_values_public = True  # reference data: its audit entries keep names and values

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.ANALYST)
    language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=[("ja", "日本語"), ("en", "English"), ("ru", "Русский"), ("tg", "Тоҷикӣ")],
        default="en",
    )
    email_notifications = models.BooleanField(_("e-mail me new items in my inbox"), default=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self) -> None:
        super().clean()
        if self.organization_id is None and not self.is_superuser:
            raise ValidationError({"organization": _("Every user belongs to an organization.")})
        if (
            self.role == Role.THIRD_PARTY_VIEWER
            and self.organization
            and not self.organization.is_third_party
        ):
            raise ValidationError({"role": _("Third-party viewers belong to third-party organizations.")})
        if self.organization and self.organization.is_third_party and self.role != Role.THIRD_PARTY_VIEWER:
            raise ValidationError({"role": _("Users of a third-party organization are third-party viewers.")})

    def save(self, *args, **kwargs) -> None:
        self.is_staff = self.is_superuser or self.role == Role.ADMINISTRATOR
        super().save(*args, **kwargs)
        # Membership of the organization's group is derived from ``organization``.
        self.groups.set([self.organization.group_id] if self.organization_id else [])

    save.alters_data = True

    @property
    def side_id(self) -> int | None:
        return self.organization.side_id if self.organization_id else None

    @property
    def can_write(self) -> bool:
        from .choices import WRITER_ROLES

        return self.role in WRITER_ROLES and self.organization_id is not None


class Correspondence(SharedRecord):
    """Clause 2: a letter between the two contact points (or from a signatory ministry
    to the other side's contact point). All exchanges between the sides go through the
    contact points, so a letter is always addressed to the other side's contact point;
    any writer of a side may send one (the origin is the sender's organization).

    A letter may answer another (``in_reply_to``): the answers form a thread under the
    first letter, ``thread_root``, stored so that a thread is one indexed query
    whatever its depth. Who reads which letters of a thread is still decided letter by
    letter (``restrict()``): a third party with written consent for one letter sees
    that letter alone."""

    reference_kind = "LET"

    recipient = models.ForeignKey(
        Organization, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    in_reply_to = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
    )
    #: The first letter of the thread (empty on the first letter itself): set from
    #: ``in_reply_to`` by ``clean``, never chosen.
    thread_root = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("correspondence")
        verbose_name_plural = _("correspondence")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["memorandum", "status"]),
            # The thread page reads every letter of a thread by its root.
            models.Index(fields=["thread_root", "created_at"], name="correspondence_thread"),
            due_index("correspondence_due"),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("correspondence-detail", args=[self.pk])

    #: Where a letter sits in its thread: the sides' own bookkeeping, withheld from a
    #: third party, whose written consent opens one letter and says nothing of the rest.
    THREAD_FIELDS = frozenset({"in_reply_to", "in_reply_to_id", "thread_root", "thread_root_id", "replies"})

    def hidden_fields_for(self, user) -> frozenset[str]:
        hidden = super().hidden_fields_for(user)
        organization = getattr(user, "organization", None)
        if not user.is_superuser and (organization is None or organization.is_third_party):
            hidden |= self.THREAD_FIELDS
        return hidden

    @property
    def thread_id(self) -> int | None:
        """The id that names this letter's thread: its root's, or its own if it is the root."""
        return self.thread_root_id or self.pk

    def clean(self) -> None:
        """Clause 2: a letter goes to the other side's contact point — never to a third
        party, never within one side, never to another ministry of the other side. A
        reply answers a shared letter of the same Memorandum. Checked on every save
        through a service, so an edit is held to the same rule as a new letter."""
        super().clean()
        origin = self.origin if self.origin_id else None
        recipient = self.recipient if self.recipient_id else None
        if recipient is not None and (
            not recipient.is_contact_point
            or recipient.side_id is None
            or origin is None
            or origin.side_id is None
            or recipient.side_id == origin.side_id
        ):
            raise ValidationError(
                {"recipient": _("A letter is addressed to the contact point of the other side.")}
            )
        parent = self.in_reply_to if self.in_reply_to_id else None
        if parent is None:
            self.thread_root = None
            return
        if self.pk is not None and (parent.pk == self.pk or parent.thread_root_id == self.pk):
            raise ValidationError({"in_reply_to": _("A letter cannot answer itself.")})
        if parent.memorandum_id != self.memorandum_id:
            raise ValidationError(
                {"in_reply_to": _("A reply belongs to the Memorandum of the letter it answers.")}
            )
        if parent.status != RecordStatus.SHARED:
            raise ValidationError({"in_reply_to": _("Only a letter that was sent can be answered.")})
        self.thread_root_id = parent.thread_root_id or parent.pk


class CorrespondenceGroupObjectPermission(GroupObjectPermissionBase):
    """Direct foreign-key permission table: integer joins, not text-cast generic ids
    (shared/notes/guardian-at-scale.md)."""

    content_object = models.ForeignKey(Correspondence, on_delete=models.CASCADE)


def consent_letter_path(instance, filename: str) -> str:
    return f"consents/{instance.pk}/{filename}"


class DisclosureConsent(models.Model):
    """Clause 3: the written consent of one side, letting one third-party organization
    read that record alone — the parts of it that came from that side — until the
    consent expires or is withdrawn."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    third_party = models.ForeignKey(
        Organization,
        verbose_name=_("third party"),
        on_delete=models.PROTECT,
        related_name="consents_received",
    )
    document_reference = models.CharField(
        _("written consent (document reference)"),
        max_length=200,
        help_text=_("Number and date of the letter."),
    )
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    #: The side whose information this consent discloses: only that side's parts of
    #: the record (``portal.disclosure``). Kept here, not read through ``granted_by``,
    #: so that an officer moving to another organization changes nothing.
    side = models.ForeignKey(
        Side, verbose_name=_("consenting side"), on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Set once the permission has been taken back (on withdrawal or expiry), so the
    # periodic sweep touches each consent once.
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: The consent letter (reference, scope, validity, both organizations), rendered
    #: by ``portal.records.letters`` on the documents queue, kept with its SHA-256.
    letter = models.FileField(
        _("consent letter"),
        upload_to=consent_letter_path,
        storage=private_storage,
        blank=True,
        editable=False,
    )
    letter_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("written consent to disclose")
        verbose_name_plural = _("written consents to disclose")
        ordering = ["-granted_at"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "third_party"], name="consent_record_third_party"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_reference} → {self.third_party}"

    def is_active(self, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.withdrawn_at is None and self.expires_at > at


class AuditEntry(models.Model):
    """Append-only record of who did what (clause 3). In PostgreSQL a trigger refuses
    UPDATE and DELETE on this table."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor_username = models.CharField(_("actor"), max_length=150, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # The chain (portal.audit_chain): hash = sha256(prev_hash ‖ canonical JSON of the
    # entry), so a changed, removed or reordered entry no longer verifies.
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            # The newest change (portal.kept): the reads, most of the table, left out.
            models.Index(
                fields=["-id"],
                name="audit_changes",
                condition=~models.Q(
                    action__in=[
                        "record.read",
                        "authz.denied",
                        "file.downloaded",
                        "notification.read",
                        "auth.login",
                        "auth.logout",
                    ]
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username or '-'} {self.action}"


class AuditHead(models.Model):
    """The head of the audit chain (last id and hash) as received by one side's contact
    point on one day. An entry named here must still exist with this hash: that is how
    a truncated tail is found. Append-only in PostgreSQL, like the audit."""

    recipient = models.ForeignKey(
        Organization, verbose_name=_("received by"), on_delete=models.PROTECT, related_name="+"
    )
    last_id = models.BigIntegerField(_("last entry"))
    hash = models.CharField(_("hash"), max_length=64)
    sent_at = models.DateTimeField(_("sent at"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    source = models.ForeignKey(
        "OutboxEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")
        ordering = ["-last_id", "recipient_id"]
        constraints = [models.UniqueConstraint(fields=["source", "recipient"], name="one_head_per_delivery")]

    def __str__(self) -> str:
        return f"#{self.last_id} {self.hash[:12]}… → {self.recipient}"


class UserSession(models.Model):
    """A signed-in session, recorded at sign-in so its owner can see and end it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(_("signed in at"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen at"), default=timezone.now)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token itself is shown once,
    when created. It expires, can be revoked, and may be limited to reading."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    read_only = models.BooleanField(_("read-only"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_active(self, at: dt.datetime | None = None) -> bool:
        return self.revoked_at is None and self.expires_at > (at or timezone.now())


class OutboxEntry(models.Model):
    """A side effect promised in the same transaction as the change that caused it
    (DESIGN.md, principle 5); drained by Celery with idempotent handlers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    topic = models.CharField(max_length=64)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    available_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("outbox entry")
        verbose_name_plural = _("outbox entries")
        ordering = ["created_at"]
        indexes = [
            # The drain only ever looks for pending entries; keep that index small.
            models.Index(
                fields=["available_at"], condition=models.Q(processed_at__isnull=True), name="outbox_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.created_at:%Y-%m-%d %H:%M:%S}"


class Notification(models.Model):
    """An item in an organization's in-portal inbox. The text is rendered in the
    reader's language from ``kind`` and ``params`` (see ``portal.notifications``)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=64)
    params = models.JSONField(default=dict)
    sender = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    read_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The outbox entry that produced this item: re-running a handler creates nothing new.
    source = models.ForeignKey(OutboxEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "organization"], name="one_notification_per_event")
        ]

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        return render(self)
