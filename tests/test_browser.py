"""A journey in Debian's chromium: each demo role signs in, sees its home in Japanese
and in Tajik, and signs out."""

import pytest
from django.utils import translation

from portal.demo import DEMO_PASSWORD, DEMO_USERS
from portal.testing.browser import chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def _in(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


@pytest.mark.parametrize("username", [row[0] for row in DEMO_USERS])
def test_each_role_signs_in_sees_home_in_japanese_and_tajik_and_signs_out(
    username, browser, live_server, cast
):
    page = browser.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        assert page.locator(".user-menu").is_visible()

        for language in ("ja", "tg"):
            with page.expect_navigation():  # one button per language, in its own script
                page.click(f".lang-switcher button[value={language}]")
            assert page.locator("html").get_attribute("lang") == language
            nav = page.locator(".site-header__nav").inner_text()
            assert _in(language, "Inbox") in nav
            assert _in(language, "Inbox") != "Inbox"  # a real translation, not the English fallback
            title = page.locator("h1").inner_text()
            assert title.strip()

        page.click(".user-menu button[type=submit]")
        page.wait_for_url(f"{live_server.url}/public/")
        assert page.locator(".user-menu").count() == 0
        # Signed out: the officer home sends the visitor to sign in.
        page.goto(f"{live_server.url}/")
        assert "/accounts/login/" in page.url
    finally:
        page.close()
