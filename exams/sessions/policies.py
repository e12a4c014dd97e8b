"""Who may record and change test sessions (5): the writers (contact points and
officers) of either side record a session held in the partner country; only the
recording organization's writers change it. Reading is the queryset's
(``ExamSessionQuerySet``: both sides read, analysts included; a third party never).
Pages ask ``can(check, …)`` which buttons to show; the services ask the same functions."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.exceptions import PermissionDenied
from portal.records.policies import can, check_writer  # noqa: F401 - re-exported


def check_record(user, obj=None) -> None:
    """The writers of either side record a session."""
    check_writer(user)
    if user.organization.side_id is None:
        raise PermissionDenied(_("Test sessions are recorded by the officers of either side."))


def check_change(user, session) -> None:
    """The writers of the organization that recorded the session change it."""
    check_record(user)
    if session.organization_id != user.organization_id:
        raise PermissionDenied(_("Only the organization that recorded this session can change it."))
