"""Property: whatever officers attempt, in whatever order, an agency never reaches a
state the transition table does not allow, and its event log explains its status."""

import contextlib

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agencies.choices import AGENCY_TRANSITIONS, AgencyStatus
from agencies.testing import OPERATIONS, attempt, register
from portal.exceptions import InvalidInput, TransitionError


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
        transitions = [event for event in events if event.from_status != event.to_status]
        assert transitions[-1].public_reason  # details changed since keep the revocation's reason


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(st.sampled_from(OPERATIONS), min_size=1, max_size=12))
def test_no_sequence_of_attempts_reaches_an_illegal_state(cast, operations):
    officer = cast["tj_officer"]
    with transaction.atomic():
        agency = register(officer)
        for operation in operations:
            with contextlib.suppress(TransitionError, InvalidInput):  # a refusal is a valid outcome
                attempt(operation, agency, officer)
            check_invariants(agency)
        transaction.set_rollback(True)
