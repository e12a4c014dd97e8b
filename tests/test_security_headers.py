"""The security headers on every kind of page: public, officer, API, API docs, admin,
sign-in and static files; no inline script allowed by the Content-Security-Policy."""

import pytest

from portal.security import tokens

PAGES = [
    ("public", None, "/public/"),
    ("sign-in", None, "/accounts/login/"),
    ("officer", "jp_officer", "/"),
    ("officer list", "tj_contact", "/correspondence/"),
    ("audit", "jp_contact", "/audit/"),
    ("API (session)", "jp_officer", "/api/v1/organizations/"),
    ("API docs", None, "/api/docs/"),
    ("API schema", None, "/api/schema/"),
    ("admin", "admin", "/admin/"),
    ("admin list", "admin", "/admin/portal/user/"),
    ("not found", "jp_officer", "/no-such-page/"),
]


def check_headers(response) -> None:
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("kind, username, url", PAGES, ids=[page[0] for page in PAGES])
def test_headers_on_every_page_type(client_for, kind, username, url):
    response = client_for(username).get(url)
    assert response.status_code in (200, 404), (kind, response.status_code)
    check_headers(response)


def test_headers_on_token_api_calls_and_static_files(cast, client):
    _token, raw = tokens.create(cast["jp_analyst"], name="x", days=1)
    check_headers(client.get("/api/v1/memoranda/", HTTP_AUTHORIZATION=f"Token {raw}"))
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff" and response["Permissions-Policy"]


def test_hsts_over_https_in_production_settings(client_for, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client_for(None).get("/public/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.parametrize(
    "url", ["/", "/public/", "/accounts/login/", "/audit/", "/accounts/security/", "/api/docs/"]
)
def test_no_inline_script_or_style_in_portal_pages(client_for, url):
    html = client_for("jp_contact").get(url).content.decode()
    assert "<script>" not in html and "<style" not in html and " style=" not in html
    assert " on" + "click=" not in html and "javascript:" not in html
