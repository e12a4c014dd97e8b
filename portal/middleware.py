"""Request context for the audit trail: a request id and the client address, available
to services without passing the request through every call. The actor is always passed
to services explicitly (API token users are only known inside DRF)."""

from __future__ import annotations

import contextvars
import re
import uuid
from dataclasses import dataclass

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str | None = None


_EMPTY = RequestContext()
_context: contextvars.ContextVar[RequestContext] = contextvars.ContextVar("portal_request_context")


def current() -> RequestContext:
    return _context.get(_EMPTY)


def bind(**values) -> contextvars.Token:
    """Set the context outside a request (a Celery task, a management command)."""
    return _context.set(RequestContext(**values))


def reset(token: contextvars.Token) -> None:
    _context.reset(token)


class RequestContextMiddleware:
    """Gives each request an id (honouring a well-formed ``X-Request-ID`` from a proxy)
    and echoes it in the response, so a user's report can be matched to the audit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _context.set(RequestContext(request_id=request_id, ip=request.META.get("REMOTE_ADDR")))
        try:
            response = self.get_response(request)
        finally:
            _context.reset(token)
        response["X-Request-ID"] = request_id
        return response


class HealthCheckMiddleware:
    """Answers ``/healthz`` before host validation and the HTTPS redirect, so that a
    container health check on 127.0.0.1 works; says only "ok" or "unavailable"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != "/healthz":
            return self.get_response(request)
        from django.db import connection
        from django.http import HttpResponse

        try:
            connection.ensure_connection()
        except Exception:  # noqa: BLE001 - any failure means unhealthy
            return HttpResponse("unavailable", status=503, content_type="text/plain")
        return HttpResponse("ok", content_type="text/plain")


class RefuseNulMiddleware:
    """A NUL character cannot be stored by PostgreSQL and no person types one: a request
    carrying one in its path, query string, form fields or JSON body is refused here
    with a 400, before any lookup or filter turns it into a database error. (Files in a
    multipart body are binary and are not looked at; the upload checks own them.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request) -> bool:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            return True
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return False
        content_type = request.content_type or ""
        if content_type == "application/json":
            return b"\\u0000" in request.body or b"\x00" in request.body
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return any(
                "\x00" in key or any("\x00" in v for v in values) for key, values in request.POST.lists()
            )
        return False

    @staticmethod
    def _refuse(request):
        from django.http import JsonResponse
        from django.utils.translation import gettext as _

        message = _("The request contains a NUL character, which is never valid here.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "code": "invalid"}, status=400)
        from .views.errors import bad_request

        return bad_request(request)


class TimeZoneMiddleware:
    """Activates the signed-in officer's side's time zone for the request (a third
    party and the public get Japan's, ``portal.timezones``), so that every time shown
    and every "today" computed on the way is on the reader's clock. The zone is kept
    in the session with the organization it was computed for: a page costs no query.

    The public site is on Japan's clock for everyone, signed in or not: its pages are
    rendered once and served to every visitor (``agencies.public_views``)."""

    PUBLIC_PREFIX = "/public/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import timezone

        from . import timezones

        zone = timezones.default_zone()
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(self.PUBLIC_PREFIX):
            remembered = request.session.get(timezones.SESSION_KEY)
            if remembered and remembered[0] == user.organization_id:
                zone = timezones.zone_for_country(remembered[1])
            else:
                country = timezones.country_of(user)
                request.session[timezones.SESSION_KEY] = [user.organization_id, country]
                zone = timezones.zone_for_country(country)
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
