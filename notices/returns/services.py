"""Every change to return requests (clause 8, STYLE.md §4): make a request (the kit's
create and share in one transaction, and the Embassy's grant), add a person, record a
step, close or withdraw a case, erase the personal data of a case closed long enough;
and the one read of personal data (``persons_for``), audited each time it shows them.

Refusals say which person and which field, never a value: a message is shown to whoever
sent the input, and may be logged. Inbox items and audit entries name the record (its
reference) and a person by number only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notices.models import ReturnPerson, ReturnRequest, ReturnStep, terms_for
from portal import audit, notifications
from portal.exceptions import InvalidInput
from portal.models import Organization, User
from portal.records import policies as kit_policies
from portal.records import services as kit
from portal.records import transitions
from portal.records.models import RecordEvent, record_event
from portal.timezones import today_in

from . import policies
from .choices import CLOSED_STATES, STEP_ORDER, ResidenceStatus, ReturnState, StepKind

#: What is given of a person (the form's, the API's fields).
PERSON_FIELDS = ReturnPerson.PERSONAL_FIELDS
REQUIRED_PERSON_FIELDS = ("full_name", "date_of_birth", "residence_status", "whereabouts", "reason")
#: What a masked reader sees in place of a value.
MASK = gettext_lazy("•••• (personal data)")


def _label(model, name: str) -> str:
    label = str(model._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def _person_label(number: int) -> str:
    return _("Person %(number)s") % {"number": number}


def _date(value, label: str, where: str):
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InvalidInput.about(label, _("Give a date as YYYY-MM-DD."), where=where)


def _person_facts(fields: dict, number: int) -> dict:
    """A person's fields checked: names known, required ones present, the date of birth
    a real one in the past, the status of residence one of the two. The message names
    the person and the field, never the value given."""
    where = f"{_person_label(number)}: "
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise InvalidInput(where + _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    facts = {name: (value.strip() if isinstance(value, str) else value) for name, value in fields.items()}
    missing = [name for name in REQUIRED_PERSON_FIELDS if facts.get(name) in (None, "")]
    if missing:
        raise InvalidInput(
            where
            + _("Missing: %(fields)s.") % {"fields": ", ".join(_label(ReturnPerson, n) for n in missing)}
        )
    facts.setdefault("dependants", "")
    facts["dependants"] = facts["dependants"] or ""
    born = _date(facts["date_of_birth"], _label(ReturnPerson, "date_of_birth"), where)
    today = today_in("JP")
    if born > today:
        raise InvalidInput.about(
            _label(ReturnPerson, "date_of_birth"), _("It cannot be in the future."), where=where
        )
    if born.year < 1900:
        raise InvalidInput.about(_label(ReturnPerson, "date_of_birth"), _("Check the year."), where=where)
    facts["date_of_birth"] = born
    if facts["residence_status"] not in ResidenceStatus.values:
        raise InvalidInput.about(
            _label(ReturnPerson, "residence_status"),
            _("Choose Specified Skilled Worker (i) or (ii)."),
            where=where,
        )
    for name, limit in (("full_name", 200),):
        if len(facts[name]) > limit:
            raise InvalidInput.about(_label(ReturnPerson, name), _("It is too long."), where=where)
    return facts


def _embassy(value) -> Organization:
    """The Embassy named (object, id or code), or the one embassy the portal knows."""
    embassies = Organization.objects.filter(kind="embassy", side__isnull=True)
    if isinstance(value, Organization):
        found = embassies.filter(pk=value.pk).first()
    elif value in (None, ""):
        found = embassies.first() if embassies.count() == 1 else None
    elif isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        found = embassies.filter(pk=int(value)).first()
    else:
        found = embassies.filter(code=str(value).strip()).first()
    if found is None:
        raise InvalidInput.about(_label(ReturnRequest, "embassy"), _("Choose the embassy that assists."))
    return found


def _counterpart(record) -> Organization:
    return Organization.objects.get(side_id=kit_policies.receiving_side_id(record), is_contact_point=True)


def _contact_points(record) -> list[int]:
    return list(
        Organization.objects.filter(
            side__memorandum_id=record.memorandum_id, is_contact_point=True
        ).values_list("pk", flat=True)
    )


def give_embassy_access(record: ReturnRequest, actor: User) -> None:
    """The explicit grant (``notices.models.returns``): on the row, with its step and
    its audit entry. Inside the caller's transaction."""
    record.embassy_granted_at = timezone.now()
    record.save(update_fields=["embassy_granted_at", "updated_at"])
    record_event(record, "embassy_access", actor=actor)
    audit.log("return.embassy_access", actor=actor, obj=record, after={"embassy": record.embassy_id})


