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
    "auth.otp_removed": _("Second factor removed by its user"),
    "auth.self_unlocked": _("Sign-in lockout lifted by its user with the second factor"),
    "token.created": _("API token created"),
    "token.revoked": _("API token revoked"),
    "audit.exported": _("Audit trail exported"),
    "audit.head_published": _("Audit chain head sent to the contact points"),
    "audit.verification_failed": _("Audit chain verification failed"),
    "file.downloaded": _("Attachment downloaded"),
}


def register(name: str, label: Any) -> None:
    ACTIONS[name] = label


def values_public(model: type[models.Model] | None) -> bool:
    """Whether an entry about ``model`` may keep the object's name and field values.
    Only models that say so (``audit_values_public = True``: users, organizations, the
    Memorandum) do; for every other model, and so for every record kind an app adds, an
    entry keeps the type, the id and the names of the fields — what any reader of the
    audit may see (clause 3) — and the name is looked up when a reader who may see the
    record reads the entry (``portal.views.audit``)."""
    return bool(getattr(model, "audit_values_public", False))


def _field_names(before: dict | None, after: dict | None) -> dict | None:
    names = sorted(set(before or {}) | set(after or {}))
    return {"fields": names} if names else None


def log(
    action: str,
    *,
    actor=None,
    obj: models.Model | None = None,
    model: type[models.Model] | None = None,
    object_id=None,
    before: dict | None = None,
    after: dict | None = None,
    username: str = "",
):
    """Write one audit entry, chained to the one before it. Call it inside the service's
    transaction: the chain's write lock is then held until that transaction ends, so
    entries are chained in commit order (portal.audit_chain).

    ``obj`` names the object; or ``model`` and ``object_id`` name one that may not exist
    (a refused lookup is recorded the same whether the id is hidden or missing). Of an
    object whose values are not public (``values_public``), only the names of the
    fields in ``before``/``after`` are kept."""
    from .models import AuditEntry

    if action not in ACTIONS:
        raise ValueError(f"unregistered audit action {action!r}")
    ctx = middleware.current()
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    if obj is not None:
        model, object_id = obj._meta.model, obj.pk  # _meta: obj may be a lazy request.user
    public = model is None or values_public(model)
    if not public:
        before, after = None, _field_names(before, after)
    entry = AuditEntry(
        actor=actor_obj,
        actor_username=(actor_obj.get_username() if actor_obj else username)[:150],
        organization_id=getattr(actor_obj, "organization_id", None),
        action=action,
        content_type=ContentType.objects.get_for_model(model) if model is not None else None,
        object_id=str(object_id)[:64] if object_id is not None else "",
        object_repr=str(obj)[:300] if obj is not None and public else "",
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
