"""What the tests and sessions part adds to the portal, registered at start-up (called
by ``exams.registry``): the API routes of the tests and the sessions, audit actions, the
inbox kind that tells the other side of a session, and demo data."""

from django.utils.translation import gettext_lazy as _

from portal import audit, hooks, notifications

AUDIT_ACTIONS = {
    "exam_session.recorded": _("Test session recorded"),
    "exam_session.changed": _("Test session changed"),
}

NOTIFICATION_KINDS = {
    "exams.session_recorded": _("%(sender)s recorded a session of %(exam)s, %(starts_on)s to %(ends_on)s."),
}


def seed_demo(users) -> None:
    from .demo import seed

    seed(users)


def register() -> None:
    from .api import ROUTES

    hooks.register_api_routes(ROUTES)
    hooks.register_seeder(seed_demo, order=70)
    hooks.register_enum_name("ExamKindEnum", "exams.choices.ExamKind")
    for name, label in AUDIT_ACTIONS.items():
        audit.register(name, label)
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register(kind, message)
