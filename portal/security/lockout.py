"""Throttled sign-in (django-axes): a username at one address, or one address whatever
the usernames, with too many failures is locked out. A username alone is not: a
stranger elsewhere must not be able to lock the contact point out during a crisis.
A locked-out user lifts their own lockout with their second factor (``self_unlock``).
The lockout and unlock pages say the same whether or not the account exists; every
lockout and every unlock is in the audit trail."""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models import Sum
from django.dispatch import receiver

from .. import audit
from . import twofactor

#: Signs in through the unlock page: the password is checked by Django's own backend,
#: since axes' backend refuses every locked-out sign-in, which is the point here.
SIGN_IN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def client_ip(request) -> str | None:
    """The address the audit records too (``REMOTE_ADDR``): a proxy in front must pass
    the client's address there, never a header the client could forge."""
    return request.META.get("REMOTE_ADDR")


@receiver(user_locked_out, dispatch_uid="portal.audit_lockout")
def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    audit.log("auth.locked_out", username=str(username or "")[:150], after={"address": ip_address})


def unlock(attempts, actor, *, action: str = "auth.unlocked", by: str | None = None) -> int:
    """Lift lockouts (django-axes' attempt rows), auditing each one."""
    count = 0
    with transaction.atomic():
        for attempt in AccessAttempt.objects.select_for_update().filter(pk__in=[a.pk for a in attempts]):
            audit.log(
                action,
                actor=actor,
                after={
                    **({"by": by} if by else {}),
                    "username": attempt.username,
                    "address": attempt.ip_address,
                    "failures": attempt.failures_since_start,
                },
            )
            attempt.delete()
            count += 1
    return count


def _recent(request, attempts):
    if settings.AXES_COOLOFF_TIME is None:
        return attempts
    return attempts.filter(attempt_time__gte=get_cool_off_threshold(request))


def _failures(request, attempts) -> int:
    return _recent(request, attempts).aggregate(total=Sum("failures_since_start"))["total"] or 0


def address_failures(request) -> int:
    """Failed sign-ins from the request's address within the cool-off, any username:
    what axes' address lock counts."""
    AxesProxyHandler.update_request(request)
    return _failures(request, AccessAttempt.objects.filter(ip_address=request.axes_ip_address))


def self_unlock_allowed(request) -> bool:
    """The unlock page has its own allowance: as many failures again as the sign-in
    limit, counted at the address with axes' own rows (its failures are failed
    sign-ins too). Beyond that an address waits out the cool-off like everyone else;
    the answer does not depend on any username, so it says nothing about accounts."""
    return address_failures(request) < 2 * get_failure_limit(request, None)


def _failed(request, username: str) -> None:
    """A failed unlock counts as a failed sign-in for the username at this address
    (axes records it; the portal audits it), whichever part was wrong."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    # The unlock page answers with its own form, the same for every failure; axes
    # would swap in its lockout page, which only links back here.
    request.axes_locked_out = False


def self_unlock(request, username: str, password: str, token: str):
    """Lift the lockout of ``username`` at the request's address (and the address's
    own lockout, if it is locked) when the password *and* a current second-factor code
    (authenticator or recovery code) are right, then sign the user in, verified.
    Returns the user, or ``None`` with nothing lifted.

    The second factor is checked only after the right password, so a stranger cannot
    use up the owner's recovery codes or push their authenticator into django-otp's
    throttling. Unknown usernames cost a password hash too (Django's backend does
    that), so the time taken does not tell whether an account exists."""
    user = ModelBackend().authenticate(request, username=username, password=password)
    device = twofactor.check(user, token, step="unlock") if user is not None else None
    if device is None:
        _failed(request, username)
        return None
    AxesProxyHandler.update_request(request)
    address = request.axes_ip_address
    names = {username, user.get_username()}
    attempts = list(AccessAttempt.objects.filter(username__in=names, ip_address=address))
    if address_failures(request) >= get_failure_limit(request, None):
        attempts += list(AccessAttempt.objects.filter(ip_address=address).exclude(username__in=names))
    unlock(attempts, user, action="auth.self_unlocked", by="second factor")
    login(request, user, backend=SIGN_IN_BACKEND)  # a new session key
    twofactor.mark_verified(request, device)
    return user
