"""Every change to cooperation requests (5, first paragraph; STYLE.md §4): ``request``
(the kit's create and share in one transaction, as ``notices.inquiries.services.ask``),
``answer``, ``complete`` and ``cancel``, each a move of the request's stage in one
transaction with its audit entry and the other side's inbox item. Who may act is asked
of ``exams.cooperation.policies``, as the pages ask; comments, files, acknowledgement,
assignment and consent are the kit's services."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit, inbox, notifications
from portal.choices import OrganizationKind
from portal.exceptions import InvalidInput
from portal.models import Organization, User
from portal.records import services as kit
from portal.records import transitions
from portal.records.models import record_event
from portal.timezones import today_for

from ..choices import Capability, CooperationKind, CooperationStage
from ..models import CooperationRequest, Exam
from . import policies

#: Days to answer a request when none is given.
DEFAULT_DAYS = 30


def _label(name: str) -> str:
    return str(CooperationRequest._meta.get_field(name).verbose_name).capitalize()


def _text(value, name: str, *, required: bool = True) -> str:
    label = _label(name)
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not value:
        raise InvalidInput(_("%(field)s: this field is required.") % {"field": label})
    limit = CooperationRequest._meta.get_field(name).max_length
    if limit is not None and len(value) > limit:
        raise InvalidInput(_("%(field)s: at most %(limit)d characters.") % {"field": label, "limit": limit})
    return value


def _ministry(actor: User, value) -> Organization:
    """The requesting ministry: an organization of Japan's side (the actor's), or a
    third-party sector ministry (MAFF, MLIT…), given as itself, its id or its code."""
    if isinstance(value, Organization):
        found = value
    elif isinstance(value, int):
        found = Organization.objects.filter(pk=value).first()
    elif isinstance(value, str) and value.strip():
        found = Organization.objects.filter(code=value.strip()).first()
    else:
        found = None
    if found is None:
        raise InvalidInput(_("Requesting ministry: this field is required."))
    of_the_side = found.side_id is not None and found.side_id == actor.organization.side_id
    sector_ministry = found.side_id is None and found.kind == OrganizationKind.SECTOR_MINISTRY
    if not (of_the_side or sector_ministry):
        raise InvalidInput(
            _("Requesting ministry: choose an organization of Japan's side or a Japanese sector ministry.")
        )
    return found


def ministry_choices(actor: User):
    """The organizations a request of ``actor`` may name as its requesting ministry."""
    from django.db.models import Q

    side = getattr(getattr(actor, "organization", None), "side_id", None)
    rule = Q(side__isnull=True, kind=OrganizationKind.SECTOR_MINISTRY)
    if side is not None:
        rule |= Q(side_id=side)
    return Organization.objects.filter(rule).order_by("side_id", "id")


def _exam(value) -> Exam | None:
    if value in (None, ""):
        return None
    if isinstance(value, Exam):
        return value
    found = Exam.objects.filter(pk=value).first() if isinstance(value, int) else None
    if found is None:
        raise InvalidInput(_("Test: choose one of the tests."))
    return found


def default_due_on(actor: User) -> dt.date:
    return today_for(actor) + dt.timedelta(days=DEFAULT_DAYS)


def request(
    actor: User,
    *,
    requesting_ministry,
    kind: str,
    subject: str,
    request: str,
    exam=None,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
    place: str = "",
    due_on: dt.date | None = None,
    files=(),
) -> CooperationRequest:
    """Japan's side asks the partner side to cooperate: created and shared at once, with
    its files; the partner side's contact point is told (inbox and e-mail, by the
    reference). The due date defaults to 30 days; one before today is refused."""
    policies.check_request(actor)
    ministry = _ministry(actor, requesting_ministry)
    if kind not in CooperationKind.values:
        raise InvalidInput(_("Cooperation asked for: choose one of the kinds."))
    facts = {
        "requesting_ministry": ministry,
        "kind": kind,
        "exam": _exam(exam),
        "subject": _text(subject, "subject"),
        "request": _text(request, "request"),
        "place": _text(place, "place", required=False),
        "period_from": period_from or None,
        "period_to": period_to or None,
    }
    if facts["period_from"] and facts["period_to"] and facts["period_to"] < facts["period_from"]:
        raise InvalidInput(_("Period until: the end of the period cannot be before its start."))
    today = today_for(actor)
    if due_on is None:
        due_on = default_due_on(actor)
    elif due_on < today:
        raise InvalidInput(
            _("Due on: the due date cannot be in the past (today is %(today)s).")
            % {"today": today.isoformat()}
        )
    with transaction.atomic():
        record = kit.create_record(CooperationRequest, actor, due_on=due_on, **facts)
        for file in files:
            kit.store_attachment(record, actor, file)
        record = kit.share_record(
            record,
            actor,
            notify_kind="exams.cooperation_requested",
            notify_params={"due": due_on.isoformat()},
        )
        audit.log("cooperation.requested", actor=actor, obj=record, after={"due_on": due_on.isoformat()})
    return record


def _tell(record: CooperationRequest, actor: User, kind: str) -> None:
    notifications.notify(
        [record.origin_id],
        kind,
        sender=actor.organization,
        url=record.get_absolute_url(),
        params=kit._params(record),
    )


def answer(record: CooperationRequest, actor: User, *, capability: str, answer: str) -> CooperationRequest:
    """The partner side answers what it can do: the stage becomes answered, when and by
    whom are kept (its part of the record), the items that asked for the answer are
    resolved and the requesting side is told. Answering also acknowledges receipt, if
    not done yet."""
    text = (answer or "").strip()
    with transaction.atomic():
        record = kit._readable(record, actor)
        policies.check_answer(actor, record)
        if capability not in Capability.values:
            raise InvalidInput(_("What can be done: choose one."))
        if not text:
            raise InvalidInput(_("Answer: write the answer."))
        now = timezone.now()
        with transitions.move(
            record,
            CooperationStage.ANSWERED,
            actor=actor,
            field_name="stage",
            action="answered",
            audit_action="cooperation.answered",
            locked=True,
        ) as change:
            record.capability, record.answer = capability, text
            record.answered_at, record.answered_by = now, actor
            change.save_fields("capability", "answer", "answered_at", "answered_by")
            change.audit(capability=capability, answered_at=now.isoformat())
            if record.acknowledged_at is None:
                record.acknowledged_at, record.acknowledged_by = now, actor
                change.save_fields("acknowledged_at", "acknowledged_by")
                record_event(record, "acknowledged", actor=actor)
                inbox.resolve_items(actor, "acknowledge", record.get_absolute_url())
        inbox.resolve_items(actor, "answer", record.get_absolute_url())
        _tell(record, actor, "exams.cooperation_answered")
    return record


def complete(record: CooperationRequest, actor: User, *, note: str) -> CooperationRequest:
    """The partner side records what was done: the request is completed (no more
    reminders) and the requesting side is told."""
    text = (note or "").strip()
    with transaction.atomic():
        record = kit._readable(record, actor)
        policies.check_complete(actor, record)
        if not text:
            raise InvalidInput(_("What was done: write what was done."))
        now = timezone.now()
        with transitions.move(
            record,
            CooperationStage.COMPLETED,
            actor=actor,
            field_name="stage",
            action="completed",
            audit_action="cooperation.completed",
            locked=True,
        ) as change:
            record.completed_at, record.completion_note = now, text
            change.save_fields("completed_at", "completion_note")
            change.audit(completed_at=now.isoformat())
        _tell(record, actor, "exams.cooperation_completed")
    return record


def cancel(record: CooperationRequest, actor: User, *, reason: str) -> CooperationRequest:
    """The requesting side cancels an open request, with its reason; the partner side's
    contact point is told."""
    text = (reason or "").strip()
    with transaction.atomic():
        record = kit._readable(record, actor)
        policies.check_cancel(actor, record)
        if not text:
            raise InvalidInput(_("Reason for cancelling: write the reason."))
        with transitions.move(
            record,
            CooperationStage.CANCELLED,
            actor=actor,
            field_name="stage",
            action="cancelled",
            audit_action="cooperation.cancelled",
            locked=True,
        ) as change:
            record.cancellation_reason = text
            change.save_fields("cancellation_reason")
        partner = kit._contact_point_of(policies.receiving_side_id(record))
        notifications.notify(
            [partner.pk],
            "exams.cooperation_cancelled",
            sender=actor.organization,
            url=record.get_absolute_url(),
            params=kit._params(record),
        )
    return record
