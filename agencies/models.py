"""Sending agencies (clauses 6(1), 6(2), 7(1)–(4)): the register, screening against the
partner ministry's criteria, certification, guidance, investigation at Japan's report,
revocation, and the immutable published versions of the certified list."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase

from portal.i18n import MultilingualName, localized
from portal.models import Memorandum, Organization, SharedRecord
from portal.records.models import Attachment, Event, due_index

from .choices import (
    AGENCY_TRANSITIONS,
    INVESTIGATION_TRANSITIONS,
    AgencyStatus,
    CriterionResult,
    InvestigationOutcome,
    InvestigationStatus,
    RevocationReason,
)
from .querysets import (
    AgencyChildQuerySet,
    AgencyEventQuerySet,
    ScreeningResultQuerySet,
    SendingAgencyQuerySet,
)


class Sector(MultilingualName):
    """A Specified Skilled Worker field (特定産業分野), reference data seeded by migration."""

    audit_values_public = True  # reference data: its audit entries keep names and values

    code = models.SlugField(_("code"), unique=True)
    ministry = models.ForeignKey(
        Organization,
        verbose_name=_("ministry with jurisdiction"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sectors",
    )
    skills_test = models.CharField(_("skills test"), max_length=300, blank=True)
    is_open = models.BooleanField(_("accepting workers"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("SSW sector")
        verbose_name_plural = _("SSW sectors")
        ordering = ["sort_order", "id"]


class SendingAgency(models.Model):
    """A Tajik (partner-country) agency sending SSW workers to Japan, and its
    certification. Names are stored in each script the agency uses."""

    memorandum = models.ForeignKey(Memorandum, on_delete=models.PROTECT, related_name="+")
    name_tg = models.CharField(_("name in Tajik"), max_length=300)
    name_ru = models.CharField(_("name in Russian"), max_length=300, blank=True)
    name_en = models.CharField(_("name in Latin script"), max_length=300, blank=True)
    name_ja = models.CharField(_("name in Japanese"), max_length=300, blank=True)
    registration_number = models.CharField(_("registration / licence number"), max_length=64)
    tax_number = models.CharField(_("tax number (INN)"), max_length=32, blank=True)
    region = models.CharField(_("region"), max_length=100)
    city = models.CharField(_("city"), max_length=100)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    representative = models.CharField(_("representative"), max_length=200, blank=True)
    sectors = models.ManyToManyField(Sector, verbose_name=_("SSW sectors"), related_name="agencies")

    status = models.CharField(
        _("status"),
        max_length=30,
        choices=AgencyStatus.choices,
        default=AgencyStatus.APPLICATION_RECEIVED,
        editable=False,
    )
    certification_number = models.CharField(
        _("certification number"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    certified_on = models.DateField(_("certified on"), null=True, blank=True, editable=False)
    valid_until = models.DateField(_("valid until"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SendingAgencyQuerySet.as_manager()

    transitions = {"status": AGENCY_TRANSITIONS}
    transition_message = _("An agency that is “%(current)s” cannot become “%(target)s”.")

    class Meta:
        verbose_name = _("sending agency")
        verbose_name_plural = _("sending agencies")
        ordering = ["name_tg", "id"]
        indexes = [models.Index(fields=["memorandum", "status"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("agencies:detail", args=[self.pk])

    @property
    def name(self) -> str:
        """The name in the reader's language by the portal's one rule
        (``portal.i18n``): ``name_en`` is the name in Latin script, ``name_tg`` is always
        there, so the agency never shows an empty name."""
        return localized(self, "name")

    def make_event(self, change) -> AgencyEvent:
        """The history row of a move (``portal.records.transitions``)."""
        from portal.timezones import today_for

        fields = dict(change.event_fields)
        # The acting side's date: a Tajik officer acting at 23:00 in Dushanbe acts "today"
        # there, although it is already tomorrow in Tokyo.
        fields.setdefault("effective_on", today_for(change.actor))
        return AgencyEvent.objects.create(
            agency=self,
            from_status=change.previous,
            to_status=change.target,
            actor=change.actor if getattr(change.actor, "is_authenticated", False) else None,
            certification_number=self.certification_number or "",
            **fields,
        )

    #: Fields of the partner ministry's own register, not provided to Japan (7(2)).
    PARTNER_ONLY_FIELDS = frozenset({"tax_number"})

    def hidden_fields_for(self, user) -> frozenset[str]:
        """Japan's side reads a certified agency without the partner's internal fields."""
        from .querysets import is_partner_officer

        if user.is_superuser or is_partner_officer(user, self.memorandum):
            return frozenset()
        return self.PARTNER_ONLY_FIELDS


#: Fields shown on the published list; a change to one of them publishes a new version.
PUBLISHED_FIELDS = (
    "name_tg",
    "name_ru",
    "name_en",
    "name_ja",
    "registration_number",
    "region",
    "city",
    "address",
    "phone",
    "email",
    "website",
    "representative",
)


class AgencyEvent(Event):
    """One transition of an agency (who, when, why, from when), or a change to its
    published fields. Certifications and revocations are provided to Japan, whose
    acknowledgement is recorded here."""

    agency = models.ForeignKey(SendingAgency, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=30, choices=AgencyStatus.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=AgencyStatus.choices)
    effective_on = models.DateField(_("effective on"))
    public_reason = models.CharField(
        _("public reason category"), max_length=30, choices=RevocationReason.choices, blank=True
    )
    certification_number = models.CharField(max_length=64, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged by Japan at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AgencyEventQuerySet.as_manager()

    class Meta(Event.Meta):
        verbose_name = _("agency event")
        verbose_name_plural = _("agency events")

    def __str__(self) -> str:
        return f"{self.agency} {self.from_status} → {self.to_status}"

    @property
    def needs_acknowledgement(self) -> bool:
        return (
            self.to_status in {AgencyStatus.CERTIFIED, AgencyStatus.REVOKED} and self.acknowledged_at is None
        )


class ScreeningCriterion(models.Model):
    """One of the partner ministry's screening criteria (7(1)), editable in admin."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    text_ja = models.TextField(_("criterion in Japanese"), blank=True)
    text_en = models.TextField(_("criterion in English"))
    text_ru = models.TextField(_("criterion in Russian"), blank=True)
    text_tg = models.TextField(_("criterion in Tajik"), blank=True)
    mandatory = models.BooleanField(
        _("mandatory"), default=True, help_text=_("A failure blocks certification.")
    )
    source = models.CharField(_("where it comes from"), max_length=300, blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("screening criterion")
        verbose_name_plural = _("screening criteria")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    @property
    def text(self) -> str:
        return localized(self, "text")


class Screening(models.Model):
    """A screening of an agency against the criteria: a result and note per criterion."""

    agency = models.ForeignKey(SendingAgency, on_delete=models.CASCADE, related_name="screenings")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(_("overall note"), blank=True)

    objects = AgencyChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.agency} — {self.started_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("agencies:screening", args=[self.agency_id, self.pk])

    def failing_mandatory(self):
        """Mandatory criteria not (yet) met: certification is refused while any remain."""
        return [
            result.criterion
            for result in self.results.select_related("criterion")
            if result.criterion.mandatory
            and result.result not in {CriterionResult.MET, CriterionResult.NOT_APPLICABLE}
        ]


class ScreeningResult(models.Model):
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="results")
    criterion = models.ForeignKey(ScreeningCriterion, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(
        _("result"), max_length=20, choices=CriterionResult.choices, default=CriterionResult.PENDING
    )
    note = models.TextField(_("note"), blank=True)
    #: Documents supporting the result (kit attachments).
    attachments = GenericRelation(Attachment)

    objects = ScreeningResultQuerySet.as_manager()

    class Meta:
        ordering = ["criterion__number"]
        constraints = [
            models.UniqueConstraint(fields=["screening", "criterion"], name="one_result_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion.number}: {self.result}"


class Guidance(models.Model):
    """Guidance given to an agency (7(4)), or as a measure of an investigation (7(3))."""

    agency = models.ForeignKey(SendingAgency, on_delete=models.CASCADE, related_name="guidance")
    investigation = models.ForeignKey(
        "Investigation", on_delete=models.SET_NULL, null=True, blank=True, related_name="guidance"
    )
    given_on = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=300)
    outcome = models.TextField(_("outcome"), blank=True)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AgencyChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("guidance")
        verbose_name_plural = _("guidance")
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return self.subject


class Investigation(SharedRecord):
    """7(3): Japan reports that a certified agency seems to breach the criteria or act
    improperly; the partner ministry investigates, guides and supervises, and sends the
    result back. Confidential between the sides."""

    reference_kind = "INV"
    transitions = {**SharedRecord.transitions, "stage": INVESTIGATION_TRANSITIONS}
    assignment_moves = {"stage": InvestigationStatus.UNDER_INVESTIGATION}
    transition_message = _("An investigation that is “%(current)s” cannot become “%(target)s”.")

    agency = models.ForeignKey(SendingAgency, on_delete=models.PROTECT, related_name="investigations")
    facts = models.TextField(_("facts reported"))
    related_references = models.TextField(
        _("related brokers or reports"),
        blank=True,
        help_text=_("References of linked broker reports, if any."),
    )
    stage = models.CharField(
        _("stage"), max_length=30, choices=InvestigationStatus.choices, default=InvestigationStatus.REPORTED
    )
    due_on = models.DateField(_("result due on"))
    findings = models.TextField(_("findings"), blank=True)
    measures = models.TextField(_("guidance and supervision measures"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=InvestigationOutcome.choices, blank=True)
    result_sent_at = models.DateTimeField(_("result sent at"), null=True, blank=True)

    #: Japan's report (facts, references, due date, attachments) is the originating
    #: side's part; what the partner ministry adds is its own part, disclosed to a third
    #: party only with its consent (portal.disclosure).
    counterpart_fields = ("stage", "findings", "measures", "outcome", "result_sent_at", "guidance")
    subject_fields = ("agency",)

    class Meta:
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")
        ordering = ["-created_at", "-id"]
        indexes = [due_index("investigation_due")]

    def __str__(self) -> str:
        # The reader's date, as the page beside it shows (a UTC date was a day off for
        # anything reported after 15:00 UTC in Tokyo, 19:00 UTC in Dushanbe).
        return f"{self.agency} — {timezone.localtime(self.created_at):%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("agencies:investigation", args=[self.pk])

    def is_open(self) -> bool:
        return super().is_open() and self.stage != InvestigationStatus.RESULT_SENT

    @classmethod
    def open_records(cls):
        return super().open_records().exclude(stage=InvestigationStatus.RESULT_SENT)


class InvestigationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Investigation, on_delete=models.CASCADE)


# Upload paths of the investigation attachments and screening evidence that were models
# of their own before the kit's attachments (migration 0007); the earlier migrations
# still name them.
def evidence_path(instance, filename: str) -> str:
    return (
        f"agencies/{instance.result.screening.agency_id}/screenings/{instance.result.screening_id}/{filename}"
    )


def attachment_path(instance, filename: str) -> str:
    return f"investigations/{instance.investigation_id}/{filename}"


def publication_path(instance, filename: str) -> str:
    """Where the agency lists' versions kept their files; named by the migrations that
    created those fields (the versions are ``portal.publication``'s since 0011)."""
    return f"publications/agencies/{instance.side.code}/{instance.version:05d}/{filename}"
