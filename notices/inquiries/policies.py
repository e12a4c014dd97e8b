"""Who may ask and answer inquiries (``portal.records.policies`` for the kit's own
actions: acknowledge, assign, attach, comment, consent). Pages ask ``can(check, …)``
which buttons to show; the services ask the same functions.

Either side asks (6(4), 7(6)); the other side answers — its contact point, or the
officer of that side it assigned the inquiry to."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.choices import RecordStatus
from portal.exceptions import PermissionDenied, TransitionError
from portal.records.policies import can, check_writer, receiving_side_id, side_id  # noqa: F401


def check_ask(user, obj=None) -> None:
    """The writers of either side (contact points and officers) ask."""
    check_writer(user)
    if user.organization.side_id is None:
        raise PermissionDenied(_("Inquiries are asked by the officers of either side."))


def check_answer(user, inquiry) -> None:
    """The writers of the side asked answer a shared inquiry, once."""
    check_writer(user)
    if side_id(user) == inquiry.origin.side_id:
        raise PermissionDenied(_("The side that asked the inquiry cannot answer it: the other side answers."))
    if side_id(user) != receiving_side_id(inquiry):
        raise PermissionDenied(_("Only the side asked answers the inquiry."))
    if inquiry.status == RecordStatus.WITHDRAWN:
        raise TransitionError(_("This inquiry was withdrawn: it is not answered."))
    if inquiry.status != RecordStatus.SHARED:
        raise TransitionError(_("Only an inquiry shared with your side is answered."))
    if inquiry.answered_at is not None:
        raise TransitionError(_("This inquiry has already been answered."))
