"""What the returns part adds to the portal, registered at start-up (called by
``notices.registry``): API routes, OpenAPI enum names, the erasure beat job, demo data,
audit actions, inbox kinds and the timeline's labels of its steps. No menu entry: the
notices app's menu and sub-navigation are the lead's."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from portal import audit, hooks, inbox, notifications
from portal.records.models import EVENT_LABELS

AUDIT_ACTIONS = {
    "return.requested": _("Return request made and shared"),
    "return.embassy_access": _("Return request: access given to the Embassy"),
    "return.person_added": _("Return request: person added"),
    "return.step_recorded": _("Return request: step recorded"),
    "return.closed": _("Return case closed"),
    "return.personal_data_viewed": _("Return request: personal data viewed"),
    "return.personal_data_erased": _("Return request: personal data erased"),
}

#: Inbox items name the request by its reference and a person by number: never a name.
NOTIFICATION_KINDS = {
    "notices.return_requested": _(
        "%(sender)s requests help with a return: %(reference)s. Please acknowledge receipt."
    ),
    "notices.return_embassy": _("%(sender)s shared return request %(reference)s with the Embassy."),
    "notices.return_person_added": _("%(sender)s added person %(person)s to return request %(reference)s."),
    "notices.return_person_returned": _(
        "%(sender)s recorded the return of person %(person)s (%(reference)s)."
    ),
    "notices.return_closed": _("%(sender)s closed return case %(reference)s."),
}

EVENT_STEPS = {
    "embassy_access": _("Access given to the Embassy"),
    "person_added": _("Person added"),
    "step_recorded": _("Step recorded for a person"),
    "personal_data_erased": _("Personal data erased"),
}


#: How many open cases the Embassy's home card lists.
CARD_LIMIT = 10


def embassy_card(user) -> dict | None:
    """The Embassy's home card: the open cases it was given access to (its menu has no
    officer register: this card and the inbox are how it reaches them). Nothing for
    anyone else, nor when no case is open."""
    from django.db.models import Count

    from notices.models import ReturnRequest

    organization = getattr(user, "organization", None) if getattr(user, "organization_id", None) else None
    if organization is None or organization.kind != "embassy" or not organization.is_third_party:
        return None
    rows = list(
        ReturnRequest.open_records()
        .restrict(user)
        .filter(embassy_id=organization.pk)
        .annotate(person_count=Count("persons"))
        .order_by("shared_at", "pk")[:CARD_LIMIT]
    )
    return {"rows": rows} if rows else None


def seed_demo(users) -> None:
    from .demo import seed

    seed(users)


def register() -> None:
    from . import tasks  # noqa: F401 - the beat job's task, registered with Celery
    from .api import ROUTES

    hooks.register_api_routes(ROUTES)
    hooks.register_enum_name("ReturnStateEnum", "notices.returns.choices.ReturnState")
    hooks.register_enum_name("ResidenceStatusEnum", "notices.returns.choices.ResidenceStatus")
    hooks.register_enum_name("ReturnStepKindEnum", "notices.returns.choices.StepKind")
    hooks.register_beat(
        "notices.returns.erase_personal_data",
        "notices.returns.tasks.erase_personal_data",
        crontab(hour=2, minute=40),
    )
    hooks.register_seeder(seed_demo, order=48)
    hooks.register_home_card(hooks.HomeCard("notices/returns/cards/embassy.html", embassy_card, 60))
    inbox.resolves("acknowledge", "notices.return_requested")
    for name, label in AUDIT_ACTIONS.items():
        # A reading, not a change: what others read stays as it was (portal.kept).
        audit.register(name, label, read=name == "return.personal_data_viewed")
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register(kind, message)
    for action, label in EVENT_STEPS.items():
        EVENT_LABELS.setdefault(action, label)
