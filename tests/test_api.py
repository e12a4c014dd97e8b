"""The REST API: the same services, the same restrict(), clear refusals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal import services
from portal.models import Notification, Organization


@pytest.fixture
def api(client_for):
    return client_for


def test_create_send_and_refuse_a_second_send(api, cast, django_capture_on_commit_callbacks):
    client = api("tj_contact")
    response = client.post(
        "/api/v1/correspondence/",
        {"recipient": "jp-isa-rmd", "subject": "API", "body": "Hello"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["status"] == "draft" and response.json()["origin"] == "tj-ms-lpsa"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/api/v1/correspondence/{pk}/send/").status_code == 200
    again = client.post(f"/api/v1/correspondence/{pk}/send/")
    # The draft is no longer changeable by anyone: the change-permission lookup is a 404.
    assert again.status_code == 404
    inbox = api("jp_officer").get("/api/v1/notifications/").json()["results"]
    assert inbox == []  # jp-isa is not the addressee; the contact point is
    inbox = api("jp_contact").get("/api/v1/notifications/").json()["results"]
    assert [row["kind"] for row in inbox] == ["correspondence.received"]


def test_editing_a_shared_record_is_a_409_with_a_reason(api, cast):
    letter = services.draft_correspondence(
        cast["tj_contact"], recipient=Organization.objects.get(code="jp-isa-rmd"), subject="S", body="B"
    )
    services.send_correspondence(letter, cast["tj_contact"])
    client = api("tj_contact")
    response = client.post(
        f"/api/v1/correspondence/{letter.pk}/consent/",
        {
            "third_party": "tj-embassy-jp",
            "document_reference": "L-7",
            "expires_at": (timezone.now() - timedelta(days=1)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "expires_at" in response.json()
    draft = services.draft_correspondence(
        cast["tj_contact"], recipient=Organization.objects.get(code="jp-isa-rmd"), subject="Draft", body="B"
    )
    response = client.post(
        f"/api/v1/correspondence/{draft.pk}/consent/",
        {
            "third_party": "tj-embassy-jp",
            "document_reference": "L-7",
            "expires_at": (timezone.now() + timedelta(days=1)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed" and response.json()["detail"]


def test_recipient_on_the_same_side_is_a_400(api, cast):
    response = api("tj_contact").post(
        "/api/v1/correspondence/",
        {"recipient": "tj-mlme", "subject": "x", "body": "y"},
        content_type="application/json",
    )
    # A field error, as for any other wrong input (clause 2: the other side's contact point).
    assert (
        response.status_code == 400 and "contact point of the other side" in response.json()["recipient"][0]
    )


@pytest.mark.parametrize("username", ["jp_analyst", "tj_analyst", "embassy_viewer", "maff_viewer"])
def test_read_only_roles_cannot_post(api, username):
    response = api(username).post(
        "/api/v1/correspondence/",
        {"recipient": "jp-isa-rmd", "subject": "x", "body": "y"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_inbox_belongs_to_one_organization(api, cast, django_capture_on_commit_callbacks):
    letter = services.draft_correspondence(
        cast["tj_contact"], recipient=Organization.objects.get(code="jp-isa-rmd"), subject="S", body="B"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.send_correspondence(letter, cast["tj_contact"])
    notification = Notification.objects.get()
    for name in ["jp_officer", "tj_contact", "embassy_viewer", "admin"]:
        assert api(name).get(f"/api/v1/notifications/{notification.pk}/").status_code == 404, name
        assert api(name).get("/api/v1/notifications/").json()["results"] == [], name
    # Any member, the read-only analyst included, may mark their own inbox read.
    jp_contact = api("jp_contact")
    assert jp_contact.post(f"/api/v1/notifications/{notification.pk}/read/").json()["read_at"]


def test_openapi_schema_and_docs(api):
    schema = api(None).get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in [
        "/api/v1/correspondence/",
        "/api/v1/notifications/",
        "/api/v1/consents/",
        "/api/v1/memoranda/",
    ]:
        assert path in text
    docs = api(None).get("/api/docs/")
    assert docs.status_code == 200 and b"cdn" not in docs.content.lower()


def test_token_authentication(api, cast):
    from django.test import Client

    from portal.security import tokens

    _token, raw = tokens.create(cast["jp_analyst"], name="MHLW system", read_only=True, days=30)
    client = Client(HTTP_AUTHORIZATION=f"Token {raw}")
    assert client.get("/api/v1/organizations/").status_code == 200
    refused = Client(HTTP_AUTHORIZATION="Token nope").get("/api/v1/organizations/")
    assert refused.status_code == 401 and refused["WWW-Authenticate"].startswith("Token")


def test_a_service_refusal_is_a_403_with_its_reason(api, cast):
    from agencies.testing import certified

    agency = certified(cast["tj_officer"])
    event = agency.events.get(to_status="certified")
    response = api("tj_contact").post(f"/api/v1/agencies/{agency.pk}/events/{event.pk}/acknowledge/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert response.json()["detail"] != "You do not have permission to perform this action."
