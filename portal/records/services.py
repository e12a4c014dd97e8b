"""Every change the kit makes to a shared record (STYLE.md §4): one function an action,
one transaction each, writing the change, the timeline step, the permission grants, the
audit entry and the outbox entries together. Who may act is asked of
``portal.records.policies``, the same functions the pages ask.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import remove_perm

from portal import audit, inbox, notifications, outbox
from portal.choices import RecordStatus
from portal.exceptions import InvalidInput, PermissionDenied
from portal.i18n import renderings
from portal.models import DisclosureConsent, Organization, Side, User
from portal.querysets import group_permission_model, permission_id
from portal.timezones import today_for, zone_for_country
from portal.uploads import check_upload, safe_basename

from . import policies, transitions
from .models import Attachment, Comment, ConsentRequest, SharedRecord, record_event
from .references import assign_reference

# --- Permissions ----------------------------------------------------------------------


def _perm(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def grant(record, organization: Organization, *actions: str) -> None:
    """Give an organization's group object permissions on a record."""
    grant_all(record, [organization], *actions)


def grant_all(record, organizations, *actions: str) -> None:
    """Give every organization's group the object permissions on a record, in one
    statement: sharing grants a dozen organizations, and guardian's ``assign_perm``,
    three queries a grant, was most of a share's time. A grant held already is kept."""
    model = type(record)
    table = group_permission_model(model)
    where = (
        {"content_type": ContentType.objects.get_for_model(model), "object_pk": str(record.pk)}
        if table.objects.is_generic()
        else {"content_object_id": record.pk}
    )
    table.objects.bulk_create(
        [
            table(group_id=organization.group_id, permission_id=permission_id(model, action), **where)
            for organization in organizations
            for action in actions
        ],
        ignore_conflicts=True,
    )


def revoke(record, organization: Organization, *actions: str) -> None:
    for action in actions:
        remove_perm(_perm(type(record), action), organization.group, record)


def _readable(record, actor: User, action: str = "view"):
    """``record`` read again, locked, through ``restrict()``: a service never acts on a
    record its caller could not have read."""
    found = type(record).objects.restrict(actor, action).select_for_update().filter(pk=record.pk).first()
    if found is None:
        raise PermissionDenied(_("You cannot read this record."))
    return found


def validate(record) -> None:
    """The model's own rules (``clean``), as a refusal with its reasons: the same rules
    for a new record, an edit and a send."""
    try:
        record.full_clean()
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages)) from exc


def _snapshot(record) -> dict:
    """The record's own fields as JSON-safe values, for the audit's before/after."""
    data = {}
    for field in record._meta.concrete_fields:
        value = getattr(record, field.attname)
        data[field.attname] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def _contact_point_of(side_id: int) -> Organization:
    return Organization.objects.get(side_id=side_id, is_contact_point=True)


def _params(record, **more) -> dict:
    """What an inbox item about ``record`` names: its reference and kind, which every
    reader of the record may see; never its content. A name among ``more`` is given as
    its renderings (``portal.i18n.renderings``): the item shows it in its reader's
    language."""
    return {"reference": record.reference or "", "kind": str(record._meta.verbose_name), **more}


# --- Drafts and sharing ---------------------------------------------------------------


def create_record(model: type[SharedRecord], actor: User, **fields) -> SharedRecord:
    """Create a draft of ``model`` owned by the actor's organization, with its reference."""
    policies.check_writer(actor)
    organization = actor.organization
    with transaction.atomic():
        record = model(
            memorandum=organization.side.memorandum, origin=organization, created_by=actor, **fields
        )
        record.created_at = timezone.now()
        assign_reference(record)
        record.save()
        grant(record, organization, "view", "change")
        record_event(record, "created", actor=actor)
        audit.log("record.created", actor=actor, obj=record, after=_snapshot(record))
    return record


def update_record(record: SharedRecord, actor: User, **fields) -> SharedRecord:
    policies.check_writer(actor)
    with transaction.atomic():
        record = transitions.lock(record)
        policies.check_edit(actor, record)
        if not type(record).objects.filter(pk=record.pk).restrict(actor, "change").exists():
            raise PermissionDenied(_("You cannot change this record."))
        before = _snapshot(record)
        for name, value in fields.items():
            setattr(record, name, value)
        validate(record)
        record.save()
        audit.log("record.updated", actor=actor, obj=record, before=before, after=_snapshot(record))
    return record


