"""Who may record, correct and withdraw improvement orders (``portal.records.policies``
for the kit's own actions: acknowledge, assign, attach, consent). Pages ask
``can(check, …)`` which buttons to show; the services ask the same functions.

Japan issues improvement orders (6(3)): its officers record them; Tajikistan, the
partner country, acknowledges and publishes them (7(5)). Which side is which is data:
the memorandum's partner country, never a country code written here."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.choices import RecordStatus
from portal.exceptions import PermissionDenied, TransitionError
from portal.records.policies import can, check_writer  # noqa: F401 - re-exported for the pages

from .choices import OrderState


def is_issuing_side_officer(user) -> bool:
    """Whether ``user`` belongs to a side that is not its memorandum's partner country:
    the side that issues improvement orders."""
    organization = getattr(user, "organization", None)
    side = getattr(organization, "side", None) if organization is not None else None
    if side is None:
        return False
    return side.country != side.memorandum.partner_country


def check_record_order(user, obj=None) -> None:
    """Japan's officers (contact point and officers) record improvement orders."""
    check_writer(user)
    if not is_issuing_side_officer(user):
        raise PermissionDenied(
            _("Improvement orders are recorded by the officers of the side that issues them.")
        )


def _check_issuing_side(user, order) -> None:
    check_writer(user)
    organization = user.organization
    if organization.side_id != order.origin.side_id or not is_issuing_side_officer(user):
        raise PermissionDenied(_("Only the side that recorded the improvement order changes it."))
    if order.status != RecordStatus.SHARED:
        raise TransitionError(_("Only a recorded improvement order is corrected or withdrawn."))
    if order.state != OrderState.IN_FORCE:
        raise TransitionError(_("This improvement order was withdrawn: it is kept as it was."))


def check_correct_order(user, order) -> None:
    """The recording side corrects an order in force; the other side is told."""
    _check_issuing_side(user, order)


def check_withdraw_order(user, order) -> None:
    """The recording side withdraws an order recorded in error, with its reason."""
    _check_issuing_side(user, order)
