"""The filter sets of the officer lists (``portal.filters``, ``agencies.filters``): each
filter narrows to the exact rows; a related-object filter offers and accepts only what
the user may see, so a hidden id and an unknown id get the same answer, in the pages and
in the API; invalid input shows the form's error above an empty list (a 400 in the API),
never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from agencies import services as agency_services
from agencies.testing import certified, register
from portal import services
from portal.models import DisclosureConsent, Notification

UNKNOWN = 987654321


def ids(response) -> set[int]:
    assert response.status_code == 200, response.status_code
    return {row.pk for row in response.context["object_list"]}


def errors(response) -> dict:
    context = response.context
    return (context["filter"].form if "filter" in context else context["form"]).errors


def due() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=30)


# --- Sending agencies ------------------------------------------------------------------


@pytest.fixture
def register_rows(cast):
    officer = cast["tj_officer"]
    applied = register(officer, name_en="Pamir Bridge LLC", region="Sughd")
    done = certified(officer, number="TJ-F-1", name_en="Somon Way LLC", region="Khatlon")
    return {"applied": applied.pk, "certified": done.pk}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"applied", "certified"}),
        ("status=certified", {"certified"}),
        ("status=application_received", {"applied"}),
        ("region=khat", {"certified"}),
        ("q=pamir", {"applied"}),
        ("q=TJ-F-1", {"certified"}),
        ("q=somon&status=application_received", set()),
        ("sector=nursing-care", {"applied", "certified"}),
        ("sector=aviation", set()),
    ],
)
def test_agency_filters_narrow(register_rows, client_for, query, expected):
    shown = ids(client_for("tj_officer").get(f"/agencies/?{query}"))
    assert shown == {register_rows[name] for name in expected}


def test_the_agency_filter_form_is_rendered_with_labels(register_rows, client_for):
    html = client_for("tj_officer").get("/agencies/?status=certified").content.decode()
    for name in ("q", "status", "sector", "region"):
        assert f'<label for="id_{name}">' in html
    assert 'role="search"' in html and '<button type="submit" class="button">' in html


# --- Investigations: the related-object filter ------------------------------------------


@pytest.fixture
def investigations(cast):
    officer = cast["tj_officer"]
    first, second = certified(officer, name_en="First LLC"), certified(officer, name_en="Second LLC")
    hidden = register(officer, name_en="Unpublished LLC")  # never certified: Japan cannot see it
    one = agency_services.report_for_investigation(cast["jp_officer"], first, facts="F1", due_on=due())
    two = agency_services.report_for_investigation(cast["jp_officer"], second, facts="F2", due_on=due())
    agency_services.assign_investigation(two, cast["tj_contact"], assignee=cast["tj_officer"])
    return {"first": first, "second": second, "hidden": hidden, "one": one.pk, "two": two.pk}


def test_investigation_filters_narrow(investigations, client_for):
    client = client_for("jp_contact")
    first = investigations["first"].pk
    assert ids(client.get("/agencies/investigations/")) == {investigations["one"], investigations["two"]}
    assert ids(client.get(f"/agencies/investigations/?agency={first}")) == {investigations["one"]}
    assert ids(client.get("/agencies/investigations/?stage=under_investigation")) == {investigations["two"]}
    assert ids(client.get(f"/agencies/investigations/?agency={first}&stage=under_investigation")) == set()


def test_the_agency_drop_down_offers_only_agencies_with_an_investigation_the_user_sees(
    investigations, client_for
):
    field = client_for("jp_contact").get("/agencies/investigations/").context["filter"].form.fields["agency"]
    assert {agency.pk for agency in field.queryset} == {
        investigations["first"].pk,
        investigations["second"].pk,
    }
    # A third party without a consent sees no investigation, so no agency either.
    field = (
        client_for("embassy_viewer").get("/agencies/investigations/").context["filter"].form.fields["agency"]
    )
    assert list(field.queryset) == []


@pytest.mark.parametrize("reader", ["jp_contact", "embassy_viewer"])
def test_a_hidden_agency_id_gets_the_answer_of_an_unknown_id(investigations, client_for, reader):
    client = client_for(reader)
    hidden = client.get(f"/agencies/investigations/?agency={investigations['hidden'].pk}")
    unknown = client.get(f"/agencies/investigations/?agency={UNKNOWN}")
    assert hidden.status_code == unknown.status_code == 200
    assert ids(hidden) == ids(unknown) == set()
    assert errors(hidden) == errors(unknown) and "agency" in errors(hidden)
    assert "Unpublished LLC" not in hidden.content.decode()


def test_a_hidden_agency_id_gets_the_answer_of_an_unknown_id_in_the_api(investigations, client_for):
    client = client_for("jp_officer")  # Japan does not see an agency still in screening
    hidden = client.get(f"/api/v1/screenings/?agency={investigations['hidden'].pk}")
    unknown = client.get(f"/api/v1/screenings/?agency={UNKNOWN}")
    assert hidden.status_code == unknown.status_code == 400
    assert hidden.json() == unknown.json()
    # The partner sees its own agency: the same filter is accepted.
    assert (
        client_for("tj_officer").get(f"/api/v1/screenings/?agency={investigations['hidden'].pk}").status_code
        == 200
    )


# --- Correspondence --------------------------------------------------------------------


@pytest.fixture
def letters(cast):
    tj, jp = cast["tj_contact"], cast["jp_contact"]
    ours = services.send_correspondence(
        services.draft_correspondence(tj, recipient=jp.organization, subject="Quota for 2027", body="B"), tj
    )
    theirs = services.send_correspondence(
        services.draft_correspondence(jp, recipient=tj.organization, subject="Reply on quota", body="B"), jp
    )
    draft = services.draft_correspondence(tj, recipient=jp.organization, subject="Draft on exams", body="B")
    return {"ours": ours.pk, "theirs": theirs.pk, "draft": draft.pk, "jp_org": jp.organization.pk}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"ours", "theirs", "draft"}),
        ("status=draft", {"draft"}),
        ("status=shared", {"ours", "theirs"}),
        ("direction=sent", {"ours", "draft"}),
        ("direction=received", {"theirs"}),
        ("q=quota", {"ours", "theirs"}),
        ("q=QUOTA&direction=received", {"theirs"}),
    ],
)
def test_correspondence_filters_narrow(letters, client_for, query, expected):
    shown = ids(client_for("tj_contact").get(f"/correspondence/?{query}"))
    assert shown == {letters[name] for name in expected}


def test_correspondence_by_recipient(letters, client_for):
    shown = ids(client_for("tj_contact").get(f"/correspondence/?recipient={letters['jp_org']}"))
    assert shown == {letters["ours"], letters["draft"]}


# --- Consents --------------------------------------------------------------------------


@pytest.fixture
def consents(cast):
    tj = cast["tj_contact"]
    embassy = cast["embassy_viewer"].organization
    made = {}
    for name in ("live", "withdrawn", "expired"):
        letter = services.send_correspondence(
            services.draft_correspondence(
                tj, recipient=cast["jp_contact"].organization, subject=name, body="B"
            ),
            tj,
        )
        made[name] = services.grant_consent(
            letter,
            tj,
            third_party=embassy,
            document_reference=f"WC-{name}",
            expires_at=timezone.now() + dt.timedelta(days=30),
        )
    services.withdraw_consent(made["withdrawn"], tj)
    DisclosureConsent.objects.filter(pk=made["expired"].pk).update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )
    return {name: consent.pk for name, consent in made.items()} | {"embassy": embassy.pk}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"live", "withdrawn", "expired"}),
        ("state=live", {"live"}),
        ("state=withdrawn", {"withdrawn"}),
        ("state=expired", {"expired"}),
    ],
)
def test_consent_filters_narrow(consents, client_for, query, expected):
    assert ids(client_for("tj_contact").get(f"/consents/?{query}")) == {consents[name] for name in expected}


def test_consents_by_third_party(consents, cast, client_for):
    client = client_for("tj_contact")
    every = {consents["live"], consents["withdrawn"], consents["expired"]}
    assert ids(client.get(f"/consents/?third_party={consents['embassy']}")) == every
    other = cast["maff_viewer"].organization
    assert ids(client.get(f"/consents/?third_party={other.pk}")) == set()


# --- Inbox -----------------------------------------------------------------------------


@pytest.fixture
def inbox(cast):
    organization, sender = cast["jp_contact"].organization, cast["tj_contact"].organization
    unread = Notification.objects.create(
        organization=organization, kind="correspondence.received", sender=sender, params={"subject": "A"}
    )
    read = Notification.objects.create(
        organization=organization,
        kind="consent.granted",
        sender=sender,
        read_at=timezone.now(),
        read_by=cast["jp_contact"],
    )
    return {"unread": unread.pk, "read": read.pk}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"unread", "read"}),
        ("state=unread", {"unread"}),
        ("state=read", {"read"}),
        ("kind=consent.granted", {"read"}),
        ("kind=correspondence.received&state=read", set()),
    ],
)
def test_inbox_filters_narrow(inbox, client_for, query, expected):
    assert ids(client_for("jp_contact").get(f"/inbox/?{query}")) == {inbox[name] for name in expected}


def test_pages_keep_the_filters(cast, client_for):
    organization = cast["jp_contact"].organization
    Notification.objects.bulk_create(
        Notification(organization=organization, kind="correspondence.received", params={"subject": str(n)})
        for n in range(51)
    )
    html = client_for("jp_contact").get("/inbox/?state=unread").content.decode()
    assert 'href="?state=unread&amp;page=2"' in html


# --- Invalid input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/agencies/?status=bogus",
        "/agencies/?sector=no-such-sector",
        "/agencies/?q=" + "x" * 500,
        "/agencies/investigations/?agency=abc",
        "/agencies/investigations/?stage=bogus",
        "/correspondence/?direction=sideways",
        "/correspondence/?recipient=abc",
        "/consents/?state=bogus",
        "/consents/?third_party=-1",
        "/inbox/?kind=bogus",
        "/inbox/?state=bogus",
        "/audit/?date_from=yesterday",
        "/audit/?action=no.such.action",
        "/audit/?organization=abc",
    ],
)
def test_invalid_filter_input_shows_the_error_and_no_row(register_rows, letters, inbox, client_for, url):
    client = client_for("jp_contact" if url.startswith("/inbox/") else "tj_officer")
    if url.startswith(("/correspondence/", "/consents/", "/audit/")):
        client = client_for("tj_contact")
    response = client.get(url)
    assert response.status_code == 200
    assert ids(response) == set() and errors(response)
    html = response.content.decode()
    assert "A filter is not valid, so no row is shown." in html
    assert 'class="errorlist' in html


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/agencies/?status=bogus",
        "/api/v1/correspondence/?status=bogus",
        "/api/v1/screenings/?agency=x",
    ],
)
def test_invalid_filter_input_is_a_400_in_the_api(register_rows, client_for, url):
    response = client_for("tj_officer").get(url)
    assert response.status_code == 400 and response.json()