def share_record(record: SharedRecord, actor: User, *, notify_kind: str | None = None, notify_params=None):
    """Share a draft with the other side: every signatory ministry of both sides, with
    its units and contact point, may read it from now on; it can no longer be changed."""
    policies.check_writer(actor)
    with transaction.atomic():
        record = transitions.lock(record)
        policies.check_share(actor, record)
        with transitions.move(
            record,
            RecordStatus.SHARED,
            actor=actor,
            action="shared",
            audit_action="record.shared",
            locked=True,
        ) as change:
            record.shared_at = timezone.now()
            change.save_fields("shared_at")
        readers = Organization.objects.filter(side__memorandum_id=record.memorandum_id).of_sides()
        grant_all(record, readers, "view")
        revoke(record, record.origin, "change")
        if notify_kind:
            counterpart = _contact_point_of(policies.receiving_side_id(record))
            notifications.notify(
                [counterpart.pk],
                notify_kind,
                sender=record.origin,
                url=record.get_absolute_url(),
                params={**_params(record), **(notify_params or {})},
            )
    return record


def withdraw_draft(record: SharedRecord, actor: User) -> SharedRecord:
    policies.check_writer(actor)
    with transaction.atomic():
        record = transitions.lock(record)
        policies.check_withdraw(actor, record)
        with transitions.move(
            record,
            RecordStatus.WITHDRAWN,
            actor=actor,
            action="withdrawn",
            audit_action="record.withdrawn",
            locked=True,
        ):
            pass
        revoke(record, record.origin, "change")
    return record


# --- Acknowledgement, assignment, due dates (4(1): promptly) ---------------------------


def acknowledge(record: SharedRecord, actor: User) -> SharedRecord:
    """The receiving side records that it has the record: "shared → acknowledged" is
    then measured. The originating side is told."""
    with transaction.atomic():
        record = _readable(record, actor)
        policies.check_acknowledge(actor, record)
        record.acknowledged_at = timezone.now()
        record.acknowledged_by = actor
        record.save(update_fields=["acknowledged_at", "acknowledged_by", "updated_at"])
        record_event(record, "acknowledged", actor=actor)
        _make_moves(record, actor, type(record).acknowledgement_moves)
        audit.log(
            "record.acknowledged", actor=actor, obj=record, after={"acknowledged_at": record.acknowledged_at}
        )
        inbox.resolve_items(actor, "acknowledge", record.get_absolute_url())
        notifications.notify(
            [record.origin_id],
            "record.acknowledged",
            sender=actor.organization,
            url=record.get_absolute_url(),
            params=_params(record),
        )
    return record


def _make_moves(record: SharedRecord, actor: User, moves: dict[str, str]) -> None:
    """The stage moves an acknowledgement or an assignment starts, where the kind's
    table allows them now (``SharedRecord.acknowledgement_moves``, ``assignment_moves``)."""
    for field_name, target in moves.items():
        if transitions.allowed(record, target, field_name):
            with transitions.move(
                record, target, actor=actor, field_name=field_name, audit_action="record.moved", locked=True
            ):
                pass


def assign(record: SharedRecord, actor: User, *, assignee: User) -> SharedRecord:
    """Put an officer of the receiving side in charge; they are told (their inbox, and
    an e-mail to them alone). Assigning is also acknowledging, if not done yet."""
    with transaction.atomic():
        record = _readable(record, actor)
        policies.check_assign(actor, record)
        policies.check_assignee(actor, record, assignee)
        previous = record.assigned_to
        record.assigned_to = assignee
        fields = ["assigned_to", "updated_at"]
        if record.acknowledged_at is None:
            record.acknowledged_at, record.acknowledged_by = timezone.now(), actor
            fields += ["acknowledged_at", "acknowledged_by"]
            record_event(record, "acknowledged", actor=actor)
            inbox.resolve_items(actor, "acknowledge", record.get_absolute_url())
            record.save(update_fields=fields)
            _make_moves(record, actor, type(record).acknowledgement_moves)
        else:
            record.save(update_fields=fields)
        record_event(record, "assigned", actor=actor, changes={"assigned_to": assignee.get_username()})
        _make_moves(record, actor, type(record).assignment_moves)
        audit.log(
            "record.assigned",
            actor=actor,
            obj=record,
            before={"assigned_to": previous.get_username() if previous else ""},
            after={"assigned_to": assignee.get_username()},
        )
        notifications.notify(
            [assignee.organization_id],
            "record.assigned",
            sender=actor.organization,
            url=record.get_absolute_url(),
            params=_params(record, assignee=assignee.get_full_name() or assignee.get_username()),
            users=[assignee.pk],
        )
    return record


