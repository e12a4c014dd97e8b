"""The one way a record's status changes (STYLE.md §4).

``move()`` locks the row, checks the move against the table the model declares
(``Model.transitions = {"status": {from: frozenset(to…)}}``), lets the caller check what
else the move needs and set the fields that go with it, then saves, writes the event
row of the record's timeline, the audit entry and the outbox entries — one transaction,
so a refusal anywhere leaves nothing behind::

    with transitions.move(agency, AgencyStatus.CERTIFIED, actor=actor, audit_action="agency.transition") as change:
        agency = change.obj                      # the locked row, status already moved
        agency.certification_number = number
        change.save_fields("certification_number")
        change.event(effective_on=day)           # extra fields of the event row
        change.audit(certification_number=number)
        change.then(lambda change: notify(...))  # after the event row exists

A model says how its events are written (``make_event(change)``); shared records write
``RecordEvent`` rows, sending agencies ``AgencyEvent`` rows.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from portal import audit, inbox, outbox
from portal.exceptions import TransitionError


def allowed(obj, target: str, field_name: str = "status") -> bool:
    """Whether ``obj`` may move to ``target`` now: what pages ask to show a button."""
    table = type(obj).transitions[field_name]
    return target in table.get(getattr(obj, field_name), frozenset())


def label(obj, field_name: str, value: str) -> str:
    choices = dict(obj._meta.get_field(field_name).flatchoices)
    return str(choices.get(value, value))


def check(obj, target: str, field_name: str = "status") -> None:
    """Refuse a move the model's table does not allow, naming both states."""
    if not allowed(obj, target, field_name):
        message = getattr(type(obj), "transition_message", None) or _(
            "A record that is “%(current)s” cannot become “%(target)s”."
        )
        raise TransitionError(
            str(message)
            % {
                "current": label(obj, field_name, getattr(obj, field_name)),
                "target": label(obj, field_name, target),
            }
        )


@dataclass
class Change:
    """A move under way: what ``move()`` writes when the caller's block ends."""

    obj: object
    field_name: str
    previous: str
    target: str
    actor: object
    action: str
    audit_action: str
    fields: list[str] = field(default_factory=list)
    event_fields: dict = field(default_factory=dict)
    audit_after: dict = field(default_factory=dict)
    topics: list[tuple[str, dict]] = field(default_factory=list)
    callbacks: list[Callable[[Change], None]] = field(default_factory=list)
    event_row: object = None

    def save_fields(self, *names: str) -> None:
        self.fields.extend(name for name in names if name not in self.fields)

    def event(self, **fields) -> None:
        self.event_fields.update(fields)

    def audit(self, **after) -> None:
        self.audit_after.update(after)

    def enqueue(self, topic: str, payload: dict) -> None:
        self.topics.append((topic, payload))

    def then(self, callback: Callable[[Change], None]) -> None:
        self.callbacks.append(callback)


def lock(obj):
    """The row, read again under ``SELECT … FOR UPDATE``: of two officers acting at
    once, the second waits, then sees the first one's change."""
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def _is_open(obj) -> bool:
    """Whether a shared record still waits for something (``SharedRecord.is_open``);
    other models moved here (an agency) have no such state."""
    is_open = getattr(obj, "is_open", None)
    return bool(is_open()) if callable(is_open) else False


@contextmanager
def move(
    obj,
    target: str,
    *,
    actor,
    field_name: str = "status",
    action: str = "",
    audit_action: str = "",
    locked: bool = False,
):
    """Move ``obj`` to ``target`` (see the module's docstring). ``locked``: the caller
    already holds the row's lock in this transaction and passes the locked row."""
    with transaction.atomic():
        obj = obj if locked else lock(obj)
        check(obj, target, field_name)
        was_open = _is_open(obj)
        previous = getattr(obj, field_name)
        setattr(obj, field_name, target)
        change = Change(
            obj=obj,
            field_name=field_name,
            previous=previous,
            target=target,
            actor=actor,
            action=action or f"{field_name}:{target}",
            audit_action=audit_action or f"{obj._meta.model_name}.transition",
        )
        yield change
        names = [field_name, *change.fields]
        if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
            names.append("updated_at")
        obj.save(update_fields=names)
        change.event_row = obj.make_event(change)
        audit.log(
            change.audit_action,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            username="" if getattr(actor, "is_authenticated", False) else "system",
            obj=obj,
            before={field_name: previous},
            after={field_name: target, **change.audit_after},
        )
        for topic, payload in change.topics:
            outbox.enqueue(topic, payload)
        if was_open and not _is_open(obj):
            # The work is done: the items that asked for it (assigned, due, overdue) go.
            inbox.resolve_items(actor, "close", obj.get_absolute_url())
        for callback in change.callbacks:
            callback(change)
