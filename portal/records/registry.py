"""What the kit adds at start-up: its audit actions, inbox kinds, outbox handler and home cards."""

from datetime import timedelta

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from portal import audit, hooks, inbox, notifications

AUDIT_ACTIONS = {
    "record.acknowledged": _("Receipt of a record acknowledged"),
    "record.assigned": _("Record assigned to an officer"),
    "record.attached": _("File attached to a record"),
    "record.moved": _("Record moved to its next stage"),
    "record.commented": _("Comment added to a record"),
    "consent.requested": _("Written consent to disclose requested"),
    "consent.request_granted": _("Request for written consent granted"),
    "consent.refused": _("Request for written consent refused"),
    "consent.request_cancelled": _("Request for written consent cancelled"),
}

NOTIFICATION_KINDS = {
    "record.acknowledged": _("%(sender)s acknowledged receipt of %(reference)s"),
    "record.assigned": _("%(reference)s is assigned to %(assignee)s"),
    "record.attached": _("%(sender)s added a file to %(reference)s"),
    "record.commented": _("%(sender)s added a comment to %(reference)s"),
    "record.due": _("%(reference)s is due on %(due)s"),
    "record.overdue": _("%(reference)s was due on %(due)s and is overdue"),
    "consent.requested": _(
        "%(sender)s asks for written consent to disclose %(reference)s to %(third_party)s"
    ),
    "consent.request_granted": _(
        "%(sender)s consented in writing to disclose %(reference)s to %(third_party)s"
    ),
    "consent.refused": _("%(sender)s refused to disclose %(reference)s to %(third_party)s"),
}


def register_home_cards() -> None:
    """The work queue of every record kind (``portal.records.cards``), first on the home page."""
    from . import cards

    for order, name, context, work in (
        (10, "awaiting", cards.awaiting_acknowledgement, cards.awaiting_acknowledgement_work),
        (20, "assigned", cards.assigned_to_me, cards.assigned_to_me_work),
        (30, "due", cards.due, cards.due_work),
        (40, "drafts", cards.drafts, None),
        (10, "disclosed", cards.disclosed, None),
    ):
        hooks.register_home_card(hooks.HomeCard(f"records/cards/{name}.html", context, order, work))


def register() -> None:
    from . import letters  # noqa: F401 - registers the consent-letter outbox handler

    # Due dates of every record kind, once a day; letters a lost task left unrendered.
    hooks.register_beat(
        "records-remind", "portal.records.tasks.remind_due_records", crontab(hour=8, minute=0)
    )
    hooks.register_beat(
        "records-letters-sweep",
        "portal.records.tasks.render_missing_letters",
        timedelta(minutes=5),
        queue="documents",
        expires=5 * 60,
    )
    hooks.register_beat(
        "records-private-files-sweep",
        "portal.records.tasks.sweep_private_files",
        timedelta(hours=1),
        queue="documents",
        expires=60 * 60,
    )
    hooks.register_task_route("portal.records.tasks.render_consent_letter", queue="documents")
    register_home_cards()
    # A record that stops waiting (its result sent, closed) resolves the items that
    # asked someone to work on it (portal.records.transitions.move).
    inbox.resolves("close", "record.assigned", "record.due", "record.overdue")
    for name, label in AUDIT_ACTIONS.items():
        audit.register(name, label)
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register(kind, message)
