"""The audit trail: explicit entries written by services (STYLE.md §7), each chained
to the one before it by its hash (clause 3: tamper-evident, not only append-only).

Action names are registered here so that a typo is an error, not a new kind of entry
nobody searches for. Apps register theirs with ``register(...)`` at import time.

Each entry stores ``hash = sha256(prev_hash ‖ canonical JSON of the entry)``, where
``prev_hash`` is the hash of the entry before it (the first links to ``GENESIS``). The
canonical JSON holds every column but the two hashes — the id included, so moving an
entry breaks it too. Writers are serialized (``lock_head``) so the chain never forks:
on PostgreSQL by a transaction-scoped advisory lock taken before the head is read; on
SQLite every transaction already starts ``IMMEDIATE`` and so holds the database's write
lock. Checking the chain, and sending its head to the contact points each day, is
``portal.audit_chain``'s, which builds on this module (never the other way round).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import ipaddress
import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import middleware
from .models import AuditEntry

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
    "memorandum.amended": _("Amendment of the Memorandum recorded"),
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


#: Actions that record a reading, not a change (who read, downloaded, was refused, signed
#: in): ``portal.kept`` keeps a value until the next entry that is not one of these. The
#: core's most frequent are also left out of the index ``audit_changes`` (migration 0013).
CORE_READ_ACTIONS = (
    "record.read",
    "authz.denied",
    "file.downloaded",
    "notification.read",
    "auth.login",
    "auth.logout",
)
READ_ACTIONS: set[str] = {
    *CORE_READ_ACTIONS,
    "auth.login_failed",
    "auth.session_expired",
    "auth.session_ended",
    "auth.otp_verified",
    "auth.otp_failed",
    "audit.exported",
}


def register(name: str, label: Any, *, read: bool = False) -> None:
    """Name an action an app audits; ``read``: it records a reading (an export, a
    download, a view of personal data), which changes nothing of what others read."""
    ACTIONS[name] = label
    if read:
        READ_ACTIONS.add(name)


# --- The hash chain --------------------------------------------------------------------

GENESIS = "0" * 64
#: Arbitrary, fixed: the advisory-lock key of the audit chain ("MOC" "audit").
ADVISORY_LOCK_KEY = 0x4D4F4341
#: The columns the hash covers, in the order ``portal.audit_chain.verify`` reads them.
FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor_username",
    "organization_id",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "before",
    "after",
    "request_id",
    "ip",
)


def json_safe(value):
    """``value`` as it will read back from a JSON column: dates, decimals and UUIDs as
    strings, tuples as lists. Hashing this form makes write and verify agree."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _instant(value: dt.datetime) -> str:
    # isoformat is several times faster than strftime; same text: 2026-01-01T00:00:00.000000Z
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


@functools.lru_cache(maxsize=4096)
def _address(value: str | None) -> str | None:
    # PostgreSQL's inet may print an address differently from how it was given. Cached:
    # an audit holds few distinct addresses, and parsing is a third of the walk's time.
    if not value:
        return None
    try:
        return ipaddress.ip_address(value).exploded
    except ValueError:
        return value


def canonical(values: dict) -> bytes:
    """The canonical JSON of an entry: sorted keys, no spaces, UTC microseconds."""
    data = dict(values)
    at = values["at"]
    data["at"] = at if isinstance(at, str) else _instant(at)  # str: already _instant's text
    data["ip"] = _address(values["ip"])
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def entry_hash(prev_hash: str, values: dict) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical(values)).hexdigest()


def values_of(entry) -> dict:
    return {name: getattr(entry, name) for name in FIELDS}


def lock_head() -> tuple[int, str]:
    """Take the chain's write lock for the rest of the transaction; return the id the
    next entry gets and the hash it links to.

    Must run inside ``transaction.atomic()``: the lock lasts until the outermost
    transaction ends, and the head is read after the lock is held (READ COMMITTED reads
    a fresh snapshot per statement, so the head is the last committed one)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Lock, then the next id from the sequence, then the head, in one call
            # (migration 0006). A sequence value, not max(id) + 1: ids are never reused,
            # even after a rolled-back entry.
            cursor.execute("SELECT next_id, prev_hash FROM portal_audit_next(%s)", [ADVISORY_LOCK_KEY])
            next_id, prev_hash = cursor.fetchone()
            return next_id, prev_hash or GENESIS
        cursor.execute("SELECT id, hash FROM portal_auditentry ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
        # SQLite gives a table without AUTOINCREMENT max(rowid) + 1 as the next id.
        return (row[0] + 1 if row else 1), (row[1] if row else GENESIS)


# --- Writing an entry ------------------------------------------------------------------


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
    entries are chained in commit order (``lock_head``).

    ``obj`` names the object; or ``model`` and ``object_id`` name one that may not exist
    (a refused lookup is recorded the same whether the id is hidden or missing). Of an
    object whose values are not public (``values_public``), only the names of the
    fields in ``before``/``after`` are kept."""
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
        before=json_safe(before),
        after=json_safe(after),
        request_id=ctx.request_id,
        ip=ctx.ip,
    )
    # No savepoint of its own: an entry that cannot be written fails the service's whole
    # transaction, and the two round trips are saved (bench/audit_chain.py).
    with transaction.atomic(savepoint=False):
        entry.id, entry.prev_hash = lock_head()
        entry.at = timezone.now()  # after the lock, so times follow the chain's order
        entry.hash = entry_hash(entry.prev_hash, values_of(entry))
        entry.save(force_insert=True)
    return entry
