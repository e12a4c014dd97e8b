"""What the pass-result imports add to the portal, registered at start-up by
``exams.registry``: the API route, demo results, the audit actions, the inbox kinds and the import
task's outbox topic (``services``)."""

from django.utils.translation import gettext_lazy as _

from portal import audit, notifications

AUDIT_ACTIONS = {
    "exam_results.uploaded": _("File of pass results uploaded"),
    "exam_results.imported": _("File of pass results imported"),
}

NOTIFICATION_KINDS = {
    "exams.results_imported": _(
        "Import %(number)s of pass results is done: %(added)s added, %(changed)s changed, "
        "%(refused)s lines refused."
    ),
    "exams.results_import_failed": _("Import %(number)s of pass results failed: the file was refused."),
}


def seed_demo(users) -> None:
    from .demo import seed

    seed(users)


def register() -> None:
    from datetime import timedelta

    from portal import hooks

    from . import (
        services,  # noqa: F401 - registers the outbox topic's handler
        tasks,  # noqa: F401 - the worker knows the tasks (Celery looks only in <app>.tasks)
    )
    from .api import ROUTES

    hooks.register_api_routes(ROUTES)
    hooks.register_seeder(seed_demo, order=45)
    hooks.register_enum_name("ResultImportStatusEnum", "exams.choices.ImportStatus")
    hooks.register_beat(
        "exam-results-sweep", "exams.results.tasks.import_waiting", timedelta(minutes=10), expires=10 * 60
    )
    for name, label in AUDIT_ACTIONS.items():
        audit.register(name, label)
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register(kind, message)
