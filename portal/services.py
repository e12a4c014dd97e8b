"""Every change to the shared core (STYLE.md §4): one function a transition, one
transaction each, writing the change, the permission grants, the audit entry and the
outbox entry together. Views, API actions, admin actions and tasks call these.

The services every shared record kind has (drafts, sharing, acknowledgement,
assignment, attachments, written consent) are the kit's, ``portal.records.services``;
they are named here too, so that a caller has one module of core services."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, notifications, policies
from .choices import RecordStatus
from .exceptions import InvalidInput, PermissionDenied, TransitionError
from .models import Amendment, Correspondence, Memorandum, Organization, User
from .records import policies as record_policies
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


def other_contact_point(actor: User) -> Organization:
    """Where a letter of ``actor``'s side goes (clause 2): the other side's contact point."""
    return actor.organization.side.counterpart().contact_point()


def reply_subject(parent: Correspondence) -> str:
    """A reply's subject unless its writer gives one: "Re: " and the original's, once
    (an answer to an answer is not "Re: Re: …")."""
    prefix = _("Re: %(subject)s") % {"subject": ""}
    subject = parent.subject
    return subject if subject.startswith(prefix) else (_("Re: %(subject)s") % {"subject": subject})[:300]


def readable_letter(actor: User, pk) -> Correspondence | None:
    """The letter ``pk`` if ``actor`` may read it, else ``None`` (hidden and missing alike)."""
    return Correspondence.objects.restrict(actor).filter(pk=getattr(pk, "pk", pk)).first()


def check_reply(user: User, letter: Correspondence) -> None:
    """Who may answer a letter they read: a writer of either side (never a third party,
    whatever it was shown), and only a letter that was sent."""
    record_policies.check_writer(user)
    if letter.status != RecordStatus.SHARED:
        raise TransitionError(_("Only a letter that was sent can be answered."))


def draft_correspondence(
    actor: User,
    *,
    body: str,
    subject: str = "",
    recipient: Organization | None = None,
    in_reply_to: Correspondence | None = None,
) -> Correspondence:
    """A draft letter of the actor's organization to the other side's contact point
    (the only recipient clause 2 allows; ``recipient`` may be left out). A reply names
    the letter it answers, which the actor must be able to read; it shares that
    letter's Memorandum and thread, and its subject defaults to "Re: …"."""
    record_policies.check_writer(actor)
    parent = None
    if in_reply_to is not None:
        parent = readable_letter(actor, in_reply_to)
        if parent is None:
            raise InvalidInput(_("There is no letter with this id that you can answer."))
        check_reply(actor, parent)
    if recipient is None:
        recipient = other_contact_point(actor)
    if not subject and parent is not None:
        subject = reply_subject(parent)
    letter = Correspondence(
        memorandum=actor.organization.side.memorandum,
        origin=actor.organization,
        recipient=recipient,
        subject=subject,
        body=body,
        in_reply_to=parent,
    )
    try:
        letter.clean()
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages)) from exc
    return create_record(
        Correspondence,
        actor,
        recipient=recipient,
        subject=subject,
        body=body,
        in_reply_to=parent,
        thread_root_id=letter.thread_root_id,
    )


@transaction.atomic
def send_correspondence(record: Correspondence, actor: User) -> Correspondence:
    """Share the letter; the other side's contact point, its recipient, is notified
    (its inbox item and e-mail name the letter by its reference). One transaction: a
    letter that cannot be delivered stays a draft."""
    validate(_lock(record))
    record = share_record(record, actor)
    notifications.notify(
        {record.recipient_id},
        "correspondence.received",
        sender=record.origin,
        url=record.get_absolute_url(),
        params={"subject": record.subject, "reference": record.reference or ""},
    )
    return record


def letter_thread(letter: Correspondence, user: User):
    """The letters of ``letter``'s thread that ``user`` may read, oldest first, in one
    query: the others (a third party's unconsented letters) are not counted, not named,
    not there."""
    root_id = letter.thread_root_id or letter.pk
    return (
        Correspondence.objects.restrict(user)
        .filter(Q(pk=root_id) | Q(thread_root_id=root_id))
        .select_related("origin", "recipient")
        .order_by("created_at", "id")
    )


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


# --- Memorandum (clauses 9 and 10) ----------------------------------------------------


def notify_termination(memorandum: Memorandum, actor: User, *, notified_on: dt.date) -> Memorandum:
    """Record a side's notice that it wishes to end the Memorandum; it ends six months
    later. The other side's contact point is told in the same transaction."""
    side = policies.acting_side(actor, memorandum)
    with transaction.atomic():
        memorandum = Memorandum.objects.select_for_update().get(pk=memorandum.pk)
        policies.check_terminate(actor, memorandum)
        memorandum.termination_notified_on = notified_on
        memorandum.termination_notified_by = side
        memorandum.save(update_fields=["termination_notified_on", "termination_notified_by"])
        audit.log(
            "memorandum.termination_notified",
            actor=actor,
            obj=memorandum,
            after={"notified_on": notified_on.isoformat(), "ends_on": memorandum.ends_on.isoformat()},
        )
        notifications.notify(
            {side.counterpart().contact_point().pk},
            "memorandum.termination_notified",
            sender=actor.organization,
            url=memorandum.get_absolute_url(),
            params={"notified_on": notified_on.isoformat(), "ends_on": memorandum.ends_on.isoformat()},
        )
    return memorandum


def record_amendment(
    memorandum: Memorandum,
    actor: User,
    *,
    agreed_on: dt.date,
    summary_en: str,
    summary_ja: str = "",
    summary_ru: str = "",
    summary_tg: str = "",
    japan_consent_reference: str,
    partner_consent_reference: str,
) -> Amendment:
    """Clause 9: record an amendment or supplement that both sides agreed in writing.
    Either side's contact point records it, citing both written consents; the other
    side's contact point is told."""
    side = policies.acting_side(actor, memorandum)
    japan_consent_reference = (japan_consent_reference or "").strip()
    partner_consent_reference = (partner_consent_reference or "").strip()
    if not japan_consent_reference or not partner_consent_reference:
        raise InvalidInput(_("An amendment needs the written consent of both sides: give both references."))
    if not (summary_en or "").strip():
        raise InvalidInput(_("An amendment needs a summary in English."))
    if agreed_on > timezone.localdate():
        raise InvalidInput(_("An amendment is recorded once agreed: its date cannot be in the future."))
    with transaction.atomic():
        memorandum = Memorandum.objects.select_for_update().get(pk=memorandum.pk)
        policies.check_amend(actor, memorandum)
        amendment = Amendment(
            memorandum=memorandum,
            agreed_on=agreed_on,
            summary_en=summary_en.strip(),
            summary_ja=summary_ja.strip(),
            summary_ru=summary_ru.strip(),
            summary_tg=summary_tg.strip(),
            japan_consent_reference=japan_consent_reference,
            partner_consent_reference=partner_consent_reference,
        )
        validate(amendment)
        amendment.save()
        audit.log(
            "memorandum.amended",
            actor=actor,
            obj=memorandum,
            after={
                "amendment": amendment.pk,
                "agreed_on": agreed_on.isoformat(),
                "japan_consent_reference": japan_consent_reference,
                "partner_consent_reference": partner_consent_reference,
            },
        )
        notifications.notify(
            {side.counterpart().contact_point().pk},
            "memorandum.amended",
            sender=actor.organization,
            url=memorandum.get_absolute_url(),
            params={"agreed_on": agreed_on.isoformat()},
        )
    return amendment
