"""The audit trail: explicit entries written by services (STYLE.md §7).

Action names are registered here so that a typo is an error, not a new kind of entry
nobody searches for. Apps register theirs with ``register(...)`` at import time.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit_chain, middleware

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
    "auth.session_expired": _("Session ended by the idle or absolute time limit"),
    "auth.session_ended": _("Session ended by its user"),
    "auth.locked_out": _("Sign-in locked after repeated failures"),
    "auth.unlocked": _("Sign-in lockout lifted by an administrator"),
    "auth.otp_enrolled": _("Authenticator app enrolled"),
    "auth.otp_verified": _("Second factor verified"),
    "auth.otp_failed": _("Second factor refused"),
    "auth.recovery_code_used": _("Recovery code used"),
    "auth.recovery_codes_generated": _("New recovery codes issued"),
    "auth.otp_reset": _("Second-factor devices reset by an administrator"),
    "token.created": _("API token created"),
    "token.revoked": _("API token revoked"),
    "audit.exported": _("Audit trail exported"),
    "audit.head_published": _("Audit chain head sent to the contact points"),
    "audit.verification_failed": _("Audit chain verification failed"),
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
    """Write one audit entry, chained to the one before it. Call it inside the service's
    transaction: the chain's write lock is then held until that transaction ends, so
    entries are chained in commit order (portal.audit_chain)."""
    from .models import AuditEntry

    if action not in ACTIONS:
        raise ValueError(f"unregistered audit action {action!r}")
    ctx = middleware.current()
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry(
        actor=actor_obj,
        actor_username=(actor_obj.get_username() if actor_obj else username)[:150],
        organization_id=getattr(actor_obj, "organization_id", None),
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        before=audit_chain.json_safe(before),
        after=audit_chain.json_safe(after),
        request_id=ctx.request_id,
        ip=ctx.ip,
    )
    # No savepoint of its own: an entry that cannot be written fails the service's whole
    # transaction, and the two round trips are saved (bench/audit_chain.py).
    with transaction.atomic(savepoint=False):
        entry.id, entry.prev_hash = audit_chain.lock_head()
        entry.at = timezone.now()  # after the lock, so times follow the chain's order
        entry.hash = audit_chain.entry_hash(entry.prev_hash, audit_chain.values_of(entry))
        entry.save(force_insert=True)
    return entry
