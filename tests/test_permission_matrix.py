"""Clause 3 at the core: who sees a confidential record, through every door — and who
may change one: every registered write action (``portal.testing.matrix``, declared in
``portal/testing/core_matrix.py`` and each app's ``testing.py``) × every role key."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal import services
from portal.models import Correspondence, Organization
from portal.testing import matrix
from portal.testing.matrix import ADMIN, BOTH_SIDES, MatrixTests, PermissionMatrix


class CorrespondenceMatrix(PermissionMatrix):
    situations = {
        "japan_draft": {"jp_contact"} | ADMIN,
        "tajik_draft": {"tj_contact"} | ADMIN,
        "tajik_shared": BOTH_SIDES | ADMIN,
        "tajik_shared_disclosed_to_embassy": BOTH_SIDES | {"embassy_viewer"} | ADMIN,
        "tajik_shared_consent_withdrawn": BOTH_SIDES | ADMIN,
        "tajik_shared_consent_expired": BOTH_SIDES | ADMIN,
    }
    html_list_url = "/correspondence/"
    api_list_url = "/api/v1/correspondence/"

    @staticmethod
    def html_detail_url(obj):
        return f"/correspondence/{obj.pk}/"

    @staticmethod
    def api_detail_url(obj):
        return f"/api/v1/correspondence/{obj.pk}/"

    def make(self, situation, cast):
        japan_cp = Organization.objects.get(code="jp-isa-rmd")
        tajik_cp = Organization.objects.get(code="tj-ms-lpsa")
        embassy = Organization.objects.get(code="tj-embassy-jp")
        if situation == "japan_draft":
            return services.draft_correspondence(
                cast["jp_contact"], recipient=tajik_cp, subject=situation, body="…"
            )
        letter = services.draft_correspondence(
            cast["tj_contact"], recipient=japan_cp, subject=situation, body="…"
        )
        if situation == "tajik_draft":
            return letter
        services.send_correspondence(letter, cast["tj_contact"])
        if situation == "tajik_shared":
            return letter
        consent = services.grant_consent(
            letter,
            cast["tj_contact"],
            third_party=embassy,
            document_reference="No. 12/34 of 2026-11-01",
            expires_at=timezone.now() + timedelta(days=30),
        )
        if situation == "tajik_shared_consent_withdrawn":
            services.withdraw_consent(consent, cast["tj_contact"])
        if situation == "tajik_shared_consent_expired":
            type(consent).objects.filter(pk=consent.pk).update(
                expires_at=timezone.now() - timedelta(seconds=1)
            )
            services.revoke_lapsed_consents()
        return Correspondence.objects.get(pk=letter.pk)


class TestCorrespondenceMatrix(MatrixTests):
    matrix = CorrespondenceMatrix()


# --- Writes ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The cast, signed-in clients and every action's state, built once for the module
    in a transaction rolled back at its end (as Django's ``setUpTestData``); each case
    runs in a savepoint rolled back to it."""
    with django_db_blocker.unblock(), matrix.open_world() as built:
        yield built


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role"), matrix.cases())
def test_write(world, action, role):
    matrix.run(world, action, role)


#: Each action a role may carry out, once (the 409 cases have no such role).
WRITES = [name for name, action in sorted(matrix.load_actions().items()) if matrix.writer_of(action)]


@pytest.mark.django_db
@pytest.mark.parametrize("action", WRITES)
def test_a_write_without_the_csrf_token_is_refused(world, action):
    matrix.run_forged(world, action)


@pytest.mark.django_db
@pytest.mark.parametrize("action", WRITES)
def test_a_get_writes_nothing(world, action):
    matrix.run_get(world, action)


@pytest.mark.django_db
def test_every_write_endpoint_is_in_the_matrix(world):
    """A new write view or API action fails here until its action is registered
    (``portal/testing/matrix.py`` says how) or, if it is not about a shared record,
    listed in ``matrix.OUTSIDE_THE_MATRIX``."""
    missing = matrix.write_endpoints() - matrix.covered_endpoints(world) - matrix.OUTSIDE_THE_MATRIX
    assert not missing, f"write endpoints no action of the matrix covers: {sorted(missing)}"
