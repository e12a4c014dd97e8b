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
