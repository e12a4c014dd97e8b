"""Who may request, answer, complete and cancel cooperation requests (5, first
paragraph); ``portal.records.policies`` for the kit's own actions (acknowledge, assign,
attach, comment, consent). Pages ask ``can(check, …)`` which buttons to show; the
services ask the same functions.

Japan's side (the side that is not the memorandum's partner country) requests, for a
Japanese relevant ministry; the partner side's writers (its contact point and officers,
the officer it assigned among them) answer and record the completion; the requesting
side's writers cancel while the request is open."""

from __future__ import annotations

from django.utils.translation import gettext as _

from notices.register.policies import is_register_side
from portal.choices import RecordStatus
from portal.exceptions import PermissionDenied, TransitionError
from portal.records.policies import can, check_writer, receiving_side_id, side_id  # noqa: F401

from ..choices import Capability, CooperationStage


def is_requesting_side(user) -> bool:
    """Japan's side: the one whose relevant ministries conduct the tests (the side that
    is not the memorandum's partner country)."""
    return is_register_side(user)


def check_request(user, obj=None) -> None:
    """The writers of Japan's side request cooperation."""
    check_writer(user)
    if not is_requesting_side(user):
        raise PermissionDenied(
            _(
                "Cooperation in the tests is requested by Japan's side, for the Japanese ministry that conducts them."
            )
        )


def _check_partner_writer(user, record) -> None:
    check_writer(user)
    if side_id(user) != receiving_side_id(record):
        raise PermissionDenied(
            _("Only the side asked to cooperate answers the request and records its completion.")
        )
    if record.status != RecordStatus.SHARED:
        raise TransitionError(_("Only a cooperation request shared with your side is answered."))


def check_answer(user, record) -> None:
    """The partner side's writers answer what they can do, once."""
    _check_partner_writer(user, record)
    if record.stage != CooperationStage.REQUESTED:
        raise TransitionError(
            _("This cooperation request is “%(stage)s”: it cannot be answered again.")
            % {"stage": record.get_stage_display()}
        )


def check_complete(user, record) -> None:
    """The partner side's writers record what was done, once they answered that they can
    cooperate (fully or in part)."""
    _check_partner_writer(user, record)
    if record.stage != CooperationStage.ANSWERED:
        raise TransitionError(
            _("Only an answered cooperation request is completed; this one is “%(stage)s”.")
            % {"stage": record.get_stage_display()}
        )
    if record.capability == Capability.NONE:
        raise TransitionError(
            _("The answer was that the side cannot cooperate: there is nothing to complete.")
        )


def check_cancel(user, record) -> None:
    """The requesting side's writers cancel the request while it is open."""
    check_writer(user)
    if side_id(user) != record.origin.side_id:
        raise PermissionDenied(_("Only the side that requested the cooperation cancels it."))
    if record.stage not in (CooperationStage.REQUESTED, CooperationStage.ANSWERED):
        raise TransitionError(
            _("This cooperation request is “%(stage)s”: it can no longer be cancelled.")
            % {"stage": record.get_stage_display()}
        )
