"""The register of registered support organizations and its imports (6(3), 7(5)).

Japan's Immigration Services Agency publishes the register as a workbook; Japan's side
imports it (``notices.register.services``). Each import is compared with the register as
it stood: added, changed (which fields) and removed organizations. The register itself
drops a deregistered organization silently, so ``SupportOrganization.removed_on`` — the
as-of date of the first import it was missing from — is the only record of the removal,
and it is kept.

An organization is public data (the ISA publishes it): a plain model both sides' officers
read. An import is a shared record (the comparison, shared with the partner side with
acknowledgement), its workbook kept as the record's attachment.
"""

from __future__ import annotations

from django.db import connection, models
from django.db.models import Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase

from portal.querysets import NOTHING, ScopedQuerySet
from portal.records.models import SharedRecord

__all__ = [
    "Edition",
    "RegisterImport",
    "RegisterImportGroupObjectPermission",
    "SupportOrganization",
    "SupportOrganizationQuerySet",
]


class Edition(models.TextChoices):
    JAPANESE = "ja", _("Japanese")
    ENGLISH = "en", _("English")


class RegisterImport(SharedRecord):
    """One workbook of the register, compared with the register as it stood (``base``:
    the import applied last when the comparison was made). A draft is a preview —
    nothing applied; applying it writes the organizations and shares the comparison
    with the partner side (``notices.register.services.apply_import``)."""

    reference_kind = "RSO"

    edition = models.CharField(
        _("edition"), max_length=2, choices=Edition.choices, blank=True, editable=False
    )
    as_of = models.DateField(_("register as of"), null=True, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=300, blank=True, editable=False)
    file_name = models.CharField(_("file name"), max_length=200, blank=True, editable=False)
    file_sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0, editable=False)
    #: ``[{"row": 12, "reason": "…"}, …]``: the rows that could not be read.
    row_errors = models.JSONField(_("unreadable rows"), default=list, blank=True, editable=False)
    #: Registration numbers, sorted.
    added = models.JSONField(_("added"), default=list, blank=True, editable=False)
    #: ``{number: [field, …]}``.
    changed = models.JSONField(_("changed"), default=dict, blank=True, editable=False)
    #: ``{number: {field: [before, after]}}``: what the page shows as old → new (once
    #: applied, the organization holds only the new values).
    changed_values = models.JSONField(default=dict, blank=True, editable=False)
    #: ``{number: name}`` of the first added organizations, as the workbook names them:
    #: what a preview shows before any is stored.
    added_names = models.JSONField(default=dict, blank=True, editable=False)
    removed = models.JSONField(_("removed"), default=list, blank=True, editable=False)
    reappeared = models.JSONField(_("reappeared"), default=list, blank=True, editable=False)
    #: ``{"added": n, "changed": n, "removed": n, "reappeared": n, "unchanged": n}``: what
    #: a list of imports shows without reading the lists.
    counts = models.JSONField(_("counts"), default=dict, blank=True, editable=False)
    base = models.ForeignKey(
        "self",
        verbose_name=_("compared with"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-created_at", "-id"]
        indexes = [
            # "The import applied last" of a memorandum: read on every preview and apply.
            models.Index(
                fields=["memorandum", "-applied_at"],
                condition=Q(applied_at__isnull=False),
                name="register_import_applied",
            ),
        ]

    def __str__(self) -> str:
        # Every reader of the record sees this: the reference, never the content.
        return self.reference or str(_("Draft register import"))

    def get_absolute_url(self) -> str:
        return reverse("notices:register-import", args=[self.pk])

    #: The lists a page of imports leaves unread (``.defer(*LISTS)``).
    LISTS = ("added", "added_names", "changed", "changed_values", "removed", "reappeared", "row_errors")

    @property
    def added_count(self) -> int:
        return self.counts.get("added", 0)

    @property
    def changed_count(self) -> int:
        return self.counts.get("changed", 0)

    @property
    def removed_count(self) -> int:
        return self.counts.get("removed", 0)

    @property
    def reappeared_count(self) -> int:
        return self.counts.get("reappeared", 0)

    @property
    def unchanged_count(self) -> int:
        return self.counts.get("unchanged", 0)

    @property
    def errors_count(self) -> int:
        return self.counts.get("errors", 0)

    @property
    def has_changes(self) -> bool:
        return any(self.counts.get(name) for name in ("added", "changed", "removed", "reappeared"))


class RegisterImportGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(RegisterImport, on_delete=models.CASCADE)


class SupportOrganizationQuerySet(ScopedQuerySet):
    """The register is public data, but the portal's copy (with its history) is read by
    the officers of the two sides of its memorandum; nobody changes it but an import."""

    def rule(self, user, action: str):
        organization = getattr(user, "organization", None)
        if action != "view" or organization is None or organization.side_id is None:
            return NOTHING
        return Q(memorandum_id=organization.side.memorandum_id)

    def current(self):
        return self.filter(removed_on__isnull=True)

    def removed(self):
        return self.filter(removed_on__isnull=False)

    def offering(self, code: str):
        """Organizations offering support in ``code`` (ISO 639-1): JSON containment on
        PostgreSQL, the list's text elsewhere (SQLite has no JSON ``contains``)."""
        code = (code or "").strip().lower()
        if not code:
            return self
        if connection.vendor == "postgresql":
            return self.filter(languages__contains=[code])
        return self.annotate(_languages=Cast("languages", models.TextField())).filter(
            _languages__contains=f'"{code}"'
        )


class SupportOrganization(models.Model):
    """A registered support organization (登録支援機関) as the register last listed it,
    with when the portal first saw it, last saw it change, and first saw it missing."""

    memorandum = models.ForeignKey("portal.Memorandum", on_delete=models.PROTECT, related_name="+")
    registration_number = models.CharField(_("registration number"), max_length=20)
    registered_on = models.DateField(_("registration date"))
    name = models.TextField(_("name"))
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    address = models.TextField(_("address"), blank=True)
    prefecture = models.CharField(_("prefecture"), max_length=2, blank=True)
    phone = models.CharField(_("telephone"), max_length=100, blank=True)
    representative = models.TextField(_("representative"), blank=True)
    office_name = models.TextField(_("support office"), blank=True)
    office_address = models.TextField(_("support office address"), blank=True)
    support = models.TextField(_("support offered"), blank=True)
    support_from = models.DateField(_("support may start on"), null=True, blank=True)
    #: ISO 639-1 codes, sorted (``notices.languages``).
    languages = models.JSONField(_("languages of support"), default=list, blank=True)
    languages_text = models.TextField(_("languages of support, as written"), blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    #: SHA-256 of the canonical fields (``notices.register.services.fingerprint``): an
    #: import compares 100,000 of these, not 100,000 rows of fields.
    fingerprint = models.CharField(max_length=64, editable=False)
    first_seen_on = models.DateField(_("first listed on"), null=True, blank=True)
    first_seen_import = models.ForeignKey(
        RegisterImport, on_delete=models.PROTECT, related_name="+", editable=False
    )
    changed_on = models.DateField(_("last changed on"), null=True, blank=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    removed_import = models.ForeignKey(
        RegisterImport, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    objects = SupportOrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registered support organization")
        verbose_name_plural = _("registered support organizations")
        ordering = ["registration_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["memorandum", "registration_number"], name="one_support_organization_a_number"
            )
        ]
        indexes = [models.Index(fields=["memorandum", "prefecture"], name="support_org_prefecture")]

    def __str__(self) -> str:
        return f"{self.registration_number} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("notices:register-organization", args=[self.pk])
