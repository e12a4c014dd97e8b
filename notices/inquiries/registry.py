"""What the inquiries part adds to the portal, registered at start-up (called by
``notices.registry``): API routes, demo data, audit actions, inbox kinds and the
timeline's label of an answer. No beat job of its own: the kit's daily reminder
(``records-remind``) reads ``Inquiry.open_records()``; no menu entry: the notices
app's sub-navigation is the lead's."""

from django.utils.translation import gettext_lazy as _

from portal import audit, hooks, inbox, notifications
from portal.records.models import EVENT_LABELS

AUDIT_ACTIONS = {
    "inquiry.asked": _("Inquiry asked and shared"),
    "inquiry.answered": _("Inquiry answered"),
}

NOTIFICATION_KINDS = {
    "notices.inquiry_asked": _("%(sender)s asked inquiry %(reference)s, to be answered by %(due)s."),
    "notices.inquiry_answered": _("%(sender)s answered inquiry %(reference)s."),
}


def seed_demo(users) -> None:
    from .demo import seed

    seed(users)


def register() -> None:
    from .api import ROUTES

    hooks.register_api_routes(ROUTES)
    hooks.register_seeder(seed_demo, order=41)
    # Answering resolves the item that announced the inquiry and the kit's reminders
    # (portal.inbox): nothing is left asking for an answer already given.
    inbox.resolves("answer", "notices.inquiry_asked", "record.due", "record.overdue")
    for name, label in AUDIT_ACTIONS.items():
        audit.register(name, label)
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register(kind, message)
    EVENT_LABELS.setdefault("answered", _("Answered"))
