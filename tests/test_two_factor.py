"""Sign-in with a second factor: required in production mode, relaxed in the embedded
demo; enrolment with a locally drawn QR code; recovery codes that work once; an
administrator's reset of a lost phone, audited. Changing the second factor itself needs
a verified session and a current code (issue 8)."""

import pytest
from django.test import Client
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
    client.post("/accounts/2fa/verify/", {"token": old[0]})
    page = client.post("/accounts/2fa/recovery-codes/", {"current_token": code_for(device)})
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


# --- Changing the second factor: a verified session and a current code (issue 8) ------


def signed_in_with_the_password(address: str = "192.0.2.40") -> Client:
    """A browser that signed in as jp-officer with the password only, CSRF enforced."""
    from portal.demo import DEMO_PASSWORD

    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=address)
    login_page = client.get("/accounts/login/")
    response = client.post(
        "/accounts/login/",
        {
            "username": "jp-officer",
            "password": DEMO_PASSWORD,
            "csrfmiddlewaretoken": login_page.context["csrf_token"],
        },
    )
    assert response.status_code == 302
    return client


def verified(client_for, codes, index: int = 0) -> Client:
    """jp-officer's session verified with a recovery code, so that the authenticator's
    current code is still unused for a step-up."""
    client = client_for("jp_officer")
    assert client.post("/accounts/2fa/verify/", {"token": codes[index]}).status_code == 302
    return client


def test_the_password_alone_cannot_take_over_the_second_factor(required, enrolled, cast):
    """The attack of issue 8: with the password only, ask for new recovery codes with the
    CSRF token of the verify page, verify with one of them, make a read-write token."""
    device, codes = enrolled
    attacker = signed_in_with_the_password()
    verify_page = attacker.get("/accounts/2fa/verify/")
    assert verify_page.status_code == 200
    csrf = verify_page.context["csrf_token"]

    response = attacker.post("/accounts/2fa/recovery-codes/", {"csrfmiddlewaretoken": csrf})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/verify/")
    assert "codes" not in (response.context or {})
    # Only the fixture's codes were ever issued.
    assert AuditEntry.objects.filter(action="auth.recovery_codes_generated").count() == 1
    token = {"name": "x", "read_only": "0", "days": 365, "csrfmiddlewaretoken": csrf}
    tokens = attacker.post("/accounts/tokens/", token)
    assert tokens.status_code == 302 and tokens["Location"].startswith("/accounts/2fa/verify/")
    # The owner's codes still work.
    owner = Client()
    owner.force_login(cast["jp_officer"])
    assert owner.post("/accounts/2fa/verify/", {"token": codes[5]}).status_code == 302
    assert twofactor.recovery_device(cast["jp_officer"]).token_set.count() == 9


def test_recovery_codes_need_a_verified_session(required, enrolled, client_for):
    device, codes = enrolled
    client = client_for("jp_officer")
    refused = client.post("/accounts/2fa/recovery-codes/", {"current_token": code_for(device)})
    assert refused.status_code == 302 and refused["Location"].startswith("/accounts/2fa/verify/")
    assert twofactor.recovery_device(device.user).token_set.count() == len(codes)
    assert not AuditEntry.objects.filter(action="auth.recovery_code_used").exists()


def test_recovery_codes_need_a_verified_session_even_where_the_middleware_lets_it_through(
    client_for, cast, settings
):
    """Defence in depth: in the demo the middleware asks only sessions that signed in
    enrolled; a session that signed in before the phone was enrolled (elsewhere) is
    still refused by the page itself."""
    assert settings.PORTAL_REQUIRE_2FA is False
    client = client_for("jp_officer")  # signed in with no device yet
    device = TOTPDevice.objects.create(user=cast["jp_officer"], name=twofactor.AUTHENTICATOR, confirmed=True)
    codes = twofactor.issue_recovery_codes(cast["jp_officer"])
    assert client.get("/").status_code == 200  # the middleware does not ask this session
    refused = client.post("/accounts/2fa/recovery-codes/", {"current_token": code_for(device)})
    assert refused.status_code == 302 and refused["Location"].startswith("/accounts/2fa/verify/")
    setup = client.get("/accounts/2fa/setup/")
    assert setup.status_code == 302 and setup["Location"].startswith("/accounts/2fa/verify/")
    token = client.post("/accounts/tokens/", {"name": "x", "read_only": "0", "days": 365})
    assert token.status_code == 302 and token["Location"].startswith("/accounts/2fa/verify/")
    stored = twofactor.recovery_device(cast["jp_officer"]).token_set.count()
    assert stored == len(codes)


