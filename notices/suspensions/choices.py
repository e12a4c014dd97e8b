"""Where an acceptance suspension stands, declared as data (STYLE.md §3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SuspensionState(models.TextChoices):
    """A suspension recorded is in force until Japan lifts it (kept, with the date and
    reason of the lifting, never deleted: it was published)."""

    IN_FORCE = "in_force", _("In force")
    LIFTED = "lifted", _("Lifted")


SUSPENSION_TRANSITIONS: dict[str, frozenset[str]] = {
    SuspensionState.IN_FORCE: frozenset({SuspensionState.LIFTED}),
    SuspensionState.LIFTED: frozenset(),
}
