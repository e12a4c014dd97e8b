"""The audit trail: explicit entries written by services (STYLE.md §7).

Action names are registered here so that a typo is an error, not a new kind of entry
nobody searches for. Apps register theirs with ``register(...)`` at import time.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import middleware

ACTIONS: dict[str, Any] = {
    "auth.login": _("Signed in"),
    "auth.login_failed": _("Sign-in failed"),
    "auth.logout": _("Signed out"),
    "auth.password_changed": _("Password changed"),
    "authz.denied": _("Access refused"),
    "record.created": _("Record created"),
    "record.updated": _("Record updated"),
    "record.shared": _("Record shared with the other side"),
    "record.withdrawn": _("Draft withdrawn"),
    "record.read": _("Confidential record read"),
    "consent.granted": _("Written consent to disclose recorded"),
    "consent.withdrawn": _("Written consent withdrawn"),
    "consent.expired": _("Written consent expired"),
    "notification.read": _("Inbox item marked as read"),
    "memorandum.termination_notified": _("Termination of the Memorandum notified"),
}


def register(name: str, label: Any) -> None:
    ACTIONS[name] = label


def log(
    action: str,
    *,
    actor=None,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    username: str = "",
):
    """Write one audit entry. Call it inside the service's transaction."""
    from .models import AuditEntry

    if action not in ACTIONS:
        raise ValueError(f"unregistered audit action {action!r}")
    ctx = middleware.current()
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=actor_obj,
        actor_username=(actor_obj.get_username() if actor_obj else username)[:150],
        organization_id=getattr(actor_obj, "organization_id", None),
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        before=before,
        after=after,
        request_id=ctx.request_id,
        ip=ctx.ip,
    )