def close_with_outcome(
    record: SharedRecord,
    actor: User,
    *,
    outcome: str,
    note: str,
    outcomes,
    closed: str,
    check,
    audit_action: str,
    notify_kind: str,
) -> SharedRecord:
    """The receiving side closes a report with what it did (a broker misconduct report,
    a test fraud report): ``outcome`` one of ``outcomes``, ``note`` what was done, the
    record's ``stage`` moved to ``closed`` under its kind's table, audited as
    ``audit_action``, and the originating organization told (``notify_kind``, by the
    reference). ``check(actor, record)`` is the kind's rule of who may close. The kind's
    model holds ``stage``, ``outcome``, ``outcome_note`` and ``closed_at``."""
    if outcome not in outcomes:
        raise InvalidInput(_("Choose the outcome."))
    if not (note or "").strip():
        raise InvalidInput(_("Say what was done."))
    with transaction.atomic():
        record = _readable(record, actor)
        check(actor, record)
        with transitions.move(
            record, closed, actor=actor, field_name="stage", audit_action=audit_action, locked=True
        ) as change:
            record.outcome, record.outcome_note, record.closed_at = outcome, note.strip(), timezone.now()
            change.save_fields("outcome", "outcome_note", "closed_at")
            change.audit(outcome=outcome)
        notifications.notify(
            [record.origin_id],
            notify_kind,
            sender=actor.organization,
            url=record.get_absolute_url(),
            params={"reference": record.reference or ""},
        )
    return record


#: Reminders start this many days before a due date, then come daily until it is met.
REMIND_DAYS_BEFORE = 3


def record_kinds() -> list[type[SharedRecord]]:
    """Every concrete shared-record kind an installed app defines."""
    return [model for model in apps.get_models() if issubclass(model, SharedRecord)]


def remind_due_records(today: dt.date | None = None, *, now: dt.datetime | None = None) -> int:
    """Daily, for every record kind: remind the receiving side (the assigned officer's
    organization, else its contact point) of open records due within three days or
    overdue; once a day a record. "Today" is the receiving side's (a record due on the
    6th is not overdue in Dushanbe while Tokyo is already on the 7th), unless ``today``
    names one day for every side."""
    now = now or timezone.now()
    days = {}  # receiving side id -> today on its clock

    def today_of(side_id) -> dt.date:
        if today is not None:
            return today
        if side_id not in days:
            country = Side.objects.filter(pk=side_id).values_list("country", flat=True).first()
            days[side_id] = timezone.localdate(now, zone_for_country(country))
        return days[side_id]

    # The furthest-ahead clock bounds the query; each record is then read on its own side's.
    latest = today or max(timezone.localdate(now, zone_for_country(code)) for code in side_countries())
    horizon = latest + dt.timedelta(days=REMIND_DAYS_BEFORE)
    reminded = 0
    for model in record_kinds():
        due = model.open_records().filter(due_on__isnull=False, due_on__lte=horizon)
        for record_id in due.values_list("pk", flat=True):
            with transaction.atomic():
                record = model.open_records().select_for_update(skip_locked=True).filter(pk=record_id).first()
                if record is None:
                    continue
                receiving_side_id = policies.receiving_side_id(record)
                day = today_of(receiving_side_id)
                if record.last_reminded_on == day or record.due_on > day + dt.timedelta(
                    days=REMIND_DAYS_BEFORE
                ):
                    continue
                record.last_reminded_on = day
                record.save(update_fields=["last_reminded_on"])
                receiving = _contact_point_of(receiving_side_id)
                assignee = record.assigned_to
                notifications.notify(
                    {receiving.pk, assignee.organization_id} if assignee else [receiving.pk],
                    "record.overdue" if record.due_on < day else "record.due",
                    url=record.get_absolute_url(),
                    params=_params(record, due=record.due_on.isoformat()),
                )
                reminded += 1
    return reminded


def side_countries() -> list[str]:
    """The sides' country codes (the zones a daily job reads dates on)."""
    return list(Side.objects.values_list("country", flat=True).distinct()) or [None]


