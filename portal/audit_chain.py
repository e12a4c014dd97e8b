"""Checking the audit trail's hash chain (clause 3), and the daily exchange of its head.

``portal.audit`` writes each entry chained to the one before it (``hash =
sha256(prev_hash ‖ canonical JSON of the entry)``). Changing an entry breaks its own
hash, removing one breaks the link of the next, and cutting off the tail is caught by
the chain heads that were sent to both contact points each day (``AuditHead``) and
e-mailed to them. This module walks the chain (``verify``) and sends and receives those
heads through the outbox and the inbox: it builds on ``audit``, ``outbox`` and
``notifications``, and none of them on it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.dateparse import parse_datetime

from . import audit, notifications, outbox

# Also read from here by migration 0005, the tests and bench/audit_chain.py.
from .audit import FIELDS, GENESIS, entry_hash, values_of  # noqa: F401
from .models import AuditEntry, AuditHead, Organization

logger = logging.getLogger(__name__)


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
    return list(Organization.objects.filter(is_contact_point=True).order_by("pk"))


def publish_head() -> dict:
    """Send the chain head to each side's contact point through the outbox. The head is
    this publication's own audit entry, so it covers everything written before it."""
    with transaction.atomic():
        entry = audit.log("audit.head_published", username="system")
        payload = {"last_id": entry.pk, "hash": entry.hash, "sent_at": entry.at.isoformat()}
        for organization in contact_points():
            outbox.enqueue("audit.head", {**payload, "recipient": organization.pk})
    return payload


def verify_and_alert(chunk: int = 5000) -> Verification:
    """The daily check: on a break, both contact points are alerted (inbox and e-mail)
    and the failure is itself audited."""
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


@outbox.handler("audit.head")
def receive_head(entry) -> None:
    """Record the head where its recipient keeps it, and put it in their inbox (and so
    their e-mail), which is evidence held outside this database."""
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
