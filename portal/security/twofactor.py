"""The second factor (django-otp): an authenticator app (TOTP) enrolled through a QR
code drawn here (segno, inline SVG: the secret never leaves the portal), and one-time
recovery codes for a lost phone. An administrator resets a user's devices, audited.

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
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import audit
from . import sessions

AUTHENTICATOR = "authenticator"
RECOVERY = "recovery"


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


def confirm_enrolment(request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with its first code; the session is then verified and
    the first recovery codes are returned. ``None`` if the code is wrong."""
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        if not device.verify_token(_normalize(token)):
            audit.log("auth.otp_failed", actor=user, after={"step": "enrolment"})
            return None
        device.confirmed = True
        device.save()
        # One authenticator a user: enrolling a new phone retires the old one.
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        audit.log("auth.otp_enrolled", actor=user, obj=user)
        codes = issue_recovery_codes(user)
    _elevate(request, device)
    return codes


def _elevate(request, device) -> None:
    """Mark the session verified under a new key: a session id seen before the second
    factor (fixation, a shoulder) is worth nothing after it."""
    old_key = request.session.session_key
    request.session.cycle_key()
    sessions.rekey(request, request.user, old_key)
    django_otp.login(request, device)
    request.session[sessions.ENROLLED] = True


def verify(request, token: str) -> bool:
    """Check a code from the authenticator or a recovery code and, if it is right,
    mark the session verified. Devices throttle repeated failures themselves."""
    user = request.user
    code = _normalize(token)
    device, used = None, None
    if code.isdigit():
        candidate = authenticator(user)
        if candidate is not None:
            device = django_otp.verify_token(user, candidate.persistent_id, code)
        used = "auth.otp_verified"
    else:
        candidate = recovery_device(user)
        if candidate is not None and code:
            device = django_otp.verify_token(user, candidate.persistent_id, _stored(code))
        used = "auth.recovery_code_used"
    if device is None:
        audit.log("auth.otp_failed", actor=user, after={"step": "sign-in"})
        return False
    _elevate(request, device)
    after = {"remaining": device.token_set.count()} if isinstance(device, StaticDevice) else None
    audit.log(used, actor=user, obj=user, after=after)
    return True


def reset(user, actor) -> None:
    """A lost phone: remove every device of ``user`` and end their sessions, so the next
    sign-in starts a new enrolment. Administrators only; audited."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        ended = sessions.end_others(user, keep_key=None)
        audit.log("auth.otp_reset", actor=actor, obj=user, after={"sessions_ended": ended})
