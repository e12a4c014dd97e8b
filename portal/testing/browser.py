"""Debian's chromium for the browser tests: one launch, one sign-in, one accessibility
check, shared by every journey (``pytest.mark.browser``)."""

from __future__ import annotations

import os
from contextlib import contextmanager

from portal.demo import DEMO_PASSWORD

from .services import CHROMIUM

#: The flags the workplace asks for (no sandbox in the container, nothing fetched).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: What axe-core checks: WCAG 2.0 and 2.1, levels A and AA.
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@contextmanager
def chromium():
    """A headless chromium. Playwright's sync API runs an event loop in this thread; the
    test's own ORM calls stay synchronous (``DJANGO_ALLOW_ASYNC_UNSAFE`` while it runs)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@contextmanager
def new_page(**context_options):
    """A page of a fresh browser context, in English unless told otherwise; the public
    lists' per-process cache is emptied before and after (the live server shares it)."""
    from portal.publication.reading import published_lists

    published_lists.clear()
    try:
        with chromium() as browser:
            context = browser.new_context(**{"locale": "en-US", **context_options})
            yield context.new_page()
    finally:
        published_lists.clear()


def sign_in(page, base: str, username: str, *, language: str | None = None) -> None:
    """The password alone: the test settings do not require the second factor (as the
    embedded demo; tests/test_two_factor.py covers it). ``language``: switch to it."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    if language and page.locator(f".lang-switcher button[value='{language}']").count():
        # A button per language; the current one is not a button.
        with page.expect_navigation():
            page.click(f".lang-switcher button[value='{language}']")
        page.wait_for_load_state()


def sign_out(page) -> None:
    page.click(".user-menu button[type=submit]")
    page.wait_for_load_state()


def no_accessibility_violations(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG_21_AA)
    assert results.response["passes"], "axe-core checked nothing"
    assert results.violations_count == 0, results.generate_report()
