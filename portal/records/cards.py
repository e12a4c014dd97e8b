"""The work queue on the home page, for every record kind (``services.record_kinds``):
what awaits my organization's acknowledgement, what is assigned to me, what is due or
overdue, my organization's drafts; and, for a third party, what was disclosed to it.

Each card reads each kind once, through ``restrict()`` (one query a kind, whatever the
number of rows), and names a record by what every reader of it may see — its reference,
its kind, who sent it and its dates — never its content, as an inbox item does."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.choices import RecordStatus

from . import policies
from .services import record_kinds

#: Rows a card shows, per kind.
LIMIT = 10
#: How far ahead a due date enters the "due" card.
DUE_WITHIN_DAYS = 14


def _on_a_side(user) -> bool:
    organization = getattr(user, "organization", None)
    return organization is not None and not organization.is_third_party and organization.side_id is not None


def _rows(queryset, order: str) -> list:
    return list(queryset.select_related("origin").order_by(order, "pk")[:LIMIT])


def _collect(user, build, order: str) -> list[dict]:
    """``build(model)`` -> a queryset for each kind; a row per record, kinds together."""
    rows = []
    for model in record_kinds():
        for record in _rows(build(model), order):
            rows.append({"record": record, "kind": model._meta.verbose_name})
    return rows


def _writer_on_a_side(user) -> bool:
    return _on_a_side(user) and policies.can(policies.check_writer, user, None)


def _awaiting(user, model):
    return (
        model.objects.restrict(user)
        .filter(status=RecordStatus.SHARED, acknowledged_at__isnull=True)
        .exclude(origin__side_id=policies.side_id(user))
    )


def _assigned(user, model):
    return model.open_records().restrict(user).filter(assigned_to=user)


def _due(user, model, horizon: dt.date):
    return (
        model.open_records()
        .restrict(user)
        .filter(due_on__isnull=False, due_on__lte=horizon)
        .exclude(origin__side_id=policies.side_id(user))
    )


def _horizon() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=DUE_WITHIN_DAYS)


def awaiting_acknowledgement(user) -> dict | None:
    """Shared with my side and not yet acknowledged: the writers of the receiving side."""
    if not _writer_on_a_side(user):
        return None
    return {"rows": _collect(user, lambda model: _awaiting(user, model), "shared_at")}


def awaiting_acknowledgement_work(user) -> list | None:
    if not _writer_on_a_side(user):
        return None
    return [_awaiting(user, model) for model in record_kinds()]


def assigned_to_me(user) -> dict | None:
    if not _writer_on_a_side(user):
        return None
    return {"rows": _collect(user, lambda model: _assigned(user, model), "due_on")}


def assigned_to_me_work(user) -> list | None:
    if not _writer_on_a_side(user):
        return None
    return [_assigned(user, model) for model in record_kinds()]


def due(user) -> dict | None:
    """Open records my side received that are due within two weeks or overdue, with the
    days left (negative: overdue)."""
    if not _on_a_side(user):
        return None
    today = timezone.localdate()
    horizon = _horizon()
    rows = _collect(user, lambda model: _due(user, model, horizon), "due_on")
    for row in rows:
        days = (row["record"].due_on - today).days
        row.update(days=days, overdue=days < 0, days_over=-days)
    rows.sort(key=lambda row: row["days"])
    return {"rows": rows}


def due_work(user) -> list | None:
    if not _on_a_side(user):
        return None
    horizon = _horizon()
    return [_due(user, model, horizon) for model in record_kinds()]


def drafts(user) -> dict | None:
    """My organization's drafts of every kind."""
    if not _on_a_side(user) or not policies.can(policies.check_writer, user, None):
        return None
    rows = _collect(
        user,
        lambda model: model.objects.restrict(user, "change").filter(
            status=RecordStatus.DRAFT, origin_id=user.organization_id
        ),
        "-created_at",
    )
    return {"rows": rows}


def disclosed(user) -> dict | None:
    """A third party's home: the records of every kind disclosed to it, nothing else."""
    organization = getattr(user, "organization", None)
    if organization is None or not organization.is_third_party:
        return None
    rows = _collect(user, lambda model: model.objects.restrict(user), "-shared_at")
    return {"rows": rows}
