"""Who may act on fraud reports (``portal.records.policies`` for the kit's own actions:
edit, share, acknowledge, assign, attach, comment, consent). Pages ask ``can(check, …)``
which buttons to show; the services ask the same functions."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.choices import RecordStatus
from portal.exceptions import PermissionDenied, TransitionError
from portal.records.policies import (  # noqa: F401 - re-exported for the part's pages
    can,
    check_edit,
    check_share,
    check_withdraw,
    check_writer,
    receiving_side_id,
    side_id,
)

from ..choices import FraudStage


def check_report(user, obj=None) -> None:
    """Either side's writers (contact-point officers and officers) report fraud."""
    check_writer(user)


def check_link_brokers(user, report) -> None:
    """While the report is open, either side links more brokers to it."""
    check_writer(user)
    if side_id(user) not in (report.origin.side_id, receiving_side_id(report)):
        raise PermissionDenied(_("Only the two sides change this record."))
    if report.status != RecordStatus.SHARED or report.stage == FraudStage.CLOSED:
        raise TransitionError(_("Brokers are linked to a shared fraud report that is still open."))


def check_close(user, report) -> None:
    """The receiving side closes the report with what it did, once it has acknowledged it."""
    check_writer(user)
    if side_id(user) != receiving_side_id(report):
        raise PermissionDenied(_("The side that received the fraud report closes it."))
    if report.status != RecordStatus.SHARED:
        raise TransitionError(_("Only a shared fraud report is closed."))
    if report.stage == FraudStage.CLOSED:
        raise TransitionError(_("This fraud report is closed already."))
    if report.acknowledged_at is None:
        raise TransitionError(_("Acknowledge the fraud report before closing it."))
