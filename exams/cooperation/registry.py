"""What the cooperation part adds to the portal, registered at start-up (called by
``exams.registry``): API routes, demo data, audit actions, inbox kinds, the timeline's
labels and the OpenAPI names of its enums. No beat job of its own: the kit's daily
reminder (``records-remind``) reads ``CooperationRequest.open_records()``."""

from django.utils.translation import gettext_lazy as _

from portal import audit, hooks, inbox, notifications
from portal.records.models import EVENT_LABELS

AUDIT_ACTIONS = {
    "cooperation.requested": _("Cooperation requested and shared"),
    "cooperation.answered": _("Cooperation request answered"),
    "cooperation.completed": _("Cooperation request completed"),
    "cooperation.cancelled": _("Cooperation request cancelled"),
}

NOTIFICATION_KINDS = {
    "exams.cooperation_requested": _(
        "%(sender)s requested cooperation in the tests, %(reference)s, to be answered by %(due)s."
    ),
    "exams.cooperation_answered": _("%(sender)s answered cooperation request %(reference)s."),
    "exams.cooperation_completed": _("%(sender)s completed cooperation request %(reference)s."),
    "exams.cooperation_cancelled": _("%(sender)s cancelled cooperation request %(reference)s."),
}


def seed_demo(users) -> None:
    from .demo import seed

    seed(users)


def register() -> None:
    from .api import ROUTES

    hooks.register_api_routes(ROUTES)
    hooks.register_seeder(seed_demo, order=71)
    hooks.register_enum_name("CooperationKindEnum", "exams.choices.CooperationKind")
    hooks.register_enum_name("CooperationStageEnum", "exams.choices.CooperationStage")
    hooks.register_enum_name("CapabilityEnum", "exams.choices.Capability")
    # Answering resolves the item that announced the request and the kit's reminders
    # (portal.inbox): nothing is left asking for an answer already given.
    inbox.resolves("answer", "exams.cooperation_requested", "record.due", "record.overdue")
    for name, label in AUDIT_ACTIONS.items():
        audit.register(name, label)
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register(kind, message)
    EVENT_LABELS.setdefault("answered", _("Answered"))
    EVENT_LABELS.setdefault("completed", _("Completed"))
    EVENT_LABELS.setdefault("cancelled", _("Cancelled"))
