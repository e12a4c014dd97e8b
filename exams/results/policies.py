"""Who may import pass results (clause 5).

The results come from the test bodies, which are Japan's: Japan's side imports them (its
writers: ``notices.register.policies.is_register_side`` says which side is Japan's). An
import and its refused lines are read by its own organization alone
(``OwnOrganizationQuerySet``); the register itself by nobody on a page or in the API."""

from __future__ import annotations

from django.utils.translation import gettext as _

from notices.register.policies import is_register_side
from portal.exceptions import PermissionDenied
from portal.records.policies import can, check_writer  # noqa: F401 - re-exported

__all__ = ["can", "check_import"]


def check_import(user, obj=None) -> None:
    """Upload a file of pass results: the writers of Japan's side."""
    check_writer(user)
    if not is_register_side(user):
        raise PermissionDenied(_("Japan's side imports pass results, as the test bodies report them to it."))
