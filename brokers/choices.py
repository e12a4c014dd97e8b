"""Kinds, categories and stages of brokers and their misconduct reports, declared as
data (STYLE.md §3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BrokerKind(models.TextChoices):
    PERSON = "person", _("Person")
    COMPANY = "company", _("Company")


class Category(models.TextChoices):
    """The five kinds of misconduct of 4(1) of the Memorandum, by their letters."""

    HELD_PROPERTY = "a", _("(a) Money or property held")
    PENALTY_CONTRACT = "b", _("(b) Penalty or transfer terms in a contract")
    VIOLENCE = "c", _("(c) Violence, threats or restriction of liberty")
    FORGED_DOCUMENTS = "d", _("(d) Forged, altered or false documents")
    UNEXPLAINED_FEES = "e", _("(e) Fees without a breakdown")


#: The facts each category needs, by field name: a report of that category is refused
#: without every one of them (``MisconductReport.clean``).
CATEGORY_FACTS: dict[str, tuple[str, ...]] = {
    Category.HELD_PROPERTY: ("held_amount", "held_currency", "held_items"),
    Category.PENALTY_CONTRACT: ("contract_terms",),
    Category.VIOLENCE: ("violence_nature",),
    Category.FORGED_DOCUMENTS: ("forged_documents", "forged_procedure"),
    Category.UNEXPLAINED_FEES: ("fee_amount", "fee_currency"),
}


class ReportStage(models.TextChoices):
    REPORTED = "reported", _("Reported, awaiting acknowledgement")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStage.REPORTED: frozenset({ReportStage.FOLLOW_UP, ReportStage.CLOSED}),
    ReportStage.FOLLOW_UP: frozenset({ReportStage.CLOSED}),
    ReportStage.CLOSED: frozenset(),
}


class Outcome(models.TextChoices):
    MEASURES_TAKEN = "measures_taken", _("Measures taken against the broker")
    REFERRED = "referred", _("Referred to the police or prosecutors")
    AGENCY_REVOKED = "agency_revoked", _("A sending agency's certification revoked")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")
    INSUFFICIENT = "insufficient", _("Too little information to act on")
    OTHER = "other", _("Other")


class Currency(models.TextChoices):
    TJS = "TJS", _("Tajik somoni (TJS)")
    JPY = "JPY", _("Japanese yen (JPY)")
    USD = "USD", _("US dollar (USD)")
    RUB = "RUB", _("Russian rouble (RUB)")
    EUR = "EUR", _("Euro (EUR)")
