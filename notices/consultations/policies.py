"""Who may do what to a consultation (``portal.records.policies`` for the kit's own
actions). Pages ask ``can(check, …)`` which buttons to show; the services ask the same
functions.

A consultation is the two sides' together (4(2)): the writers of either side (contact
points and officers) add participants, agenda items, records on the agenda, action
items and minutes, and each side agrees the minutes once. The calling side alone changes
the date, place and link. Analysts, third parties and administrators read at most.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.choices import RecordStatus
from portal.exceptions import PermissionDenied, TransitionError
from portal.records.policies import can, check_writer, receiving_side_id, side_id  # noqa: F401

from .choices import ACTION_ITEM_TRANSITIONS, ActionItemStatus


def check_schedule(user, obj=None) -> None:
    """Either side's writers call a consultation."""
    check_writer(user)


def check_party(user, consultation) -> None:
    """A writer of one of the two sides, on a shared consultation."""
    check_writer(user)
    if side_id(user) not in (consultation.origin.side_id, receiving_side_id(consultation)):
        raise PermissionDenied(_("Only the two sides work on a consultation."))
    if consultation.status != RecordStatus.SHARED:
        raise TransitionError(_("Only a shared consultation is changed."))


def check_change(user, consultation) -> None:
    """The calling side changes the date, place and video link."""
    check_party(user, consultation)
    if side_id(user) != consultation.origin.side_id:
        raise PermissionDenied(_("The side that called the consultation changes its date and place."))


def check_agree(user, consultation) -> None:
    """Each side agrees the minutes once, after they are written."""
    check_party(user, consultation)
    if not consultation.minutes.strip():
        raise TransitionError(_("The minutes are not written yet."))
    if consultation.agreements.filter(side_id=side_id(user)).exists():
        raise TransitionError(_("Your side has already agreed these minutes."))


def check_action_item(user, item, target: str | None = None) -> None:
    """Either side closes an open action item (done or cancelled)."""
    check_party(user, item.consultation)
    if item.status != ActionItemStatus.OPEN:
        raise TransitionError(_("This action item is closed already."))
    if target is not None and target not in ACTION_ITEM_TRANSITIONS[item.status]:
        raise TransitionError(_("An action item that is open becomes done or cancelled."))


def check_pack(user, consultation=None) -> None:
    """The writers of either side ask for briefing packs (each holds what its
    requester's organization may read)."""
    check_writer(user)
