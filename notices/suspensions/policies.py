"""Who may record, correct and lift acceptance suspensions (``portal.records.policies``
for the kit's own actions). Pages ask ``can(check, …)`` which buttons to show; the
services ask the same functions.

Japan suspends the acceptance of Specified Skilled Workers (clause 8): its officers
record and lift suspensions; Tajikistan, the partner country, is notified. Which side is
which is data (the memorandum's partner country), as for improvement orders."""

from __future__ import annotations

from django.utils.translation import gettext as _

from notices.orders.policies import is_issuing_side_officer
from portal.choices import RecordStatus
from portal.exceptions import PermissionDenied, TransitionError
from portal.records.policies import can, check_writer  # noqa: F401 - re-exported for the pages

from .choices import SuspensionState

#: Japan is the side that accepts workers, and so the one that suspends acceptance.
is_accepting_side_officer = is_issuing_side_officer


def check_record_suspension(user, obj=None) -> None:
    """Japan's officers (contact point and officers) record acceptance suspensions."""
    check_writer(user)
    if not is_accepting_side_officer(user):
        raise PermissionDenied(
            _("Acceptance suspensions are recorded by the officers of the side that accepts the workers.")
        )


def _check_recording_side(user, suspension) -> None:
    check_writer(user)
    organization = user.organization
    if organization.side_id != suspension.origin.side_id or not is_accepting_side_officer(user):
        raise PermissionDenied(_("Only the side that recorded the acceptance suspension changes it."))
    if suspension.status != RecordStatus.SHARED:
        raise TransitionError(_("Only a recorded acceptance suspension is corrected or lifted."))
    if suspension.state != SuspensionState.IN_FORCE:
        raise TransitionError(_("This acceptance suspension was lifted: it is kept as it was."))


def check_correct_suspension(user, suspension) -> None:
    """The recording side corrects a suspension in force; the other side is told."""
    _check_recording_side(user, suspension)


def check_lift_suspension(user, suspension) -> None:
    """The recording side lifts a suspension in force, with the date and reason."""
    _check_recording_side(user, suspension)
