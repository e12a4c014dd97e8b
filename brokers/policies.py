"""Who may act on brokers and misconduct reports (``portal.records.policies`` for the
kit's own actions: edit, share, acknowledge, assign, attach, comment, consent). Pages
ask ``can(check, …)`` which buttons to show; the services ask the same functions."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.choices import RecordStatus
from portal.exceptions import InvalidInput, PermissionDenied, TransitionError
from portal.records.policies import (  # noqa: F401 - re-exported for the app's pages
    can,
    check_edit,
    check_share,
    check_writer,
    receiving_side_id,
    side_id,
)

from .choices import ReportStage


def check_file_report(user, obj=None) -> None:
    """Either side's officers who may write file reports and record brokers."""
    check_writer(user)


check_record_broker = check_file_report


def _check_either_side(user, record) -> None:
    check_writer(user)
    if side_id(user) not in (record.origin.side_id, receiving_side_id(record)):
        raise PermissionDenied(_("Only the two sides change this record."))


def check_add_name(user, broker) -> None:
    """A name or alias joins a draft from its own organization, or a shared broker from
    either side (each learns names the other does not know)."""
    if broker.status == RecordStatus.DRAFT:
        check_edit(user, broker)
        return
    _check_either_side(user, broker)
    if broker.status != RecordStatus.SHARED:
        raise TransitionError(_("Names are added to a draft or a shared broker."))
    if broker.merged_into_id is not None:
        raise TransitionError(
            _("This broker was merged into %(broker)s: add the name there.") % {"broker": broker.merged_into}
        )


def check_merge(user, source, target) -> None:
    """Two records of one broker become one: either side's officer who reads both, when
    both are shared (or both drafts of the officer's organization) and neither is
    merged already."""
    check_writer(user)
    if source.pk == target.pk:
        raise InvalidInput(_("A broker cannot be merged into itself: choose another record."))
    for broker in (source, target):
        if broker.merged_into_id is not None:
            raise TransitionError(
                _("%(broker)s was merged into another record already: merge into that one.")
                % {"broker": broker}
            )
        if broker.status == RecordStatus.WITHDRAWN:
            raise TransitionError(_("A withdrawn draft is not merged."))
    statuses = {source.status, target.status}
    if statuses == {RecordStatus.SHARED}:
        _check_either_side(user, source)
        _check_either_side(user, target)
        return
    if statuses == {RecordStatus.DRAFT}:
        check_edit(user, source)
        check_edit(user, target)
        return
    raise TransitionError(_("Share the draft first: a draft and a shared record are not merged."))


def check_link(user, report) -> None:
    """During follow-up either side links the report to sending agencies and
    investigations it concerns."""
    _check_either_side(user, report)
    if report.status != RecordStatus.SHARED or report.stage == ReportStage.CLOSED:
        raise TransitionError(_("Links are added to a shared report that is still open."))


def check_close(user, report) -> None:
    """The receiving side closes the report with what it did, once it has acknowledged it."""
    check_writer(user)
    if side_id(user) != receiving_side_id(report):
        raise PermissionDenied(_("The side that received the report closes it."))
    if report.status != RecordStatus.SHARED:
        raise TransitionError(_("Only a shared report is closed."))
    if report.stage == ReportStage.CLOSED:
        raise TransitionError(_("This report is closed already."))
    if report.acknowledged_at is None:
        raise TransitionError(_("Acknowledge the report before closing it."))


def identifiers_visible(user) -> bool:
    """Identifiers (corporate, taxpayer and passport numbers) are shown whole to the
    contact points of both sides alone; everyone else reads them masked."""
    if user.is_superuser:
        return False
    organization = getattr(user, "organization", None)
    return bool(
        organization is not None and organization.is_contact_point and not organization.is_third_party
    )
