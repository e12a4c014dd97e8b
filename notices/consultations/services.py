"""Every change to consultations (STYLE.md §4): call one (the kit's create and share in
one transaction), change its date and place, add participants, agenda items and the
records they concern, write and agree the minutes, add and close action items, remind
the owning side of its action items, and ask for a briefing pack. One transaction each,
with its audit entry and the other side's inbox item; who may act is asked of
``notices.consultations.policies``, as the pages ask."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from notices.models import (
    ActionItem,
    AgendaItem,
    AgendaLink,
    BriefingPack,
    Consultation,
    MinutesAgreement,
    Participant,
    terms_for,
)
from portal import audit, notifications, outbox
from portal.exceptions import InvalidInput
from portal.models import Organization, Side, User
from portal.records import services as kit
from portal.records.models import SharedRecord, record_event
from portal.records.services import REMIND_DAYS_BEFORE, record_kinds
from portal.timezones import today_for, zone_for_country

from . import policies
from .choices import ActionItemStatus, ConsultationTopic

#: What an officer gives of a consultation (the form's, the API's, a change's).
CONSULTATION_FIELDS = ("kind", "starts_at", "place", "video_link")
#: A refusal to link a record: the same words whether it does not exist or the linking
#: user may not read it (clause 3: a refusal never confirms that a record exists).
NOT_FOUND = gettext_noop("No record with the reference %(reference)s that you can read.")


def _label(model, name: str) -> str:
    label = str(model._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def _checked(model, obj, exclude=()) -> None:
    """The model's rules before anything is written, each message after its field's label."""
    try:
        obj.clean_fields(
            exclude={*exclude, "memorandum", "origin", "created_by", "reference", "consultation"}
        )
        obj.clean()
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise InvalidInput(" ".join(exc.messages)) from exc
        parts = [
            f"{_label(model, name)}: {message}" if name != "__all__" else message
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
        raise InvalidInput(" ".join(parts)) from exc


def _text(value) -> str:
    return (value or "").strip() if isinstance(value, str) or value is None else value


def _other_side_id(consultation: Consultation, actor: User) -> int:
    if actor.organization.side_id == consultation.origin.side_id:
        return policies.receiving_side_id(consultation)
    return consultation.origin.side_id


def _tell_other_side(consultation: Consultation, actor: User, kind: str, **params) -> None:
    notifications.notify(
        [kit._contact_point_of(_other_side_id(consultation, actor)).pk],
        kind,
        sender=actor.organization,
        url=consultation.get_absolute_url(),
        params=kit._params(consultation, **params),
    )


def _facts(fields: dict) -> dict:
    unknown = set(fields) - set(CONSULTATION_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    facts = {name: _text(value) for name, value in fields.items()}
    if not facts.get("starts_at", True):
        raise InvalidInput(_("Missing: %(fields)s.") % {"fields": _label(Consultation, "starts_at")})
    return facts


# --- The consultation -------------------------------------------------------------------


def schedule_consultation(actor: User, **fields) -> Consultation:
    """Call a consultation and share it with the other side at once (its contact point
    is told by the reference)."""
    policies.check_schedule(actor)
    facts = _facts(fields)
    if "starts_at" not in facts:
        raise InvalidInput(_("Missing: %(fields)s.") % {"fields": _label(Consultation, "starts_at")})
    organization = actor.organization
    _checked(
        Consultation, Consultation(origin=organization, memorandum=organization.side.memorandum, **facts)
    )
    with transaction.atomic():
        consultation = kit.create_record(Consultation, actor, **facts)
        consultation = kit.share_record(consultation, actor, notify_kind="notices.consultation_scheduled")
        audit.log(
            "consultation.scheduled",
            actor=actor,
            obj=consultation,
            after={"reference": consultation.reference},
        )
    return consultation


def change_consultation(consultation: Consultation, actor: User, **fields) -> Consultation:
    """The calling side changes the kind, date, place or link; the other side is told."""
    facts = _facts(fields)
    with transaction.atomic():
        consultation = kit._readable(consultation, actor)
        policies.check_change(actor, consultation)
        before = {name: str(getattr(consultation, name)) for name in CONSULTATION_FIELDS}
        for name, value in facts.items():
            setattr(consultation, name, value)
        _checked(Consultation, consultation)
        after = {name: str(getattr(consultation, name)) for name in CONSULTATION_FIELDS}
        changed = [name for name in CONSULTATION_FIELDS if before[name] != after[name]]
        if not changed:
            raise InvalidInput(_("Nothing was changed."))
        consultation.save()
        record_event(consultation, "consultation_changed", actor=actor, changes={"fields": changed})
        audit.log("consultation.changed", actor=actor, obj=consultation, before=before, after=after)
        _tell_other_side(consultation, actor, "notices.consultation_changed")
    return consultation


def add_participant(
    consultation: Consultation, actor: User, *, name: str, title: str, sits_for
) -> Participant:
    """A participant of either side, entered by either side (that side's part)."""
    name, title = _text(name), _text(title)
    with transaction.atomic():
        consultation = kit._readable(consultation, actor)
        policies.check_party(actor, consultation)
        side = _side_of(consultation, sits_for)
        row = Participant(
            consultation=consultation,
            name=name,
            title=title,
            sits_for=side,
            side_id=actor.organization.side_id,
            created_by=actor,
        )
        _checked(Participant, row, exclude={"side", "created_by", "sits_for"})
        row.save()
        audit.log(
            "consultation.participant_added", actor=actor, obj=consultation, after={"participant": row.pk}
        )
    return row


def _side_of(consultation: Consultation, value) -> Side:
    """One of the consultation's two sides, given as the object, its id or its code."""
    sides = Side.objects.filter(memorandum_id=consultation.memorandum_id)
    if isinstance(value, Side):
        value = value.pk
    found = None
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        found = sides.filter(pk=int(value)).first()
    elif isinstance(value, str) and value.strip():
        found = sides.filter(code=value.strip()).first()
    if found is None:
        raise InvalidInput(_("Choose one of the two sides."))
    return found


def add_agenda_item(
    consultation: Consultation,
    actor: User,
    *,
    topic: str,
    title: str,
    notes: str = "",
    position: int | None = None,
    references=(),
) -> AgendaItem:
    """An agenda item under one topic of 4(2), with the records it concerns (by their
    references; each one the actor may read)."""
    if topic not in ConsultationTopic.values:
        raise InvalidInput(_("Choose one of the topics (a)–(f) of clause 4(2)."))
    with transaction.atomic():
        consultation = kit._readable(consultation, actor)
        policies.check_party(actor, consultation)
        if position is None:
            position = (
                consultation.agenda.order_by("-position").values_list("position", flat=True).first() or 0
            ) + 1
        item = AgendaItem(
            consultation=consultation,
            topic=topic,
            title=_text(title),
            notes=_text(notes),
            position=position,
            side_id=actor.organization.side_id,
            created_by=actor,
        )
        _checked(AgendaItem, item, exclude={"side", "created_by"})
        item.save()
        for reference in references:
            _link(item, actor, reference)
        audit.log(
            "consultation.agenda_item_added", actor=actor, obj=consultation, after={"agenda_item": item.pk}
        )
    return item


def find_readable(actor: User, reference: str) -> SharedRecord:
    """The shared record of any kind with this reference that ``actor`` may read, or
    the refusal that says the same whether it is missing or hidden."""
    reference = (reference or "").strip().upper()
    parts = reference.split("-")
    kinds = [model for model in record_kinds() if len(parts) == 4 and model.reference_kind == parts[1]]
    for model in kinds:
        found = model.objects.restrict(actor, "view").filter(reference=reference).first()
        if found is not None:
            return found
    raise InvalidInput(_(NOT_FOUND) % {"reference": reference or "—"})


def _link(item: AgendaItem, actor: User, reference: str) -> AgendaLink:
    from django.contrib.contenttypes.models import ContentType

    record = find_readable(actor, reference)
    try:
        with transaction.atomic():
            return AgendaLink.objects.create(
                item=item,
                content_type=ContentType.objects.get_for_model(record),
                object_id=record.pk,
                side_id=actor.organization.side_id,
                created_by=actor,
            )
    except IntegrityError as exc:
        raise InvalidInput(
            _("%(reference)s is on this agenda item already.") % {"reference": record.reference}
        ) from exc


def link_record(item: AgendaItem, actor: User, reference: str) -> AgendaLink:
    """Put one more record on an agenda item."""
    with transaction.atomic():
        consultation = kit._readable(item.consultation, actor)
        policies.check_party(actor, consultation)
        link = _link(item, actor, reference)
        audit.log("consultation.record_linked", actor=actor, obj=consultation, after={"agenda_item": item.pk})
    return link


# --- The minutes ----------------------------------------------------------------------


def write_minutes(consultation: Consultation, actor: User, *, text: str) -> Consultation:
    """Write or change the minutes: every agreement given to the earlier text is
    cleared (the timeline keeps that it was), and the other side is told."""
    text = _text(text)
    if not text:
        raise InvalidInput(_("Write the minutes."))
    with transaction.atomic():
        consultation = kit._readable(consultation, actor)
        policies.check_party(actor, consultation)
        if text == consultation.minutes:
            raise InvalidInput(_("Nothing was changed."))
        cleared = list(consultation.agreements.values_list("side__code", flat=True))
        consultation.agreements.all().delete()
        consultation.minutes = text
        consultation.minutes_changed_at = timezone.now()
        consultation.save(update_fields=["minutes", "minutes_changed_at", "updated_at"])
        record_event(consultation, "minutes_changed", actor=actor, changes={"agreements_cleared": cleared})
        audit.log(
            "consultation.minutes_changed",
            actor=actor,
            obj=consultation,
            after={"agreements_cleared": cleared},
        )
        _tell_other_side(consultation, actor, "notices.consultation_minutes")
    return consultation


def agree_minutes(consultation: Consultation, actor: User) -> MinutesAgreement:
    """The actor's side agrees the minutes as they stand (who, when, which text)."""
    with transaction.atomic():
        consultation = kit._readable(consultation, actor)
        policies.check_agree(actor, consultation)
        agreement = MinutesAgreement.objects.create(
            consultation=consultation,
            side_id=actor.organization.side_id,
            agreed_by=actor,
            minutes_sha256=consultation.minutes_sha256,
        )
        record_event(consultation, "minutes_agreed", actor=actor)
        audit.log(
            "consultation.minutes_agreed",
            actor=actor,
            obj=consultation,
            after={"sha256": agreement.minutes_sha256},
        )
        _tell_other_side(consultation, actor, "notices.consultation_agreed")
    return agreement


# --- Action items -----------------------------------------------------------------------


def add_action_item(
    consultation: Consultation, actor: User, *, description: str, owner_side, due_on: dt.date | None = None
) -> ActionItem:
    """A corrective action for one side, due on the day given or after the memorandum's
    ``action_item_days``; a day in the past is refused. The owning side is told."""
    description = _text(description)
    if not description:
        raise InvalidInput.about(_label(ActionItem, "description"), _("Say what is to be done."))
    today = today_for(actor)
    with transaction.atomic():
        consultation = kit._readable(consultation, actor)
        policies.check_party(actor, consultation)
        owner = _side_of(consultation, owner_side)
        if due_on is None:
            due_on = today + dt.timedelta(days=terms_for(consultation.memorandum_id).action_item_days)
        if due_on < today:
            raise InvalidInput(
                f"{_label(ActionItem, 'due_on')}: "
                + _("The due date cannot be in the past (today is %(today)s).") % {"today": today.isoformat()}
            )
        item = ActionItem.objects.create(
            consultation=consultation,
            description=description,
            owner_side=owner,
            due_on=due_on,
            side_id=actor.organization.side_id,
            created_by=actor,
        )
        audit.log(
            "consultation.action_item_added", actor=actor, obj=consultation, after={"action_item": item.pk}
        )
        notifications.notify(
            [kit._contact_point_of(owner.pk).pk],
            "notices.action_item_added",
            sender=actor.organization,
            url=consultation.get_absolute_url(),
            params=kit._params(consultation, due=due_on.isoformat()),
        )
    return item


def close_action_item(item: ActionItem, actor: User, *, status: str) -> ActionItem:
    """Mark an open action item done or cancelled (either side)."""
    if status not in (ActionItemStatus.DONE, ActionItemStatus.CANCELLED):
        raise InvalidInput(_("An action item that is open becomes done or cancelled."))
    with transaction.atomic():
        consultation = kit._readable(item.consultation, actor)
        item = ActionItem.objects.select_for_update().get(pk=item.pk, consultation=consultation)
        policies.check_action_item(actor, item, status)
        previous = item.status
        item.status, item.closed_at = status, timezone.now()
        item.save(update_fields=["status", "closed_at"])
        record_event(consultation, "action_item_closed", actor=actor, from_status=previous, to_status=status)
        audit.log(
            "consultation.action_item_closed",
            actor=actor,
            obj=consultation,
            before={"status": previous},
            after={"status": status, "action_item": item.pk},
        )
    return item


def remind_action_items(today: dt.date | None = None, *, now: dt.datetime | None = None) -> int:
    """Daily: remind the owning side's contact point of each open action item due
    within three days (the kit's ``REMIND_DAYS_BEFORE``) or overdue, once a day an item,
    "today" being the owning side's. An item of a withdrawn consultation is not reminded."""
    now = now or timezone.now()
    days: dict[int, dt.date] = {}

    def today_of(side: Side) -> dt.date:
        if today is not None:
            return today
        if side.pk not in days:
            days[side.pk] = timezone.localdate(now, zone_for_country(side.country))
        return days[side.pk]

    latest = today or max(timezone.localdate(now, zone_for_country(code)) for code in kit.side_countries())
    horizon = latest + dt.timedelta(days=REMIND_DAYS_BEFORE)
    due = ActionItem.objects.filter(
        status=ActionItemStatus.OPEN, due_on__lte=horizon, consultation__status="shared"
    ).values_list("pk", flat=True)
    reminded = 0
    for item_id in due:
        with transaction.atomic():
            item = (
                ActionItem.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("owner_side", "consultation")
                .filter(pk=item_id, status=ActionItemStatus.OPEN)
                .first()
            )
            if item is None:
                continue
            day = today_of(item.owner_side)
            if item.last_reminded_on == day or item.due_on > day + dt.timedelta(days=REMIND_DAYS_BEFORE):
                continue
            item.last_reminded_on = day
            item.save(update_fields=["last_reminded_on"])
            consultation = item.consultation
            notifications.notify(
                [Organization.objects.get(side_id=item.owner_side_id, is_contact_point=True).pk],
                "notices.action_item_overdue" if item.due_on < day else "notices.action_item_due",
                url=consultation.get_absolute_url(),
                params=kit._params(consultation, due=item.due_on.isoformat()),
            )
            reminded += 1
    return reminded


# --- Briefing packs -----------------------------------------------------------------------


def request_pack(consultation: Consultation, actor: User, *, language: str) -> BriefingPack:
    """Ask for a briefing pack in ``language``, rendered on the documents queue for the
    actor: it holds only what the actor may read."""
    from django.conf import settings

    if language not in dict(settings.LANGUAGES):
        raise InvalidInput(_("Choose one of the portal's languages."))
    with transaction.atomic():
        consultation = kit._readable(consultation, actor)
        policies.check_pack(actor, consultation)
        pack = BriefingPack.objects.create(consultation=consultation, language=language, requested_by=actor)
        audit.log("consultation.pack_requested", actor=actor, obj=consultation, after={"pack": pack.pk})
        outbox.enqueue("notices.briefing_pack", {"pack": pack.pk})
    return pack
