"""Throttled sign-in (django-axes): a username or an address with too many failures is
locked out. The lockout page says the same whether or not the account exists; every
lockout and every unlock is in the audit trail."""

from __future__ import annotations

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.db import transaction
from django.dispatch import receiver

from .. import audit


def client_ip(request) -> str | None:
    """The address the audit records too (``REMOTE_ADDR``): a proxy in front must pass
    the client's address there, never a header the client could forge."""
    return request.META.get("REMOTE_ADDR")


@receiver(user_locked_out, dispatch_uid="portal.audit_lockout")
def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    audit.log("auth.locked_out", username=str(username or "")[:150], after={"address": ip_address})


def unlock(attempts, actor) -> int:
    """Lift lockouts (django-axes' attempt rows), auditing each one."""
    count = 0
    with transaction.atomic():
        for attempt in AccessAttempt.objects.select_for_update().filter(pk__in=[a.pk for a in attempts]):
            audit.log(
                "auth.unlocked",
                actor=actor,
                after={
                    "username": attempt.username,
                    "address": attempt.ip_address,
                    "failures": attempt.failures_since_start,
                },
            )
            attempt.delete()
            count += 1
    return count
