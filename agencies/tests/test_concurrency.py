"""Two officers revoking the same agency at once yield one revocation (PostgreSQL's
row lock; SQLite serialises whole transactions anyway)."""

import threading

import pytest
from django.db import connection

from agencies import services
from agencies.choices import AgencyStatus, RevocationReason
from agencies.models import AgencyEvent, SendingAgency
from agencies.testing import certified
from portal.exceptions import TransitionError

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_officers_revoking_at_once_yield_one_revocation(cast):
    agency = certified(cast["tj_officer"])
    barrier = threading.Barrier(2)
    outcomes = []

    def revoke(officer):
        try:
            barrier.wait()
            services.revoke(
                SendingAgency.objects.get(pk=agency.pk),
                officer,
                reason="x",
                public_reason=RevocationReason.OTHER,
            )
            outcomes.append("revoked")
        except TransitionError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=revoke, args=(cast[name],)) for name in ("tj_officer", "tj_contact")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["refused", "revoked"]
    assert AgencyEvent.objects.filter(agency=agency, to_status=AgencyStatus.REVOKED).count() == 1
