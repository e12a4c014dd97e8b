"""Who may do what in the register of sending agencies and its investigations: one
``check_<action>(user, obj)`` per action (``portal.records.policies`` explains the
pattern). The services refuse with these; the pages ask ``can(check, user, obj)`` which
buttons to show — the same function, so a button is never offered that then fails."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.exceptions import InvalidInput, PermissionDenied, TransitionError
from portal.records import policies as kit_policies
from portal.records import transitions
from portal.records.policies import can  # noqa: F401 - the pages ask can(check, user, obj)

from .choices import AgencyStatus, InvestigationStatus
from .querysets import is_partner_officer


def _side(user):
    organization = getattr(user, "organization", None)
    return organization.side if organization is not None and organization.side_id else None


def check_keep_register(user, memorandum) -> None:
    """The partner ministry's officers keep the register (7(1)): register, change,
    screen, guide, investigate."""
    if not getattr(user, "can_write", False) or not is_partner_officer(user, memorandum):
        raise PermissionDenied(_("Only officers of the ministry that keeps the register can do this."))


def check_register(user, memorandum=None) -> None:
    side = _side(user)
    if side is None:
        raise PermissionDenied(_("Only officers of the ministry that keeps the register can do this."))
    check_keep_register(user, memorandum or side.memorandum)


def check_change(user, agency) -> None:
    check_keep_register(user, agency.memorandum)


check_guide = check_change


def check_move(user, agency, target: str) -> None:
    """An agency's status change: the register's officers, along the declared table."""
    check_keep_register(user, agency.memorandum)
    transitions.check(agency, target)


def check_screen(user, agency) -> None:
    check_move(user, agency, AgencyStatus.UNDER_SCREENING)


def check_certify(user, agency) -> None:
    """Certification, while the current screening meets every mandatory criterion."""
    check_move(user, agency, AgencyStatus.CERTIFIED)
    check_screening_met(agency)


def check_screening_met(agency) -> None:
    """The current screening meets every mandatory criterion (7(1)). The refusal names
    each failing criterion by its number and text in the reader's language, so that the
    officer knows what to look at without opening the screening."""
    screening = agency.screenings.first()
    if screening is None:
        raise TransitionError(_("Certification is refused: the agency has not been screened."))
    failing = screening.failing_mandatory()
    if failing:
        raise TransitionError(
            ngettext(
                "Certification is refused because this mandatory criterion is not met: %(criteria)s",
                "Certification is refused because these mandatory criteria are not met: %(criteria)s",
                len(failing),
            )
            % {"criteria": "; ".join(f"{criterion.number}. {criterion.text}" for criterion in failing)}
        )


def check_reject(user, agency) -> None:
    check_move(user, agency, AgencyStatus.REJECTED)


def check_revoke(user, agency) -> None:
    check_move(user, agency, AgencyStatus.REVOKED)


def check_reapply(user, agency) -> None:
    check_move(user, agency, AgencyStatus.APPLICATION_RECEIVED)


def check_record_screening(user, screening) -> None:
    """Only the current screening of an agency under screening is changed."""
    check_keep_register(user, screening.agency.memorandum)
    agency = screening.agency
    if agency.status != AgencyStatus.UNDER_SCREENING or agency.screenings.first() != screening:
        raise TransitionError(_("Only the current screening of an agency under screening can be changed."))


def _check_japan_writer(user, memorandum, message) -> None:
    side = _side(user)
    if side is None or side.memorandum_id != memorandum.pk or side.country == memorandum.partner_country:
        raise PermissionDenied(message)
    if not getattr(user, "can_write", False):
        raise PermissionDenied(_("Your role cannot create or share records."))


def check_report(user, agency) -> None:
    """Japan reports a certified agency for investigation (7(3))."""
    _check_japan_writer(user, agency.memorandum, _("Investigations are requested by Japan's side."))
    if agency.status != AgencyStatus.CERTIFIED:
        raise TransitionError(_("Only a certified agency can be reported for investigation."))


def check_acknowledge(user, event) -> None:
    """Japan records receipt of a certification or revocation provided to it (7(2), 7(4))."""
    _check_japan_writer(user, event.agency.memorandum, _("Acknowledgements are recorded by Japan's side."))
    if event.to_status not in {AgencyStatus.CERTIFIED, AgencyStatus.REVOKED}:
        raise InvalidInput(_("Only certifications and revocations are acknowledged."))
    if event.acknowledged_at is not None:
        raise TransitionError(_("This has already been acknowledged."))


def check_send_result(user, investigation) -> None:
    check_keep_register(user, investigation.memorandum)
    transitions.check(investigation, InvestigationStatus.RESULT_SENT, "stage")


def check_assign(user, investigation) -> None:
    """The partner ministry's officers put one of theirs in charge (the kit's rule)."""
    check_keep_register(user, investigation.memorandum)
    kit_policies.check_assign(user, investigation)
