"""Issue 10, "Tests": a day's work of each role, in Debian's chromium, from the home page.

Each journey signs in, starts at home (the work queue), reaches its work from the queue
and does it; acting on the thing an inbox item is about resolves the item (it is never
opened), and the queue no longer lists the work. Each runs in one of the four languages
(the page's ``lang`` says so) and axe-core finds no WCAG 2.1 A/AA violation on any page
it visits. The data is built with the services, as the other side's officers would.

- Tajikistan's officer (ru): an application awaiting screening; screened and certified.
- Tajikistan's contact point (tg): Japan's reports awaiting acknowledgement; one
  acknowledged, the count drops by one.
- Japan's contact point (ja): a certification awaiting Japan's acknowledgement.
- A third party (en): what was disclosed to it with a written consent, and nothing else.

A letter answered in a thread is tests/test_letters_journey.py's."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies import services as agency_services
from agencies.choices import AgencyStatus
from agencies.models import AgencyEvent, Investigation
from agencies.testing import certified, register
from portal import outbox
from portal.models import Notification
from portal.records import services as kit
from portal.testing import browser
from portal.testing.browser import new_page, no_accessibility_violations

pytestmark = [pytest.mark.postgres]

#: A guard against a journey that hangs or renders on the request path, not a benchmark:
#: the four take well under a minute together, more on a machine busy with other suites.
SECONDS = 60


# --- Data, through the services ----------------------------------------------------------


def reported(cast, agency=None, facts: str = "Workers report a deposit of USD 2,000.") -> Investigation:
    """Japan's officer reports a certified agency for investigation (7(3)). A
    certification publishes both lists (the slow part of building the data): the
    journeys' reports share one agency."""
    return agency_services.report_for_investigation(
        cast["jp_officer"],
        agency or certified(cast["tj_officer"]),
        facts=facts,
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )


def unread(user, url: str = "", kind: str = ""):
    items = Notification.objects.filter(organization=user.organization, read_at__isnull=True)
    if url:
        items = items.filter(url=url)
    if kind:
        items = items.filter(kind=kind)
    return items


# --- In the browser ----------------------------------------------------------------------


def begin(page, base: str, username: str, language: str) -> None:
    """Sign in, switch to ``language``; the home page is in it and passes axe."""
    browser.sign_in(page, base, username)
    assert page.url == f"{base}/"
    # A button per language (none for the current one), or a drop-down and its button.
    switcher = page.locator(".lang-switcher")
    choose = switcher.locator(f"button[value='{language}']")
    if switcher.locator("select").count():
        switcher.locator("select").select_option(language)
        choose = switcher.locator("button[type=submit]")
    if choose.count():
        with page.expect_navigation():
            choose.click()
    assert page.url == f"{base}/"
    visit(page, language)


def visit(page, language: str) -> None:
    """Every page a journey reaches: in its language, no WCAG 2.1 A/AA violation."""
    assert page.locator("html").get_attribute("lang") == language, page.url
    no_accessibility_violations(page)


def go_home(page, base: str, language: str) -> None:
    page.click(".site-nav a[href='/']")
    page.wait_for_url(f"{base}/")
    visit(page, language)


def card(page, heading_id: str):
    """A home card, by the id of its heading."""
    return page.locator(f"section[aria-labelledby='{heading_id}']")


def links(queue) -> list[str]:
    """Where a card's rows lead, in order."""
    return [row.get_attribute("href") for row in queue.locator(".queue__item a").all()]


def count(page, href: str) -> int:
    """The number on a navigation entry (the inbox's unread items, the home's things to
    act on); it shows none for nothing."""
    badge = page.locator(f".site-nav a[href='{href}'] .badge")
    if not badge.count():
        return 0
    return int(re.match(r"\s*(\d+)", badge.inner_text()).group(1))


