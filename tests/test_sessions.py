"""Sessions end server-side: on sign-out, after the idle timeout and the absolute
lifetime, for the other sessions on a password change, and when their user ends them
from the list of their active sessions."""

import time

import pytest
from django.conf import settings
from django.test import Client

from portal.demo import DEMO_PASSWORD
from portal.models import AuditEntry, UserSession
from portal.security import sessions


def signed_in(username: str = "jp-officer", **extra) -> Client:
    client = Client(**extra)
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def test_a_replayed_session_cookie_after_sign_out_is_refused(cast):
    client = signed_in()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = replay.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not UserSession.objects.exists()


def _age(client: Client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = time.time() - seconds
    session.save()


@pytest.mark.parametrize(
    "key, seconds, reason",
    [
        (sessions.SEEN_AT, settings.SESSION_IDLE_TIMEOUT + 5, "idle"),
        (sessions.SIGNED_IN_AT, settings.SESSION_COOKIE_AGE + 5, "lifetime"),
    ],
)
def test_idle_timeout_and_absolute_lifetime(cast, key, seconds, reason):
    client = signed_in()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    _age(client, key, seconds)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    entry = AuditEntry.objects.get(action="auth.session_expired")
    assert entry.actor == cast["jp_officer"] and entry.after == {"reason": reason}
    # The server-side session is gone: the old cookie signs nobody in.
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert replay.get("/").status_code == 302


def test_activity_within_the_idle_timeout_keeps_the_session(cast):
    client = signed_in()
    _age(client, sessions.SEEN_AT, settings.SESSION_IDLE_TIMEOUT - 60)
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200


def test_a_password_change_ends_the_other_sessions(cast):
    here, there = signed_in(), signed_in()
    response = here.post(
        "/accounts/password/",
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": "a-new-long-passphrase-42",
            "new_password2": "a-new-long-passphrase-42",
        },
    )
    assert response.status_code == 302
    assert here.get("/").status_code == 200
    assert there.get("/").status_code == 302
    assert UserSession.objects.filter(user=cast["jp_officer"]).count() == 1
    assert UserSession.objects.get().session_key == here.session.session_key
    entry = AuditEntry.objects.get(action="auth.password_changed")
    assert entry.after == {"other_sessions_ended": 1}


def test_a_user_sees_and_ends_their_sessions(cast):
    laptop = signed_in(HTTP_USER_AGENT="Laptop browser")
    phone = signed_in(HTTP_USER_AGENT="Phone browser")
    signed_in("tj-officer")  # someone else's session is not listed
    page = laptop.get("/accounts/security/")
    html = page.content.decode()
    assert "Laptop browser" in html and "Phone browser" in html
    assert len(page.context["sessions"]) == 2
    row = UserSession.objects.get(user_agent="Phone browser")
    assert laptop.post(f"/accounts/sessions/{row.pk}/end/").status_code == 302
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 200
    assert AuditEntry.objects.filter(action="auth.session_ended", actor=cast["jp_officer"]).exists()
    # Another user's session cannot be ended from here.
    theirs = UserSession.objects.get(user=cast["tj_officer"])
    assert laptop.post(f"/accounts/sessions/{theirs.pk}/end/").status_code == 404


def test_production_cookies_are_secure_httponly_and_samesite():
    from tests.test_settings import PRODUCTION, manage

    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SECURE, s.PORTAL_REQUIRE_2FA)",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "Lax", "True", "True"]
