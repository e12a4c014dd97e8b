"""Reads of the agencies app that are worth a name, and their restrict() rules.

The register of sending agencies is the partner ministry's own (7(1)): its officers see
every agency of their memorandum; Japan's side sees an agency once it has been
certified, i.e. once its information was provided to Japan (7(2)); third parties read
only what is published. A rule on the rows' own columns, not one grant row per agency:
~1 ms a page at 100,000 rows (shared/notes/guardian-at-scale.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from portal.choices import WRITER_ROLES
from portal.querysets import NOTHING, ScopedQuerySet

from .choices import AgencyStatus

#: The statuses whose events the partner ministry provides to Japan.
PROVIDED_TO_JAPAN = (AgencyStatus.CERTIFIED, AgencyStatus.REVOKED, AgencyStatus.EXPIRED)

if TYPE_CHECKING:
    from portal.models import User


def _side(user: User):
    organization = getattr(user, "organization", None)
    return organization.side if organization is not None and organization.side_id else None


def is_partner_officer(user: User, memorandum) -> bool:
    """Whether the user works for the partner country's side of ``memorandum``."""
    side = _side(user)
    return (
        side is not None
        and side.memorandum_id == memorandum.pk
        and side.country == memorandum.partner_country
    )


def _own_register(side, prefix: str = "") -> Q:
    """The agencies (through ``prefix``) of the register ``side``'s ministry keeps."""
    return Q(
        **{f"{prefix}memorandum_id": side.memorandum_id, f"{prefix}memorandum__partner_country": side.country}
    )


def agency_rule(user: User, action: str, prefix: str = "") -> Q:
    """The Q selecting the agencies (through ``prefix``) a signed-in, active user who is
    not a superuser may see or change (``ScopedQuerySet`` has checked the rest)."""
    side = _side(user)
    if side is None:
        return NOTHING
    own_register = _own_register(side, prefix)
    if action == "view":
        provided_to_japan = Q(
            **{f"{prefix}memorandum_id": side.memorandum_id, f"{prefix}certification_number__isnull": False}
        )
        return own_register | provided_to_japan
    if user.role in WRITER_ROLES:
        return own_register
    return NOTHING


class SendingAgencyQuerySet(ScopedQuerySet):
    def rule(self, user: User, action: str) -> Q:
        return agency_rule(user, action)

    def certified(self) -> SendingAgencyQuerySet:
        return self.filter(status=AgencyStatus.CERTIFIED)

    def published(self) -> SendingAgencyQuerySet:
        """Agencies the public list shows: every agency ever certified, in the certified
        section or with its revocation or expiry, also once it applies again (the list
        never drops a revoked agency silently)."""
        return self.filter(certification_number__isnull=False)

    def due_to_expire(self, on) -> SendingAgencyQuerySet:
        return self.filter(status=AgencyStatus.CERTIFIED, valid_until__lt=on)

    def search(self, text: str) -> SendingAgencyQuerySet:
        """Any script: Cyrillic, Latin, Japanese names, numbers."""
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name_tg__icontains=text)
            | Q(name_ru__icontains=text)
            | Q(name_en__icontains=text)
            | Q(name_ja__icontains=text)
            | Q(certification_number__icontains=text)
            | Q(registration_number__icontains=text)
        )


class AgencyChildQuerySet(ScopedQuerySet):
    """Screenings, guidance: internal to the partner ministry's register."""

    #: The path from the row to its agency.
    agency_path = "agency__"

    def rule(self, user: User, action: str) -> Q:
        side = _side(user)
        if side is None or (action != "view" and user.role not in WRITER_ROLES):
            return NOTHING
        return _own_register(side, self.agency_path)


class ScreeningResultQuerySet(AgencyChildQuerySet):
    """A screening's criterion results and their documents: as the screening."""

    agency_path = "screening__agency__"


class AgencyEventQuerySet(ScopedQuerySet):
    """An agency's history. The partner ministry reads all of it; Japan's side reads
    what was provided to it — certifications, revocations and expiries, and changes made
    while certified (7(2), 7(4)) — never the screening, rejection or re-application
    that stay in the partner's register."""

    def rule(self, user: User, action: str) -> Q:
        side = _side(user)
        if side is None:
            return NOTHING
        provided = Q(to_status__in=PROVIDED_TO_JAPAN)
        return agency_rule(user, action, prefix="agency__") & (_own_register(side, "agency__") | provided)
