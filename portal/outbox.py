"""The transactional outbox (DESIGN.md, principle 5).

``enqueue()`` writes an ``OutboxEntry`` in the caller's transaction and, once that
transaction commits, asks Celery to drain. ``drain()`` claims pending entries
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL) and runs the topic's handler in the same
transaction that marks the entry processed, so a handler's database writes happen
exactly once. An effect outside the database (an e-mail) happens at least once: a crash
after it and before the commit repeats it. Such topics commit each entry on its own, so
the repeat is the one entry in flight, and their handlers make the repeat recognizable
(an e-mail's Message-ID is derived from its entry). If Redis is down when the
transaction commits, nothing is lost: the entry waits in the table for the periodic
sweep.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .models import OutboxEntry

logger = logging.getLogger(__name__)

HANDLERS: dict[str, Callable[[object], None]] = {}
MAX_BACKOFF = timedelta(hours=1)


#: Topics whose entries commit one at a time (``handler(..., commit_each=True)``).
COMMIT_EACH: set[str] = set()


def handler(topic: str, *, commit_each: bool = False):
    """Register the function that carries out entries of ``topic``. It receives the
    ``OutboxEntry`` and must be idempotent for anything outside the database.

    ``commit_each=True`` is for a handler whose effect leaves the database and cannot be
    taken back (an e-mail): each entry is then claimed, run and marked processed in a
    transaction of its own, so a crash repeats only the entry in flight rather than
    every effect of its batch that had already left."""

    def decorator(func):
        HANDLERS[topic] = func
        if commit_each:
            COMMIT_EACH.add(topic)
        else:
            COMMIT_EACH.discard(topic)
        return func

    return decorator


def enqueue(topic: str, payload: dict):
    """Promise a side effect; call inside the transaction that makes the change."""
    if topic not in HANDLERS:
        raise ValueError(f"no outbox handler for topic {topic!r}")
    entry = OutboxEntry.objects.create(topic=topic, payload=payload)
    transaction.on_commit(kick)
    return entry


def kick() -> None:
    """Ask a worker to drain now. A broker failure is logged, not raised: the periodic
    sweep will find the entry, and the user's change has already committed.

    This runs on the request path, after the commit, so it makes one attempt: a silent
    Redis costs the request one ``REDIS_SOCKET_TIMEOUT`` (or ``REDIS_CONNECT_TIMEOUT``),
    a refusing one a few milliseconds. The policy of no retries, rather than
    ``retry=False``, is what bounds it: without a policy kombu keeps reconnecting a
    broken connection for about six seconds (``broker_connection_timeout`` and its
    2-second retry interval) before it gives up."""
    try:
        drain_outbox.apply_async(retry=True, retry_policy={"max_retries": 0})
    except Exception:  # noqa: BLE001 - any broker error means "later", never "lost"
        logger.warning("outbox: could not reach the broker; the periodic sweep will deliver", exc_info=True)


def _claim(batch: int, *, commit_each: bool):
    """Lock up to ``batch`` due entries that no other worker holds, of the topics that
    commit each entry on its own or of the others."""
    due = OutboxEntry.objects.select_for_update(skip_locked=True).filter(
        processed_at__isnull=True, available_at__lte=timezone.now()
    )
    due = due.filter(topic__in=COMMIT_EACH) if commit_each else due.exclude(topic__in=COMMIT_EACH)
    return list(due.order_by("available_at")[:batch])


def _run(entry) -> bool:
    """Run one entry's handler in a savepoint; record success or the failure."""
    try:
        with transaction.atomic():
            HANDLERS[entry.topic](entry)
    except Exception as exc:  # noqa: BLE001 - the entry records the failure and backs off
        entry.attempts += 1
        entry.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        entry.available_at = timezone.now() + min(timedelta(seconds=2**entry.attempts), MAX_BACKOFF)
        entry.save(update_fields=["attempts", "last_error", "available_at"])
        logger.exception("outbox: %s entry %s failed (attempt %s)", entry.topic, entry.pk, entry.attempts)
        return False
    entry.processed_at = timezone.now()
    entry.attempts += 1
    entry.save(update_fields=["processed_at", "attempts"])
    return True


@shared_task(name="portal.tasks.drain_outbox")
def drain_outbox() -> int:
    """Triggered after each commit that wrote to the outbox, and by the periodic sweep.
    Defined with the outbox it drains (and listed in ``portal.tasks``), so that
    ``kick`` needs no import of the tasks module, which builds on this one."""
    return drain()


def drain(limit: int = 1000, batch: int = 50) -> int:
    """Process up to ``limit`` due entries; return how many succeeded.

    Entries are claimed ``batch`` at a time and carried out in one transaction, each in
    its own savepoint: one commit per batch instead of one per entry (a commit waits for
    the WAL flush), and a failing handler rolls back only its own writes. A failed entry
    moves its ``available_at`` into the future, so it is not claimed again in this run.

    Topics registered with ``commit_each`` (their effect leaves the database) come
    next, one entry per transaction: a crash inside a batch would repeat every e-mail
    the batch had already sent, and the commit it saves is small beside an SMTP round
    trip. They come second so that the e-mails a notification enqueues go in this run.
    """
    succeeded = seen = 0
    for commit_each, size in ((False, batch), (True, 1)):
        while seen < limit:
            with transaction.atomic():
                entries = _claim(min(size, limit - seen), commit_each=commit_each)
                if not entries:
                    break
                for entry in entries:
                    succeeded += _run(entry)
                seen += len(entries)
    return succeeded
