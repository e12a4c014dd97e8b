"""Reads of inquiries worth a name (STYLE.md §5): by status, and the overdue ones
grouped by the organization that has to answer."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from portal.choices import RecordStatus
from portal.models import Organization, Side
from portal.timezones import zone_for_country

OPEN, ANSWERED, OVERDUE = "open", "answered", "overdue"


def overdue_q(now: dt.datetime | None = None) -> Q:
    """Open and past the due date on the answering side's clock: each side's "today"
    is read on its own zone (the answering side is the one that did not ask)."""
    now = now or timezone.now()
    match = Q(pk__in=[])
    for side in Side.objects.all():
        today = timezone.localdate(now, zone_for_country(side.country))
        match |= Q(due_on__lt=today) & ~Q(origin__side_id=side.pk) & Q(memorandum_id=side.memorandum_id)
    return Q(status=RecordStatus.SHARED, answered_at__isnull=True, due_on__isnull=False) & match


def by_status(queryset, value: str):
    if value == OPEN:
        return queryset.filter(status=RecordStatus.SHARED, answered_at__isnull=True)
    if value == ANSWERED:
        return queryset.filter(answered_at__isnull=False)
    if value == OVERDUE:
        return queryset.filter(overdue_q())
    return queryset


def answering_organization_id(inquiry, contact_points: dict[int, tuple[int, int]]) -> int | None:
    """Who has to answer: the assigned officer's organization, else the contact point
    of the side asked (``contact_points``: side id -> (memorandum id, organization id))."""
    if inquiry.assigned_to_id is not None:
        return inquiry.assigned_to.organization_id
    for side_id, (memorandum_id, organization_id) in contact_points.items():
        if memorandum_id == inquiry.memorandum_id and side_id != inquiry.origin.side_id:
            return organization_id
    return None


def overdue_by_organization(queryset) -> list[tuple[Organization, list]]:
    """The overdue inquiries of ``queryset`` (already restricted to its reader), grouped
    by the organization that has to answer, the longest overdue first."""
    rows = list(
        queryset.filter(overdue_q())
        .select_related("origin__side", "assigned_to__organization")
        .order_by("due_on", "id")
    )
    memoranda = {row.memorandum_id for row in rows}
    contact_points = {}
    for organization in Organization.objects.filter(
        is_contact_point=True, side__memorandum_id__in=memoranda
    ).select_related("side"):
        contact_points.setdefault(organization.side_id, (organization.side.memorandum_id, organization.pk))
    groups: dict[int | None, list] = defaultdict(list)
    for row in rows:
        groups[answering_organization_id(row, contact_points)].append(row)
    organizations = Organization.objects.in_bulk([pk for pk in groups if pk is not None])
    return sorted(
        ((organizations[pk], items) for pk, items in groups.items() if pk in organizations),
        key=lambda group: (group[0].side_id or 0, group[0].name),
    )
