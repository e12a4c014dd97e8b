"""Under the Content-Security-Policy, in Debian's chromium: Swagger UI still renders,
the admin and the security pages load, and the browser reports no violation."""

import pytest

from portal.testing.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

from tests.test_browser import browser  # noqa: E402,F401,F811 - the shared chromium fixture


def violations(page) -> list[str]:
    messages: list[str] = []
    page.on(
        "console",
        lambda message: messages.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return messages


def test_swagger_ui_renders_under_the_policy(browser, live_server, cast):  # noqa: F811
    page = browser.new_page()
    try:
        seen = violations(page)
        page.goto(f"{live_server.url}/api/docs/")
        page.wait_for_selector(".swagger-ui .info .title", timeout=20000)
        assert "MOC Portal API" in page.locator(".swagger-ui .info .title").inner_text()
        assert page.locator(".opblock").count() > 0
        assert seen == []
    finally:
        page.close()


def test_admin_and_security_pages_load_without_violations(browser, live_server, cast):  # noqa: F811
    page = browser.new_page()
    try:
        seen = violations(page)
        sign_in(page, live_server.url, "admin")
        for path in [
            "/admin/",
            "/admin/portal/user/",
            "/admin/portal/user/add/",
            "/accounts/security/",
            "/accounts/2fa/setup/",
            "/audit/",
        ]:
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state()
        page.goto(f"{live_server.url}/accounts/2fa/setup/")
        assert page.locator(".qr-code svg").is_visible()
        assert seen == []
    finally:
        page.close()
