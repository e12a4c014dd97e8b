"""Kinds, stages and outcomes of the tests' records (clause 5), declared as data
(STYLE.md §3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ExamKind(models.TextChoices):
    SKILLS = "skills", _("Skills test")
    JAPANESE = "japanese", _("Japanese-language test")


class CooperationKind(models.TextChoices):
    """What a Japanese relevant ministry asks Tajikistan's ministry to cooperate in (5,
    first paragraph)."""

    TEST_DELIVERY = "test_delivery", _("Delivering a test")
    JAPANESE_EDUCATION = "japanese_education", _("Japanese-language education for the tests")
    OTHER = "other", _("Other cooperation for the tests")


class Capability(models.TextChoices):
    """What Tajikistan's ministry answers it can do."""

    FULL = "full", _("Can cooperate as asked")
    PARTIAL = "partial", _("Can cooperate in part")
    NONE = "none", _("Cannot cooperate")


class CooperationStage(models.TextChoices):
    REQUESTED = "requested", _("Requested, awaiting an answer")
    ANSWERED = "answered", _("Answered")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled by the requesting side")


COOPERATION_TRANSITIONS: dict[str, frozenset[str]] = {
    CooperationStage.REQUESTED: frozenset({CooperationStage.ANSWERED, CooperationStage.CANCELLED}),
    CooperationStage.ANSWERED: frozenset({CooperationStage.COMPLETED, CooperationStage.CANCELLED}),
    CooperationStage.COMPLETED: frozenset(),
    CooperationStage.CANCELLED: frozenset(),
}


class FraudKind(models.TextChoices):
    """The fraud of 5, second paragraph."""

    IMPERSONATION = "impersonation", _("Impersonation (someone else sat the test)")
    FORGED_CERTIFICATE = "forged_certificate", _("Forged or altered pass certificate")
    OTHER = "other", _("Other fraud in the tests")


class PersonRole(models.TextChoices):
    HOLDER = "holder", _("Certificate holder or candidate")
    IMPERSONATOR = "impersonator", _("Person who sat the test in their place")
    OTHER = "other", _("Other person involved")


class FraudStage(models.TextChoices):
    REPORTED = "reported", _("Reported, awaiting acknowledgement")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


FRAUD_TRANSITIONS: dict[str, frozenset[str]] = {
    FraudStage.REPORTED: frozenset({FraudStage.FOLLOW_UP, FraudStage.CLOSED}),
    FraudStage.FOLLOW_UP: frozenset({FraudStage.CLOSED}),
    FraudStage.CLOSED: frozenset(),
}


class FraudOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Fraud confirmed; the result or certificate is void")
    REFERRED = "referred", _("Referred to the police or prosecutors")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")
    INSUFFICIENT = "insufficient", _("Too little information to act on")
    OTHER = "other", _("Other")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    DONE = "done", _("Imported")
    FAILED = "failed", pgettext_lazy("import", "Failed")


class CheckOutcome(models.TextChoices):
    """What a certificate check answers, and nothing more: a mismatch names the fields
    that differ, never the values registered."""

    MATCHES = "matches", _("Matches")
    DOES_NOT_MATCH = "does_not_match", _("Does not match")
    NOT_FOUND = "not_found", _("Not found")


class CheckedField(models.TextChoices):
    NAME = "name", _("name")
    DATE_OF_BIRTH = "date_of_birth", _("date of birth")
