"""Who may do what with return requests (clause 8), and who reads the persons' personal
data. Pages ask ``can(check, …)`` which buttons to show; the services ask the same
functions.

Japan asks: the writers of its contact-point organization create a request (they enter
personal data, which only the contact points and the Embassy read back: an officer of
another organization would type data they could not see again). The Tajik side's
writers and the users of the request's Embassy record the steps. Either side's
contact-point writers close a case with a reason; Japan's withdraws it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.choices import RecordStatus, Role
from portal.exceptions import PermissionDenied, TransitionError
from portal.records.policies import can, check_writer  # noqa: F401 - re-exported for the pages

from .choices import ReturnState


def _organization(user):
    return getattr(user, "organization", None) if getattr(user, "is_authenticated", False) else None


def is_requesting_side(organization) -> bool:
    """A side that is not its memorandum's partner country: Japan, which asks."""
    side = getattr(organization, "side", None)
    return side is not None and side.country != side.memorandum.partner_country


def personal_data_visible(user, record) -> bool:
    """Whether ``user`` reads the persons' personal data on ``record`` (read through
    ``restrict()``): members of a contact-point organization of the record's memorandum,
    and of the Embassy the request names once its access is given. Nobody else — other
    officers, analysts, a consented third party, administrators — whatever else they
    read of the record."""
    organization = _organization(user)
    if organization is None or not user.is_active:
        return False
    if organization.is_contact_point and organization.side.memorandum_id == record.memorandum_id:
        return True
    return record.embassy_reads(organization)


def check_create(user, obj=None) -> None:
    """The writers of Japan's contact-point organization make a request."""
    check_writer(user)
    organization = user.organization
    if not (is_requesting_side(organization) and organization.is_contact_point):
        raise PermissionDenied(
            _("Return requests are made by the contact point of the side that asks for the return.")
        )


def _check_open(record) -> None:
    if record.status != RecordStatus.SHARED:
        raise TransitionError(_("Only a shared return request is followed up."))
    if record.state != ReturnState.OPEN:
        raise TransitionError(_("This return case is closed: it is kept as it was."))


def check_add_person(user, record) -> None:
    """Japan's contact point adds a person to an open request it made."""
    check_create(user)
    if user.organization.side_id != record.origin.side_id:
        raise PermissionDenied(_("Only the side that made the request adds persons to it."))
    _check_open(record)


def check_record_step(user, record) -> None:
    """The Tajik side's writers and the users of the request's Embassy record steps;
    Japan's side never does (it asked for the return)."""
    organization = _organization(user)
    if organization is None or not user.is_active:
        raise PermissionDenied(_("Steps are recorded by the side asked and its Embassy."))
    embassy = record.embassy_reads(organization) and user.role == Role.THIRD_PARTY_VIEWER
    if not embassy:
        check_writer(user)
        if organization.side_id == record.origin.side_id:
            raise PermissionDenied(_("Steps are recorded by the side asked and its Embassy."))
        if organization.side.memorandum_id != record.memorandum_id:
            raise PermissionDenied(_("Steps are recorded by the side asked and its Embassy."))
    _check_open(record)


def check_close(user, record) -> None:
    """The writers of either side's contact-point organization close an open case."""
    check_writer(user)
    organization = user.organization
    if not organization.is_contact_point or organization.side.memorandum_id != record.memorandum_id:
        raise PermissionDenied(_("A return case is closed by the contact point of either side."))
    _check_open(record)


def check_withdraw(user, record) -> None:
    """Only the side that asked withdraws its request."""
    check_close(user, record)
    if user.organization.side_id != record.origin.side_id:
        raise PermissionDenied(_("Only the side that made the request withdraws it."))
