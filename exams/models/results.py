"""The register of pass results and the certificate checks made against it (5).

Results come from the test bodies as CSV files that Japan's side imports
(``ResultImport``; ``exams.imports``). The register is read by nobody on a page or in the
API: an officer learns of a certificate only what a check answers — it matches, it does
not match (and which fields differ), or it is not found (``exams.verification``). Each
check is kept (``CertificateCheck``), audited, and counted for the per-user rate limit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.querysets import NOTHING, ScopedQuerySet
from portal.records.models import private_storage

from ..choices import CheckOutcome, ImportStatus

__all__ = [
    "CertificateCheck",
    "CertificateCheckQuerySet",
    "OwnOrganizationQuerySet",
    "PassResult",
    "PassResultQuerySet",
    "ResultImport",
]


class OwnOrganizationQuerySet(ScopedQuerySet):
    """Rows of the reader's own organization (an import, a check): nobody else's."""

    def rule(self, user, action: str):
        organization = getattr(user, "organization", None)
        if organization is None or organization.is_third_party:
            return NOTHING
        return Q(organization_id=organization.pk)


CertificateCheckQuerySet = OwnOrganizationQuerySet


def import_path(instance, filename: str) -> str:
    return f"exams/imports/{instance.sha256[:2]}/{instance.sha256}.csv"


class ResultImport(models.Model):
    """One CSV file of pass results from a test body, and what importing it did."""

    organization = models.ForeignKey(
        "portal.Organization", on_delete=models.PROTECT, related_name="+", editable=False
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file = models.FileField(_("file"), upload_to=import_path, storage=private_storage, max_length=300)
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED, editable=False
    )
    rows = models.PositiveIntegerField(_("rows read"), default=0, editable=False)
    added = models.PositiveIntegerField(_("added"), default=0, editable=False)
    changed = models.PositiveIntegerField(_("changed"), default=0, editable=False)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0, editable=False)
    refused = models.PositiveIntegerField(_("refused"), default=0, editable=False)
    #: ``[{"line": 12, "reason": "…"}, …]``, the first ones only (``imports.MAX_ERRORS``).
    errors = models.JSONField(_("rows refused"), default=list, blank=True, editable=False)
    #: Why the whole file was refused (wrong columns, unreadable encoding), if it was.
    failure = models.TextField(_("why the file was refused"), blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True, editable=False)

    objects = OwnOrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("pass-result import")
        verbose_name_plural = _("pass-result imports")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        # By number, not by the file's name: a name may say more than an audit title should.
        from django.utils.translation import gettext

        return gettext("Pass-result import %(number)s") % {"number": self.pk}

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("exams:import", args=[self.pk])


class PassResultQuerySet(ScopedQuerySet):
    """Nobody reads the register row by row but an administrator in admin: officers
    learn of it only what a certificate check answers."""

    def rule(self, user, action: str):
        return NOTHING


class PassResult(models.Model):
    """A test body's record of one certificate: its number, holder and result."""

    exam = models.ForeignKey("exams.Exam", verbose_name=_("test"), on_delete=models.PROTECT, related_name="+")
    certificate_number = models.CharField(_("certificate number"), max_length=40)
    name_latin = models.CharField(_("holder's name in Latin script"), max_length=200, blank=True)
    name_cyrillic = models.CharField(_("holder's name in Cyrillic"), max_length=200, blank=True)
    #: The names' cross-script keys (``brokers.names.latin_key``), space-separated: what a
    #: check compares, so that "Rakhimov" and "Раҳимов" are one name.
    name_keys = models.CharField(max_length=500, editable=False)
    date_of_birth = models.DateField(_("date of birth"))
    test_date = models.DateField(_("test date"))
    result = models.CharField(_("result"), max_length=60)
    source = models.ForeignKey(
        ResultImport,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="results",
        editable=False,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PassResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("pass result")
        verbose_name_plural = _("pass results")
        ordering = ["exam", "certificate_number"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "certificate_number"], name="one_result_per_certificate"),
            models.CheckConstraint(
                condition=~Q(name_latin="") | ~Q(name_cyrillic=""), name="pass_result_has_a_name"
            ),
        ]

    def __str__(self) -> str:
        return self.certificate_number


class CertificateCheck(models.Model):
    """One check of a certificate: what the officer entered and what the check answered
    (never the registered values). Kept for the audit, the rate limit and a fraud report
    pre-filled from a mismatch."""

    organization = models.ForeignKey(
        "portal.Organization", on_delete=models.PROTECT, related_name="+", editable=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    exam = models.ForeignKey("exams.Exam", verbose_name=_("test"), on_delete=models.PROTECT, related_name="+")
    certificate_number = models.CharField(_("certificate number"), max_length=40)
    name = models.CharField(_("holder's name"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=CheckOutcome.choices, editable=False)
    #: The fields that differ, comma-separated (``CheckedField``), when it does not match.
    differs = models.CharField(_("fields that differ"), max_length=40, blank=True, editable=False)
    #: Checks made together from one CSV file share a batch and carry their line.
    batch = models.UUIDField(null=True, blank=True, editable=False, db_index=True)
    line = models.PositiveIntegerField(null=True, blank=True, editable=False)
    checked_at = models.DateTimeField(_("checked at"), auto_now_add=True, db_index=False)

    objects = OwnOrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate check")
        verbose_name_plural = _("certificate checks")
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["user", "checked_at"], name="check_rate_window")]

    def __str__(self) -> str:
        return f"{self.certificate_number} · {self.get_outcome_display()}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("exams:check", args=[self.pk])

    @property
    def differing_fields(self) -> list[str]:
        return [name for name in self.differs.split(",") if name]
