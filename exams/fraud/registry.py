"""What the fraud part adds to the portal, registered at start-up (called by
``exams.registry``): API routes, OpenAPI enum names, demo data, audit actions, inbox
kinds and the timeline's label of a brokers' link. No beat job of its own: the kit's
daily reminder (``records-remind``) reads ``FraudReport.open_records()``; no menu
entry: the exams app's sub-navigation is the lead's."""

from django.utils.translation import gettext_lazy as _

from portal import audit, hooks, inbox, notifications
from portal.records.models import EVENT_LABELS

AUDIT_ACTIONS = {
    "fraud.closed": _("Test fraud report closed with its outcome"),
    "fraud.brokers_linked": _("Brokers linked to a test fraud report"),
}

NOTIFICATION_KINDS = {
    "exams.fraud_reported": _(
        "%(sender)s shared test fraud report %(reference)s. Please acknowledge receipt."
    ),
    "exams.fraud_closed": _("%(sender)s closed test fraud report %(reference)s with its outcome."),
}


def seed_demo(users) -> None:
    from .demo import seed

    seed(users)


def register() -> None:
    from .api import ROUTES

    hooks.register_api_routes(ROUTES)
    hooks.register_enum_name("FraudKindEnum", "exams.choices.FraudKind")
    # No FraudStageEnum: its values (reported, follow_up, closed) are the broker
    # reports' stages, and drf-spectacular names one choice set once (ReportStageEnum).
    hooks.register_enum_name("FraudOutcomeEnum", "exams.choices.FraudOutcome")
    hooks.register_enum_name("FraudPersonRoleEnum", "exams.choices.PersonRole")
    # After the brokers' demo (order 30): one report links a demo broker.
    hooks.register_seeder(seed_demo, order=50)
    # Acknowledging a report resolves the item that announced it (portal.inbox).
    inbox.resolves("acknowledge", "exams.fraud_reported")
    for name, label in AUDIT_ACTIONS.items():
        audit.register(name, label)
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register(kind, message)
    EVENT_LABELS.setdefault("brokers_linked", _("Brokers linked"))
