"""Who may do what to a shared record: one ``check_<action>(user, obj)`` per action.

A check raises the refusal the service gives (``PermissionDenied`` for who the user is,
``TransitionError`` for where the record stands); ``can(check, user, obj)`` is the same
question as a yes or no, which a page asks to decide which buttons it shows. The page
and the service ask the same function, so a button is never offered that the service
then refuses, and no service forgets a rule that a page applies.

Reading is not decided here: every record a check is asked about was read through
``restrict()`` (a page's 404, the API's 404), and services read it again that way.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from portal.choices import RecordStatus, Role
from portal.exceptions import PermissionDenied, ServiceError, TransitionError


def can(check: Callable, user, obj, *args) -> bool:
    try:
        check(user, obj, *args)
    except ServiceError:
        return False
    return True


def side_id(user) -> int | None:
    organization = getattr(user, "organization", None)
    return organization.side_id if organization is not None else None


def receiving_side_id(record) -> int | None:
    """The side a record is shared with: the one that did not write it."""
    origin_side = record.origin.side
    return origin_side.counterpart().pk if origin_side is not None else None


def check_writer(user, obj=None) -> None:
    if not getattr(user, "can_write", False) or user.organization.is_third_party:
        raise PermissionDenied(_("Your role cannot create or share records."))


def check_edit(user, record) -> None:
    """Change, share or withdraw a draft: its own organization, while a draft."""
    check_writer(user)
    if record.origin_id != user.organization_id:
        raise PermissionDenied(_("Only the originating organization can share this record."))
    if record.status != RecordStatus.DRAFT:
        raise TransitionError(_("Only a draft can be changed; a shared record is kept as it was sent."))


check_share = check_edit


def check_withdraw(user, record) -> None:
    check_writer(user)
    if record.origin_id != user.organization_id:
        raise PermissionDenied(_("Only the originating organization can withdraw this draft."))
    if record.status != RecordStatus.DRAFT:
        raise TransitionError(
            _("A record that is “%(current)s” cannot become “%(target)s”.")
            % {"current": record.get_status_display(), "target": RecordStatus.WITHDRAWN.label}
        )


def _check_receiving_writer(user, record, message) -> None:
    check_writer(user)
    if side_id(user) != receiving_side_id(record):
        raise PermissionDenied(message)
    if record.status != RecordStatus.SHARED:
        raise TransitionError(_("Only a shared record can be acknowledged or assigned."))


def check_acknowledge(user, record) -> None:
    """The other side records that it received the record (4(1): promptly)."""
    _check_receiving_writer(user, record, _("The side that received the record acknowledges it."))
    if record.acknowledged_at is not None:
        raise TransitionError(_("This has already been acknowledged."))


def check_assign(user, record) -> None:
    """The receiving side puts an officer in charge of the record."""
    _check_receiving_writer(user, record, _("The side that received the record assigns it to an officer."))
    if not record.is_open():
        raise TransitionError(_("A closed record is not assigned."))


def check_assignee(user, record, assignee) -> None:
    from portal.exceptions import InvalidInput

    if (
        assignee is None
        or not assignee.is_active
        or not assignee.can_write
        or side_id(assignee) != receiving_side_id(record)
    ):
        raise InvalidInput(_("Assign the record to an officer of the side that received it."))


def check_attach(user, record) -> None:
    """A file joins a draft from its own organization, or a shared record from either
    side (each side's files are its own part)."""
    check_writer(user)
    if record.status == RecordStatus.DRAFT:
        if record.origin_id != user.organization_id:
            raise PermissionDenied(_("Only the originating organization can change a draft."))
        return
    if record.status != RecordStatus.SHARED:
        raise TransitionError(_("Files are added to a draft or a shared record."))


def check_comment(user, record) -> None:
    """Either side's writers comment on an open shared record of a kind that takes
    comments; nobody comments on a draft, a withdrawn or a closed record."""
    check_writer(user)
    if not type(record).accepts_comments:
        raise TransitionError(_("This kind of record takes no comments."))
    if side_id(user) not in (record.origin.side_id, receiving_side_id(record)):
        raise PermissionDenied(_("Only the two sides comment on a record."))
    if not record.is_open():
        raise TransitionError(_("Comments are added to a shared record that is still open."))


def has_a_part(side, record) -> bool:
    """Whether ``side`` gave something in ``record``: the origin always; the other side
    where the record kind takes its part (``counterpart_fields``)."""
    if side is None or side.memorandum_id != record.memorandum_id:
        return False
    return side.pk == record.origin.side_id or bool(type(record).counterpart_fields)


def _check_contact_point(user) -> None:
    """Consent is the side's: its contact point gives, records and withdraws it (clause 3)."""
    check_writer(user)
    if user.role != Role.CONTACT_POINT_OFFICER:
        raise PermissionDenied(_("The contact point of the side the information came from decides."))


def check_consent(user, record) -> None:
    """Record a written consent of one's own side (its letter received off the portal)."""
    _check_contact_point(user)
    if not has_a_part(user.organization.side, record):
        raise PermissionDenied(_("Only the side the information came from can consent to its disclosure."))
    if record.status != RecordStatus.SHARED:
        raise TransitionError(_("Only a shared record can be disclosed to a third party."))


def check_request_consent(user, record) -> None:
    """Ask a side to consent to disclosing a record: any officer of either side."""
    check_writer(user)
    if record.status != RecordStatus.SHARED:
        raise TransitionError(_("Only a shared record can be disclosed to a third party."))


def check_decide_consent(user, request) -> None:
    """The contact point of the side asked grants or refuses."""
    if user.role != Role.CONTACT_POINT_OFFICER or side_id(user) != request.side_id:
        raise PermissionDenied(_("The contact point of the side the information came from decides."))
    if request.status != request.Status.PENDING:
        raise TransitionError(_("This request has already been decided."))


def check_cancel_consent_request(user, request) -> None:
    check_writer(user)
    if request.requested_by.organization_id != user.organization_id:
        raise PermissionDenied(_("Only the organization that asked can cancel the request."))
    if request.status != request.Status.PENDING:
        raise TransitionError(_("This request has already been decided."))


def check_withdraw_consent(user, consent) -> None:
    _check_contact_point(user)
    if consent.side_id != side_id(user):
        raise PermissionDenied(_("Only the side that consented can withdraw the consent."))
    if consent.withdrawn_at is not None:
        raise TransitionError(_("This consent has already been withdrawn."))
