"""Middleware of the doors: session time limits, the second-factor gate and the
Permissions-Policy header (Django and django-csp set the others)."""

from __future__ import annotations

import time
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import audit
from . import sessions, twofactor


class PermissionsPolicyMiddleware:
    """Turns off browser features the portal never uses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class SessionLifetimeMiddleware:
    """Ends a session idle for SESSION_IDLE_TIMEOUT seconds, or older than
    SESSION_COOKIE_AGE seconds since sign-in whatever the activity: the server-side
    session is deleted, so the cookie is worthless from then on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            session = request.session
            now = time.time()
            signed_in = session.setdefault(sessions.SIGNED_IN_AT, now)
            seen = session.get(sessions.SEEN_AT, now)
            if now - signed_in > settings.SESSION_COOKIE_AGE:
                self.expire(request, user, "lifetime")
            elif now - seen > settings.SESSION_IDLE_TIMEOUT:
                self.expire(request, user, "idle")
            else:
                sessions.touch(request)
        return self.get_response(request)

    @staticmethod
    def expire(request, user, reason: str) -> None:
        from ..models import UserSession

        audit.log("auth.session_expired", actor=user, after={"reason": reason})
        UserSession.objects.filter(session_key=request.session.session_key).delete()
        request.session.flush()
        request.user = AnonymousUser()
        messages.info(request, _("Your session has ended. Please sign in again."))


#: Reachable before the second factor is verified. Of the second-factor pages only the
#: verification step: the others change the second factor, and a password alone must
#: not do that (issue 8: new recovery codes were issued to an unverified session).
OPEN_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/unlock/",
    "/accounts/2fa/verify/",
    "/admin/logout/",
    "/static/",
    "/i18n/",
    "/public/",
    "/api/schema/",
    "/api/docs/",
    "/healthz",
)

#: Enrolment is open before verification only to a user who has no authenticator yet
#: (their first); replacing one needs it verified first.
ENROLMENT_PREFIX = "/accounts/2fa/setup/"


class SecondFactorMiddleware:
    """A signed-in user who has not verified a second factor reaches only the sign-in,
    enrolment and public pages: officer pages and admin redirect to the second-factor
    step, API calls made with the session get a 403. (API tokens are issued only to a
    verified session, so a token request is not held here.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and not user.is_verified()
            and twofactor.required(request)
            and not (request.path.startswith(ENROLMENT_PREFIX) and twofactor.authenticator(user) is None)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Verify your second factor first."), "code": "second_factor_required"},
                    status=403,
                )
            step = "otp-verify" if twofactor.authenticator(user) is not None else "otp-setup"
            return redirect(f"{reverse(step)}?next={quote(request.get_full_path())}")
        return self.get_response(request)
