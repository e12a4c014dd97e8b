"""Who may act on the Memorandum itself (clauses 9 and 10): one ``check_<action>(user,
memorandum)`` per action, raising the refusal the service gives. The services in
``portal.services`` call them, and the Memorandum page asks them (``can``) to decide
which forms it offers, so a button is never shown that the service then refuses.

The record kinds' checks are the kit's (``portal.records.policies``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .choices import Role
from .exceptions import PermissionDenied, TransitionError
from .records.policies import can  # noqa: F401 - asked with these checks by the pages


def acting_side(user, memorandum):
    """The side of ``memorandum`` a contact-point officer speaks for; refused for anyone
    else (clause 2: the contact points are the sides' channel)."""
    if getattr(user, "role", None) != Role.CONTACT_POINT_OFFICER:
        raise PermissionDenied(_("Only a contact-point officer acts for a side on the Memorandum."))
    organization = getattr(user, "organization", None)
    side = organization.side if organization is not None else None
    if side is None or side.memorandum_id != memorandum.pk:
        raise PermissionDenied(_("Only a contact-point officer acts for a side on the Memorandum."))
    return side


def check_terminate(user, memorandum) -> None:
    """Clause 10: either side's contact point gives notice, once."""
    acting_side(user, memorandum)
    if memorandum.termination_notified_on is not None:
        raise TransitionError(_("A termination notice has already been recorded."))


def check_amend(user, memorandum) -> None:
    """Clause 9: either side's contact point records an amendment both sides agreed."""
    acting_side(user, memorandum)
