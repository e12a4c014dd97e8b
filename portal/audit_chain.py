"""The audit trail as a hash chain (clause 3): tamper-evident, not only append-only.

Each entry stores ``hash = sha256(prev_hash ‖ canonical JSON of the entry)``, where
``prev_hash`` is the hash of the entry before it (the first links to ``GENESIS``). The
canonical JSON holds every column but the two hashes — the id included, so moving an
entry breaks it too. Changing an entry breaks its own hash, removing one breaks the
link of the next, and cutting off the tail is caught by the chain heads that were sent
to both contact points each day (``AuditHead``) and e-mailed to them.

Writers are serialized (``lock_head``) so the chain never forks: on PostgreSQL by a
transaction-scoped advisory lock taken before the head is read; on SQLite every
transaction already starts ``IMMEDIATE`` and so holds the database's write lock.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import ipaddress
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
#: Arbitrary, fixed: the advisory-lock key of the audit chain ("MOC" "audit").
ADVISORY_LOCK_KEY = 0x4D4F4341
#: The columns the hash covers, in the order ``verify`` reads them.
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


# --- Verification ---------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """The first entry that does not verify, and why."""

    entry_id: int
    reason: str

    def __str__(self) -> str:
        return f"audit entry #{self.entry_id}: {self.reason}"


@dataclass(frozen=True)
class Verification:
    entries: int
    head_id: int | None
    head_hash: str
    heads_checked: int
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _rows(chunk: int) -> Iterator[tuple]:
    """Every entry in id order, ``chunk`` at a time by keyset pagination: constant
    memory, and each query starts from the primary-key index. On PostgreSQL the rows
    are read with plain SQL, skipping the ORM's per-value converters (half the walk)."""
    from .models import AuditEntry

    columns = (*FIELDS, "prev_hash", "hash")
    last_id = 0
    if connection.vendor == "postgresql":
        # The database formats the time exactly as _instant() does, and the address as
        # text: the two conversions that cost most in Python.
        special = {
            "ip": "host(ip)",
            "at": """to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')""",
        }
        select = ", ".join(special.get(name, name) for name in columns)
        sql = f"SELECT {select} FROM portal_auditentry WHERE id > %s ORDER BY id LIMIT %s"  # noqa: S608
        json_at = (FIELDS.index("before"), FIELDS.index("after"))
        while True:
            with connection.cursor() as cursor:
                cursor.execute(sql, [last_id, chunk])
                rows = cursor.fetchall()
            if not rows:
                return
            for row in rows:
                row = list(row)
                for index in json_at:  # Django's connection hands jsonb over as text
                    if row[index] is not None:
                        row[index] = json.loads(row[index])
                yield row
            last_id = rows[-1][0]
    while True:
        rows = list(AuditEntry.objects.order_by("id").filter(id__gt=last_id).values_list(*columns)[:chunk])
        if not rows:
            return
        yield from rows
        last_id = rows[-1][0]


def verify(chunk: int = 5000) -> Verification:
    """Walk the chain from the first entry; stop at the first that does not verify.
    Also check every chain head the contact points received: the entry it names must
    exist with the same hash."""
    from .models import AuditHead

    heads = {}
    for head in AuditHead.objects.order_by("last_id", "received_at").select_related("recipient"):
        heads.setdefault(head.last_id, head)
    pending = sorted(heads)  # head ids not yet reached by the walk
    prev_hash, last_id, count = GENESIS, None, 0

    def result(broken: Break | None) -> Verification:
        return Verification(count, last_id, prev_hash, len(heads), broken)

    for row in _rows(chunk):
        values = dict(zip(FIELDS, row[: len(FIELDS)], strict=True))
        stored_prev, stored_hash = row[len(FIELDS) :]
        entry_id = values["id"]
        while pending and pending[0] < entry_id:
            head = heads[pending.pop(0)]
            return result(
                Break(
                    head.last_id,
                    f"missing: the chain head {head.recipient} received on {head.received_at:%Y-%m-%d} "
                    f"names this entry",
                )
            )
        if stored_prev != prev_hash:
            before = f"#{last_id}" if last_id is not None else "the start of the chain"
            return result(
                Break(
                    entry_id,
                    f"not linked to the entry before it ({before}): an entry between them was "
                    f"removed, or entries were moved",
                )
            )
        if entry_hash(prev_hash, values) != stored_hash:
            return result(Break(entry_id, "its content does not match its hash: it was changed"))
        if pending and pending[0] == entry_id:
            head = heads[pending.pop(0)]
            if head.hash != stored_hash:
                return result(
                    Break(
                        entry_id,
                        f"its hash differs from the chain head {head.recipient} received on "
                        f"{head.received_at:%Y-%m-%d}: the chain was rewritten",
                    )
                )
        prev_hash, last_id, count = stored_hash, entry_id, count + 1
    if pending:
        head = heads[pending[0]]
        end = f"#{last_id}" if last_id is not None else "nothing"
        return result(
            Break(
                head.last_id,
                f"missing: the chain ends at {end}, but the chain head {head.recipient} received on "
                f"{head.received_at:%Y-%m-%d} names this entry (the tail was cut off)",
            )
        )
    return result(None)


# --- Services: the daily head exchange and verification ------------------------------


def contact_points():
    from .models import Organization

    return list(Organization.objects.filter(is_contact_point=True).order_by("pk"))


def publish_head() -> dict:
    """Send the chain head to each side's contact point through the outbox. The head is
    this publication's own audit entry, so it covers everything written before it."""
    from . import audit, outbox

    with transaction.atomic():
        entry = audit.log("audit.head_published", username="system")
        payload = {"last_id": entry.pk, "hash": entry.hash, "sent_at": entry.at.isoformat()}
        for organization in contact_points():
            outbox.enqueue("audit.head", {**payload, "recipient": organization.pk})
    return payload


def verify_and_alert(chunk: int = 5000) -> Verification:
    """The daily check: on a break, both contact points are alerted (inbox and e-mail)
    and the failure is itself audited."""
    from . import audit, notifications

    result = verify(chunk)
    if result.ok:
        logger.info("audit chain verified: %s entries, head #%s", result.entries, result.head_id)
        return result
    logger.error("audit chain broken: %s", result.broken)
    with transaction.atomic():
        after = {"entry": result.broken.entry_id, "reason": result.broken.reason}
        audit.log("audit.verification_failed", username="system", after=after)
        notifications.notify(
            [organization.pk for organization in contact_points()],
            "audit.chain_broken",
            url="/audit/",
            params=after,
        )
    return result


def _register_outbox_handler() -> None:
    from . import notifications, outbox

    @outbox.handler("audit.head")
    def receive_head(entry) -> None:
        """Record the head where its recipient keeps it, and put it in their inbox (and
        so their e-mail), which is evidence held outside this database."""
        from django.utils.dateparse import parse_datetime

        from .models import AuditHead

        payload = entry.payload
        _head, created = AuditHead.objects.get_or_create(
            source=entry,
            recipient_id=payload["recipient"],
            defaults={
                "last_id": payload["last_id"],
                "hash": payload["hash"],
                "sent_at": parse_datetime(payload["sent_at"]),
            },
        )
        if created:
            notifications.notify(
                [payload["recipient"]],
                "audit.head",
                url="/audit/",
                params={"entry": payload["last_id"], "hash": payload["hash"]},
            )


_register_outbox_handler()
