"""What consultations add to the portal, registered at start-up (``portal.hooks``,
called by ``notices.registry``): API routes, OpenAPI enum names, the daily reminders of
action items and the sweep of briefing packs a lost task left queued (beat), the packs'
route to the documents queue, demo data, audit actions, inbox kinds and the timeline's
labels of its steps. No menu entry: the notices app's menu is the lead's."""

from datetime import timedelta

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from portal import audit, hooks, notifications
from portal.records.models import EVENT_LABELS

AUDIT_ACTIONS = {
    "consultation.scheduled": _("Consultation called and shared"),
    "consultation.changed": _("Consultation's date or place changed"),
    "consultation.participant_added": _("Participant added to a consultation"),
    "consultation.agenda_item_added": _("Agenda item added to a consultation"),
    "consultation.record_linked": _("Record put on a consultation's agenda"),
    "consultation.minutes_changed": _("Minutes of a consultation written or changed"),
    "consultation.minutes_agreed": _("Minutes of a consultation agreed"),
    "consultation.action_item_added": _("Action item added to a consultation"),
    "consultation.action_item_closed": _("Action item of a consultation closed"),
    "consultation.pack_requested": _("Briefing pack requested"),
    "consultation.pack_downloaded": _("Briefing pack downloaded"),
}

NOTIFICATION_KINDS = {
    "notices.consultation_scheduled": _("%(sender)s called consultation %(reference)s."),
    "notices.consultation_changed": _("%(sender)s changed the date or place of consultation %(reference)s."),
    "notices.consultation_minutes": _(
        "%(sender)s wrote or changed the minutes of consultation %(reference)s. Please read and agree them."
    ),
    "notices.consultation_agreed": _("%(sender)s agreed the minutes of consultation %(reference)s."),
    "notices.action_item_added": _("An action item of consultation %(reference)s is due on %(due)s."),
    "notices.action_item_due": _("An action item of consultation %(reference)s is due on %(due)s."),
    "notices.action_item_overdue": _(
        "An action item of consultation %(reference)s was due on %(due)s and is overdue."
    ),
}

EVENTS = {
    "consultation_changed": _("Date or place changed"),
    "minutes_changed": _("Minutes written or changed (agreements cleared)"),
    "minutes_agreed": _("Minutes agreed"),
    "action_item_closed": _("Action item closed"),
}


def seed_demo(users) -> None:
    from .demo import seed

    seed(users)


def register() -> None:
    from . import (
        packs,  # noqa: F401 - registers the packs' outbox handler
        tasks,  # noqa: F401 - the worker knows the tasks (Celery looks only in <app>.tasks)
    )
    from .api import ROUTES

    hooks.register_api_routes(ROUTES)
    hooks.register_enum_name("ConsultationKindEnum", "notices.models.consultations.ConsultationKind")
    hooks.register_enum_name("ConsultationTopicEnum", "notices.models.consultations.ConsultationTopic")
    hooks.register_enum_name("ActionItemStatusEnum", "notices.models.consultations.ActionItemStatus")
    hooks.register_enum_name("BriefingPackStatusEnum", "notices.models.consultations.BriefingPackStatus")
    hooks.register_beat(
        "consultations-action-items-remind",
        "notices.consultations.tasks.remind_action_items",
        crontab(hour=8, minute=5),
    )
    hooks.register_beat(
        "consultations-packs-sweep",
        "notices.consultations.tasks.render_waiting_packs",
        timedelta(minutes=5),
        queue="documents",
        expires=5 * 60,
    )
    hooks.register_task_route("notices.consultations.tasks.render_briefing_pack", queue="documents")
    hooks.register_seeder(seed_demo, order=45)
    for name, label in AUDIT_ACTIONS.items():
        # A reading, not a change: what others read stays as it was (portal.kept).
        audit.register(name, label, read=name == "consultation.pack_downloaded")
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register(kind, message)
    for action, label in EVENTS.items():
        EVENT_LABELS.setdefault(action, label)
