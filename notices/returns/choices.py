"""Where a return case and each person on it stand, declared as data (STYLE.md §3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReturnState(models.TextChoices):
    """A case is open until every person has returned (closed by itself) or a side
    closes it with a reason; Japan withdraws a request it no longer needs."""

    OPEN = "open", _("Open")
    RETURNED = "returned", _("Closed: every person returned")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: The states a case closes in: its personal data are erased a period after.
CLOSED_STATES = frozenset({ReturnState.RETURNED, ReturnState.CLOSED, ReturnState.WITHDRAWN})

RETURN_TRANSITIONS: dict[str, frozenset[str]] = {
    ReturnState.OPEN: frozenset(CLOSED_STATES),
    ReturnState.RETURNED: frozenset(),
    ReturnState.CLOSED: frozenset(),
    ReturnState.WITHDRAWN: frozenset(),
}


class ResidenceStatus(models.TextChoices):
    SSW_I = "ssw_i", _("Specified Skilled Worker (i)")
    SSW_II = "ssw_ii", _("Specified Skilled Worker (ii)")


class StepKind(models.TextChoices):
    """The steps the Tajik side and its Embassy record for one person, in their order:
    a later step is never dated before an earlier one."""

    CONTACTED = "contacted", _("Person contacted")
    IDENTITY_CONFIRMED = "identity_confirmed", _("Identity and nationality confirmed")
    DOCUMENT_APPLIED = "document_applied", _("Temporary passport applied for")
    DOCUMENT_ISSUED = "document_issued", _("Temporary passport (travel document) issued")
    TRAVEL_ARRANGED = "travel_arranged", _("Travel arranged")
    RETURNED = "returned", _("Returned")


#: A step's place in the order above.
STEP_ORDER = {kind: rank for rank, kind in enumerate(StepKind.values)}
