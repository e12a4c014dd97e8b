"""Who may check a certificate (5): the officers of either side who read the registers —
its writers and its analysts. Never a third party, an administrator or the superuser
(they belong to no side's work), never an anonymous visitor. Pages ask ``can(check, …)``
which forms to show; the services ask the same functions."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.choices import Role
from portal.exceptions import PermissionDenied
from portal.records.policies import can, check_writer  # noqa: F401 - re-exported

#: The roles that check certificates: a check is a reading, so analysts check too.
CHECKER_ROLES = frozenset({Role.CONTACT_POINT_OFFICER, Role.OFFICER, Role.ANALYST})


def of_a_side(user) -> bool:
    organization = getattr(user, "organization", None)
    return organization is not None and not organization.is_third_party


def check_checker(user, obj=None) -> None:
    """Check a certificate, alone or by a batch: an officer or analyst of either side."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied(_("Sign in to check a certificate."))
    if not of_a_side(user) or user.role not in CHECKER_ROLES:
        raise PermissionDenied(_("Only the officers and analysts of either side check certificates."))


def check_fraud_report(user, check=None) -> None:
    """Open a fraud report from a check: the writers of either side (analysts read only)."""
    check_writer(user)