def create_request(actor: User, *, persons: list[dict], embassy=None, due_on=None) -> ReturnRequest:
    """Make a request for the persons given and share it with the other side at once:
    its contact point is asked to acknowledge it, the Embassy is given access and told."""
    policies.check_create(actor)
    if not persons:
        raise InvalidInput(_("Name at least one person to return."))
    facts = [_person_facts(dict(person), number) for number, person in enumerate(persons, 1)]
    embassy = _embassy(embassy)
    if due_on not in (None, ""):
        due_on = _date(due_on, _label(ReturnRequest, "due_on"), "")
        if due_on < today_in("JP"):
            raise InvalidInput.about(_label(ReturnRequest, "due_on"), _("It cannot be in the past."))
    else:
        due_on = None
    with transaction.atomic():
        record = kit.create_record(ReturnRequest, actor, embassy=embassy, due_on=due_on)
        for number, person in enumerate(facts, 1):
            ReturnPerson.objects.create(request=record, number=number, **person)
        record = kit.share_record(record, actor, notify_kind="notices.return_requested")
        give_embassy_access(record, actor)
        audit.log("return.requested", actor=actor, obj=record, after={"persons": len(facts)})
        notifications.notify(
            [embassy.pk],
            "notices.return_embassy",
            sender=record.origin,
            url=record.get_absolute_url(),
            params=kit._params(record),
        )
    return record


