"""Failed sign-ins are throttled per username and per address (django-axes): a lockout
after LOGIN_FAILURE_LIMIT failures that says nothing about whether the account exists,
lifted by an administrator, audited."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from portal.demo import DEMO_PASSWORD
from portal.models import AuditEntry


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


def test_one_address_trying_many_usernames_is_locked_too(cast, settings):
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
