"""Every change to the shared core (STYLE.md §4): one function a transition, one
transaction each, writing the change, the permission grants, the audit entry and the
outbox entry together. Views, API actions, admin actions and tasks call these.

The services every shared record kind has (drafts, sharing, acknowledgement,
assignment, attachments, written consent) are the kit's, ``portal.records.services``;
they are named here too, so that a caller has one module of core services."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, notifications
from .choices import Role
from .exceptions import InvalidInput, PermissionDenied, TransitionError
from .models import Correspondence, Memorandum, Organization, User
from .records.services import (  # noqa: F401 - the kit's services, named with the core's
    acknowledge,
    assign,
    attach,
    cancel_consent_request,
    create_record,
    decide_consent,
    grant,
    grant_consent,
    remind_due_records,
    request_consent,
    revoke,
    revoke_lapsed_consents,
    share_record,
    update_record,
    validate,
    withdraw_consent,
    withdraw_draft,
)
from .records.transitions import lock as _lock


def current_memorandum() -> Memorandum:
    """The memorandum a new record belongs to. One today; the sides carry the scope."""
    return Memorandum.objects.order_by("pk").first()


# --- Correspondence (clause 2) --------------------------------------------------------


def draft_correspondence(actor: User, *, recipient: Organization, subject: str, body: str) -> Correspondence:
    if recipient.side_id is None or recipient.side_id == actor.side_id:
        raise InvalidInput(_("Correspondence is addressed to an organization of the other side."))
    return create_record(Correspondence, actor, recipient=recipient, subject=subject, body=body)


@transaction.atomic
def send_correspondence(record: Correspondence, actor: User) -> Correspondence:
    """Share the letter; the recipient and the other side's contact point are notified.
    One transaction: a letter that cannot be delivered stays a draft."""
    validate(_lock(record))
    record = share_record(record, actor)
    contact_point = record.recipient.side.contact_point()
    notifications.notify(
        {record.recipient_id, contact_point.pk},
        "correspondence.received",
        sender=record.origin,
        url=record.get_absolute_url(),
        params={"subject": record.subject},
    )
    return record


# --- Notifications --------------------------------------------------------------------


def mark_read(notification, actor: User):
    with transaction.atomic():
        notification = type(notification).objects.select_for_update().get(pk=notification.pk)
        if notification.organization_id != actor.organization_id:
            raise PermissionDenied(_("This item is in another organization's inbox."))
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.read_by = actor
            notification.save(update_fields=["read_at", "read_by"])
            audit.log("notification.read", actor=actor, obj=notification)
    return notification


# --- Memorandum (clause 10) -----------------------------------------------------------


def notify_termination(memorandum: Memorandum, actor: User, *, notified_on: dt.date) -> Memorandum:
    """Record a side's notice that it wishes to end the Memorandum; it ends six months
    later."""
    if actor.role != Role.CONTACT_POINT_OFFICER:
        raise PermissionDenied(_("Only a contact-point officer records a termination notice."))
    side = actor.organization.side if actor.organization_id else None
    with transaction.atomic():
        memorandum = Memorandum.objects.select_for_update().get(pk=memorandum.pk)
        if memorandum.termination_notified_on is not None:
            raise TransitionError(_("A termination notice has already been recorded."))
        if side is None or side.memorandum_id != memorandum.pk:
            raise InvalidInput(_("The notice is given by one of the two sides."))
        memorandum.termination_notified_on = notified_on
        memorandum.termination_notified_by = side
        memorandum.save(update_fields=["termination_notified_on", "termination_notified_by"])
        audit.log(
            "memorandum.termination_notified",
            actor=actor,
            obj=memorandum,
            after={"notified_on": notified_on.isoformat(), "ends_on": memorandum.ends_on.isoformat()},
        )
    return memorandum