def add_person(record: ReturnRequest, actor: User, **fields) -> ReturnPerson:
    """Add a person to an open request; the other side and the Embassy are told."""
    with transaction.atomic():
        record = kit._readable(record, actor)
        policies.check_add_person(actor, record)
        number = (record.persons.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        person = ReturnPerson.objects.create(request=record, number=number, **_person_facts(fields, number))
        record_event(record, "person_added", actor=actor, changes={"person": number})
        audit.log("return.person_added", actor=actor, obj=record, after={"person": number})
        notifications.notify(
            [_counterpart(record).pk, record.embassy_id],
            "notices.return_person_added",
            sender=record.origin,
            url=record.get_absolute_url(),
            params=kit._params(record, person=number),
        )
    return person


def _person_of(record, person) -> ReturnPerson:
    if isinstance(person, ReturnPerson):
        person = person.pk
    found = None
    if isinstance(person, int) or (isinstance(person, str) and person.isdigit()):
        found = record.persons.filter(pk=int(person)).first()
    if found is None:
        raise InvalidInput.about(_label(ReturnStep, "person"), _("Choose a person on this request."))
    return found


def record_step(record: ReturnRequest, actor: User, *, person, kind: str, on) -> ReturnStep:
    """Record a step for one person. Each step once; a step is never dated in the
    future, nor before an earlier step (the return date not before the temporary
    passport was issued), and the return needs the passport issued first. When every
    person has returned, the case closes by itself."""
    if kind not in StepKind.values:
        raise InvalidInput.about(_label(ReturnStep, "kind"), _("Choose one of the steps."))
    kind = StepKind(kind)
    on = _date(on, _label(ReturnStep, "on"), "")
    if on > today_in("JP"):
        raise InvalidInput.about(_label(ReturnStep, "on"), _("A step cannot be dated in the future."))
    with transaction.atomic():
        record = kit._readable(record, actor)
        policies.check_record_step(actor, record)
        person = _person_of(record, person)
        steps = {step.kind: step for step in person.steps.all()}
        if kind in steps:
            raise InvalidInput(
                _("%(person)s: “%(step)s” is already recorded.")
                % {"person": _person_label(person.number), "step": kind.label}
            )
        if StepKind.RETURNED in steps:
            raise InvalidInput(
                _("%(person)s has returned: no step follows.") % {"person": _person_label(person.number)}
            )
        if kind == StepKind.RETURNED and StepKind.DOCUMENT_ISSUED not in steps:
            raise InvalidInput(_("Record the temporary passport issued before the return."))
        for other, step in steps.items():
            earlier = STEP_ORDER[other] < STEP_ORDER[kind]
            if (earlier and step.on > on) or (not earlier and step.on < on):
                # Two whole sentences: a "before"/"after" put into one reads wrongly in
                # languages that order or inflect it otherwise.
                message = (
                    _("“%(step)s” cannot be dated before “%(other)s” (%(date)s).")
                    if earlier
                    else _("“%(step)s” cannot be dated after “%(other)s” (%(date)s).")
                )
                raise InvalidInput(
                    message
                    % {"step": kind.label, "other": StepKind(other).label, "date": step.on.isoformat()}
                )
        step = ReturnStep.objects.create(
            person=person, kind=kind, on=on, recorded_by=actor, organization=actor.organization
        )
        changes = {"person": person.number, "step": str(kind), "on": on.isoformat()}
        record_event(record, "step_recorded", actor=actor, changes=changes)
        audit.log("return.step_recorded", actor=actor, obj=record, after=changes)
        if kind == StepKind.RETURNED:
            notifications.notify(
                [record.origin_id],
                "notices.return_person_returned",
                sender=actor.organization,
                url=record.get_absolute_url(),
                params=kit._params(record, person=person.number),
            )
            if not record.persons.exclude(steps__kind=StepKind.RETURNED).exists():
                _close(record, actor, ReturnState.RETURNED, reason="")
    return step


def _close(record, actor, target, *, reason: str) -> None:
    with transitions.move(
        record, target, actor=actor, field_name="state", audit_action="return.closed", locked=True
    ) as change:
        record.closed_at = timezone.now()
        record.closure_reason = reason
        change.save_fields("closed_at", "closure_reason")
        change.event(reason=reason)
    others = set(_contact_points(record)) | {record.embassy_id}
    others.discard(actor.organization_id)
    notifications.notify(
        sorted(others),
        "notices.return_closed",
        sender=actor.organization,
        url=record.get_absolute_url(),
        params=kit._params(record),
    )


def close_request(
    record: ReturnRequest, actor: User, *, reason: str, withdraw: bool = False
) -> ReturnRequest:
    """Close an open case with a reason (either side's contact point), or withdraw the
    request (the side that made it). Its personal data are erased the memorandum's
    period after."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput.about(_label(ReturnRequest, "closure_reason"), _("Say why the case is closed."))
    with transaction.atomic():
        record = kit._readable(record, actor)
        (policies.check_withdraw if withdraw else policies.check_close)(actor, record)
        _close(record, actor, ReturnState.WITHDRAWN if withdraw else ReturnState.CLOSED, reason=reason)
    return record


# --- Reading personal data --------------------------------------------------------------


@dataclass
class PersonRow:
    """One person as a reader sees it: ``data`` the personal fields when shown, else
    ``None`` (masked, or erased: ``erased``)."""

    pk: int
    number: int
    data: dict | None
    erased: bool
    steps: list

    @property
    def label(self) -> str:
        return _person_label(self.number)

    @property
    def returned_on(self):
        return next((step.on for step in self.steps if step.kind == StepKind.RETURNED), None)

    @property
    def document_issued_on(self):
        return next((step.on for step in self.steps if step.kind == StepKind.DOCUMENT_ISSUED), None)


def persons_for(record: ReturnRequest, user: User) -> list[PersonRow]:
    """The persons of ``record`` (read through ``restrict()``) as ``user`` may read them,
    with their steps. When the personal data are shown, the read is audited: one entry
    naming the record, never the data."""
    record = getattr(record, "_obj", record)
    visible = policies.personal_data_visible(user, record)
    erased = record.personal_data_erased_at is not None
    persons = list(record.persons.prefetch_related("steps").order_by("number"))
    rows = []
    for person in persons:
        data = None
        if visible and not erased:
            data = {name: getattr(person, name) for name in PERSON_FIELDS}
            data["residence_status_display"] = person.get_residence_status_display()
        rows.append(PersonRow(person.pk, person.number, data, erased, list(person.steps.all())))
    if visible and not erased and persons:
        audit.log("return.personal_data_viewed", actor=user, obj=record, after={"persons": len(persons)})
    return rows


# --- Erasure ----------------------------------------------------------------------------


def erase_personal_data(now: dt.datetime | None = None) -> int:
    """Erase the personal data of every case closed at least the memorandum's
    ``return_erasure_days`` ago (the beat job): the persons' values, the files on the
    record (contents and names), the file names and reasons in its timeline, the
    closing reason. What stays: the record, its persons by number, their steps and
    dates, the timeline's steps, and a step "personal data erased" with its audit
    entry. Returns how many cases were erased."""
    now = now or timezone.now()
    done = 0
    due = ReturnRequest.objects.filter(
        personal_data_erased_at__isnull=True, closed_at__isnull=False, state__in=CLOSED_STATES
    )
    for memorandum_id in due.order_by().values_list("memorandum_id", flat=True).distinct():
        cutoff = now - dt.timedelta(days=terms_for(memorandum_id).return_erasure_days)
        for pk in due.filter(memorandum_id=memorandum_id, closed_at__lte=cutoff).values_list("pk", flat=True):
            done += _erase(pk, now)
    return done


def _erase(pk: int, now) -> int:
    from django.contrib.contenttypes.models import ContentType

    with transaction.atomic():
        record = (
            ReturnRequest.objects.select_for_update()
            .filter(pk=pk, personal_data_erased_at__isnull=True)
            .first()
        )
        if record is None:
            return 0
        persons = record.persons.update(
            full_name="", date_of_birth=None, residence_status="", whereabouts="", reason="", dependants=""
        )
        files = list(record.attachments.all())
        for attachment in files:
            attachment.file.delete(save=False)
            attachment.delete()
        events = RecordEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(ReturnRequest), object_id=record.pk
        )
        events.exclude(reason="").update(reason="")
        for event in events.filter(action="attached"):
            event.changes = {"file": ""}
            event.save(update_fields=["changes"])
        record.closure_reason = ""
        record.personal_data_erased_at = now
        record.save(update_fields=["closure_reason", "personal_data_erased_at", "updated_at"])
        record_event(record, "personal_data_erased", changes={"persons": persons, "files": len(files)})
        audit.log(
            "return.personal_data_erased",
            obj=record,
            username="beat",
            after={"persons": persons, "files": len(files)},
        )
    return 1
