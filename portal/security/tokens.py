"""Personal API tokens: shown once, stored as a SHA-256 only, expiring, revocable, and
read-only unless asked otherwise. Replaces ``rest_framework.authtoken``, which keeps
keys in clear and never expires them.

A token is 256 random bits, so an unsalted SHA-256 is enough: nothing to brute-force,
and the lookup is one indexed equality. The raw token never reaches the audit or the
logs — only its first characters, to tell tokens apart."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .. import audit
from ..exceptions import InvalidInput, PermissionDenied

PREFIX = "moc_"
#: "last used" is written at most this often per token.
USE_RESOLUTION = timedelta(minutes=5)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create(user, *, name: str, read_only: bool = True, days: int = 90):
    """Issue a token; return it with its raw value, which is never shown again."""
    from ..models import ApiToken

    if not name.strip():
        raise InvalidInput(_("Give the token a name, such as the system that will use it."))
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise InvalidInput(
            _("A token lives between 1 and %(days)s days.") % {"days": settings.API_TOKEN_MAX_DAYS}
        )
    if not read_only and not (user.can_write or user.is_superuser):
        raise PermissionDenied(_("Your role can only have read-only tokens."))
    raw = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name.strip()[:100],
            prefix=raw[:12],
            digest=digest(raw),
            read_only=read_only,
            expires_at=timezone.now() + timedelta(days=days),
        )
        audit.log(
            "token.created",
            actor=user,
            obj=token,
            after={"read_only": read_only, "expires_at": token.expires_at, "prefix": token.prefix},
        )
    return token, raw


def revoke(token, actor):
    """Revoke a token: its owner or an administrator."""
    from ..models import ApiToken

    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.user_id != actor.pk and not actor.is_superuser:
            raise PermissionDenied(_("This is another user's token."))
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.log("token.revoked", actor=actor, obj=token)
    return token


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Token moc_…`` (or ``Bearer``). An expired, revoked or unknown
    token is a 401 with the same message, so a refusal tells nothing about which."""

    keywords = (b"token", b"bearer")
    refusal = gettext_lazy("Invalid, expired or revoked token.")

    def authenticate(self, request):
        from ..models import ApiToken

        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(self.refusal)
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(self.refusal) from exc
        token = ApiToken.objects.select_related("user__organization").filter(digest=digest(raw)).first()
        now = timezone.now()
        if token is None or not token.is_active(now) or not token.user.is_active:
            raise exceptions.AuthenticationFailed(self.refusal)
        if token.last_used_at is None or now - token.last_used_at > USE_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Token realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token (drf-spectacular)."""

    target_class = "portal.security.tokens.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token moc_…` — a personal token created under Sign-in and security.",
        }
