"""What the register of registered support organizations adds to the portal, registered
at start-up by ``notices.registry``: its API routes, audit actions, inbox kind, OpenAPI
enum names and demo data. (Its URLs come with ``notices.urls``; the menu entry is the
app's.)"""

from django.utils.translation import gettext_lazy as _

from portal import audit, hooks, inbox, notifications

AUDIT_ACTIONS = {
    "register.previewed": _("Register workbook compared with the register (preview)"),
    "register.applied": _("Register import applied"),
}

NOTIFICATION_KINDS = {
    "notices.register_imported": _(
        "%(sender)s imported the register of registered support organizations: %(reference)s. "
        "Please acknowledge receipt."
    ),
}


def seed_demo(users) -> None:
    from .demo import seed

    seed(users)


def register() -> None:
    from .api import ROUTES

    hooks.register_api_routes(ROUTES)
    hooks.register_seeder(seed_demo, order=45)
    inbox.resolves("acknowledge", "notices.register_imported")
    for name, label in AUDIT_ACTIONS.items():
        audit.register(name, label)
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register(kind, message)