# --- Attachments ----------------------------------------------------------------------


def store_attachment(owner, actor: User, file, *, description: str = "", event: bool = True) -> Attachment:
    """Keep ``file`` on ``owner`` (any model): type checked by content, name made safe,
    size and SHA-256 kept. The caller has checked that the actor may; call it in the
    caller's transaction."""
    media_type = check_upload(file)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    name = safe_basename(file.name or "document")[:200]
    organization = actor.organization
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(owner),
        object_id=owner.pk,
        name=name,
        media_type=media_type,
        size=file.size,
        sha256=digest.hexdigest(),
        description=description.strip()[:300],
        side_id=organization.side_id if organization is not None else None,
        uploaded_by=actor,
    )
    attachment.file.save(name, file, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)  # nothing orphaned on disk
        raise
    if event and isinstance(owner, SharedRecord):
        record_event(owner, "attached", actor=actor, changes={"file": name})
    return attachment


def attach(record: SharedRecord, actor: User, file, *, description: str = "") -> Attachment:
    """Add a file to a shared record (``policies.check_attach``)."""
    check_upload(file)  # a refused file is refused before anything is locked
    with transaction.atomic():
        record = _readable(record, actor)
        policies.check_attach(actor, record)
        attachment = store_attachment(record, actor, file, description=description)
        audit.log("record.attached", actor=actor, obj=record, after={"attachment": attachment.pk})
        if record.status == RecordStatus.SHARED:
            other = (
                policies.receiving_side_id(record)
                if actor.side_id == record.origin.side_id
                else record.origin.side_id
            )
            notifications.notify(
                [_contact_point_of(other).pk],
                "record.attached",
                sender=actor.organization,
                url=record.get_absolute_url(),
                params=_params(record),
            )
    return attachment


