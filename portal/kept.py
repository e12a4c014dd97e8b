"""Values a process keeps until the next audited change.

Every service that changes what officers read writes its audit entry in the same
transaction (DESIGN.md, principle 6), so the newest audit entry that is not a reading (a
record read, a download) stands for "nothing has changed since": a value computed under
it is still right while it stays the newest. Read it with one index lookup, and a menu
count or a page of statistics computed from thousands of restricted rows is computed
once per change instead of once per page.

In the process's memory, not Redis: no page waits on a silent Redis for it
(tests/test_redis_faults.py), and a value is never shared between processes. Use it only
for what an audited change can change — not for what time alone changes (a consent that
lapses changes a third party's reading with no write: keep nothing of a third party's)."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any


def newest_change():
    """The newest audit entry that records a change, not a reading (every detail page
    audits its read: ``audit.READ_ACTIONS``), by its id and time (an id given again after
    a rolled-back transaction, as SQLite does, comes with another time). The partial
    index ``audit_changes`` leaves the core's reads out, so this is one index step."""
    from .audit import READ_ACTIONS
    from .models import AuditEntry

    return (
        AuditEntry._base_manager.exclude(action__in=sorted(READ_ACTIONS))
        .order_by("-pk")
        .values_list("pk", "at")
        .first()
    )


class KeptUntilChange:
    """``kept.get(key, compute)``: ``compute()`` once for ``key`` until the next audited
    change, or ``seconds`` at most; at most ``size`` values (all dropped when full)."""

    #: Every store, so that tests can start from none (``forget_all``).
    stores: list[KeptUntilChange] = []

    def __init__(self, *, seconds: float, size: int) -> None:
        self.seconds = seconds
        self.size = size
        self.values: dict[tuple, tuple[float, Any]] = {}
        KeptUntilChange.stores.append(self)

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        full = (key, newest_change())
        now = time.monotonic()
        kept = self.values.get(full)
        if kept is not None and now - kept[0] < self.seconds:
            return kept[1]
        value = compute()
        if len(self.values) >= self.size:
            self.values.clear()
        self.values[full] = (now, value)
        return value

    def forget(self) -> None:
        self.values.clear()

    @classmethod
    def forget_all(cls) -> None:
        for store in cls.stores:
            store.forget()
