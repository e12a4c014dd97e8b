"""Sign-in with a second factor: required in production mode, relaxed in the embedded
demo; enrolment with a locally drawn QR code; recovery codes that work once; an
administrator's reset of a lost phone, audited."""

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import AuditEntry
from portal.security import twofactor


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    """The code the phone shows now (``offset`` steps later for a second, fresh code)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def required(settings):
    settings.PORTAL_REQUIRE_2FA = True


@pytest.fixture
def enrolled(cast):
    """jp-officer with a confirmed authenticator and recovery codes."""
    user = cast["jp_officer"]
    device = TOTPDevice.objects.create(user=user, name=twofactor.AUTHENTICATOR, confirmed=True)
    codes = twofactor.issue_recovery_codes(user)
    return device, codes


@pytest.mark.parametrize(
    "username, url",
    [
        ("jp_officer", "/"),
        ("tj_analyst", "/correspondence/"),
        ("embassy_viewer", "/consents/"),
        ("admin", "/admin/"),
        ("jp_contact", "/audit/"),
    ],
)
def test_officer_pages_and_admin_require_the_second_factor_in_production_mode(
    required, client_for, username, url
):
    response = client_for(username).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/setup/?next=")


def test_api_with_an_unverified_session_is_refused(required, client_for):
    response = client_for("jp_officer").get("/api/v1/organizations/")
    assert response.status_code == 403 and response.json()["code"] == "second_factor_required"


def test_public_pages_and_sign_out_stay_open_before_the_second_factor(required, client_for):
    client = client_for("jp_officer")
    assert client.get("/public/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


def test_embedded_mode_signs_in_with_a_password_alone(client_for, settings):
    assert settings.PORTAL_REQUIRE_2FA is False
    assert client_for("jp_officer").get("/").status_code == 200


def test_enrolment_shows_a_local_qr_code_then_recovery_codes(required, client_for, cast):
    client = client_for("jp_officer")
    page = client.get("/accounts/2fa/setup/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html
    assert "chart.googleapis" not in html and "<img" not in html.split("<main")[1]
    device = TOTPDevice.objects.get(user=cast["jp_officer"], confirmed=False)

    wrong = "000000" if code_for(device) != "000000" else "111111"
    assert client.post("/accounts/2fa/setup/", {"token": wrong}).status_code == 400
    device.refresh_from_db()
    device.throttle_reset()  # the failure above throttles the device for a second
    done = client.post("/accounts/2fa/setup/", {"token": code_for(device), "next": "/inbox/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and all(code in done.content.decode() for code in codes)
    # Only a fingerprint of each code is stored.
    stored = set(StaticDevice.objects.get(user=cast["jp_officer"]).token_set.values_list("token", flat=True))
    assert not stored & {c.replace("-", "") for c in codes} and not stored & set(codes)
    assert client.get("/").status_code == 200  # this session is verified
    assert AuditEntry.objects.filter(action="auth.otp_enrolled", actor=cast["jp_officer"]).exists()


def test_sign_in_asks_for_the_code_and_accepts_it(required, enrolled, client_for, cast):
    device, _codes = enrolled
    client = client_for("jp_officer")
    response = client.get("/inbox/")
    assert response["Location"] == "/accounts/2fa/verify/?next=/inbox/"
    assert client.post("/accounts/2fa/verify/", {"token": "12345"}).status_code == 400
    # A failure throttles the device: even the right code is refused for a moment.
    assert client.post("/accounts/2fa/verify/", {"token": code_for(device, 1)}).status_code == 400
    device.refresh_from_db()
    device.throttle_reset()
    ok = client.post("/accounts/2fa/verify/", {"token": code_for(device, 1), "next": "/inbox/"})
    assert ok.status_code == 302 and ok["Location"] == "/inbox/"
    assert client.get("/inbox/").status_code == 200
    actions = list(AuditEntry.objects.filter(actor=cast["jp_officer"]).values_list("action", flat=True))
    assert "auth.otp_failed" in actions and "auth.otp_verified" in actions


def test_next_cannot_send_the_user_elsewhere(required, enrolled, client_for):
    device, _codes = enrolled
    client = client_for("jp_officer")
    ok = client.post("/accounts/2fa/verify/", {"token": code_for(device, 1), "next": "https://evil.example/"})
    assert ok["Location"] == "/"


def test_recovery_code_works_once(required, enrolled, client_for, cast):
    _device, codes = enrolled
    first = client_for("jp_officer")
    assert first.post("/accounts/2fa/verify/", {"token": codes[0].upper()}).status_code == 302
    assert first.get("/").status_code == 200
    second = client_for("jp_officer")
    refused = second.post("/accounts/2fa/verify/", {"token": codes[0]})
    assert refused.status_code == 400
    assert second.get("/")["Location"].startswith("/accounts/2fa/verify/")
    used = AuditEntry.objects.get(action="auth.recovery_code_used")
    assert used.after == {"remaining": 9}


def test_regenerated_recovery_codes_replace_the_old_ones(required, enrolled, client_for):
    device, old = enrolled
    client = client_for("jp_officer")
    client.post("/accounts/2fa/verify/", {"token": code_for(device, 1)})
    page = client.post("/accounts/2fa/recovery-codes/")
    new = page.context["codes"]
    assert page.status_code == 200 and set(new).isdisjoint(old)
    other = client_for("jp_officer")
    assert other.post("/accounts/2fa/verify/", {"token": old[1]}).status_code == 400
    twofactor.recovery_device(device.user).throttle_reset()
    assert other.post("/accounts/2fa/verify/", {"token": new[1]}).status_code == 302


def test_administrator_resets_a_lost_phone_with_an_audit_entry(enrolled, client_for, cast):
    officer = cast["jp_officer"]
    response = client_for("admin").post(
        "/admin/portal/user/", {"action": "reset_second_factor", "_selected_action": [officer.pk]}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticDevice.objects.filter(user=officer).exists()
    entry = AuditEntry.objects.get(action="auth.otp_reset")
    assert entry.actor == cast["admin"] and entry.object_id == str(officer.pk)


def test_an_enrolled_user_is_asked_for_the_code_even_in_the_demo(enrolled, client):
    from portal.demo import DEMO_PASSWORD

    response = client.post("/accounts/login/", {"username": "jp-officer", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/")["Location"].startswith("/accounts/2fa/verify/")


def test_otp_admin_pages_are_not_a_back_door(client_for):
    assert client_for("admin").get("/admin/otp_totp/totpdevice/").status_code == 404


def test_the_session_gets_a_new_key_when_the_second_factor_is_verified(required, enrolled, client_for):
    from django.conf import settings

    _device, codes = enrolled
    client = client_for("jp_officer")
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post("/accounts/2fa/verify/", {"token": codes[2]}).status_code == 302
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before
    assert client.get("/").status_code == 200
