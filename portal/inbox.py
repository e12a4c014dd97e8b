"""The inbox follows the work: an item is read when an officer opens it, all of an
organization's items at once when asked, and an item that asks for an action is
resolved when that action is done on the thing it is about.

Which kinds ask for which action is declared with ``resolves(action, *kinds)`` by
whoever registers the kind (the core's are below; an app declares its own in its
``AppConfig``). The service that does the action calls ``resolve_items`` in its
transaction.

Kept apart from ``portal.services``, which imports the kit's services: the kit's
``acknowledge`` calls ``resolve_items``, so living there would make an import circle."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from . import audit
from .models import Notification, User

#: action -> the inbox kinds that ask for it.
RESOLVED_BY: dict[str, set[str]] = {"acknowledge": {"correspondence.received"}}


def resolves(action: str, *kinds: str) -> None:
    """Declare that doing ``action`` on the thing an item of one of ``kinds`` is about
    resolves the item."""
    RESOLVED_BY.setdefault(action, set()).update(kinds)


def _mark(items, actor: User, **after) -> int:
    """Mark ``items`` (unread, locked by the caller) read by ``actor``, one audit entry
    each, as opening them does."""
    now = timezone.now()
    read = list(items.select_for_update().only("pk", "organization_id"))
    Notification.objects.filter(pk__in=[item.pk for item in read]).update(read_at=now, read_by=actor)
    for item in read:
        audit.log("notification.read", actor=actor, obj=item, after=after or None)
    return len(read)


def resolve_items(actor: User, action: str, url: str, *, params: dict | None = None) -> int:
    """Mark read, as read by ``actor``, the unread items about ``url`` whose kind asks
    for ``action`` (and whose ``params`` hold ``params``: the one event of an agency that
    was acknowledged), in the inboxes of the actor's whole side: the item that asked is
    in the contact point's inbox, and any officer of the side may do what it asked.
    Call inside the acting service's transaction; returns how many were resolved."""
    kinds = RESOLVED_BY.get(action)
    organization = getattr(actor, "organization", None)
    if not kinds or not url or organization is None:
        return 0
    mine = (
        {"organization__side_id": organization.side_id}
        if organization.side_id
        else {"organization_id": organization.pk}
    )
    items = Notification.objects.filter(url=url, kind__in=kinds, read_at__isnull=True, **mine)
    for key, value in (params or {}).items():
        items = items.filter(**{f"params__{key}": value})
    return _mark(items, actor, resolved_by=action)


def mark_all_read(actor: User) -> int:
    """Mark read every unread item of the actor's inbox: one audit entry with the count
    (none when there was nothing to mark). Returns the count."""
    with transaction.atomic():
        items = Notification.objects.restrict(actor).unread()
        ids = list(items.select_for_update().values_list("pk", flat=True))
        if not ids:
            return 0
        Notification.objects.filter(pk__in=ids).update(read_at=timezone.now(), read_by=actor)
        # No object named: an inbox item's values are not public, and the entry would
        # keep only the field's name, not the count it is written for.
        audit.log("notification.read", actor=actor, after={"count": len(ids)})
    return len(ids)
