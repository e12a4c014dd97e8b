"""What improvement orders add to the portal, registered at start-up (``portal.hooks``,
called by ``notices.registry``): API routes, OpenAPI enum names, demo data, audit
actions, inbox kinds and the timeline's label of a correction. No menu entry: the
notices app's menu is the lead's (``notices.registry``)."""

from django.utils.translation import gettext_lazy as _

from portal import audit, hooks, inbox, notifications
from portal.records.models import EVENT_LABELS

AUDIT_ACTIONS = {
    "order.recorded": _("Improvement order recorded and shared"),
    "order.corrected": _("Improvement order corrected"),
    "order.withdrawn": _("Improvement order withdrawn (recorded in error)"),
}

NOTIFICATION_KINDS = {
    "notices.order_recorded": _(
        "%(sender)s recorded improvement order %(reference)s. Please acknowledge receipt."
    ),
    "notices.order_corrected": _("%(sender)s corrected improvement order %(reference)s."),
    "notices.order_withdrawn": _(
        "%(sender)s withdrew improvement order %(reference)s: it was recorded in error."
    ),
}


def seed_demo(users) -> None:
    from .demo import seed

    seed(users)


def register() -> None:
    from .api import ROUTES

    hooks.register_api_routes(ROUTES)
    hooks.register_enum_name("ImprovementOrderStateEnum", "notices.orders.choices.OrderState")
    hooks.register_seeder(seed_demo, order=40)
    # Acknowledging an order resolves the item that announced it (portal.inbox).
    inbox.resolves("acknowledge", "notices.order_recorded")
    for name, label in AUDIT_ACTIONS.items():
        audit.register(name, label)
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register(kind, message)
    # The timeline's step of a correction, in the reader's language (the kit names its
    # own steps in this table; a kind's step would otherwise read as its raw name).
    EVENT_LABELS.setdefault("corrected", _("Corrected"))
