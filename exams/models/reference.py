"""The tests of clause 5 as reference data, and the sessions held in the partner country.

A test (``Exam``) is a skills test of an SSW sector, or a Japanese-language test
(JFT-Basic, the JLPT at each level from N4 up). Certificate numbers are checked against
the test's own pattern, editable in admin: the bodies' exact formats are unverified
(shared/reference-data.md), so the pattern is data, not code.

A session is operational information of the side that records it: both sides' officers
read it; a third party never does (it holds no consent to a plain register)."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.i18n import MultilingualName, localized
from portal.querysets import NOTHING, PublicQuerySet, ScopedQuerySet

from ..choices import ExamKind

__all__ = ["Exam", "ExamSession", "ExamSessionQuerySet", "check_pattern"]


def check_pattern(value: str) -> None:
    try:
        re.compile(value)
    except re.error as error:
        raise ValidationError(_("Not a regular expression: %(error)s") % {"error": error}) from error


class Exam(MultilingualName):
    """A test of clause 5: seeded by migration, editable in admin."""

    audit_values_public = True  # reference data: its audit entries keep names and values

    code = models.SlugField(_("code"), unique=True)
    kind = models.CharField(_("kind of test"), max_length=10, choices=ExamKind.choices)
    sector = models.ForeignKey(
        "agencies.Sector",
        verbose_name=_("SSW sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exams",
    )
    level = models.CharField(
        _("level"), max_length=20, blank=True, help_text=_("JLPT N1–N4; empty for other tests.")
    )
    body_ja = models.CharField(_("administering body in Japanese"), max_length=300, blank=True)
    body_en = models.CharField(_("administering body in English"), max_length=300, blank=True)
    body_ru = models.CharField(_("administering body in Russian"), max_length=300, blank=True)
    body_tg = models.CharField(_("administering body in Tajik"), max_length=300, blank=True)
    certificate_pattern = models.CharField(
        _("certificate number pattern"),
        max_length=200,
        default=r"^[A-Z0-9][A-Z0-9-]{3,31}$",
        validators=[check_pattern],
        help_text=_(
            "A regular expression a certificate number of this test must match once written in capitals."
        ),
    )
    certificate_example = models.CharField(_("example certificate number"), max_length=40, blank=True)
    is_open = models.BooleanField(_("held now"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    objects = PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("test")
        verbose_name_plural = _("tests")
        ordering = ["sort_order", "id"]

    @property
    def body(self) -> str:
        return localized(self, "body")

    def certificate_number_is_valid(self, number: str) -> bool:
        return re.fullmatch(self.certificate_pattern, number) is not None


class ExamSessionQuerySet(ScopedQuerySet):
    """Both sides' officers of the session's memorandum read it; third parties never.
    Changing is the recording organization's (its writers: ``exams.policies``)."""

    def rule(self, user, action: str):
        organization = getattr(user, "organization", None)
        if organization is None or organization.side_id is None:
            return NOTHING
        if action == "view":
            return Q(memorandum_id=organization.side.memorandum_id)
        return Q(organization_id=organization.pk)


class ExamSession(models.Model):
    """A sitting of a test held in the partner country: when, where, by whom, how many."""

    memorandum = models.ForeignKey("portal.Memorandum", on_delete=models.PROTECT, related_name="+")
    exam = models.ForeignKey(Exam, verbose_name=_("test"), on_delete=models.PROTECT, related_name="sessions")
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    city = models.CharField(_("city"), max_length=100)
    venue = models.CharField(_("venue"), max_length=300)
    body = models.CharField(_("administering body"), max_length=300)
    candidates = models.PositiveIntegerField(_("number of candidates"), null=True, blank=True)
    organization = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("recorded by organization"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ExamSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("test session")
        verbose_name_plural = _("test sessions")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="exam_session_ends_after_start",
                violation_error_message=_("The last day cannot be before the first."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.exam} · {self.starts_on:%Y-%m-%d} · {self.city}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("exams:session", args=[self.pk])
