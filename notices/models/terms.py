"""The working terms of one memorandum's notices: how long an inquiry has to be
answered, when a consultation's action item falls due, how long the personal data of a
return case are kept once it closes, and below how many records a figure is not shown
to a third party. Administrators set them per memorandum (Django admin); a memorandum
without a row works on the defaults (``terms_for``)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["NoticeTerms", "terms_for"]


class NoticeTerms(models.Model):
    memorandum = models.OneToOneField(
        "portal.Memorandum", verbose_name=_("memorandum"), on_delete=models.CASCADE, related_name="+"
    )
    inquiry_answer_days = models.PositiveSmallIntegerField(
        _("days to answer an inquiry"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("The due date an inquiry is given unless the asking side sets another."),
    )
    action_item_days = models.PositiveSmallIntegerField(
        _("days to complete an action item"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("The due date a consultation's action item is given unless another is set."),
    )
    return_erasure_days = models.PositiveSmallIntegerField(
        _("days personal data of a return case are kept after it closes"),
        default=365,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    statistics_minimum = models.PositiveSmallIntegerField(
        _("smallest figure shown to a third party"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("A figure built from fewer records is shown to a third party as “fewer than N”."),
    )

    class Meta:
        verbose_name = _("terms of the notices")
        verbose_name_plural = _("terms of the notices")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


def terms_for(memorandum) -> NoticeTerms:
    """The memorandum's terms, or the defaults (unsaved) when none were set."""
    memorandum_id = getattr(memorandum, "pk", memorandum)
    return NoticeTerms.objects.filter(memorandum_id=memorandum_id).first() or NoticeTerms(
        memorandum_id=memorandum_id
    )
