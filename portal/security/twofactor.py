"""The second factor (django-otp): an authenticator app (TOTP) enrolled through a QR
code drawn here (segno, inline SVG: the secret never leaves the portal), and one-time
recovery codes for a lost phone. An administrator resets a user's devices, audited.

Changing the second factor itself (new recovery codes, a new phone, removing it) needs
a verified session *and* a current code in the same request (a step-up): a password
alone, a session left open or a stolen cookie must not be enough to move the second
factor somewhere the owner cannot follow.

Recovery codes are 80 random bits each and stored only as a SHA-256 fragment in
django-otp's static tokens, which then delete a code when it is used: each works once.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

import django_otp
import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import audit
from . import sessions

AUTHENTICATOR = "authenticator"
RECOVERY = "recovery"


class CodeRefused(Exception):
    """A code was wrong, already used or throttled; ``field`` names the form field."""

    def __init__(self, field: str):
        super().__init__(field)
        self.field = field


class SecondFactorRequired(Exception):
    """The second factor cannot be removed where it is required (PORTAL_REQUIRE_2FA)."""


def required(request) -> bool:
    """Everyone signs in with a second factor when PORTAL_REQUIRE_2FA is on (production);
    otherwise those who enrolled one anyway."""
    return settings.PORTAL_REQUIRE_2FA or bool(request.session.get(sessions.ENROLLED))


def authenticator(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.devices_for_user(user, confirmed=True).filter(name=RECOVERY).first()


def start_enrolment(user) -> TOTPDevice:
    """The unconfirmed authenticator waiting for its first code (one per user)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code (no image service, no data: URI)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, dark="#1a1a1c")


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, for typing in when the camera cannot read the code."""
    key = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _normalize(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _stored(code: str) -> str:
    return hashlib.sha256(_normalize(code).encode("ascii")).hexdigest()[:16]


def _new_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(10)).decode("ascii").lower()  # 16 characters
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def issue_recovery_codes(user, actor=None) -> list[str]:
    """Replace the user's recovery codes with new ones; return them to show once."""
    codes = [_new_code() for _ in range(settings.PORTAL_RECOVERY_CODES)]
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        device.token_set.bulk_create([device.token_set.model(device=device, token=_stored(c)) for c in codes])
        audit.log("auth.recovery_codes_generated", actor=actor or user, obj=user)
    return codes


def confirm_enrolment(request, device: TOTPDevice, token: str, current: str = "") -> list[str]:
    """Confirm the authenticator with its first code; the session is then verified and
    the first recovery codes are returned. Replacing an authenticator retires the old
    phone, so it also needs a verified session and ``current``, a code from the old
    phone or a recovery code. Raises ``CodeRefused`` naming the wrong field.

    The new phone's code is checked first so that a mistyped one does not use up the
    current code (a recovery code works only once)."""
    user = request.user
    replacing = authenticator(user) is not None
    if replacing and not user.is_verified():
        raise PermissionDenied
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=user, confirmed=False).first()
        )
        accepted = device is not None and device.verify_token(_normalize(token))
        if not accepted:
            audit.log("auth.otp_failed", actor=user, after={"step": "enrolment"})
    if not accepted:
        raise CodeRefused("token")
    if replacing and not step_up(user, current, step="enrolment"):
        raise CodeRefused("current_token")
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=user, confirmed=False).first()
        )
        if device is None:  # confirmed meanwhile by another request
            raise CodeRefused("token")
        device.confirmed = True
        device.save()
        # One authenticator a user: enrolling a new phone retires the old one.
        retired, _ = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        audit.log("auth.otp_enrolled", actor=user, obj=user, after={"replaced": True} if retired else None)
        codes = issue_recovery_codes(user)
    _elevate(request, device)
    return codes


def _elevate(request, device) -> None:
    """Mark the session verified under a new key: a session id seen before the second
    factor (fixation, a shoulder) is worth nothing after it."""
    old_key = request.session.session_key
    request.session.cycle_key()
    sessions.rekey(request, request.user, old_key)
    mark_verified(request, device)


