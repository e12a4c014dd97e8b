"""Who may import the register of registered support organizations (6(3), 7(5)).

The register is Japan's: its Immigration Services Agency publishes it, so Japan's side
uploads and applies the workbooks; both sides' officers read the imports once shared
(the kit's grants) and the organizations (``SupportOrganizationQuerySet``). Pages ask
``can(check, …)`` which buttons to show; the services ask the same functions."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.exceptions import PermissionDenied, TransitionError
from portal.records.policies import can, check_edit, check_writer  # noqa: F401 - re-exported


def is_register_side(user) -> bool:
    """Whether the user's side is the one that publishes the register: Japan's, i.e. the
    side that is not the memorandum's partner country (the partner is data, DESIGN.md §1)."""
    organization = getattr(user, "organization", None)
    side = getattr(organization, "side", None)
    return side is not None and side.country != side.memorandum.partner_country


def check_import(user, obj=None) -> None:
    """Upload a workbook and apply it: the officers of Japan's side."""
    check_writer(user)
    if not is_register_side(user):
        raise PermissionDenied(
            _("Japan's side imports the register, as the Immigration Services Agency publishes it.")
        )


def check_apply(user, draft) -> None:
    """Apply a preview: its own organization, while a draft, when it changes something."""
    check_import(user)
    check_edit(user, draft)
    if draft.applied_at is not None:
        raise TransitionError(_("This import has been applied already."))
    if not draft.has_changes:
        raise TransitionError(_("This workbook changes nothing in the register: there is nothing to apply."))
