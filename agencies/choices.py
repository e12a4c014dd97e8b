"""Statuses and transitions of sending agencies, investigations and screenings,
declared as data (STYLE.md §3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyStatus(models.TextChoices):
    APPLICATION_RECEIVED = "application_received", _("Application received")
    UNDER_SCREENING = "under_screening", _("Under screening")
    CERTIFIED = "certified", _("Certified")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Certification revoked")
    EXPIRED = "expired", _("Certification expired")


AGENCY_TRANSITIONS: dict[str, frozenset[str]] = {
    AgencyStatus.APPLICATION_RECEIVED: frozenset({AgencyStatus.UNDER_SCREENING, AgencyStatus.REJECTED}),
    AgencyStatus.UNDER_SCREENING: frozenset({AgencyStatus.CERTIFIED, AgencyStatus.REJECTED}),
    AgencyStatus.CERTIFIED: frozenset({AgencyStatus.REVOKED, AgencyStatus.EXPIRED}),
    # A rejected, revoked or expired agency may apply again later.
    AgencyStatus.REJECTED: frozenset({AgencyStatus.APPLICATION_RECEIVED}),
    AgencyStatus.REVOKED: frozenset({AgencyStatus.APPLICATION_RECEIVED}),
    AgencyStatus.EXPIRED: frozenset({AgencyStatus.APPLICATION_RECEIVED}),
}


class RevocationReason(models.TextChoices):
    """The public reason category shown on the list; the full reason stays internal."""

    CRITERIA_NOT_MET = "criteria_not_met", _("No longer meets the certification criteria")
    IMPROPER_CONDUCT = "improper_conduct", _("Improper conduct towards workers")
    LICENCE_WITHDRAWN = "licence_withdrawn", _("Licence to send workers abroad withdrawn")
    FALSE_INFORMATION = "false_information", _("False or forged information")
    VOLUNTARY = "voluntary", _("At the agency's own request")
    OTHER = "other", _("Other")


class CriterionResult(models.TextChoices):
    PENDING = "pending", _("Not yet assessed")
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class InvestigationStatus(models.TextChoices):
    REPORTED = "reported", _("Reported by Japan")
    UNDER_INVESTIGATION = "under_investigation", _("Under investigation")
    RESULT_SENT = "result_sent", _("Result sent to Japan")


INVESTIGATION_TRANSITIONS: dict[str, frozenset[str]] = {
    InvestigationStatus.REPORTED: frozenset({InvestigationStatus.UNDER_INVESTIGATION}),
    InvestigationStatus.UNDER_INVESTIGATION: frozenset({InvestigationStatus.RESULT_SENT}),
    InvestigationStatus.RESULT_SENT: frozenset(),
}


class InvestigationOutcome(models.TextChoices):
    NO_BREACH = "no_breach", _("No breach found")
    GUIDANCE = "guidance", _("Guidance and supervision given")
    REVOKED = "revoked", _("Certification revoked")