def test_other_second_factor_pages_need_a_verified_session(required, enrolled, client_for):
    client = client_for("jp_officer")
    for method, url in [
        ("get", "/accounts/2fa/setup/"),
        ("post", "/accounts/2fa/setup/"),
        ("post", "/accounts/2fa/remove/"),
        ("get", "/accounts/security/"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/2fa/verify/"), url
    assert client.get("/accounts/2fa/verify/").status_code == 200


def test_new_recovery_codes_need_a_current_code(required, enrolled, client_for, cast):
    device, old = enrolled
    client = verified(client_for, old)
    missing = client.post("/accounts/2fa/recovery-codes/")
    assert missing.status_code == 400
    wrong = "000000" if code_for(device) != "000000" else "111111"
    refused = client.post("/accounts/2fa/recovery-codes/", {"current_token": wrong})
    assert refused.status_code == 400
    assert "That current code is not right" in refused.content.decode()
    assert "codes" not in refused.context
    failed = AuditEntry.objects.filter(action="auth.otp_failed", actor=cast["jp_officer"]).last()
    assert failed.after == {"step": "recovery-codes"}
    assert twofactor.recovery_device(device.user).token_set.count() == len(old) - 1

    device.refresh_from_db()
    device.throttle_reset()
    page = client.post("/accounts/2fa/recovery-codes/", {"current_token": code_for(device)})
    assert page.status_code == 200 and set(page.context["codes"]).isdisjoint(old)
    assert page["Cache-Control"] == "no-store"


def test_a_new_phone_needs_a_current_code(required, enrolled, client_for, cast):
    old_device, codes = enrolled
    client = verified(client_for, codes)
    page = client.get("/accounts/2fa/setup/")
    assert page.status_code == 200 and "current_token" in page.context["form"].fields
    new_device = TOTPDevice.objects.get(user=cast["jp_officer"], confirmed=False)
    wrong = "000000" if code_for(old_device) != "000000" else "111111"

    refused = client.post("/accounts/2fa/setup/", {"token": code_for(new_device), "current_token": wrong})
    assert refused.status_code == 400 and "current_token" in refused.context["form"].errors
    assert TOTPDevice.objects.filter(pk=old_device.pk, confirmed=True).exists()
    new_device.refresh_from_db()
    assert not new_device.confirmed
    assert AuditEntry.objects.filter(action="auth.otp_failed", after__step="enrolment").exists()

    # The next step's code of the new phone, and the old phone's current code.
    old_device.refresh_from_db()
    old_device.throttle_reset()
    done = client.post(
        "/accounts/2fa/setup/", {"token": code_for(new_device, 1), "current_token": code_for(old_device)}
    )
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    assert list(TOTPDevice.objects.filter(user=cast["jp_officer"]).values_list("pk", flat=True)) == [
        new_device.pk
    ]


def test_the_second_factor_is_removed_only_with_a_current_code(enrolled, client_for, cast, settings):
    assert settings.PORTAL_REQUIRE_2FA is False
    device, codes = enrolled
    client = verified(client_for, codes)  # signed in enrolled: the middleware asks this session
    wrong = "000000" if code_for(device) != "000000" else "111111"
    refused = client.post("/accounts/2fa/remove/", {"current_token": wrong})
    assert refused.status_code == 400 and "That current code is not right" in refused.content.decode()
    assert twofactor.authenticator(cast["jp_officer"]) is not None

    other = client_for("jp_officer")  # another session of the owner
    device.refresh_from_db()
    device.throttle_reset()
    removed = client.post("/accounts/2fa/remove/", {"current_token": code_for(device)})
    assert removed.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast["jp_officer"]).exists()
    assert not StaticDevice.objects.filter(user=cast["jp_officer"]).exists()
    entry = AuditEntry.objects.get(action="auth.otp_removed")
    assert entry.actor == cast["jp_officer"] and entry.after == {"other_sessions_ended": 1}
    assert client.get("/").status_code == 200  # signs in with the password alone from now on
    assert other.get("/")["Location"].startswith("/accounts/login/")


def test_the_second_factor_cannot_be_removed_where_it_is_required(required, enrolled, client_for, cast):
    device, codes = enrolled
    client = verified(client_for, codes)
    refused = client.post("/accounts/2fa/remove/", {"current_token": code_for(device)})
    assert refused.status_code == 403
    assert "enrol a new phone instead" in refused.content.decode()
    assert twofactor.authenticator(cast["jp_officer"]) is not None
    assert not AuditEntry.objects.filter(action="auth.otp_removed").exists()
