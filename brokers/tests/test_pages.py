"""The officer pages of brokers and misconduct reports, for each role of the cast:
exact ids in lists, 404 for what a reader may not read, a third party nothing without
the originating side's written consent and exactly the consented report with it, the
forms' refusals, masked identifiers and the "who read this" panel (clauses 1, 3, 4(1))."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from brokers import services
from brokers.models import Broker, MisconductReport
from portal.models import AuditEntry, DisclosureConsent, Organization
from portal.records import services as kit
from portal.testing.files import PDF

pytestmark = pytest.mark.django_db

ROLES = ["jp_contact", "jp_officer", "jp_analyst", "tj_contact", "tj_officer", "tj_analyst"]
THIRD_PARTIES = ["embassy_viewer", "maff_viewer"]
FACTS_A = {"held_amount": Decimal("2000"), "held_currency": "USD", "held_items": "Passports"}
FACTS_E = {"fee_amount": Decimal("15000"), "fee_currency": "TJS"}


def new_report(actor, brokers, categories="ae", share=True, **facts):
    facts = {**FACTS_A, **FACTS_E, "narrative": "Workers paid and lost their passports.", **facts}
    record = services.file_report(actor, brokers=brokers, categories=categories, **facts)
    return services.share_report(record, actor) if share else record


@pytest.fixture
def world(cast):
    """A Tajik broker shared (with identifiers), a Japanese draft broker, a Tajik report
    shared and one draft, a Japanese report shared, each naming the Tajik broker."""
    tj, jp = cast["tj_officer"], cast["jp_officer"]
    broker = services.record_broker(
        tj,
        name="Раҳимов Фаррух",
        aliases=["Rakhimov Farrukh"],
        kind="person",
        country="TJ",
        taxpayer_number="123456789",
        passport_number="AB1234567",
        addresses="Dushanbe, Rudaki 10",
    )
    broker = services.share_broker(broker, tj)
    jp_draft_broker = services.record_broker(jp, name="ヤマダ商事", kind="company", country="JP")
    tj_report = new_report(tj, [broker])
    tj_draft = new_report(tj, [broker], share=False, categories="a")
    jp_report = new_report(
        jp, [broker], categories="c", violence_nature="Threats", narrative="Threats at the dormitory."
    )
    return {
        "broker": broker,
        "jp_draft_broker": jp_draft_broker,
        "tj_report": tj_report,
        "tj_draft": tj_draft,
        "jp_report": jp_report,
    }


def ids(response, marker="data-id") -> list[int]:
    return [int(found) for found in re.findall(rf'{marker}="(\d+)"', response.content.decode())]


def consent(record, granter, third_party="jp-maff", days=30):
    return kit.grant_consent(
        record,
        granter,
        third_party=Organization.objects.get(code=third_party),
        document_reference="TJ-LETTER-1",
        expires_at=timezone.now() + dt.timedelta(days=days),
    )


# --- The report list ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES + THIRD_PARTIES)
def test_the_report_list_shows_exactly_the_reports_each_role_may_read(client_for, world, role):
    response = client_for(role).get(reverse("brokers:reports"))
    assert response.status_code == 200
    expected = {world["tj_report"].pk, world["jp_report"].pk}
    if role == "tj_officer":  # the draft's own organization
        expected.add(world["tj_draft"].pk)
    if role in THIRD_PARTIES:
        expected = set()
    assert set(ids(response)) == expected


def test_the_report_list_asks_for_a_sign_in(client):
    response = client.get(reverse("brokers:reports"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_third_party_sees_exactly_the_consented_report_while_the_consent_is_live(client_for, cast, world):
    maff = client_for("maff_viewer")
    report = world["tj_report"]
    assert ids(maff.get(reverse("brokers:reports"))) == []
    assert maff.get(report.get_absolute_url()).status_code == 404
    given = consent(report, cast["tj_contact"])
    assert ids(maff.get(reverse("brokers:reports"))) == [report.pk]
    page = maff.get(report.get_absolute_url())
    assert page.status_code == 200
    assert "Passports" in page.content.decode()  # Tajikistan's part, consented
    assert maff.get(world["jp_report"].get_absolute_url()).status_code == 404
    assert maff.get(world["tj_draft"].get_absolute_url()).status_code == 404
    # The broker itself was not consented: named, not linked.
    assert world["broker"].get_absolute_url() not in page.content.decode()
    assert maff.get(world["broker"].get_absolute_url()).status_code == 404
    # Expired: nothing again, whether the tidy-up ran or not.
    DisclosureConsent.objects.filter(pk=given.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert ids(maff.get(reverse("brokers:reports"))) == []
    assert maff.get(report.get_absolute_url()).status_code == 404
    # The embassy never had a consent.
    assert client_for("embassy_viewer").get(report.get_absolute_url()).status_code == 404


def test_a_consent_of_the_receiving_side_alone_shows_the_report_without_its_facts(client_for, cast, world):
    """Japan may consent only to its own part of Tajikistan's report: the facts, the
    brokers and the categories stay withheld."""
    report = world["tj_report"]
    kit.acknowledge(report, cast["jp_contact"])
    consent(report, cast["jp_contact"])
    page = client_for("maff_viewer").get(report.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "Passports" not in text and "Раҳимов" not in text and "Workers paid" not in text
    # Filters on the withheld parts are not offered to it.
    listing = client_for("maff_viewer").get(reverse("brokers:reports"))
    assert 'name="category"' not in listing.content.decode()
    assert 'name="broker"' not in listing.content.decode()
    assert ids(listing) == [report.pk]


def test_the_list_filters(client_for, world):
    tj = client_for("tj_officer")
    url = reverse("brokers:reports")
    assert ids(tj.get(url, {"category": "c"})) == [world["jp_report"].pk]
    assert set(ids(tj.get(url, {"category": "a"}))) == {world["tj_report"].pk, world["tj_draft"].pk}
    japan = world["jp_report"].origin.side_id
    assert ids(tj.get(url, {"side": japan})) == [world["jp_report"].pk]
    assert ids(tj.get(url, {"reference": world["tj_report"].reference})) == [world["tj_report"].pk]
    assert len(ids(tj.get(url, {"broker": world["broker"].pk}))) == 3
    assert ids(tj.get(url, {"stage": "closed"})) == []


def test_the_period_filter_selects_the_reports_whose_period_overlaps(client_for, cast, world):
    spring = new_report(
        cast["tj_officer"], [world["broker"]], period_from=dt.date(2026, 3, 1), period_to=dt.date(2026, 5, 31)
    )
    one_day = new_report(cast["tj_officer"], [world["broker"]], period_from=dt.date(2026, 8, 15))
    tj, url = client_for("tj_officer"), reverse("brokers:reports")
    assert ids(tj.get(url, {"period_from": "2026-05-01", "period_to": "2026-06-30"})) == [spring.pk]
    assert ids(tj.get(url, {"period_from": "2026-08-01"})) == [one_day.pk]
    assert set(ids(tj.get(url, {"period_to": "2026-12-31"}))) == {spring.pk, one_day.pk}
    assert ids(tj.get(url, {"period_from": "2026-06-01", "period_to": "2026-08-01"})) == []
    invalid = tj.get(url, {"period_from": "not a date"})
    assert ids(invalid) == [] and invalid.context["filter"].errors


def test_the_broker_filter_takes_a_reference_or_the_broker_pages_id(client_for, cast, world):
    tj, url = client_for("tj_officer"), reverse("brokers:reports")
    every = {world["tj_report"].pk, world["tj_draft"].pk, world["jp_report"].pk}
    assert set(ids(tj.get(url, {"broker": world["broker"].reference.lower()}))) == every
    page = tj.get(world["broker"].get_absolute_url())
    assert f'{url}?broker={world["broker"].pk}"' in page.content.decode()
    # A record merged into the broker brings its reports with it.
    other = services.share_broker(
        services.record_broker(cast["jp_officer"], name="ラヒモフ", kind="person", country="TJ"),
        cast["jp_officer"],
    )
    extra = new_report(cast["jp_officer"], [other])
    services.merge_brokers(other, world["broker"], cast["jp_officer"], reason="Same person.")
    assert extra.pk in ids(tj.get(url, {"broker": world["broker"].pk}))


def test_a_hidden_broker_filters_as_a_missing_one(client_for, world):
    tj, url = client_for("tj_officer"), reverse("brokers:reports")
    hidden = world["jp_draft_broker"]
    new_report(hidden.created_by, [hidden], share=False)  # sharing it would share the broker
    answers = [
        tj.get(url, {"broker": value})
        for value in (hidden.pk, hidden.reference, 999999, "TJ-BRO-2099-9999", "9" * 30)
    ]
    assert all(response.status_code == 200 for response in answers)
    assert all(ids(response) == [] for response in answers)
    assert all(not response.context["filter"].errors for response in answers)
    # Japan's officer reads its own draft broker and the report naming it.
    assert len(ids(client_for("jp_officer").get(url, {"broker": hidden.reference}))) == 1


def test_the_list_costs_the_same_queries_for_3_or_30_reports(
    client_for, cast, world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tj = client_for("tj_officer")
    url = reverse("brokers:reports")
    tj.get(url)  # the session's zone and the like, read once
    with CaptureQueriesContext(connection) as few:
        tj.get(url)
    budget = len(few.captured_queries)  # read now: the next request empties the log
    for number in range(27):
        new_report(cast["jp_officer"], [world["broker"]], narrative=f"Report {number}")
    tj.get(url)  # the menu's count, kept until the next audited change
    with django_assert_max_num_queries(budget):
        response = tj.get(url)
    assert len(ids(response)) == 30


def test_the_list_is_paginated(client_for, cast, world):
    for number in range(50):
        new_report(cast["jp_officer"], [world["broker"]], share=False, narrative=f"Report {number}")
    jp = client_for("jp_officer")
    first = jp.get(reverse("brokers:reports"))
    second = jp.get(reverse("brokers:reports"), {"page": 2})
    assert len(ids(first)) == 50 and len(ids(second)) == 2  # 50 drafts and two shared reports
    assert not set(ids(first)) & set(ids(second))


# --- The report page ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES + THIRD_PARTIES + ["admin"])
def test_the_report_page_for_each_role(client_for, world, role):
    client = client_for(role)
    shared = client.get(world["tj_report"].get_absolute_url()).status_code
    draft = client.get(world["tj_draft"].get_absolute_url()).status_code
    assert shared == (404 if role in THIRD_PARTIES else 200)
    assert draft == (200 if role in ("tj_officer", "admin") else 404)


def test_a_hidden_and_a_missing_report_get_the_same_answer_and_audit(client_for, world, cast):
    jp = client_for("jp_officer")
    assert jp.get(world["tj_draft"].get_absolute_url()).status_code == 404
    assert jp.get(reverse("brokers:report", args=[999999])).status_code == 404
    denied = AuditEntry.objects.filter(action="authz.denied", actor=cast["jp_officer"])
    assert sorted(denied.values_list("object_id", flat=True)) == sorted(["999999", str(world["tj_draft"].pk)])


def test_the_report_page_shows_its_facts_brokers_and_times(client_for, cast, world):
    report = world["tj_report"]
    kit.acknowledge(report, cast["jp_contact"])
    page = client_for("jp_officer").get(report.get_absolute_url())
    text = page.content.decode()
    assert report.reference in text
    assert "Passports" in text and "15000" in text
    assert world["broker"].get_absolute_url() in text
    assert page.context["time_to_share"] is not None
    assert page.context["time_to_acknowledge"] is not None
    assert 'id="record-comments-heading"' in text  # the kit's panels, comments included


def test_the_buttons_follow_the_policies(client_for, cast, world):
    draft = client_for("tj_officer").get(world["tj_draft"].get_absolute_url()).context
    assert draft["can_edit"] and draft["can_share"] and draft["can_withdraw"]
    assert not draft["can_close"] and not draft["can_link"]
    shared = client_for("jp_officer").get(world["tj_report"].get_absolute_url()).context
    assert not shared["can_edit"] and not shared["can_share"] and not shared["can_close"]
    assert shared["can_link"]
    kit.acknowledge(world["tj_report"], cast["jp_contact"])
    assert client_for("jp_officer").get(world["tj_report"].get_absolute_url()).context["can_close"]
    assert not client_for("tj_officer").get(world["tj_report"].get_absolute_url()).context["can_close"]
    analyst = client_for("jp_analyst").get(world["tj_report"].get_absolute_url()).context
    assert not any(
        analyst[name] for name in ("can_edit", "can_share", "can_withdraw", "can_link", "can_close")
    )


def test_contact_points_see_who_read_the_report(client_for, cast, world):
    report = world["tj_report"]
    client_for("tj_officer").get(report.get_absolute_url())
    client_for("jp_officer").get(report.get_absolute_url())
    consent(report, cast["tj_contact"])
    client_for("maff_viewer").get(report.get_absolute_url())
    page = client_for("tj_contact").get(report.get_absolute_url())
    readers = {entry.actor.username for entry in page.context["readers"]}
    # Its own side and the third party; Japan's readers are Japan's contact point's to see.
    assert {"tj-officer", "maff-viewer"} <= readers
    assert "jp-officer" not in readers
    assert 'id="report-readers-heading"' in page.content.decode()
    assert "jp-officer" in {
        entry.actor.username
        for entry in client_for("jp_contact").get(report.get_absolute_url()).context["readers"]
    }
    for role in ("tj_officer", "jp_analyst", "maff_viewer"):
        page = client_for(role).get(report.get_absolute_url())
        assert page.context["readers"] is None
        assert 'id="report-readers-heading"' not in page.content.decode()


# --- The report forms and actions ------------------------------------------------------------


def form_data(broker, **more):
    data = {
        "brokers": broker.reference,
        "categories": ["a", "e"],
        "held_amount": "2000",
        "held_currency": "USD",
        "held_items": "Passports",
        "fee_amount": "15000",
        "fee_currency": "TJS",
        "narrative": "Workers paid and lost their passports.",
    }
    data.update(more)
    return data


@pytest.mark.parametrize("role", ROLES + THIRD_PARTIES)
def test_the_new_report_form_is_for_the_sides_writers(client_for, world, role):
    status = client_for(role).get(reverse("brokers:report-create")).status_code
    assert status == (200 if role in ("jp_contact", "jp_officer", "tj_contact", "tj_officer") else 404)


def test_the_new_report_form_offers_only_readable_brokers(client_for, world):
    page = client_for("tj_officer").get(reverse("brokers:report-create"))
    offered = {broker.pk for broker in page.context["form"].fields["brokers"].queryset}
    assert offered == {world["broker"].pk}
    page = client_for("jp_officer").get(reverse("brokers:report-create"))
    offered = {broker.pk for broker in page.context["form"].fields["brokers"].queryset}
    assert offered == {world["broker"].pk, world["jp_draft_broker"].pk}
    assert reverse("brokers:broker-create") in page.content.decode()


def test_a_report_is_filed_with_its_files(client_for, cast, world):
    before = set(MisconductReport.objects.values_list("pk", flat=True))
    data = form_data(world["broker"], evidence=[SimpleUploadedFile("receipt.pdf", PDF)])
    response = client_for("tj_officer").post(reverse("brokers:report-create"), data)
    assert response.status_code == 302
    (new_pk,) = set(MisconductReport.objects.values_list("pk", flat=True)) - before
    report = MisconductReport.objects.get(pk=new_pk)
    assert response["Location"] == report.get_absolute_url()
    assert report.categories == "ae" and report.status == "draft"
    assert report.origin == cast["tj_officer"].organization
    assert list(report.brokers.all()) == [world["broker"]]
    assert [attachment.name for attachment in report.attachments.all()] == ["receipt.pdf"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"held_amount": ""}, "held_amount"),
        ({"categories": ["a", "b"]}, "contract_terms"),
        ({"categories": []}, "categories"),
        ({"categories": ["f"]}, "categories"),
        ({"brokers": []}, "brokers"),
        ({"narrative": ""}, "narrative"),
        ({"period_from": "2026-05-01", "period_to": "2026-04-01"}, "period_to"),
    ],
)
def test_the_form_refuses_a_report_without_what_it_needs(client_for, world, change, field):
    before = MisconductReport.objects.count()
    response = client_for("tj_officer").post(
        reverse("brokers:report-create"), form_data(world["broker"], **change)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'class="error-summary"' in response.content.decode()
    assert MisconductReport.objects.count() == before


def test_the_form_names_the_missing_fact(client_for, world):
    response = client_for("tj_officer").post(
        reverse("brokers:report-create"), form_data(world["broker"], held_amount="")
    )
    assert "Needed for (a)" in " ".join(response.context["form"].errors["held_amount"])


def test_a_broker_the_officer_may_not_read_is_refused(client_for, world):
    response = client_for("tj_officer").post(
        reverse("brokers:report-create"), form_data(world["jp_draft_broker"])
    )
    assert response.status_code == 200
    assert "brokers" in response.context["form"].errors


def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_saved(client_for, world):
    before = MisconductReport.objects.count()
    data = form_data(world["broker"], evidence=[SimpleUploadedFile("receipt.pdf", b"MZ\x90\x00 not a pdf")])
    response = client_for("tj_officer").post(reverse("brokers:report-create"), data)
    assert response.status_code == 200
    assert "evidence" in response.context["form"].errors
    assert MisconductReport.objects.count() == before


def test_the_draft_is_edited_by_its_organization_only(client_for, world):
    draft = world["tj_draft"]
    url = reverse("brokers:report-edit", args=[draft.pk])
    assert client_for("jp_officer").get(url).status_code == 404
    assert client_for("tj_contact").get(url).status_code == 404
    page = client_for("tj_officer").get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["categories"] == ["a"]
    response = client_for("tj_officer").post(
        url, form_data(world["broker"], categories=["a"], narrative="Changed narrative.")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.narrative == "Changed narrative." and draft.categories == "a"
    shared = reverse("brokers:report-edit", args=[world["tj_report"].pk])
    assert client_for("tj_officer").get(shared).status_code == 404


def test_share_and_withdraw(client_for, cast, world):
    draft = world["tj_draft"]
    assert client_for("jp_officer").post(reverse("brokers:report-share", args=[draft.pk])).status_code == 404
    client_for("tj_officer").post(reverse("brokers:report-share", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "shared" and draft.shared_at is not None
    other = new_report(cast["tj_officer"], [world["broker"]], share=False)
    response = client_for("tj_officer").post(reverse("brokers:report-withdraw", args=[other.pk]))
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.status == "withdrawn"
    # A refusal is a message on the page, not an error page.
    again = client_for("tj_officer").post(reverse("brokers:report-withdraw", args=[other.pk]), follow=True)
    assert again.status_code == 200
    assert list(again.context["messages"])


def test_close_with_outcome(client_for, cast, world):
    report = world["tj_report"]
    url = reverse("brokers:report-close", args=[report.pk])
    assert client_for("jp_officer").get(url).status_code == 404  # not acknowledged yet
    kit.acknowledge(report, cast["jp_contact"])
    assert client_for("tj_officer").get(url).status_code == 404  # the reporting side
    refused = client_for("jp_officer").post(url, {"outcome": "other"})
    assert refused.status_code == 200 and "note" in refused.context["form"].errors
    response = client_for("jp_officer").post(url, {"outcome": "referred", "note": "Passed to the police."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.stage == "closed" and report.outcome == "referred"


def test_link_to_an_investigation(client_for, cast, world, reported_investigation):
    report = world["tj_report"]
    url = reverse("brokers:report-link", args=[report.pk])
    assert client_for("jp_officer").post(url, {}).context["form"].errors
    response = client_for("jp_officer").post(url, {"investigations": [reported_investigation.pk]})
    assert response.status_code == 302
    assert list(report.investigations.all()) == [reported_investigation]
    page = client_for("tj_officer").get(report.get_absolute_url())
    assert reported_investigation.get_absolute_url() in page.content.decode()


# --- Brokers -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES + THIRD_PARTIES)
def test_the_broker_list_for_each_role(client_for, world, role):
    response = client_for(role).get(reverse("brokers:brokers"))
    assert response.status_code == 200
    expected = set() if role in THIRD_PARTIES else {world["broker"].pk}
    if role == "jp_officer":
        expected.add(world["jp_draft_broker"].pk)
    assert set(ids(response)) == expected


@pytest.mark.parametrize("query", ["Rahimov", "Рахимов", "ラヒモフ", "rakhimov farrukh"])
def test_the_broker_search_matches_across_scripts(client_for, world, query):
    response = client_for("jp_officer").get(reverse("brokers:brokers"), {"q": query})
    matches = response.context["matches"]
    assert matches and matches[0].broker == world["broker"]
    assert matches[0].name in ("Раҳимов Фаррух", "Rakhimov Farrukh")
    text = response.content.decode()
    assert f"{matches[0].score:.2f}" in text


def test_the_broker_search_finds_nothing_hidden(client_for, world):
    response = client_for("tj_officer").get(reverse("brokers:brokers"), {"q": "ヤマダ商事"})
    assert response.context["matches"] == []
    assert (
        client_for("maff_viewer").get(reverse("brokers:brokers"), {"q": "Rahimov"}).context["matches"] == []
    )


@pytest.mark.parametrize("role", ROLES + THIRD_PARTIES)
def test_the_broker_page_for_each_role(client_for, world, role):
    response = client_for(role).get(world["broker"].get_absolute_url())
    assert response.status_code == (404 if role in THIRD_PARTIES else 200)
    draft = client_for(role).get(world["jp_draft_broker"].get_absolute_url())
    assert draft.status_code == (200 if role == "jp_officer" else 404)


def test_identifiers_are_masked_except_for_the_contact_points(client_for, world):
    officer = client_for("tj_officer").get(world["broker"].get_absolute_url()).content.decode()
    assert "123456789" not in officer and "AB1234567" not in officer
    assert "••••••789" in officer and "••••••567" in officer
    for role in ("tj_contact", "jp_contact"):
        contact = client_for(role).get(world["broker"].get_absolute_url()).content.decode()
        assert "123456789" in contact and "AB1234567" in contact
    analyst = client_for("jp_analyst").get(world["broker"].get_absolute_url()).content.decode()
    assert "123456789" not in analyst


def test_the_broker_page_lists_every_readable_report_naming_it(client_for, cast, world):
    page = client_for("jp_officer").get(world["broker"].get_absolute_url())
    listed = {report.pk for report, _categories in page.context["reports"]}
    assert listed == {world["tj_report"].pk, world["jp_report"].pk}
    own = client_for("tj_officer").get(world["broker"].get_absolute_url())
    assert {report.pk for report, _c in own.context["reports"]} == {
        world["tj_report"].pk,
        world["tj_draft"].pk,
        world["jp_report"].pk,
    }
    # The categories over time: this month, (a) twice (report and draft), (c) once, (e) once.
    months = dict(own.context["months"])
    this_month = timezone.localtime().strftime("%Y-%m")
    assert months[this_month] == [2, 0, 1, 0, 1]
    assert '<th scope="row">' in own.content.decode()


def test_a_consented_report_does_not_open_its_broker_to_a_third_party(client_for, cast, world):
    consent(world["tj_report"], cast["tj_contact"])
    assert client_for("maff_viewer").get(world["broker"].get_absolute_url()).status_code == 404
    consent(world["broker"], cast["tj_contact"])
    page = client_for("maff_viewer").get(world["broker"].get_absolute_url())
    assert page.status_code == 200
    assert {report.pk for report, _c in page.context["reports"]} == {world["tj_report"].pk}
    assert "123456789" not in page.content.decode()


def test_a_new_broker_shows_likely_existing_ones_before_saving(client_for, world):
    url = reverse("brokers:broker-create")
    data = {"kind": "person", "name": "Rahimov Farrukh", "country": "tj"}
    first = client_for("jp_officer").post(url, data)
    assert first.status_code == 200
    assert [found.broker for found in first.context["candidates"]][0] == world["broker"]
    assert not Broker.objects.filter(name="Rahimov Farrukh").exists()
    second = client_for("jp_officer").post(url, {**data, "confirm_new": "on"})
    assert second.status_code == 302
    created = Broker.objects.get(name="Rahimov Farrukh")
    assert created.country == "TJ" and created.status == "draft"


def test_a_broker_with_no_likely_match_is_saved_at_once(client_for):
    response = client_for("tj_officer").post(
        reverse("brokers:broker-create"),
        {
            "kind": "company",
            "name": "Зарафшон Сервис",
            "aliases": "Zarafshon Service\nザラフション",
            "country": "TJ",
        },
    )
    assert response.status_code == 302
    broker = Broker.objects.get(name="Зарафшон Сервис")
    assert sorted(broker.names.values_list("name", flat=True)) == sorted(
        ["Зарафшон Сервис", "Zarafshon Service", "ザラフション"]
    )


def test_the_broker_form_refuses_a_bad_identifier(client_for):
    response = client_for("tj_officer").post(
        reverse("brokers:broker-create"),
        {"kind": "person", "name": "Someone", "country": "TJ", "taxpayer_number": "12", "confirm_new": "on"},
    )
    assert response.status_code == 200
    assert "taxpayer_number" in response.context["form"].errors


@pytest.mark.parametrize("role", ["tj_analyst", "maff_viewer"])
def test_the_broker_form_is_not_for_readers(client_for, role):
    assert client_for(role).get(reverse("brokers:broker-create")).status_code == 404


def test_names_are_added_to_a_shared_broker_by_either_side(client_for, world):
    url = reverse("brokers:broker-names", args=[world["broker"].pk])
    assert client_for("jp_analyst").get(url).status_code == 404
    response = client_for("jp_officer").post(url, {"names": "ラヒモフ・ファルフ\nRahimov F."})
    assert response.status_code == 302
    assert "ラヒモフ・ファルフ" in world["broker"].names.values_list("name", flat=True)


def test_share_a_broker(client_for, world):
    draft = world["jp_draft_broker"]
    assert client_for("tj_officer").post(reverse("brokers:broker-share", args=[draft.pk])).status_code == 404
    client_for("jp_officer").post(reverse("brokers:broker-share", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "shared"
    assert client_for("tj_officer").get(draft.get_absolute_url()).status_code == 200


def test_merge_two_records_of_one_broker(client_for, cast, world):
    other = services.share_broker(
        services.record_broker(cast["jp_officer"], name="ラヒモフ・ファルフ", kind="person", country="TJ"),
        cast["jp_officer"],
    )
    url = reverse("brokers:broker-merge", args=[other.pk])
    page = client_for("jp_officer").get(url)
    assert page.status_code == 200
    assert world["broker"] in [found.broker for found in page.context["matches"]]
    # Japan's own draft is a choice (the service then refuses a draft and a shared
    # record together); to a Tajik officer it is as if it did not exist.
    assert world["jp_draft_broker"] in page.context["form"].fields["target"].queryset
    tajik_page = client_for("tj_officer").get(reverse("brokers:broker-merge", args=[world["broker"].pk]))
    assert world["jp_draft_broker"] not in tajik_page.context["form"].fields["target"].queryset
    refused = client_for("jp_officer").post(url, {"target": world["broker"].reference})
    assert "reason" in refused.context["form"].errors
    draft = client_for("jp_officer").post(url, {"target": world["jp_draft_broker"].reference, "reason": "x"})
    assert "Share the draft first" in draft.content.decode()
    response = client_for("jp_officer").post(
        url, {"target": world["broker"].reference.lower(), "reason": "Same passport."}
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.merged_into == world["broker"]
    page = client_for("tj_officer").get(world["broker"].get_absolute_url())
    assert [item.pk for item in page.context["merged"]] == [other.pk]
    assert client_for("jp_officer").get(url).status_code == 404  # merged already


def test_a_broker_cannot_be_chosen_to_merge_into_itself(client_for, world):
    url = reverse("brokers:broker-merge", args=[world["broker"].pk])
    page = client_for("tj_officer").get(url)
    assert world["broker"] not in page.context["form"].fields["target"].queryset
    response = client_for("tj_officer").post(url, {"target": world["broker"].reference, "reason": "x"})
    assert "target" in response.context["form"].errors
    hidden = client_for("tj_officer").post(url, {"target": world["jp_draft_broker"].reference, "reason": "x"})
    missing = client_for("tj_officer").post(url, {"target": "JP-BRO-2026-9999", "reason": "x"})
    assert hidden.context["form"].errors["target"] == missing.context["form"].errors["target"]


# --- Home card and admin ----------------------------------------------------------------------


def test_the_home_card_shows_the_medians_to_the_sides_only(client_for, cast, world):
    kit.acknowledge(world["tj_report"], cast["jp_contact"])
    home = client_for("tj_officer").get("/")
    text = home.content.decode()
    assert 'id="brokers-promptness-heading"' in text
    from brokers.cards import promptness

    card = promptness(cast["tj_officer"])
    sides = {row["side_name"] for row in card["figures"]}
    assert sides == {world["tj_report"].origin.side.name, world["jp_report"].origin.side.name}
    assert all(row["reports"] == 1 for row in card["figures"])
    assert promptness(cast["maff_viewer"]) is None
    assert 'id="brokers-promptness-heading"' not in client_for("maff_viewer").get("/").content.decode()


def test_the_admin_masks_identifiers_and_changes_nothing(client_for, world):
    admin = client_for("admin")
    page = admin.get(reverse("admin:brokers_broker_change", args=[world["broker"].pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "123456789" not in text and "••••••789" in text
    assert admin.get(reverse("admin:brokers_misconductreport_changelist")).status_code == 200
    assert admin.get(reverse("admin:brokers_broker_add")).status_code == 403


# --- In the browser ------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_pages_have_no_accessibility_violations(live_server, cast):
    """axe finds no WCAG 2.1 AA violation on the report list, a report, the report form
    sent with errors (its summary's link moves the focus to the fact), the broker search
    and a broker's page with its table of categories by month."""
    from portal.testing.browser import new_page, no_accessibility_violations, sign_in

    tj = cast["tj_officer"]
    broker = services.share_broker(
        services.record_broker(
            tj, name="Раҳимов Фаррух", kind="person", country="TJ", taxpayer_number="123456789"
        ),
        tj,
    )
    report = new_report(tj, [broker])
    base = live_server.url
    with new_page(viewport={"width": 1280, "height": 900}) as page:
        sign_in(page, base, "tj-officer")
        for url in (
            reverse("brokers:reports"),
            report.get_absolute_url(),
            reverse("brokers:brokers") + "?q=Rahimov",
            broker.get_absolute_url(),
            reverse("brokers:broker-create"),
        ):
            page.goto(base + url)
            no_accessibility_violations(page)
        page.goto(base + reverse("brokers:report-create"))
        no_accessibility_violations(page)
        page.check("#id_categories_0")
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        assert page.evaluate("document.activeElement.classList.contains('error-summary')")
        no_accessibility_violations(page)
        page.click(".error-summary a[href='#id_held_amount']")
        assert page.evaluate("document.activeElement.id") == "id_held_amount"
