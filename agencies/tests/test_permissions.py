"""Clause 3 for the agencies app: every role × every view and endpoint × situation."""

import datetime as dt

import pytest
from django.utils import timezone

from agencies import services
from agencies.choices import RevocationReason
from agencies.testing import certified, register, screen
from portal import services as core
from portal.models import Organization
from portal.testing.matrix import ADMIN, BOTH_SIDES, TAJIKISTAN, MatrixTests, PermissionMatrix


class AgencyMatrix(PermissionMatrix):
    situations = {
        "application": TAJIKISTAN | ADMIN,
        "under_screening": TAJIKISTAN | ADMIN,
        "certified": BOTH_SIDES | ADMIN,
        "revoked": BOTH_SIDES | ADMIN,
    }
    html_list_url = "/agencies/"
    api_list_url = "/api/v1/agencies/"

    @staticmethod
    def html_detail_url(obj):
        return f"/agencies/{obj.pk}/"

    @staticmethod
    def api_detail_url(obj):
        return f"/api/v1/agencies/{obj.pk}/"

    def make(self, situation, cast):
        officer = cast["tj_officer"]
        if situation == "application":
            return register(officer)
        if situation == "under_screening":
            agency = register(officer)
            screen(agency, officer)
            return agency
        agency = certified(officer)
        if situation == "revoked":
            services.revoke(agency, officer, reason="x", public_reason=RevocationReason.OTHER)
        return agency


class TestAgencyMatrix(MatrixTests):
    matrix = AgencyMatrix()


class InvestigationMatrix(PermissionMatrix):
    situations = {
        "reported": BOTH_SIDES | ADMIN,
        "disclosed_to_embassy": BOTH_SIDES | {"embassy_viewer"} | ADMIN,
    }
    html_list_url = "/agencies/investigations/"
    api_list_url = "/api/v1/investigations/"

    @staticmethod
    def html_detail_url(obj):
        return f"/agencies/investigations/{obj.pk}/"

    @staticmethod
    def api_detail_url(obj):
        return f"/api/v1/investigations/{obj.pk}/"

    def make(self, situation, cast):
        agency = certified(cast["tj_officer"])
        investigation = services.report_for_investigation(
            cast["jp_officer"], agency, facts="…", due_on=timezone.localdate() + dt.timedelta(days=20)
        )
        if situation == "disclosed_to_embassy":
            # Japan's information: Japan's written consent lets the embassy read it.
            core.grant_consent(
                investigation,
                cast["jp_contact"],
                third_party=Organization.objects.get(code="tj-embassy-jp"),
                document_reference="MOJ letter 2026-123",
                expires_at=timezone.now() + dt.timedelta(days=10),
            )
        return investigation


class TestInvestigationMatrix(MatrixTests):
    matrix = InvestigationMatrix()


@pytest.mark.parametrize(
    ("username", "status"),
    [("tj_officer", 200), ("tj_analyst", 200), ("jp_contact", 404), ("embassy_viewer", 404), ("admin", 200)],
)
def test_screenings_stay_with_the_register(cast, client_for, username, status):
    agency = register(cast["tj_officer"])
    screening = screen(agency, cast["tj_officer"])
    client = client_for(username)
    assert client.get(f"/agencies/{agency.pk}/screenings/{screening.pk}/").status_code == status
    assert client.get(f"/api/v1/screenings/{screening.pk}/").status_code == status
    listed = {row["id"] for row in client.get("/api/v1/screenings/").json()["results"]}
    assert listed == ({screening.pk} if status == 200 else set())


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("tj_officer", 200),
        ("tj_contact", 200),
        ("tj_analyst", 403),
        ("jp_officer", 404),
        ("maff_viewer", 403),
    ],
)
def test_who_may_revoke_through_the_api(cast, client_for, username, status):
    agency = certified(cast["tj_officer"])
    response = client_for(username).post(
        f"/api/v1/agencies/{agency.pk}/revoke/",
        {"reason": "criteria", "public_reason": "criteria_not_met"},
        content_type="application/json",
    )
    assert response.status_code == status


def test_api_refuses_impossible_transitions_with_a_reason(cast, client_for):
    agency = register(cast["tj_officer"])
    client = client_for("tj_officer")
    response = client.post(
        f"/api/v1/agencies/{agency.pk}/revoke/",
        {"reason": "x", "public_reason": "other"},
        content_type="application/json",
    )
    assert response.status_code == 409 and "cannot become" in response.json()["detail"]
    screen(agency, cast["tj_officer"], failing={1})
    response = client.post(
        f"/api/v1/agencies/{agency.pk}/certify/",
        {"certification_number": "N-1", "certified_on": "2026-01-01", "valid_until": "2027-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 409 and "mandatory" in response.json()["detail"]
    certified(cast["tj_officer"], number="N-2")
    other = register(cast["tj_officer"])
    screen(other, cast["tj_officer"])
    response = client.post(
        f"/api/v1/agencies/{other.pk}/certify/",
        {"certification_number": "N-2", "certified_on": "2026-01-01", "valid_until": "2027-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "already in use" in response.json()["detail"]


def test_officer_pages_refuse_with_a_message_not_an_error(cast, client_for):
    agency = register(cast["tj_officer"])
    response = client_for("tj_officer").post(
        f"/agencies/{agency.pk}/revoke/",
        {"public_reason": "other", "reason": "x", "effective_on": "2026-12-01"},
    )
    assert response.status_code == 200
    assert "cannot become" in response.content.decode()


def test_full_api_flow(cast, client_for, django_capture_on_commit_callbacks):
    client = client_for("tj_officer")
    created = client.post(
        "/api/v1/agencies/",
        {
            "name_tg": "Ширкати API",
            "registration_number": "R-API",
            "region": "Sughd",
            "city": "Khujand",
            "sectors": ["construction"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    screening = client.post(f"/api/v1/agencies/{pk}/start-screening/")
    assert screening.status_code == 201
    results = [{"criterion": row["criterion"], "result": "met"} for row in screening.json()["results"]]
    assert (
        client.post(
            f"/api/v1/agencies/{pk}/screening/", {"results": results}, content_type="application/json"
        ).status_code
        == 200
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/agencies/{pk}/certify/",
            {"certification_number": "API-1", "certified_on": "2026-11-01", "valid_until": "2027-11-01"},
            content_type="application/json",
        )
    assert response.status_code == 200 and response.json()["status"] == "certified"
    events = client_for("jp_contact").get(f"/api/v1/agencies/{pk}/events/").json()
    certification = next(event for event in events if event["to_status"] == "certified")
    ack = client_for("jp_contact").post(f"/api/v1/agencies/{pk}/events/{certification['id']}/acknowledge/")
    assert ack.status_code == 200 and ack.json()["acknowledged_at"]