def comment(record: SharedRecord, actor: User, text: str, *, files=()) -> Comment:
    """A comment or additional information from either side on an open shared record,
    with files, in one transaction; the other side's contact point (or the assigned
    officer's organization) is told by the record's reference."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("Write the comment or the information to add."))
    with transaction.atomic():
        record = _readable(record, actor)
        policies.check_comment(actor, record)
        row = Comment.objects.create(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            text=text,
            side_id=actor.organization.side_id,
            author=actor,
        )
        for file in files:
            store_attachment(record, actor, file, event=False)
        record_event(record, "commented", actor=actor)
        audit.log("record.commented", actor=actor, obj=record, after={"comment": row.pk})
        other_side = (
            policies.receiving_side_id(record)
            if actor.organization.side_id == record.origin.side_id
            else record.origin.side_id
        )
        notifications.notify(
            [_contact_point_of(other_side).pk],
            "record.commented",
            sender=actor.organization,
            url=record.get_absolute_url(),
            params=_params(record),
        )
    return row


# --- Written consent to disclose to a third party (clause 3) --------------------------


def _third_party(organization: Organization) -> Organization:
    if organization is None or not organization.is_third_party:
        raise InvalidInput(_("Consent is given to a third party, not to a signatory of either side."))
    return organization


def grant_consent(
    record: SharedRecord,
    actor: User,
    *,
    third_party: Organization,
    document_reference: str,
    expires_at: dt.datetime,
    request: ConsentRequest | None = None,
) -> DisclosureConsent:
    """Record the written consent of the actor's side: the third party may then read
    this record alone, and of it only the parts that came from that side
    (``portal.disclosure``). Its letter is rendered on the documents queue."""
    policies.check_writer(actor)
    _third_party(third_party)
    if expires_at <= timezone.now():
        raise InvalidInput(_("The consent must expire in the future."))
    if not document_reference.strip():
        raise InvalidInput(_("Name the letter that gives the written consent."))
    with transaction.atomic():
        record = _readable(record, actor)
        policies.check_consent(actor, record)
        consent = DisclosureConsent.objects.create(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            third_party=third_party,
            document_reference=document_reference.strip(),
            granted_by=actor,
            side=actor.organization.side,
            expires_at=expires_at,
        )
        grant(record, third_party, "view")
        record_event(record, "consent_granted", actor=actor, changes={"third_party": third_party.code})
        audit.log(
            "consent.granted",
            actor=actor,
            obj=consent,
            after={"record": f"{record._meta.label}:{record.pk}", "third_party": third_party.code},
        )
        notifications.notify(
            [third_party.pk], "consent.granted", sender=actor.organization, params=_params(record)
        )
        outbox.enqueue("records.consent_letter", {"consent": consent.pk})
    return consent


def request_consent(
    record: SharedRecord,
    actor: User,
    *,
    third_party: Organization,
    side,
    purpose: str,
    requested_until: dt.date,
) -> ConsentRequest:
    """Ask ``side`` (the one whose part would be disclosed) to consent in writing; its
    contact point is told and decides."""
    _third_party(third_party)
    if not purpose.strip():
        raise InvalidInput(_("Say why the third party needs the record."))
    if requested_until <= today_for(actor):
        raise InvalidInput(_("The disclosure must be needed until a day in the future."))
    with transaction.atomic():
        record = _readable(record, actor)
        policies.check_request_consent(actor, record)
        if not policies.has_a_part(side, record):
            raise InvalidInput(_("Ask the side the information came from."))
        request = ConsentRequest.objects.create(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            third_party=third_party,
            side=side,
            purpose=purpose.strip(),
            requested_until=requested_until,
            requested_by=actor,
        )
        record_event(record, "consent_requested", actor=actor, changes={"third_party": third_party.code})
        audit.log("consent.requested", actor=actor, obj=request, after={"third_party": third_party.code})
        notifications.notify(
            [_contact_point_of(side.pk).pk],
            "consent.requested",
            sender=actor.organization,
            url=record.get_absolute_url(),
            params=_params(record, third_party=renderings(third_party)),
        )
    return request


def _decide(
    request: ConsentRequest, actor: User, target: str, note: str = ""
) -> tuple[ConsentRequest, object]:
    request = transitions.lock(request)
    policies.check_decide_consent(actor, request)
    record = _readable(request.record, actor)
    transitions.check(request, target)
    request.status = target
    request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note.strip()
    return request, record


def decide_consent(
    request: ConsentRequest,
    actor: User,
    *,
    grant_it: bool,
    note: str = "",
    expires_at: dt.datetime | None = None,
) -> ConsentRequest:
    """The asked side's contact point grants (a consent and its letter, valid until the
    day asked for unless it sets an earlier one) or refuses with a reason."""
    policies.check_decide_consent(actor, request)  # who decides, before what they wrote
    with transaction.atomic():
        if grant_it:
            request, record = _decide(request, actor, ConsentRequest.Status.GRANTED, note)
            until = expires_at or timezone.make_aware(
                dt.datetime.combine(request.requested_until, dt.time(23, 59, 59))
            )
            request.consent = grant_consent(
                record,
                actor,
                third_party=request.third_party,
                document_reference=f"{record.reference}/C{request.pk}",
                expires_at=until,
            )
            kind = "consent.request_granted"
        else:
            if not note.strip():
                raise InvalidInput(_("Give the reason for the refusal."))
            request, record = _decide(request, actor, ConsentRequest.Status.REFUSED, note)
            record_event(
                record, "consent_refused", actor=actor, changes={"third_party": request.third_party.code}
            )
            kind = "consent.refused"
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "consent"])
        audit.log(kind, actor=actor, obj=request, after={"status": request.status})
        notifications.notify(
            [request.requested_by.organization_id],
            kind,
            sender=actor.organization,
            url=record.get_absolute_url(),
            params=_params(record, third_party=renderings(request.third_party)),
        )
    return request


def cancel_consent_request(request: ConsentRequest, actor: User) -> ConsentRequest:
    with transaction.atomic():
        request = transitions.lock(request)
        policies.check_cancel_consent_request(actor, request)
        request.status = ConsentRequest.Status.CANCELLED
        request.decided_by, request.decided_at = actor, timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
        audit.log("consent.request_cancelled", actor=actor, obj=request)
    return request


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
    policies.check_writer(actor)
    with transaction.atomic():
        consent = DisclosureConsent.objects.select_for_update().get(pk=consent.pk)
        policies.check_withdraw_consent(actor, consent)
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = actor
        _take_back(consent)
        consent.save(update_fields=["withdrawn_at", "withdrawn_by", "revoked_at"])
        if consent.record is not None:
            record_event(
                consent.record,
                "consent_withdrawn",
                actor=actor,
                changes={"third_party": consent.third_party.code},
            )
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
