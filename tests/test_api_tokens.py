"""Personal API tokens: shown once, stored as a SHA-256, expiring, revocable,
read-only unless asked, never in the audit or the logs."""

import hashlib
import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from portal.models import ApiToken, AuditEntry
from portal.security import tokens


def api(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {raw}")


def test_a_token_is_shown_once_and_stored_hashed(client_for, cast, caplog):
    caplog.set_level(logging.DEBUG)
    client = client_for("jp_contact")
    response = client.post("/accounts/tokens/", {"name": "ISA case system", "read_only": "1", "days": "30"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    raw = response.context["raw_token"]
    assert raw.startswith("moc_") and raw in response.content.decode()
    token = ApiToken.objects.get()
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest() and token.prefix == raw[:12]
    assert raw not in client.get("/accounts/tokens/").content.decode()
    assert api(raw).get("/api/v1/organizations/").status_code == 200
    # Neither the audit nor any log line holds the token.
    assert AuditEntry.objects.filter(action="token.created").exists()
    for entry in AuditEntry.objects.all():
        assert raw not in f"{entry.before} {entry.after} {entry.object_repr}"
    assert all(raw not in record.getMessage() for record in caplog.records)


def test_an_expired_token_is_refused(cast):
    token, raw = tokens.create(cast["jp_officer"], name="x", days=1)
    assert api(raw).get("/api/v1/organizations/").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = api(raw).get("/api/v1/organizations/")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Token")


def test_a_revoked_token_is_refused(client_for, cast):
    token, raw = tokens.create(cast["jp_officer"], name="x", days=10)
    client = client_for("jp_officer")
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert api(raw).get("/api/v1/organizations/").status_code == 401
    assert AuditEntry.objects.filter(action="token.revoked", actor=cast["jp_officer"]).exists()
    # Someone else's token cannot be revoked from here.
    other, _raw = tokens.create(cast["tj_officer"], name="y", days=10)
    assert client.post(f"/accounts/tokens/{other.pk}/revoke/").status_code == 404


def test_a_read_only_token_cannot_write(cast):
    _token, read_only = tokens.create(cast["tj_contact"], name="ro", read_only=True, days=5)
    _token, read_write = tokens.create(cast["tj_contact"], name="rw", read_only=False, days=5)
    letter = {"recipient": "jp-isa-rmd", "subject": "Token", "body": "B"}
    refused = api(read_only).post("/api/v1/correspondence/", letter, content_type="application/json")
    assert refused.status_code == 403 and "read-only" in refused.json()["detail"]
    assert (
        api(read_write).post("/api/v1/correspondence/", letter, content_type="application/json").status_code
        == 201
    )


def test_a_read_only_role_gets_no_read_write_token(client_for):
    response = client_for("jp_analyst").post(
        "/accounts/tokens/", {"name": "x", "read_only": "0", "days": "30"}
    )
    assert response.status_code == 400 and not ApiToken.objects.exists()


@pytest.mark.parametrize("days", ["0", "100000"])
def test_a_token_always_expires(client_for, days):
    response = client_for("jp_officer").post(
        "/accounts/tokens/", {"name": "x", "read_only": "1", "days": days}
    )
    assert response.status_code == 400 and not ApiToken.objects.exists()


def test_a_deactivated_user_s_token_is_refused(cast):
    _token, raw = tokens.create(cast["jp_officer"], name="x", days=10)
    cast["jp_officer"].is_active = False
    cast["jp_officer"].save()
    assert api(raw).get("/api/v1/organizations/").status_code == 401


def test_drf_authtoken_is_gone(settings):
    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS
