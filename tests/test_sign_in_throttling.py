"""Failed sign-ins are throttled per username at an address and per address
(django-axes), never per username alone: a lockout after LOGIN_FAILURE_LIMIT failures
that says nothing about whether the account exists, lifted by an administrator or by
the user with their second factor, audited."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.demo import DEMO_PASSWORD
from portal.models import AuditEntry
from portal.security import twofactor


def fail(client: Client, username: str, times: int):
    return [
        client.post("/accounts/login/", {"username": username, "password": "wrong-password"})
        for _ in range(times)
    ]


def test_lockout_after_the_limit_then_unlock_by_an_administrator(cast, client_for, settings):
    limit = settings.AXES_FAILURE_LIMIT
    client = Client(REMOTE_ADDR="192.0.2.10")
    responses = fail(client, "jp-officer", limit)
    assert [r.status_code for r in responses[:-1]] == [200] * (limit - 1)
    assert responses[-1].status_code == 429
    # Locked: even the right password is refused now.
    locked = client.post("/accounts/login/", {"username": "jp-officer", "password": DEMO_PASSWORD})
    assert locked.status_code == 429
    assert AuditEntry.objects.filter(action="auth.locked_out", actor_username="jp-officer").exists()
    assert AuditEntry.objects.filter(action="auth.login_failed", actor_username="jp-officer").count() >= limit

    admin = client_for("admin")
    assert admin.get("/admin/axes/accessattempt/").status_code == 200
    attempts = list(AccessAttempt.objects.values_list("pk", flat=True))
    response = admin.post("/admin/axes/accessattempt/", {"action": "unlock", "_selected_action": attempts})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    unlocked = AuditEntry.objects.get(action="auth.unlocked")
    assert unlocked.actor == cast["admin"] and unlocked.after["username"] == "jp-officer"
    ok = client.post("/accounts/login/", {"username": "jp-officer", "password": DEMO_PASSWORD})
    assert ok.status_code == 302


def _page(response) -> str:
    return response.content.decode().split("<main")[1].split("csrfmiddlewaretoken")[0]


def test_the_lockout_reveals_nothing_about_the_account(cast, settings):
    limit = settings.AXES_FAILURE_LIMIT
    existing = fail(Client(REMOTE_ADDR="192.0.2.11"), "jp-officer", limit)[-1]
    unknown = fail(Client(REMOTE_ADDR="192.0.2.12"), "no-such-user", limit)[-1]
    assert existing.status_code == unknown.status_code == 429
    assert _page(existing) == _page(unknown)
    assert "jp-officer" not in existing.content.decode()


def test_an_address_guessing_many_usernames_is_locked(cast, settings):
    client = Client(REMOTE_ADDR="192.0.2.13")
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": f"guess-{number}", "password": "x"})
    blocked = client.post("/accounts/login/", {"username": "jp-analyst", "password": DEMO_PASSWORD})
    assert blocked.status_code == 429
    # Another address signs in as that user normally.
    other = Client(REMOTE_ADDR="192.0.2.14")
    assert (
        other.post("/accounts/login/", {"username": "jp-analyst", "password": DEMO_PASSWORD}).status_code
        == 302
    )


@pytest.mark.parametrize("limit", [3])
def test_the_limit_is_configurable(cast, settings, limit):
    settings.AXES_FAILURE_LIMIT = limit
    responses = fail(Client(REMOTE_ADDR="192.0.2.15"), "tj-officer", limit)
    assert responses[-1].status_code == 429


def test_a_stranger_cannot_lock_out_the_contact_point_from_another_address(cast, settings):
    stranger = Client(REMOTE_ADDR="198.51.100.7")
    responses = fail(stranger, "jp-contact", settings.AXES_FAILURE_LIMIT * 3)
    assert responses[-1].status_code == 429  # the stranger's own address is locked
    contact = Client(REMOTE_ADDR="192.0.2.20")
    ok = contact.post("/accounts/login/", {"username": "jp-contact", "password": DEMO_PASSWORD})
    assert ok.status_code == 302


def test_a_username_at_one_address_is_locked(cast, settings):
    """The pair (username, address) counts its failures across browsers."""
    limit = settings.AXES_FAILURE_LIMIT
    for number in range(limit):
        Client(REMOTE_ADDR="192.0.2.21", HTTP_USER_AGENT=f"browser {number}").post(
            "/accounts/login/", {"username": "jp-analyst", "password": "wrong"}
        )
    again = Client(REMOTE_ADDR="192.0.2.21", HTTP_USER_AGENT="another browser")
    assert (
        again.post("/accounts/login/", {"username": "jp-analyst", "password": DEMO_PASSWORD}).status_code
        == 429
    )


# --- Lifting one's own lockout with the second factor ---------------------------------


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def enrolled(cast, settings):
    """Production mode; jp-officer with an authenticator and recovery codes."""
    settings.PORTAL_REQUIRE_2FA = True
    user = cast["jp_officer"]
    device = TOTPDevice.objects.create(user=user, name=twofactor.AUTHENTICATOR, confirmed=True)
    return device, twofactor.issue_recovery_codes(user)


def wrong_code(device) -> str:
    return "000000" if code_for(device) != "000000" else "111111"


def unlock(client: Client, username: str, password: str, token: str):
    return client.post("/accounts/unlock/", {"username": username, "password": password, "token": token})


def test_a_locked_out_user_unlocks_with_the_second_factor(enrolled, cast, settings):
    device, _codes = enrolled
    client = Client(REMOTE_ADDR="192.0.2.30")
    locked = fail(client, "jp-officer", settings.AXES_FAILURE_LIMIT)[-1]
    assert locked.status_code == 429 and 'href="/accounts/unlock/"' in locked.content.decode()
    assert client.get("/accounts/unlock/").status_code == 200

    response = unlock(client, "jp-officer", DEMO_PASSWORD, code_for(device))
    assert response.status_code == 302 and response["Location"] == "/"
    assert not AccessAttempt.objects.filter(ip_address="192.0.2.30").exists()
    assert client.get("/inbox/").status_code == 200  # signed in, second factor verified
    entry = AuditEntry.objects.get(action="auth.self_unlocked")
    assert entry.actor == cast["jp_officer"]
    assert entry.after == {
        "by": "second factor",
        "username": "jp-officer",
        "address": "192.0.2.30",
        "failures": settings.AXES_FAILURE_LIMIT,
    }
    # And the password signs in from that address again.
    fresh = Client(REMOTE_ADDR="192.0.2.30")
    assert (
        fresh.post("/accounts/login/", {"username": "jp-officer", "password": DEMO_PASSWORD}).status_code
        == 302
    )


def test_a_recovery_code_unlocks_too_and_the_locked_address_is_cleared(enrolled, cast, settings):
    _device, codes = enrolled
    client = Client(REMOTE_ADDR="192.0.2.31")
    for number in range(settings.AXES_FAILURE_LIMIT):  # someone else at the same address
        client.post("/accounts/login/", {"username": f"guess-{number}", "password": "x"})
    assert (
        client.post("/accounts/login/", {"username": "jp-officer", "password": DEMO_PASSWORD}).status_code
        == 429
    )
    rows = AccessAttempt.objects.filter(ip_address="192.0.2.31").count()  # the guesses, and jp-officer's
    assert rows == settings.AXES_FAILURE_LIMIT + 1
    response = unlock(Client(REMOTE_ADDR="192.0.2.31"), "jp-officer", DEMO_PASSWORD, codes[3])
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(ip_address="192.0.2.31").exists()
    assert AuditEntry.objects.filter(action="auth.self_unlocked").count() == rows
    assert AuditEntry.objects.get(action="auth.recovery_code_used").after == {
        "remaining": 9,
        "step": "unlock",
    }


def test_unlock_never_happens_on_a_wrong_factor(enrolled, cast, settings):
    device, codes = enrolled
    client = Client(REMOTE_ADDR="192.0.2.32")
    fail(client, "jp-officer", settings.AXES_FAILURE_LIMIT)
    before = AccessAttempt.objects.get(ip_address="192.0.2.32").failures_since_start

    wrong_factor = unlock(client, "jp-officer", DEMO_PASSWORD, wrong_code(device))
    assert wrong_factor.status_code == 400
    no_factor = unlock(client, "jp-officer", DEMO_PASSWORD, "")
    assert no_factor.status_code == 400
    wrong_password = unlock(client, "jp-officer", "wrong-password", code_for(device, 1))
    assert wrong_password.status_code == 400
    no_device = unlock(client, "tj-officer", DEMO_PASSWORD, code_for(device, 1))  # no second factor
    assert no_device.status_code == 400

    assert (
        AccessAttempt.objects.get(ip_address="192.0.2.32", username="jp-officer").failures_since_start
        >= before + 2
    )
    assert not AuditEntry.objects.filter(action="auth.self_unlocked").exists()
    assert "_auth_user_id" not in client.session
    failed = AuditEntry.objects.filter(action="auth.otp_failed", after__step="unlock")
    assert failed.filter(actor=cast["jp_officer"]).count() == 1  # the wrong code; not the wrong password
    assert failed.filter(actor=cast["tj_officer"]).count() == 1  # right password, no second factor


def test_a_stranger_cannot_use_up_the_owner_s_codes_from_the_unlock_page(enrolled, cast):
    """The second factor is checked only after the right password: wrong passwords
    neither throttle the owner's authenticator nor use a recovery code."""
    device, codes = enrolled
    stranger = Client(REMOTE_ADDR="198.51.100.8")
    assert unlock(stranger, "jp-officer", "guess", codes[0]).status_code == 400
    assert unlock(stranger, "jp-officer", "guess", wrong_code(device)).status_code == 400
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    assert twofactor.recovery_device(cast["jp_officer"]).token_set.count() == len(codes)


def _main(response, username: str) -> str:
    page = response.content.decode().split("<main")[1].split("</main>")[0]
    page = page.replace(username, "USERNAME")
    return "".join(line for line in page.splitlines() if "csrfmiddlewaretoken" not in line)


def test_unlock_page_says_the_same_for_unknown_users(enrolled, settings):
    device, _codes = enrolled
    known_wrong_password = unlock(Client(REMOTE_ADDR="192.0.2.33"), "jp-officer", "guess", "123456")
    known_wrong_code = unlock(
        Client(REMOTE_ADDR="192.0.2.34"), "jp-officer", DEMO_PASSWORD, wrong_code(device)
    )
    unknown = unlock(Client(REMOTE_ADDR="192.0.2.35"), "no-such-user", "guess", "123456")
    assert known_wrong_password.status_code == known_wrong_code.status_code == unknown.status_code == 400
    assert _main(known_wrong_password, "jp-officer") == _main(unknown, "no-such-user")
    assert _main(known_wrong_code, "jp-officer") == _main(unknown, "no-such-user")
    # Each counts as a failed sign-in at its address, known account or not.
    assert AccessAttempt.objects.filter(ip_address="192.0.2.35", username="no-such-user").exists()
    assert AccessAttempt.objects.filter(ip_address="192.0.2.34", username="jp-officer").exists()


def test_the_unlock_page_is_throttled_per_address(enrolled, settings):
    device, _codes = enrolled
    limit = settings.AXES_FAILURE_LIMIT
    client = Client(REMOTE_ADDR="198.51.100.9")
    answers = [unlock(client, "jp-officer", f"guess-{n}", "123456").status_code for n in range(2 * limit)]
    assert answers == [400] * (2 * limit)
    # Even the right password and code are refused from there now, for any username.
    assert unlock(client, "jp-officer", DEMO_PASSWORD, code_for(device)).status_code == 429
    assert unlock(client, "no-such-user", "guess", "123456").status_code == 429
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    # The owner, elsewhere, is not affected.
    owner = Client(REMOTE_ADDR="192.0.2.36")
    assert (
        owner.post("/accounts/login/", {"username": "jp-officer", "password": DEMO_PASSWORD}).status_code
        == 302
    )
