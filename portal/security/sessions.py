"""Signed-in sessions: recorded at sign-in so their owner can list and end them, ended
by idle and absolute time limits (``middleware.SessionLifetimeMiddleware``), by sign-out
(Django flushes the server-side session) and, for the other sessions, by a password
change."""

from __future__ import annotations

import time
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from .. import audit

SIGNED_IN_AT = "portal_signed_in_at"
SEEN_AT = "portal_seen_at"
ENROLLED = "portal_2fa_enrolled"
#: How stale "last seen" may get before it is written again: one write a minute per
#: session instead of one per request.
SEEN_RESOLUTION = 60


def session_store(key: str | None = None):
    return import_module(settings.SESSION_ENGINE).SessionStore(key)


def active(queryset):
    """Rows whose session is within both time limits."""
    now = timezone.now()
    return queryset.filter(
        created_at__gt=now - timedelta(seconds=settings.SESSION_COOKIE_AGE),
        last_seen_at__gt=now - timedelta(seconds=settings.SESSION_IDLE_TIMEOUT),
    )


@receiver(user_logged_in, dispatch_uid="portal.record_session")
def record(sender, request, user, **kwargs):
    from django_otp import user_has_device

    from ..models import UserSession

    session = getattr(request, "session", None)
    if session is None:
        return
    now = time.time()
    session[SIGNED_IN_AT] = session[SEEN_AT] = now
    session[ENROLLED] = user_has_device(user)
    if session.session_key is None:
        session.save()
    meta = getattr(request, "META", {})
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "ip": meta.get("REMOTE_ADDR") or None,
            "user_agent": meta.get("HTTP_USER_AGENT", "")[:300],
        },
    )
    # Rows of sessions that ran out without a request are dropped at the next sign-in.
    stale = UserSession.objects.filter(user=user).exclude(session_key=session.session_key)
    stale.exclude(pk__in=active(stale)).delete()


@receiver(user_logged_out, dispatch_uid="portal.forget_session")
def forget(sender, request, user, **kwargs):
    from ..models import UserSession

    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()


def touch(request) -> None:
    """Note activity, at most once a minute."""
    from ..models import UserSession

    now = time.time()
    if now - request.session.get(SEEN_AT, 0) < SEEN_RESOLUTION:
        return
    request.session[SEEN_AT] = now
    if request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).update(
            last_seen_at=timezone.now()
        )


def end(row, actor, *, action: str = "auth.session_ended", reason: str = "") -> None:
    """End one recorded session: its server-side data is deleted, so its cookie no
    longer signs anyone in."""
    with transaction.atomic():
        session_store().delete(row.session_key)
        audit.log(action, actor=actor, after={"session": row.pk, **({"reason": reason} if reason else {})})
        row.delete()


def end_others(user, keep_key: str | None) -> int:
    """End every session of ``user`` but ``keep_key`` (after a password change)."""
    from ..models import UserSession

    rows = list(UserSession.objects.filter(user=user).exclude(session_key=keep_key or ""))
    store = session_store()
    for row in rows:
        store.delete(row.session_key)
    UserSession.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


def rekey(request, user, old_key: str | None) -> None:
    """Keep the row of the current session when Django gives it a new key (a password
    change cycles the key to keep the user signed in)."""
    from ..models import UserSession

    new_key = request.session.session_key
    if old_key and new_key and old_key != new_key:
        UserSession.objects.filter(session_key=old_key, user=user).update(session_key=new_key)
