"""Every change to the shared core (STYLE.md §4): one function a transition, one
transaction each, writing the change, the permission grants, the audit entry and the
outbox entry together. Views, API actions, admin actions and tasks call these."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from . import audit, notifications
from .choices import RECORD_TRANSITIONS, RecordStatus, Role
from .exceptions import InvalidInput, PermissionDenied, TransitionError
from .models import Correspondence, DisclosureConsent, Memorandum, Organization, SharedRecord, User


def check_transition(
    current: str, target: str, table: dict[str, frozenset[str]], labels=RecordStatus
) -> None:
    if target not in table.get(current, frozenset()):
        raise TransitionError(
            _("A record that is “%(current)s” cannot become “%(target)s”.")
            % {"current": labels(current).label, "target": labels(target).label}
        )


def _perm(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def grant(record, organization: Organization, *actions: str) -> None:
    """Give an organization's group object permissions on a record."""
    for action in actions:
        assign_perm(_perm(type(record), action), organization.group, record)


def revoke(record, organization: Organization, *actions: str) -> None:
    for action in actions:
        remove_perm(_perm(type(record), action), organization.group, record)


def _require_writer(actor: User) -> None:
    if not actor.can_write:
        raise PermissionDenied(_("Your role cannot create or share records."))


def _lock(record):
    return type(record).objects.select_for_update().get(pk=record.pk)


def current_memorandum() -> Memorandum:
    """The memorandum a new record belongs to. One today; the sides carry the scope."""
    return Memorandum.objects.order_by("pk").first()


def create_record(model: type[SharedRecord], actor: User, **fields) -> SharedRecord:
    """Create a draft of ``model`` owned by the actor's organization."""
    _require_writer(actor)
    organization = actor.organization
    if organization.is_third_party:
        raise PermissionDenied(_("Third parties cannot create records."))
    with transaction.atomic():
        record = model.objects.create(
            memorandum=organization.side.memorandum, origin=organization, created_by=actor, **fields
        )
        grant(record, organization, "view", "change")
        audit.log("record.created", actor=actor, obj=record, after=_snapshot(record))
    return record


def update_record(record: SharedRecord, actor: User, **fields) -> SharedRecord:
    _require_writer(actor)
    with transaction.atomic():
        record = _lock(record)
        if record.status != RecordStatus.DRAFT and record.origin_id == actor.organization_id:
            raise TransitionError(_("Only a draft can be changed; a shared record is kept as it was sent."))
        if not type(record).objects.filter(pk=record.pk).restrict(actor, "change").exists():
            raise PermissionDenied(_("You cannot change this record."))
        before = _snapshot(record)
        for name, value in fields.items():
            setattr(record, name, value)
        _validate(record)
        record.save()
        audit.log("record.updated", actor=actor, obj=record, before=before, after=_snapshot(record))
    return record


def _validate(record) -> None:
    """The model's own rules (``clean``), as a refusal with its reasons: the same rules
    for a new record, an edit and a send."""
    try:
        record.full_clean()
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages)) from exc


def share_record(record: SharedRecord, actor: User, *, notify_kind: str | None = None, notify_params=None):
    """Share a draft with the other side: every signatory ministry of both sides, with
    its units and contact point, may read it from now on; it can no longer be changed."""
    _require_writer(actor)
    with transaction.atomic():
        record = _lock(record)
        if record.origin_id != actor.organization_id:
            raise PermissionDenied(_("Only the originating organization can share this record."))
        check_transition(record.status, RecordStatus.SHARED, RECORD_TRANSITIONS)
        record.status = RecordStatus.SHARED
        record.shared_at = timezone.now()
        record.save(update_fields=["status", "shared_at", "updated_at"])
        readers = Organization.objects.filter(side__memorandum_id=record.memorandum_id).of_sides()
        for organization in readers:
            grant(record, organization, "view")
        revoke(record, record.origin, "change")
        audit.log("record.shared", actor=actor, obj=record, after={"status": record.status})
        if notify_kind:
            counterpart = record.origin.side.counterpart().contact_point()
            notifications.notify(
                [counterpart.pk],
                notify_kind,
                sender=record.origin,
                url=record.get_absolute_url(),
                params=notify_params or {},
            )
    return record


def withdraw_draft(record: SharedRecord, actor: User) -> SharedRecord:
    _require_writer(actor)
    with transaction.atomic():
        record = _lock(record)
        if record.origin_id != actor.organization_id:
            raise PermissionDenied(_("Only the originating organization can withdraw this draft."))
        check_transition(record.status, RecordStatus.WITHDRAWN, RECORD_TRANSITIONS)
        record.status = RecordStatus.WITHDRAWN
        record.save(update_fields=["status", "updated_at"])
        revoke(record, record.origin, "change")
        audit.log("record.withdrawn", actor=actor, obj=record, after={"status": record.status})
    return record


