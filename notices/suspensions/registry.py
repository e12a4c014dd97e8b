"""What the suspensions part adds to the portal, registered at start-up (called by
``notices.registry``): the notice shown with every public list and the suspensions'
own public list, API routes, OpenAPI enum names, demo data, audit actions and inbox
kinds. No menu entry: the notices app's menu and sub-navigation are the lead's."""

from django.utils.translation import gettext_lazy as _

from portal import audit, hooks, inbox, notifications
from portal.records.models import EVENT_LABELS

AUDIT_ACTIONS = {
    "suspension.recorded": _("Temporary suspension of acceptance recorded and shared"),
    "suspension.corrected": _("Temporary suspension of acceptance corrected"),
    "suspension.lifted": _("Temporary suspension of acceptance lifted"),
}

NOTIFICATION_KINDS = {
    "notices.suspension_recorded": _(
        "%(sender)s recorded the temporary suspension of acceptance %(reference)s. Please acknowledge receipt."
    ),
    "notices.suspension_corrected": _(
        "%(sender)s corrected the temporary suspension of acceptance %(reference)s."
    ),
    "notices.suspension_lifted": _("%(sender)s lifted the temporary suspension of acceptance %(reference)s."),
}


def seed_demo(users) -> None:
    from .demo import seed

    seed(users)


def register() -> None:
    from . import publication
    from .api import ROUTES

    publication.register()
    hooks.register_api_routes(ROUTES)
    hooks.register_enum_name("AcceptanceSuspensionStateEnum", "notices.suspensions.choices.SuspensionState")
    hooks.register_seeder(seed_demo, order=45)
    # Acknowledging a suspension resolves the item that announced it (portal.inbox).
    inbox.resolves("acknowledge", "notices.suspension_recorded")
    for name, label in AUDIT_ACTIONS.items():
        audit.register(name, label)
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register(kind, message)
    EVENT_LABELS.setdefault("corrected", _("Corrected"))