def mark_verified(request, device) -> None:
    """Record in the session (already under a new key) that ``device`` verified it."""
    django_otp.login(request, device)
    request.session[sessions.ENROLLED] = True


def _accepting_device(user, token: str):
    """The device of ``user`` that accepts ``token`` (an authenticator code, or a
    recovery code, which is then used up), or ``None``. django-otp throttles each
    device after failures, so a right code is refused for a while after wrong ones."""
    if user is None:
        return None
    code = _normalize(token)
    if code.isdigit():
        candidate = authenticator(user)
        if candidate is not None:
            return django_otp.verify_token(user, candidate.persistent_id, code)
    elif code:
        candidate = recovery_device(user)
        if candidate is not None:
            return django_otp.verify_token(user, candidate.persistent_id, _stored(code))
    return None


def _audit_accepted(user, device, step: str | None = None) -> None:
    after = {}
    if isinstance(device, StaticDevice):
        after["remaining"] = device.token_set.count()
    if step:
        after["step"] = step
    action = "auth.recovery_code_used" if isinstance(device, StaticDevice) else "auth.otp_verified"
    audit.log(action, actor=user, obj=user, after=after or None)


def check(user, token: str, *, step: str):
    """Check a code of ``user`` without touching the session; audited either way.
    Returns the device that accepted it, or ``None``."""
    device = _accepting_device(user, token)
    if device is None:
        audit.log("auth.otp_failed", actor=user, after={"step": step})
        return None
    _audit_accepted(user, device, step)
    return device


def step_up(user, token: str, *, step: str) -> bool:
    """A current code asked again, in the same request, before a change to the second
    factor itself: a verified session alone (left open, or its cookie stolen) is not
    enough to replace the codes or the phone that protect the account."""
    return check(user, token, step=step) is not None


def verify(request, token: str) -> bool:
    """Check a code from the authenticator or a recovery code and, if it is right,
    mark the session verified. Devices throttle repeated failures themselves."""
    user = request.user
    device = _accepting_device(user, token)
    if device is None:
        audit.log("auth.otp_failed", actor=user, after={"step": "sign-in"})
        return False
    _elevate(request, device)
    _audit_accepted(user, device)
    return True


def renew_recovery_codes(request, current: str) -> list[str]:
    """New recovery codes for the owner of a verified session who gives a current
    code; the old codes stop working. Raises ``CodeRefused``."""
    user = request.user
    if authenticator(user) is None or not user.is_verified():
        raise PermissionDenied
    if not step_up(user, current, step="recovery-codes"):
        raise CodeRefused("current_token")
    return issue_recovery_codes(user)


def remove(request, current: str) -> int:
    """The owner removes their second factor where it is optional (the embedded demo):
    every device goes, and so do their other sessions, verified with it. Where it is
    required the answer is ``SecondFactorRequired``: enrol a new phone instead, so the
    account is never left with a password alone. Returns the sessions ended."""
    user = request.user
    if settings.PORTAL_REQUIRE_2FA:
        raise SecondFactorRequired
    if authenticator(user) is None or not user.is_verified():
        raise PermissionDenied
    if not step_up(user, current, step="removal"):
        raise CodeRefused("current_token")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        ended = sessions.end_others(user, keep_key=request.session.session_key)
        audit.log("auth.otp_removed", actor=user, obj=user, after={"other_sessions_ended": ended})
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    request.session[sessions.ENROLLED] = False
    return ended


def reset(user, actor) -> None:
    """A lost phone: remove every device of ``user`` and end their sessions, so the next
    sign-in starts a new enrolment. Administrators only; audited."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        ended = sessions.end_others(user, keep_key=None)
        audit.log("auth.otp_reset", actor=actor, obj=user, after={"sessions_ended": ended})
