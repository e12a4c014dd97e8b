"""Where a consultation's action item stands, declared as data (STYLE.md §3)."""

from notices.models.consultations import (
    ActionItemStatus,
    BriefingPackStatus,
    ConsultationKind,
    ConsultationTopic,
)

__all__ = [
    "ACTION_ITEM_TRANSITIONS",
    "ActionItemStatus",
    "BriefingPackStatus",
    "ConsultationKind",
    "ConsultationTopic",
]

#: An open item is done or cancelled; either is final (a new item is added instead).
ACTION_ITEM_TRANSITIONS: dict[str, frozenset[str]] = {
    ActionItemStatus.OPEN: frozenset({ActionItemStatus.DONE, ActionItemStatus.CANCELLED}),
    ActionItemStatus.DONE: frozenset(),
    ActionItemStatus.CANCELLED: frozenset(),
}
