"""Issue 10: home is a work queue and the inbox follows the work.

Each home card shows the right records to the right role and nothing to the others (a
third party sees only what was disclosed to it); opening an inbox item marks it read and
never leaves the site; acknowledging what an item announced resolves it; "mark all as
read" is one audited step; the home page's queries do not grow with its rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies import services as agency_services
from agencies.choices import AgencyStatus
from agencies.models import AgencyEvent, Investigation
from agencies.testing import certified, register
from portal import hooks, outbox, services
from portal.models import AuditEntry, Notification
from portal.records import services as kit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

AWAITING, ASSIGNED, DUE, DRAFTS, DISCLOSED = (
    f"records/cards/{name}.html" for name in ("awaiting", "assigned", "due", "drafts", "disclosed")
)
AGENCY_ACK, SCREENING = "agencies/cards/acknowledge.html", "agencies/cards/screening.html"


def cards(client) -> dict:
    """template -> the card's context, as the home page built it for ``client``'s user."""
    response = client.get("/")
    assert response.status_code == 200
    return {card["template"]: card["context"] for card in response.context["home_cards"]}


def references(card) -> set[str]:
    return {row["record"].reference for row in card["rows"]}


def letter(author, recipient, subject="Letter", *, send=True):
    draft = services.draft_correspondence(author, recipient=recipient, subject=subject, body="Body")
    return services.send_correspondence(draft, author) if send else draft


def report(cast, *, due_in: int = 30) -> Investigation:
    agency = certified(cast["tj_officer"])
    return agency_services.report_for_investigation(
        cast["jp_officer"], agency, facts="Facts", due_on=timezone.localdate() + dt.timedelta(days=due_in)
    )


# --- The cards ---------------------------------------------------------------------------


def test_awaiting_acknowledgement_is_the_receiving_side_s(cast, client_for, reported_investigation):
    japan_letter = letter(cast["jp_contact"], cast["tj_contact"].organization)
    tajik_letter = letter(cast["tj_contact"], cast["jp_contact"].organization)

    assert references(cards(client_for("tj_contact"))[AWAITING]) == {
        reported_investigation.reference,
        japan_letter.reference,
    }
    assert references(cards(client_for("jp_contact"))[AWAITING]) == {tajik_letter.reference}
    # Readers who cannot acknowledge have no such card; a third party none of the sides'.
    assert AWAITING not in cards(client_for("tj_analyst"))
    assert AWAITING not in cards(client_for("embassy_viewer"))

    kit.acknowledge(reported_investigation, cast["tj_contact"])
    assert references(cards(client_for("tj_contact"))[AWAITING]) == {japan_letter.reference}


def test_assigned_to_me_is_the_assignee_s_alone(cast, client_for, reported_investigation):
    kit.assign(reported_investigation, cast["tj_contact"], assignee=cast["tj_officer"])

    assert references(cards(client_for("tj_officer"))[ASSIGNED]) == {reported_investigation.reference}
    assert references(cards(client_for("tj_contact"))[ASSIGNED]) == set()
    assert references(cards(client_for("jp_officer"))[ASSIGNED]) == set()
    # Assigning acknowledged it.
    assert references(cards(client_for("tj_contact"))[AWAITING]) == set()


def test_due_and_overdue_with_days(cast, client_for, reported_investigation):
    today = timezone.localdate()
    overdue = report(cast)
    far = report(cast)
    Investigation.objects.filter(pk=reported_investigation.pk).update(due_on=today + dt.timedelta(days=2))
    Investigation.objects.filter(pk=overdue.pk).update(due_on=today - dt.timedelta(days=3))
    Investigation.objects.filter(pk=far.pk).update(due_on=today + dt.timedelta(days=40))

    card = cards(client_for("tj_officer"))[DUE]
    assert [(row["record"].reference, row["days"]) for row in card["rows"]] == [
        (overdue.reference, -3),
        (reported_investigation.reference, 2),
    ]
    assert card["rows"][0]["overdue"] and card["rows"][0]["days_over"] == 3
    # Japan asked; the work is Tajikistan's.
    assert references(cards(client_for("jp_officer"))[DUE]) == set()
    assert DUE not in cards(client_for("maff_viewer"))


def test_drafts_are_my_organization_s(cast, client_for):
    draft = letter(cast["jp_contact"], cast["tj_contact"].organization, send=False)

    assert references(cards(client_for("jp_contact"))[DRAFTS]) == {draft.reference}
    assert references(cards(client_for("jp_officer"))[DRAFTS]) == set()
    assert references(cards(client_for("tj_contact"))[DRAFTS]) == set()


def test_a_third_party_home_is_what_was_disclosed_to_it(cast, client_for, reported_investigation):
    disclosed = letter(cast["tj_contact"], cast["jp_contact"].organization, "Disclosed")
    letter(cast["tj_contact"], cast["jp_contact"].organization, "Not disclosed")
    letter(cast["jp_contact"], cast["tj_contact"].organization, "Japan's", send=False)
    services.grant_consent(
        disclosed,
        cast["tj_contact"],
        third_party=cast["embassy_viewer"].organization,
        document_reference="WC-1",
        expires_at=timezone.now() + dt.timedelta(days=30),
    )

    response = client_for("embassy_viewer").get("/")
    assert [card["template"] for card in response.context["home_cards"]] == [DISCLOSED]
    assert references(response.context["home_cards"][0]["context"]) == {disclosed.reference}
    assert "unread" not in response.context
    assert reported_investigation.reference.encode() not in response.content

    assert list(cards(client_for("maff_viewer"))) == [DISCLOSED]
    assert references(cards(client_for("maff_viewer"))[DISCLOSED]) == set()
    assert DISCLOSED not in cards(client_for("tj_contact"))


def test_agency_cards(cast, client_for):
    agency = certified(cast["tj_officer"])
    event = AgencyEvent.objects.get(agency=agency, to_status=AgencyStatus.CERTIFIED)
    waiting = agency_services.start_screening(register(cast["tj_officer"]), cast["tj_officer"])

    assert [e.pk for e in cards(client_for("jp_contact"))[AGENCY_ACK]["rows"]] == [event.pk]
    assert AGENCY_ACK not in cards(client_for("tj_officer"))
    assert AGENCY_ACK not in cards(client_for("jp_analyst"))
    screening = cards(client_for("tj_officer"))[SCREENING]
    assert [a.pk for a in screening["rows"]] == [waiting.agency_id]
    assert SCREENING not in cards(client_for("jp_officer"))
    assert SCREENING not in cards(client_for("embassy_viewer"))

    agency_services.acknowledge(event, cast["jp_contact"])
    assert cards(client_for("jp_contact"))[AGENCY_ACK]["rows"] == []


# --- The inbox ---------------------------------------------------------------------------


def item(user, url="/correspondence/", kind="correspondence.received", **params) -> Notification:
    return Notification.objects.create(
        organization=user.organization, kind=kind, url=url, params={"subject": "x", **params}
    )


def test_opening_an_item_marks_it_read_and_goes_to_it(cast, client_for):
    notification = item(cast["jp_contact"], url="/correspondence/")
    response = client_for("jp_contact").get(f"/inbox/{notification.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/correspondence/"
    notification.refresh_from_db()
    assert notification.read_by == cast["jp_contact"] and notification.read_at is not None
    assert AuditEntry.objects.filter(action="notification.read", object_id=str(notification.pk)).count() == 1


@pytest.mark.parametrize("url", ["https://evil.example/x", "//evil.example/x", "javascript:alert(1)", ""])
def test_opening_never_leaves_the_site(cast, client_for, url):
    notification = item(cast["jp_contact"], url=url)
    response = client_for("jp_contact").get(f"/inbox/{notification.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/inbox/"


def test_another_organization_s_item_is_not_found(cast, client_for):
    notification = item(cast["jp_contact"])
    assert client_for("tj_contact").get(f"/inbox/{notification.pk}/open/").status_code == 404
    assert client_for("embassy_viewer").get(f"/inbox/{notification.pk}/open/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_as_read_stays_on_the_inbox(cast, client_for):
    notification = item(cast["jp_contact"], url="https://evil.example/")
    response = client_for("jp_contact").post(
        f"/inbox/{notification.pk}/read/", {"next": "/inbox/?state=unread"}
    )
    assert response["Location"] == "/inbox/?state=unread"
    other = item(cast["jp_contact"])
    response = client_for("jp_contact").post(f"/inbox/{other.pk}/read/", {"next": "https://evil.example/"})
    assert response["Location"] == "/inbox/"


def test_mark_all_read(cast, client_for):
    mine = [item(cast["jp_contact"]) for _ in range(3)]
    theirs = item(cast["tj_contact"])
    client = client_for("jp_contact")
    read = AuditEntry.objects.filter(action="notification.read")

    response = client.post("/inbox/read-all/")
    assert response.status_code == 302
    assert not Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert [(e.actor, e.after) for e in read] == [(cast["jp_contact"], {"count": 3})]

    # Nothing left: nothing written.
    client.post("/inbox/read-all/")
    assert read.count() == 1
    assert client.get("/inbox/read-all/").status_code == 405


def test_the_inbox_filters_by_state_and_kind(cast, client_for):
    unread = item(cast["jp_contact"])
    read = item(cast["jp_contact"], kind="consent.granted")
    services.mark_read(read, cast["jp_contact"])
    client = client_for("jp_contact")
    assert [n.pk for n in client.get("/inbox/?state=unread").context["notifications"]] == [unread.pk]
    assert [n.pk for n in client.get("/inbox/?state=read").context["notifications"]] == [read.pk]
    assert [n.pk for n in client.get("/inbox/?kind=consent.granted").context["notifications"]] == [read.pk]


# --- Acting resolves the item ------------------------------------------------------------


def test_acknowledging_an_investigation_resolves_its_item(cast, reported_investigation):
    outbox.drain()
    announced = Notification.objects.get(
        organization=cast["tj_contact"].organization, kind="investigation.reported"
    )
    unrelated = item(
        cast["tj_contact"], url=reported_investigation.get_absolute_url(), kind="consent.granted"
    )
    assert announced.url == reported_investigation.get_absolute_url() and announced.read_at is None

    kit.acknowledge(reported_investigation, cast["tj_contact"])

    announced.refresh_from_db()
    unrelated.refresh_from_db()
    assert announced.read_by == cast["tj_contact"] and announced.read_at is not None
    assert unrelated.read_at is None
    assert AuditEntry.objects.filter(action="notification.read", object_id=str(announced.pk)).exists()


def test_acknowledging_a_letter_resolves_its_item(cast):
    sent = letter(cast["tj_contact"], cast["jp_contact"].organization)
    outbox.drain()
    announced = Notification.objects.get(
        organization=cast["jp_contact"].organization, url=sent.get_absolute_url()
    )
    kit.acknowledge(sent, cast["jp_contact"])
    announced.refresh_from_db()
    assert announced.read_by == cast["jp_contact"]


def test_acknowledging_a_certification_resolves_its_item_only(cast):
    agency = certified(cast["tj_officer"])
    outbox.drain()
    event = AgencyEvent.objects.get(agency=agency, to_status=AgencyStatus.CERTIFIED)
    announced = Notification.objects.get(
        organization=cast["jp_contact"].organization, kind="agency.certified"
    )
    # Another event's item about the same agency stays.
    other = item(
        cast["jp_contact"], url=agency.get_absolute_url(), kind="agency.revoked", event=event.pk + 1000
    )

    # An officer of Japan's ISA (not the contact point) acknowledges: the contact point's
    # item, which asked for it, is resolved too (the whole side's inboxes).
    agency_services.acknowledge(event, cast["jp_officer"])

    announced.refresh_from_db()
    other.refresh_from_db()
    assert announced.read_by == cast["jp_officer"]
    assert other.read_at is None
    assert not Notification.objects.filter(
        organization__side__country="TJ", kind="agency.certified", read_at__isnull=False
    ).exists()


# --- Queries -----------------------------------------------------------------------------


def home_queries(client) -> int:
    client.get("/")  # warm-up: content types, permission ids, the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def build(cast, n: int) -> None:
    """``n`` rows in every card of the Tajik officer's and contact point's homes."""
    today = timezone.localdate()
    for _ in range(n):
        investigation = report(cast)
        Investigation.objects.filter(pk=investigation.pk).update(due_on=today + dt.timedelta(days=1))
        letter(cast["jp_contact"], cast["tj_contact"].organization)
        letter(cast["tj_contact"], cast["jp_contact"].organization, send=False)
        kit.assign(investigation, cast["tj_contact"], assignee=cast["tj_officer"])
        certified(cast["tj_officer"])  # a certification for Japan to acknowledge
        register(cast["tj_officer"])  # an application awaiting screening
        services.grant_consent(
            letter(cast["tj_contact"], cast["jp_contact"].organization),
            cast["tj_contact"],
            third_party=cast["embassy_viewer"].organization,
            document_reference=f"WC-{investigation.pk}",
            expires_at=timezone.now() + dt.timedelta(days=30),
        )
    outbox.drain()


#: reader -> the cards ``build`` fills for them.
FILLED = {
    "tj_officer": {AWAITING, ASSIGNED, DUE, SCREENING},
    "tj_contact": {AWAITING, DUE, DRAFTS, SCREENING},
    "jp_contact": {AWAITING, AGENCY_ACK},
    "embassy_viewer": {DISCLOSED},
}


@pytest.mark.parametrize("reader", list(FILLED))
def test_home_queries_do_not_grow_with_rows(cast, client_for, reader):
    client = client_for(reader)
    build(cast, 1)
    one = home_queries(client)
    build(cast, 9)
    ten = home_queries(client)
    shown = cards(client)
    assert {template for template, card in shown.items() if len(card.get("rows", ())) == 10} == FILLED[reader]
    print(f"home as {reader}: {one} queries with 1 row a card, {ten} with 10")
    assert one == ten


# --- In the browser ----------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_home_and_inbox_in_the_browser(live_server, cast):
    """Tajikistan's contact point reaches the reported investigation from the queue and
    from the inbox (which marks the item read); the third party's home; axe-core finds
    no WCAG 2.1 A/AA violation on any of them."""
    from portal.testing import browser
    from portal.testing.browser import new_page, no_accessibility_violations, sign_out

    base = live_server.url
    investigation = report(cast)
    shared = letter(cast["tj_contact"], cast["jp_contact"].organization, "Disclosed")
    services.grant_consent(
        shared,
        cast["tj_contact"],
        third_party=cast["embassy_viewer"].organization,
        document_reference="WC-B",
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    for _ in range(3):
        item(cast["tj_contact"], url=investigation.get_absolute_url(), kind="consent.granted")
    outbox.drain()
    announced = Notification.objects.get(
        organization=cast["tj_contact"].organization, kind="investigation.reported"
    )

    with new_page() as page:
        browser.sign_in(page, base, "tj-contact", language="en")
        queue = page.locator("#card-awaiting").locator("xpath=..")
        assert investigation.reference in queue.inner_text()
        no_accessibility_violations(page)

        page.goto(f"{base}/inbox/")
        no_accessibility_violations(page)
        page.click(f"a[href='/inbox/{announced.pk}/open/']")
        page.wait_for_url(f"{base}{investigation.get_absolute_url()}")
        announced.refresh_from_db()
        assert announced.read_by == cast["tj_contact"]

        page.goto(f"{base}/inbox/?state=unread")
        page.click(".inbox__actions button[type=submit]")
        page.wait_for_load_state()
        assert not Notification.objects.filter(
            organization=cast["tj_contact"].organization, read_at__isnull=True
        ).exists()
        no_accessibility_violations(page)
        sign_out(page)

        browser.sign_in(page, base, "embassy-viewer", language="en")
        assert shared.reference in page.locator("main").inner_text()
        assert investigation.reference not in page.locator("main").inner_text()
        no_accessibility_violations(page)


# --- The count in the menu ---------------------------------------------------------------


def work_badge(client) -> int:
    response = client.get("/inbox/")
    return response.context["portal_work"]


def test_the_menu_counts_the_work_once_whatever_the_cards(cast, client_for, reported_investigation):
    # Tajikistan's contact point: the investigation awaits its acknowledgement.
    assert work_badge(client_for("tj_contact")) == 1
    # Assigned (which acknowledges it) and due within days: on two cards, counted once.
    kit.assign(reported_investigation, cast["tj_contact"], assignee=cast["tj_officer"])
    Investigation.objects.filter(pk=reported_investigation.pk).update(
        due_on=timezone.localdate() + dt.timedelta(days=2)
    )
    officer = client_for("tj_officer")
    shown = cards(officer)
    assert references(shown[ASSIGNED]) == references(shown[DUE]) == {reported_investigation.reference}
    assert work_badge(officer) == 1
    # An application awaiting screening is the Tajik officers' work too.
    register(cast["tj_officer"])
    assert work_badge(officer) == 2
    # Japan's officer: not the investigation (Japan asked), only the agency's
    # certification that awaits Japan's acknowledgement. A third party never has work.
    japan = client_for("jp_officer")
    assert [row.agency for row in cards(japan)[AGENCY_ACK]["rows"]] == [reported_investigation.agency]
    assert work_badge(japan) == 1
    assert work_badge(client_for("maff_viewer")) == 0


def test_the_menu_count_is_shown_with_words_for_screen_readers(cast, client_for, reported_investigation):
    html = client_for("tj_contact").get("/inbox/").content.decode()
    assert (
        '<span class="badge badge--unread">1<span class="visually-hidden"> item to act on</span></span>'
        in html
    )


def test_the_menu_count_is_one_query(cast, client_for):
    client = client_for("jp_contact")
    build(cast, 3)
    # Three letters and six certifications (one of each investigation's agency, three
    # more) await Japan's acknowledgement.
    shown = cards(client)
    assert len(shown[AWAITING]["rows"]) + len(shown[AGENCY_ACK]["rows"]) == 9
    assert work_badge(client) == 9
    hooks.forget_work_counts()  # kept by the pages above
    with CaptureQueriesContext(connection) as queries:
        client.get("/inbox/")
    unions = [query["sql"] for query in queries if " UNION " in query["sql"]]
    assert len(unions) == 1


def test_the_menu_count_is_kept_until_an_audited_change(cast, client_for, reported_investigation):
    """Kept per user until the next audited change (portal.kept): the next page, even
    after a record is read, makes no UNION; acknowledging (a service, audited) is counted
    at once."""
    client = client_for("tj_contact")
    before = work_badge(client)
    assert before >= 1
    # Another officer reading the record is audited ("record.read"), and is no change:
    # still kept.
    assert client_for("jp_contact").get(reported_investigation.get_absolute_url()).status_code == 200
    assert AuditEntry.objects.order_by("-pk").first().action == "record.read"
    with CaptureQueriesContext(connection) as queries:
        assert work_badge(client) == before
    assert not [query for query in queries if " UNION " in query["sql"]]
    kit.acknowledge(reported_investigation, cast["tj_contact"])
    with CaptureQueriesContext(connection) as queries:
        assert work_badge(client) == before - 1
    assert len([query for query in queries if " UNION " in query["sql"]]) == 1


def test_an_item_missing_a_parameter_shows_a_dash_not_the_placeholder(cast):
    """An item written before its kind's message gained a parameter (a letter's reference)."""
    old = item(cast["jp_contact"], subject="Old letter")  # no "reference" in its params
    assert "%(" not in old.message
    assert "—" in old.message and "Old letter" in old.message


def test_the_menu_count_stops_at_its_cap(cast, client_for, monkeypatch):
    from portal import hooks

    monkeypatch.setattr(hooks, "WORK_COUNT_CAP", 2)
    for _ in range(4):
        letter(cast["jp_contact"], cast["tj_contact"].organization)
    client = client_for("tj_contact")
    assert work_badge(client) == 3  # each card's part stops one past the cap
    html = client.get("/inbox/").content.decode()
    assert '<span class="badge badge--unread">2+<span class="visually-hidden">' in html


def test_the_menu_count_works_where_a_union_part_cannot_be_limited(cast, client_for, monkeypatch):
    """The embedded mode's SQLite refuses LIMIT in a part of a UNION: every officer page
    would fail there. The count is then exact, and the same."""
    build(cast, 1)
    client = client_for("jp_contact")
    counted = work_badge(client)
    monkeypatch.setattr(connection.features, "supports_slicing_ordering_in_compound", False)
    assert work_badge(client) == counted > 0
