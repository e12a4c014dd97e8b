"""The in-portal inbox of each organization and the e-mail that follows it: ``notify``
promises inbox items through the outbox, whose handlers deliver them and their e-mails.

A notification is stored as a ``kind`` and ``params`` and rendered in the reader's
language when read (``portal.notification_kinds``, re-exported here: apps register
their kinds with ``register(kind, message)``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import outbox, timezones
from .models import Notification, User
from .notification_kinds import KINDS, register, render  # noqa: F401 - register: the apps' entry point


def notify(
    organization_ids, kind: str, *, sender=None, url: str = "", params: dict | None = None, users=None
):
    """Promise inbox items (and e-mails) to organizations; call inside the service's
    transaction. Delivered by the outbox drain. ``users``: the item concerns these
    officers alone (an assignment): it is still in their organization's inbox, but only
    they are e-mailed."""
    if kind not in KINDS:
        raise ValueError(f"unregistered notification kind {kind!r}")
    return outbox.enqueue(
        "notify",
        {
            "organizations": sorted(set(organization_ids)),
            "kind": kind,
            "sender": getattr(sender, "pk", sender),
            "url": url,
            "params": params or {},
            **({"users": sorted(set(users))} if users else {}),
        },
    )


@outbox.handler("notify")
def deliver_notification(entry) -> None:
    payload = entry.payload
    for organization_id in payload["organizations"]:
        notification, created = Notification.objects.get_or_create(
            source=entry,
            organization_id=organization_id,
            defaults={
                "kind": payload["kind"],
                "params": payload.get("params", {}),
                "sender_id": payload.get("sender"),
                "url": payload.get("url", ""),
            },
        )
        if not created:
            continue
        subscribers = User.objects.filter(
            organization_id=organization_id, is_active=True, email_notifications=True
        ).exclude(email="")
        if payload.get("users"):
            subscribers = subscribers.filter(pk__in=payload["users"])
        for user_id in subscribers.values_list("pk", flat=True):
            outbox.enqueue("email.notification", {"user": user_id, "notification": notification.pk})


def message_id(entry) -> str:
    """The e-mail's Message-ID, derived from its outbox entry: the same each time the
    entry is retried, so a mail system can drop the copy a crash sends again. The
    entry's id is a UUID, so no two entries share one, even across installations."""
    domain = urlsplit(settings.PORTAL_BASE_URL).hostname or settings.DEFAULT_FROM_EMAIL.rpartition("@")[2]
    return f"<outbox-{entry.pk}@{domain}>"


@outbox.handler("email.notification", commit_each=True)
def email_notification(entry) -> None:
    """At-least-once: a crash after sending and before commit sends the mail again,
    which is the right side to err on for an official notice. The entry commits on its
    own (``commit_each``), so a crash repeats this one e-mail, not the others of its
    batch, and the repeat carries the same Message-ID."""
    user = User.objects.filter(pk=entry.payload["user"], is_active=True).first()
    notification = Notification.objects.filter(pk=entry.payload["notification"]).first()
    if user is None or notification is None or not user.email:
        return
    # The recipient's language and clock: a date or time in the message is theirs.
    with translation.override(user.language), timezones.override_for(user):
        subject = str(_("MOC Portal: %(message)s") % {"message": render(notification)})[:200]
        link = settings.PORTAL_BASE_URL.rstrip("/") + (notification.url or "/")
        body = f"{render(notification)}\n\n{link}\n"
    EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], headers={"Message-ID": message_id(entry)}
    ).send()