# --- Correspondence (clause 2) --------------------------------------------------------


def draft_correspondence(actor: User, *, recipient: Organization, subject: str, body: str) -> Correspondence:
    if recipient.side_id is None or recipient.side_id == actor.side_id:
        raise InvalidInput(_("Correspondence is addressed to an organization of the other side."))
    return create_record(Correspondence, actor, recipient=recipient, subject=subject, body=body)


@transaction.atomic
def send_correspondence(record: Correspondence, actor: User) -> Correspondence:
    """Share the letter; the recipient and the other side's contact point are notified.
    One transaction: a letter that cannot be delivered stays a draft."""
    _validate(_lock(record))
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


# --- Written consent to disclose to a third party (clause 3) --------------------------


def grant_consent(
    record: SharedRecord,
    actor: User,
    *,
    third_party: Organization,
    document_reference: str,
    expires_at: dt.datetime,
) -> DisclosureConsent:
    """Record the written consent of the actor's side: the third party may then read
    this record alone, and of it only the parts that came from that side
    (``portal.disclosure``). Either side of the record may consent to its own parts."""
    _require_writer(actor)
    if not third_party.is_third_party:
        raise InvalidInput(_("Consent is given to a third party, not to a signatory of either side."))
    if expires_at <= timezone.now():
        raise InvalidInput(_("The consent must expire in the future."))
    if not document_reference.strip():
        raise InvalidInput(_("Name the letter that gives the written consent."))
    with transaction.atomic():
        record = _lock(record)
        side = actor.organization.side
        has_a_part = side is not None and (
            side.pk == record.origin.side_id
            or (side.memorandum_id == record.memorandum_id and type(record).counterpart_fields)
        )
        if not has_a_part:
            raise PermissionDenied(
                _("Only the side the information came from can consent to its disclosure.")
            )
        if not type(record).objects.filter(pk=record.pk).restrict(actor).exists():
            raise PermissionDenied(_("You cannot read this record."))
        if record.status != RecordStatus.SHARED:
            raise TransitionError(_("Only a shared record can be disclosed to a third party."))
        consent = DisclosureConsent.objects.create(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            third_party=third_party,
            document_reference=document_reference.strip(),
            granted_by=actor,
            side=side,
            expires_at=expires_at,
        )
        grant(record, third_party, "view")
        audit.log(
            "consent.granted",
            actor=actor,
            obj=consent,
            after={"record": f"{record._meta.label}:{record.pk}", "third_party": third_party.code},
        )
        notifications.notify([third_party.pk], "consent.granted", sender=actor.organization)
    return consent


def _take_back(consent: DisclosureConsent) -> None:
    """Remove the third party's read permission unless another active consent for the
    same record still grants it."""
    still_active = (
        DisclosureConsent.objects.active()
        .filter(
            content_type=consent.content_type, object_id=consent.object_id, third_party=consent.third_party
        )
        .exclude(pk=consent.pk)
        .exists()
    )
    if not still_active and consent.record is not None:
        revoke(consent.record, consent.third_party, "view")
    consent.revoked_at = timezone.now()


def withdraw_consent(consent: DisclosureConsent, actor: User) -> DisclosureConsent:
    _require_writer(actor)
    with transaction.atomic():
        consent = DisclosureConsent.objects.select_for_update().get(pk=consent.pk)
        if consent.side_id != actor.side_id:
            raise PermissionDenied(_("Only the side that consented can withdraw the consent."))
        if consent.withdrawn_at is not None:
            raise TransitionError(_("This consent has already been withdrawn."))
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = actor
        _take_back(consent)
        consent.save(update_fields=["withdrawn_at", "withdrawn_by", "revoked_at"])
        audit.log("consent.withdrawn", actor=actor, obj=consent)
        notifications.notify([consent.third_party_id], "consent.withdrawn", sender=actor.organization)
    return consent


def revoke_lapsed_consents() -> int:
    """Periodic: take back the permissions of consents that expired."""
    count = 0
    for consent_id in DisclosureConsent.objects.due_for_revocation().values_list("pk", flat=True):
        with transaction.atomic():
            consent = (
                DisclosureConsent.objects.select_for_update(skip_locked=True)
                .due_for_revocation()
                .filter(pk=consent_id)
                .first()
            )
            if consent is None:
                continue
            _take_back(consent)
            consent.save(update_fields=["revoked_at"])
            audit.log("consent.expired", obj=consent, username="system")
            count += 1
    return count


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


def _snapshot(record) -> dict:
    """The record's own fields as JSON-safe values, for the audit's before/after."""
    data = {}
    for field in record._meta.concrete_fields:
        value = getattr(record, field.attname)
        data[field.attname] = value.isoformat() if hasattr(value, "isoformat") else value
    return data
