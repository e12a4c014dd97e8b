"""Where an improvement order stands, declared as data (STYLE.md §3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderState(models.TextChoices):
    """An order recorded is in force; one recorded in error is withdrawn (kept, with
    its reason, never deleted: Tajikistan may have read or published it)."""

    IN_FORCE = "in_force", _("In force")
    WITHDRAWN = "withdrawn", _("Withdrawn (recorded in error)")


ORDER_TRANSITIONS: dict[str, frozenset[str]] = {
    OrderState.IN_FORCE: frozenset({OrderState.WITHDRAWN}),
    OrderState.WITHDRAWN: frozenset(),
}