@pytest.fixture
def page(live_server):
    with new_page() as page:
        yield page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_tajik_officer_screens_an_application_from_the_queue(page, live_server, cast):
    """ru. Home lists the application awaiting screening; the officer follows it to the
    agency, starts the screening, records every criterion as met on the screening page
    and certifies; the queue no longer lists it."""
    started = time.monotonic()
    base, language = live_server.url, "ru"
    application = register(cast["tj_officer"], name_en="Queue Agency LLC")
    other = register(cast["tj_officer"], name_en="Another Agency LLC")
    agency_url = application.get_absolute_url()

    begin(page, base, "tj-officer", language)
    queue = card(page, "card-agency-screening")
    assert sorted(links(queue)) == sorted([agency_url, other.get_absolute_url()])
    work = count(page, "/")  # the navigation counts the queue
    assert work >= 2

    queue.locator(f"a[href='{agency_url}']").click()
    page.wait_for_url(f"{base}{agency_url}")
    visit(page, language)
    page.click(f"form[action$='/{application.pk}/screening/start/'] button[type=submit]")
    screening = application.screenings.get()
    page.wait_for_url(f"{base}{screening.get_absolute_url()}")  # straight to the screening page
    visit(page, language)
    # A result per criterion, as radio buttons or a drop-down: every one "met".
    met = page.locator("main input[type=radio][name^='result_'][value='met']")
    if met.count():
        for index in range(met.count()):
            met.nth(index).check()
    else:
        met = page.locator("main select[name^='result_']")
        for index in range(met.count()):
            met.nth(index).select_option("met")
    assert met.count() == screening.results.count() > 0
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_url(f"{base}{agency_url}")
    visit(page, language)
    assert not screening.failing_mandatory()

    page.click(f"main a[href$='/{application.pk}/certify/']")
    page.wait_for_url(re.compile(r".*/certify/$"))
    visit(page, language)
    today = timezone.localdate()
    page.fill("#id_certification_number", "TJ-SSW-JOURNEY-1")
    page.fill("#id_certified_on", today.isoformat())
    page.fill("#id_valid_until", (today + dt.timedelta(days=365)).isoformat())
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_url(f"{base}{agency_url}")
    visit(page, language)
    application.refresh_from_db()
    assert application.status == AgencyStatus.CERTIFIED
    assert application.certification_number == "TJ-SSW-JOURNEY-1"

    go_home(page, base, language)
    assert links(card(page, "card-agency-screening")) == [other.get_absolute_url()]
    assert count(page, "/") == work - 1
    assert time.monotonic() - started < SECONDS


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_tajik_contact_point_acknowledges_a_report_from_the_queue(page, live_server, cast):
    """tg. Two of Japan's reports await acknowledgement; the contact point follows one
    from the queue and acknowledges it: its inbox item is resolved (never opened), the
    queue and the navigation's count drop by one, the other report stays."""
    started = time.monotonic()
    base, language = live_server.url, "tg"
    first = reported(cast)
    second = reported(cast, first.agency)
    url = first.get_absolute_url()
    contact = cast["tj_contact"]
    assert unread(contact, url, "investigation.reported").count() == 1
    before = unread(contact).count()

    begin(page, base, "tj-contact", language)
    queue = card(page, "card-awaiting")
    assert links(queue) == [url, second.get_absolute_url()]
    assert first.reference in queue.inner_text() and second.reference in queue.inner_text()
    assert count(page, "/inbox/") == before
    work = count(page, "/")
    assert work >= 2

    queue.locator(f"a[href='{url}']").click()
    page.wait_for_url(f"{base}{url}")
    visit(page, language)
    page.click("form[action$='/acknowledge/'] button[type=submit]")
    page.wait_for_url(f"{base}{url}")
    visit(page, language)
    first.refresh_from_db()
    assert first.acknowledged_by == contact

    item = Notification.objects.get(organization=contact.organization, url=url, kind="investigation.reported")
    assert item.read_by == contact and item.read_at is not None
    assert unread(contact, second.get_absolute_url(), "investigation.reported").count() == 1

    go_home(page, base, language)
    assert links(card(page, "card-awaiting")) == [second.get_absolute_url()]
    assert count(page, "/inbox/") == before - 1 == unread(contact).count()
    assert count(page, "/") == work - 1

    page.click(".site-nav a[href='/inbox/']")
    page.wait_for_url(f"{base}/inbox/")
    visit(page, language)
    assert page.locator(".inbox__item--unread").count() == before - 1
    assert time.monotonic() - started < SECONDS


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_japan_contact_point_acknowledges_a_certification_from_the_queue(page, live_server, cast):
    """ja. Tajikistan certified an agency; Japan's contact point follows it from the
    queue and acknowledges receipt on the agency's page: the inbox item that asked for it
    is resolved and the home card no longer lists it."""
    started = time.monotonic()
    base, language = live_server.url, "ja"
    agency = certified(cast["tj_officer"], name_en="Certified Journey LLC", name_ja="認定ジャーニー")
    event = AgencyEvent.objects.get(agency=agency, to_status=AgencyStatus.CERTIFIED)
    url = agency.get_absolute_url()
    contact = cast["jp_contact"]
    assert unread(contact, url, "agency.certified").count() == 1
    before = unread(contact).count()

    begin(page, base, "jp-contact", language)
    queue = card(page, "card-agency-acknowledge")
    assert links(queue) == [url]
    assert agency.certification_number in queue.inner_text()
    assert count(page, "/inbox/") == before
    work = count(page, "/")
    assert work >= 1

    queue.locator(f"a[href='{url}']").click()
    page.wait_for_url(f"{base}{url}")
    visit(page, language)
    page.click(f"form[action$='/events/{event.pk}/acknowledge/'] button[type=submit]")
    page.wait_for_url(f"{base}{url}")
    visit(page, language)
    event.refresh_from_db()
    assert event.acknowledged_by == contact

    item = Notification.objects.get(organization=contact.organization, url=url, kind="agency.certified")
    assert item.read_by == contact and item.read_at is not None

    go_home(page, base, language)
    assert links(card(page, "card-agency-acknowledge")) == []
    assert count(page, "/inbox/") == before - 1
    assert count(page, "/") == work - 1
    assert time.monotonic() - started < SECONDS


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_third_party_sees_what_was_disclosed_and_nothing_else(page, live_server, cast):
    """en. Japan consented in writing to disclose its report to the embassy: the
    embassy's home lists that record alone, it follows it and reads Japan's facts; no
    other record, no officer menu, no entry of the agencies' registers."""
    started = time.monotonic()
    base, language = live_server.url, "en"
    disclosed = reported(cast, facts="Disclosed facts.")
    hidden = reported(cast, disclosed.agency, facts="Undisclosed facts.")
    embassy = cast["embassy_viewer"].organization
    kit.grant_consent(
        disclosed,
        cast["jp_contact"],
        third_party=embassy,
        document_reference="WC-JOURNEY-1",
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    url = disclosed.get_absolute_url()

    begin(page, base, "embassy-viewer", language)
    main = page.locator("main")
    assert [a.get_attribute("href") for a in main.locator("a[href^='/agencies/']").all()] == [url]
    assert disclosed.reference in main.inner_text()
    assert hidden.reference not in page.content()
    assert page.locator("#card-awaiting, #card-assigned, #card-due, #card-drafts, #home-inbox").count() == 0

    def officer_menus() -> list[str]:
        menu = page.locator(".site-nav a")
        offered = [menu.nth(i).get_attribute("href") for i in range(menu.count())]
        return [
            href for href in offered if href.startswith(("/agencies", "/correspondence", "/organizations"))
        ]

    assert officer_menus() == []
    assert count(page, "/") == 0  # nothing to act on: it reads

    main.locator(f"a[href='{url}']").click()
    page.wait_for_url(f"{base}{url}")
    visit(page, language)
    text = page.locator("main").inner_text()
    assert "Disclosed facts." in text and disclosed.reference in text
    assert "Undisclosed facts." not in page.content() and hidden.reference not in page.content()
    assert page.locator("form[action$='/acknowledge/'], form[action$='/assign/']").count() == 0
    assert officer_menus() == []

    # The other record is not there at all: hidden and missing get the same answer.
    response = page.goto(f"{base}{hidden.get_absolute_url()}")
    assert response.status == 404
    assert "Undisclosed facts." not in page.content()
    visit(page, language)
    assert time.monotonic() - started < SECONDS


# --- What the journeys rely on, through the same pages (the test client, no browser) ---
# Found by the journeys: sending an investigation's result left the assignee's item unread
# (portal.records.transitions.move now resolves the items that asked for work on a
# record that stops waiting). An application awaiting screening has no inbox item on
# purpose: the register is the partner ministry's own entry, and its home card says it.


def require(condition, message: str) -> None:
    if not condition:
        pytest.fail(message)


@pytest.mark.django_db
def test_sending_the_result_resolves_the_assignee_s_item(cast, client_for):
    officer = cast["tj_officer"]
    investigation = reported(cast)
    agency_services.assign_investigation(investigation, cast["tj_contact"], assignee=officer)
    outbox.drain()
    url = investigation.get_absolute_url()
    assigned = unread(officer, url, "record.assigned")
    require(assigned.count() == 1, "the assignee's organization was not told")

    response = client_for("tj_officer").post(
        reverse("agencies:result", args=[investigation.pk]),
        {"findings": "Deposits returned to the workers.", "measures": "", "outcome": "guidance"},
    )
    investigation.refresh_from_db()
    require(
        response.status_code == 302 and investigation.result_sent_at is not None, "the result was not sent"
    )
    assert not assigned.exists(), "the assignee's item is still unread"
