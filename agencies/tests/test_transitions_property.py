"""Property: whatever officers attempt, in whatever order, an agency never reaches a
state the transition table does not allow, and its event log explains its status."""

import contextlib
import datetime as dt
import itertools

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agencies import services
from agencies.choices import AGENCY_TRANSITIONS, AgencyStatus, CriterionResult, RevocationReason
from agencies.testing import register
from portal.exceptions import InvalidInput, TransitionError

OPERATIONS = ["screen_pass", "screen_fail", "certify", "reject", "revoke", "reapply", "expire", "record_pass"]
numbers = itertools.count(1)


def apply(operation: str, agency, officer) -> None:
    agency.refresh_from_db()
    if operation in {"screen_pass", "screen_fail"}:
        screening = services.start_screening(agency, officer)
        failing = operation == "screen_fail"
        services.record_screening(
            screening,
            officer,
            {
                row.criterion_id: (
                    CriterionResult.NOT_MET if failing and row.criterion.mandatory else CriterionResult.MET,
                    "",
                )
                for row in screening.results.select_related("criterion")
            },
        )
    elif operation == "record_pass":
        screening = agency.screenings.first()
        if screening is None:
            raise InvalidInput("no screening")
        services.record_screening(
            screening,
            officer,
            {row.criterion_id: (CriterionResult.MET, "") for row in screening.results.all()},
        )
    elif operation == "certify":
        services.certify(
            agency,
            officer,
            certification_number=f"P-{next(numbers)}",
            certified_on=dt.date(2026, 1, 1),
            valid_until=dt.date(2027, 1, 1),
        )
    elif operation == "reject":
        services.reject(agency, officer, reason="incomplete")
    elif operation == "revoke":
        services.revoke(agency, officer, reason="breach", public_reason=RevocationReason.CRITERIA_NOT_MET)
    elif operation == "reapply":
        services.reapply(agency, officer)
    elif operation == "expire":
        services.expire_certifications(dt.date(2027, 1, 2))


def check_invariants(agency) -> None:
    agency.refresh_from_db()
    assert agency.status in AgencyStatus.values
    events = list(agency.events.order_by("at", "id"))
    assert events[0].to_status == AgencyStatus.APPLICATION_RECEIVED
    for event in events[1:]:
        if event.from_status != event.to_status:  # a status change, not a details change
            assert event.to_status in AGENCY_TRANSITIONS[event.from_status], (
                event.from_status,
                event.to_status,
            )
    assert events[-1].to_status == agency.status
    if agency.status == AgencyStatus.CERTIFIED:
        assert agency.certification_number
        assert agency.screenings.first().failing_mandatory() == []
    if agency.status == AgencyStatus.REVOKED:
        assert events[-1].public_reason


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(st.sampled_from(OPERATIONS), min_size=1, max_size=12))
def test_no_sequence_of_attempts_reaches_an_illegal_state(cast, operations):
    officer = cast["tj_officer"]
    with transaction.atomic():
        agency = register(officer)
        for operation in operations:
            with contextlib.suppress(TransitionError, InvalidInput):  # a refusal is a valid outcome
                apply(operation, agency, officer)
            check_invariants(agency)
        transaction.set_rollback(True)
