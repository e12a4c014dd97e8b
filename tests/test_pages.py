"""The officer pages, the public shell, the error pages and the audit of refusals."""

import pytest
from django.utils import translation

from portal import services
from portal.models import AuditEntry, Correspondence, Organization

LANGUAGES = ["ja", "en", "ru", "tg"]


def _t(language, text):
    with translation.override(language):
        return translation.gettext(text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_index_speaks_each_language(client, db, language):
    response = client.get("/public/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert _t(language, "Published information") in html
    assert "https://" not in html.split("<body")[0]  # nothing loaded from elsewhere


def test_language_switcher_sets_the_language(client, db):
    response = client.post("/i18n/setlang/", {"language": "tg", "next": "/public/"})
    assert response.status_code == 302
    assert '<html lang="tg">' in client.get("/public/").content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_404_is_localized_and_says_nothing(client_for, cast, language):
    letter = services.draft_correspondence(
        cast["jp_contact"],
        recipient=Organization.objects.get(code="tj-ms-lpsa"),
        subject="SECRET-SUBJECT",
        body="x",
    )
    client = client_for("tj_officer")
    hidden = client.get(f"/correspondence/{letter.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    missing = client.get("/correspondence/999999/", HTTP_ACCEPT_LANGUAGE=language)
    assert hidden.status_code == missing.status_code == 404
    assert _t(language, "Not found") in hidden.content.decode()
    assert "SECRET-SUBJECT" not in hidden.content.decode()
    # Same page whether the record exists or not (apart from the per-request token).
    strip = lambda r: r.content.decode().split("csrfmiddlewaretoken")[0]  # noqa: E731
    assert strip(hidden) == strip(missing)


def test_refused_lookup_is_audited_with_request_id(client_for, cast):
    letter = services.draft_correspondence(
        cast["jp_contact"], recipient=Organization.objects.get(code="tj-ms-lpsa"), subject="S", body="x"
    )
    response = client_for("tj_officer").get(f"/correspondence/{letter.pk}/", HTTP_X_REQUEST_ID="req-123")
    assert response["X-Request-ID"] == "req-123"
    entry = AuditEntry.objects.get(action="authz.denied")
    assert entry.actor == cast["tj_officer"] and entry.object_id == str(letter.pk)
    assert entry.request_id == "req-123" and entry.ip == "127.0.0.1"


def test_superuser_reads_are_audited_like_anyone_s(client_for, cast):
    letter = services.draft_correspondence(
        cast["jp_contact"], recipient=Organization.objects.get(code="tj-ms-lpsa"), subject="S", body="x"
    )
    assert client_for("admin").get(f"/correspondence/{letter.pk}/").status_code == 200
    assert client_for("admin").get(f"/admin/portal/correspondence/{letter.pk}/change/").status_code == 200
    assert AuditEntry.objects.filter(action="record.read", actor=cast["admin"]).count() == 2


def test_sign_in_and_failures_are_audited(client, cast):
    assert client.post("/accounts/login/", {"username": "jp-officer", "password": "wrong"}).status_code == 200
    assert AuditEntry.objects.filter(action="auth.login_failed", actor_username="jp-officer").exists()
    from portal.demo import DEMO_PASSWORD

    assert (
        client.post("/accounts/login/", {"username": "jp-officer", "password": DEMO_PASSWORD}).status_code
        == 302
    )
    assert AuditEntry.objects.filter(action="auth.login", actor=cast["jp_officer"]).exists()


def test_officer_flow_in_the_browser_pages(client_for, cast, django_capture_on_commit_callbacks):
    tj = client_for("tj_contact")
    response = tj.post(
        "/correspondence/new/",
        {
            "recipient": Organization.objects.get(code="jp-isa-rmd").pk,
            "subject": "<script>alert(1)</script>",
            "body": "b",
        },
    )
    letter = Correspondence.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/correspondence/{letter.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        assert tj.post(f"/correspondence/{letter.pk}/send/").status_code == 302
    home = client_for("jp_contact").get("/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in home and "<script>alert(1)" not in home
    # Sending twice is refused with a message, not an error page.
    again = tj.post(f"/correspondence/{letter.pk}/send/", follow=True)
    assert again.status_code == 404  # the change permission is gone: nothing to act on


def test_password_change_is_audited(client_for, cast):
    from portal.demo import DEMO_PASSWORD

    client = client_for("jp_officer")
    response = client.post(
        "/accounts/password/",
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": "a-much-longer-pass-2026",
            "new_password2": "a-much-longer-pass-2026",
        },
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="auth.password_changed", actor=cast["jp_officer"]).exists()


@pytest.mark.parametrize(
    "url", ["/", "/inbox/", "/correspondence/", "/consents/", "/organizations/", "/memorandum/1/"]
)
def test_officer_pages_render_for_every_role(client_for, cast, url):
    for name in cast:
        assert client_for(name).get(url).status_code == 200, (name, url)


def test_list_page_query_count_does_not_grow_with_rows(client_for, cast, django_assert_max_num_queries):
    recipient = Organization.objects.get(code="jp-isa-rmd")
    for i in range(30):
        letter = services.draft_correspondence(
            cast["tj_contact"], recipient=recipient, subject=f"L{i}", body="x"
        )
        services.send_correspondence(letter, cast["tj_contact"])
    client = client_for("jp_contact")
    client.get("/correspondence/")  # warm the content-type cache
    # Session, user, organization; the page's count and rows; the inbox's unread count;
    # the menu's work count (one UNION) and the reader's side and memorandum, which the
    # home cards' rules read once a request; the recipients of the filter drop-down.
    with django_assert_max_num_queries(10):
        assert client.get("/correspondence/").status_code == 200


@pytest.mark.parametrize("language", LANGUAGES)
def test_403_and_500_pages_are_localized_and_plain(rf, db, language):
    from portal.views import errors

    request = rf.get("/")
    with translation.override(language):
        forbidden = errors.permission_denied(request, Exception("internal detail"))
        crashed = errors.server_error(request)
    assert forbidden.status_code == 403 and crashed.status_code == 500
    assert _t(language, "Not allowed") in forbidden.content.decode()
    assert _t(language, "Server error") in crashed.content.decode()
    assert f'lang="{language}"' in crashed.content.decode()
    for response in (forbidden, crashed):
        assert "internal detail" not in response.content.decode()
        assert "Traceback" not in response.content.decode()
