"""In Debian's chromium, a letter answered in its thread (issue 10, item 3; clause 2):
Tajikistan's contact point writes to Japan's (the only recipient offered) and sends it;
Japan's contact point opens the inbox item, which names the letter by its reference,
answers from the letter's page, and sends the reply; Tajikistan's contact point finds
the reply in the thread of its letter, in Tajik. axe-core finds no WCAG 2.1 A/AA
violation on any page visited."""

from __future__ import annotations

import time

import pytest

from portal import outbox
from portal.testing import browser
from portal.testing.browser import new_page, no_accessibility_violations, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBJECT = "Deposits collected by brokers in Khujand"
QUESTION = "Three workers report a deposit of USD 1,500. Do you have the brokers' names?"
ANSWER = "Yes: two of them are in our broker registry; their references follow."


def sign_in(page, base: str, username: str, language: str) -> None:
    """Sign in, then choose ``language`` with the switcher's button for it."""
    browser.sign_in(page, base, username)
    button = page.locator(f".lang-switcher button[value={language}]")
    if button.count():
        button.click()
        page.wait_for_load_state()


def test_a_letter_is_answered_in_its_thread(live_server, cast):
    from portal.models import Correspondence, Notification

    started = time.monotonic()
    base = live_server.url
    with new_page() as page:
        # Tajikistan's contact point writes to Japan's: no other recipient is offered.
        sign_in(page, base, "tj-contact", "en")
        page.goto(f"{base}/correspondence/new/")
        options = page.locator("#id_recipient option")
        assert options.count() == 1 and "Residence Management Division" in options.inner_text()
        no_accessibility_violations(page)
        page.fill("#id_subject", SUBJECT)
        page.fill("#id_body", QUESTION)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        letter = Correspondence.objects.get(subject=SUBJECT)
        assert page.url == f"{base}/correspondence/{letter.pk}/"
        no_accessibility_violations(page)
        page.click(f"form[action='/correspondence/{letter.pk}/send/'] button")
        page.wait_for_url(f"{base}/correspondence/{letter.pk}/")
        letter.refresh_from_db()
        assert letter.status == "shared" and letter.reference in page.locator("main").inner_text()
        sign_out(page)
        outbox.drain()  # the inbox item, whether or not the commit's kick ran it

        # Japan's contact point: the inbox item names the letter; it leads to the letter.
        item = Notification.objects.get(kind="correspondence.received", url=letter.get_absolute_url())
        sign_in(page, base, "jp-contact", "en")
        page.goto(f"{base}/inbox/")
        link = page.locator(f"a[href='/inbox/{item.pk}/open/']")
        assert letter.reference in link.inner_text() and SUBJECT in link.inner_text()
        no_accessibility_violations(page)
        link.click()
        page.wait_for_url(f"{base}/correspondence/{letter.pk}/")
        no_accessibility_violations(page)
        page.click(f"a[href='/correspondence/{letter.pk}/reply/']")
        page.wait_for_url(f"{base}/correspondence/{letter.pk}/reply/")
        assert page.input_value("#id_subject") == f"Re: {SUBJECT}"
        no_accessibility_violations(page)
        page.fill("#id_body", ANSWER)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        reply = Correspondence.objects.get(in_reply_to=letter)
        assert page.url == f"{base}/correspondence/{reply.pk}/"
        page.click(f"form[action='/correspondence/{reply.pk}/send/'] button")
        page.wait_for_url(f"{base}/correspondence/{reply.pk}/")
        thread = page.locator("section[aria-labelledby=thread-heading]")
        assert letter.reference in thread.inner_text() and reply.reference in thread.inner_text()
        no_accessibility_violations(page)
        sign_out(page)
        outbox.drain()

        # Tajikistan's contact point, in Tajik: the reply is in the thread of its letter.
        reply.refresh_from_db()
        assert reply.status == "shared" and reply.thread_root_id == letter.pk
        sign_in(page, base, "tj-contact", "tg")
        page.goto(f"{base}/correspondence/{letter.pk}/")
        thread = page.locator("section[aria-labelledby=thread-heading]")
        rows = thread.locator("tbody tr")
        assert rows.count() == 2
        assert letter.reference in rows.nth(0).inner_text() and reply.reference in rows.nth(1).inner_text()
        assert "Занҷираи мактубҳо" in thread.inner_text()
        no_accessibility_violations(page)
        thread.locator(f"a[href='/correspondence/{reply.pk}/']").click()
        page.wait_for_url(f"{base}/correspondence/{reply.pk}/")
        assert ANSWER in page.locator("main").inner_text()
        no_accessibility_violations(page)
        page.goto(f"{base}/correspondence/")
        listing = page.locator("main").inner_text()
        assert letter.reference in listing and reply.reference in listing
        no_accessibility_violations(page)
    assert time.monotonic() - started < 120
