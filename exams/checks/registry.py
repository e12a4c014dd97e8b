"""What the checks part adds to the portal, registered at start-up (called by
``exams.registry``): its API route, its audit action — a reading (``read=True``: a check
changes nothing others read, so ``portal.kept`` keeps its values across it) — and the
names of its enums in the OpenAPI schema. No inbox kind: a check tells nobody else."""

from django.utils.translation import gettext_lazy as _

from portal import audit, hooks

AUDIT_ACTIONS = {
    "certificate.checked": _("Certificate checked against the register of pass results"),
}


def register() -> None:
    from .api import ROUTES

    hooks.register_api_routes(ROUTES)
    for name, label in AUDIT_ACTIONS.items():
        audit.register(name, label, read=True)
    hooks.register_enum_name("CheckOutcomeEnum", "exams.choices.CheckOutcome")
    hooks.register_enum_name("CheckedFieldEnum", "exams.choices.CheckedField")
