"""What the brokers app adds to the portal, registered at start-up (portal.hooks): its
URLs, API routes, menu entry, home card, daily reminder, OpenAPI enum names and demo
data, its audit actions and inbox kinds."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import audit, hooks, inbox, notifications

AUDIT_ACTIONS = {
    "broker.names_added": _("Names or aliases added to a broker"),
    "broker.merged": _("Two records of one broker merged"),
    "report.linked": _("Broker report linked to agencies or investigations"),
    "report.closed": _("Broker report closed with its outcome"),
    "report.exported": _("Broker reports exported"),
}

NOTIFICATION_KINDS = {
    "brokers.reported": _("%(sender)s shared broker report %(reference)s. Please acknowledge receipt."),
    "brokers.broker_shared": _("%(sender)s shared broker record %(reference)s."),
    "brokers.merged": _("%(sender)s merged broker record %(merged)s into %(reference)s."),
    "brokers.report_closed": _("%(sender)s closed broker report %(reference)s with its outcome."),
    "brokers.acknowledge_reminder": _(
        "Broker report %(reference)s has waited %(days)s days for acknowledgement."
    ),
}


def under_brokers(match) -> bool:
    return match is not None and match.app_name == "brokers"


def promptness_card(user) -> dict | None:
    """Officers of both sides: this month's and last month's medians, per side."""
    from . import cards

    return cards.promptness(user)


def seed_demo(users) -> None:
    from .demo import seed

    seed(users)


def register() -> None:
    from .api.urls import ROUTES

    hooks.register_urls("brokers/", "brokers.urls")
    hooks.register_api_routes(ROUTES)
    hooks.register_beat(
        "brokers-acknowledge-reminders", "brokers.tasks.remind_unacknowledged", crontab(hour=8, minute=5)
    )
    hooks.register_enum_name("BrokerKindEnum", "brokers.choices.BrokerKind")
    hooks.register_enum_name("ReportStageEnum", "brokers.choices.ReportStage")
    hooks.register_enum_name("ReportOutcomeEnum", "brokers.choices.Outcome")
    hooks.register_enum_name("CurrencyEnum", "brokers.choices.Currency")
    hooks.register_enum_name("BrokerCategoryEnum", "brokers.choices.Category")
    hooks.register_nav_item(
        hooks.NavItem(
            # A menu label of its own: the menu holds on one line at 1280 px in every
            # language only with the short form (tests/test_layout.py).
            pgettext_lazy("menu", "Brokers"),
            "brokers:reports",
            visible=hooks.officers_only,
            current=under_brokers,
            order=25,
        )
    )
    hooks.register_home_card(hooks.HomeCard("brokers/cards/promptness.html", promptness_card, 50))
    hooks.register_seeder(seed_demo, order=30)
    # Acknowledging a report resolves the item that announced it (portal.inbox).
    inbox.resolves("acknowledge", "brokers.reported", "brokers.acknowledge_reminder")
    for name, label in AUDIT_ACTIONS.items():
        # A reading, not a change: what others read stays as it was (portal.kept).
        audit.register(name, label, read=name == "report.exported")
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register(kind, message)
