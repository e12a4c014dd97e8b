"""What a reader sees of a consultation's rows: the participants, agenda items, records
on the agenda and action items of the sides whose part the reader may read
(``portal.disclosure.readable_side_ids``: either side reads all, a third party those of
the sides that consented), and of the records on the agenda only those the reader may
read, through ``restrict()``. The page, the API and the briefing pack read through here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from notices.models import ActionItem, AgendaLink, Consultation
from portal.disclosure import disclose, hidden_fields, readable_side_ids

from .choices import ActionItemStatus


def _by_side(rows, user, consultation):
    sides = readable_side_ids(user, consultation)
    return rows if sides is None else rows.filter(side_id__in=sides)


def participants(consultation: Consultation, user):
    return _by_side(consultation.participants.select_related("sits_for"), user, consultation)


def action_items(consultation: Consultation, user, *, open_only: bool = False):
    rows = consultation.action_items.select_related("owner_side")
    if open_only:
        rows = rows.filter(status=ActionItemStatus.OPEN)
    return _by_side(rows, user, consultation)


def agreements(consultation: Consultation, user):
    if "agreements" in hidden_fields(user, consultation):
        return consultation.agreements.none()
    return consultation.agreements.select_related("side", "agreed_by")


@dataclass
class LinkedRecord:
    """A record on the agenda as its reader may read it (``disclose``)."""

    link: AgendaLink
    record: object
    kind: str


@dataclass
class Item:
    item: object
    records: list[LinkedRecord]


def agenda(consultation: Consultation, user) -> list[Item]:
    """The agenda items the reader may read, each with the records on it the reader may
    read (one query a record kind, whatever the number of links)."""
    items = list(_by_side(consultation.agenda.all(), user, consultation))
    links = list(_by_side(AgendaLink.objects.filter(item__in=items), user, consultation))
    wanted: dict[int, set[int]] = defaultdict(set)
    for link in links:
        wanted[link.content_type_id].add(link.object_id)
    readable: dict[tuple[int, int], object] = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        for record in model.objects.restrict(user, "view").filter(pk__in=ids).select_related("origin__side"):
            readable[(content_type_id, record.pk)] = disclose(record, user)
    by_item: dict[int, list[LinkedRecord]] = defaultdict(list)
    for link in links:
        record = readable.get((link.content_type_id, link.object_id))
        if record is not None:
            by_item[link.item_id].append(
                LinkedRecord(link, record, str(type(getattr(record, "_obj", record))._meta.verbose_name))
            )
    return [Item(item, by_item.get(item.pk, [])) for item in items]


def open_action_items(consultation: Consultation, user) -> list[ActionItem]:
    return list(action_items(consultation, user, open_only=True))


def previous_consultation(consultation: Consultation, user) -> Consultation | None:
    """The reader's latest consultation before this one: where the pack's statistics start."""
    return (
        Consultation.objects.restrict(user, "view")
        .filter(memorandum_id=consultation.memorandum_id, starts_at__lt=consultation.starts_at)
        .exclude(pk=consultation.pk)
        .order_by("-starts_at", "-id")
        .first()
    )
