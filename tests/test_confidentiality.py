"""Clause 3 defended at the shared mechanism: one test per rule, each named after it.
(The canary crawl in test_canary.py sweeps every URL for the whole class.)"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from agencies import services as agency_services
from agencies.choices import InvestigationOutcome
from agencies.testing import certified, register, screen
from portal import services
from portal.models import AuditEntry, Correspondence, DisclosureConsent, Organization

FINDINGS = "FINDINGS-OF-TAJIKISTAN-7f3a"
FACTS = "FACTS-OF-JAPAN-91c2"


@pytest.fixture
def investigation(cast):
    """Japan's report, investigated: Japan's facts and Tajikistan's findings in one record."""
    agency = certified(cast["tj_officer"])
    record = agency_services.report_for_investigation(
        cast["jp_officer"], agency, facts=FACTS, due_on=timezone.localdate() + dt.timedelta(days=20)
    )
    record = agency_services.assign_investigation(record, cast["tj_contact"], assignee=cast["tj_officer"])
    return agency_services.send_investigation_result(
        record,
        cast["tj_officer"],
        findings=FINDINGS,
        measures="MEASURES",
        outcome=InvestigationOutcome.GUIDANCE,
    )


def consent(record, actor, *, days=10, third_party="tj-embassy-jp"):
    return services.grant_consent(
        record,
        actor,
        third_party=Organization.objects.get(code=third_party),
        document_reference="Letter 2026-1",
        expires_at=timezone.now() + dt.timedelta(days=days),
    )


def same_page(content: bytes, pk: int) -> bytes:
    """A page with the id asked for and the per-response CSRF mask taken out."""
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
    return content.replace(str(pk).encode(), b"ID")


def read(client_for, who, record):
    page = client_for(who).get(f"/agencies/investigations/{record.pk}/")
    api = client_for(who).get(f"/api/v1/investigations/{record.pk}/")
    return page, api


def test_a_consent_discloses_only_the_parts_of_the_side_that_gave_it(cast, client_for, investigation):
    consent(investigation, cast["jp_contact"])  # Japan consents: Japan's report only
    page, api = read(client_for, "embassy_viewer", investigation)
    assert page.status_code == api.status_code == 200
    html, data = page.content.decode(), api.json()
    assert FACTS in html and data["facts"] == FACTS
    assert FINDINGS not in html and "MEASURES" not in html and "tj-officer" not in html
    assert {"findings", "measures", "outcome", "assigned_to", "stage"}.isdisjoint(data)
    assert FINDINGS not in api.content.decode()


def test_the_counterpart_side_may_disclose_its_own_part_alone(cast, client_for, investigation):
    consent(investigation, cast["tj_contact"])  # Tajikistan consents: its findings only
    page, api = read(client_for, "embassy_viewer", investigation)
    assert page.status_code == api.status_code == 200
    assert FINDINGS in page.content.decode() and api.json()["findings"] == FINDINGS
    assert FACTS not in page.content.decode() and "facts" not in api.json()
    both = consent(investigation, cast["jp_contact"])
    assert both.side.code == "japan"
    page, api = read(client_for, "embassy_viewer", investigation)
    assert FACTS in page.content.decode() and FINDINGS in page.content.decode()


def test_a_side_without_a_part_cannot_consent(cast):
    letter = services.draft_correspondence(
        cast["jp_contact"], recipient=Organization.objects.get(code="tj-ms-lpsa"), subject="S", body="B"
    )
    letter = services.send_correspondence(letter, cast["jp_contact"])
    with pytest.raises(services.PermissionDenied):
        consent(letter, cast["tj_contact"])


def test_an_expired_consent_opens_nothing_even_before_the_job_runs(cast, client_for, investigation):
    given = consent(investigation, cast["jp_contact"])
    assert read(client_for, "embassy_viewer", investigation)[1].status_code == 200
    DisclosureConsent.objects.filter(pk=given.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    page, api = read(client_for, "embassy_viewer", investigation)
    assert page.status_code == api.status_code == 404
    listed = client_for("embassy_viewer").get("/api/v1/investigations/").json()["results"]
    assert listed == []
    assert DisclosureConsent.objects.get(pk=given.pk).revoked_at is None  # the job has not run


def test_filter_choices_name_only_what_the_caller_may_see(cast, client_for):
    hidden = register(cast["tj_officer"], name_en="HIDDEN-UNDER-SCREENING-AGENCY")
    screen(hidden, cast["tj_officer"])
    shown = certified(cast["tj_officer"], name_en="SHOWN-CERTIFIED-AGENCY")
    for who in ("jp_contact", "embassy_viewer"):
        page = client_for(who).get("/api/v1/screenings/?format=api").content.decode()
        assert "HIDDEN-UNDER-SCREENING-AGENCY" not in page
        assert f'value="{hidden.pk}"' not in page
    page = client_for("tj_officer").get("/api/v1/screenings/?format=api").content.decode()
    assert f'value="{hidden.pk}"' in page and f'value="{shown.pk}"' in page


def test_hidden_and_missing_ids_get_the_same_answer(cast, client_for):
    hidden = register(cast["tj_officer"])
    missing = hidden.pk + 10_000
    client = client_for("jp_officer")
    for url in ("/api/v1/screenings/?agency={}", "/api/v1/agencies/{}/", "/agencies/{}/"):
        a, b = client.get(url.format(hidden.pk)), client.get(url.format(missing))
        assert a.status_code == b.status_code, url
        assert same_page(a.content, hidden.pk) == same_page(b.content, missing), url
    body = {"facts": "x", "due_on": str(timezone.localdate() + dt.timedelta(days=9))}
    a = client.post("/api/v1/investigations/", {**body, "agency": hidden.pk}, content_type="application/json")
    b = client.post("/api/v1/investigations/", {**body, "agency": missing}, content_type="application/json")
    assert a.status_code == b.status_code == 400
    assert a.json()["agency"][0].replace(str(hidden.pk), "ID") == b.json()["agency"][0].replace(
        str(missing), "ID"
    )


def test_the_taxpayer_number_stays_with_the_partner_ministry(cast, client_for):
    agency = certified(cast["tj_officer"], tax_number="TAX-0042-SECRET")
    for who in ("jp_contact", "jp_officer", "jp_analyst"):
        assert "TAX-0042-SECRET" not in client_for(who).get(f"/agencies/{agency.pk}/").content.decode()
        api = client_for(who).get(f"/api/v1/agencies/{agency.pk}/")
        assert api.status_code == 200 and "tax_number" not in api.json()
        assert "TAX-0042-SECRET" not in client_for(who).get("/api/v1/agencies/").content.decode()
    assert client_for("tj_officer").get(f"/api/v1/agencies/{agency.pk}/").json()["tax_number"] == (
        "TAX-0042-SECRET"
    )


def test_an_audit_entry_never_carries_what_its_reader_may_not_see(cast, client_for):
    # A Japanese draft (its organization only) and a Tajik agency under screening.
    draft = services.draft_correspondence(
        cast["jp_officer"],
        recipient=Organization.objects.get(code="tj-ms-lpsa"),
        subject="DRAFT-SUBJECT-5e1",
        body="DRAFT-BODY-5e1",
    )
    agency = register(cast["tj_officer"], name_en="SCREENED-AGENCY-9b0")
    # Refused lookups by the other side.
    assert client_for("tj_contact").get(f"/correspondence/{draft.pk}/").status_code == 404
    assert client_for("jp_officer").get(f"/agencies/{agency.pk}/").status_code == 404
    for who, secrets in (
        ("tj_contact", ["DRAFT-SUBJECT-5e1", "DRAFT-BODY-5e1"]),
        ("jp_contact", ["SCREENED-AGENCY-9b0", "DRAFT-SUBJECT-5e1", "DRAFT-BODY-5e1"]),
    ):
        client = client_for(who)
        exported = client.get("/audit/export.csv").getvalue().decode()
        listed = client.get("/audit/").content.decode()
        for secret in secrets:
            assert secret not in exported and secret not in listed, (who, secret)
        # Nor found by searching for it: a match would confirm what the page hides.
        found = client.get("/audit/", {"object": "SCREENED-AGENCY-9b0"}).content.decode()
        assert f"#{agency.pk}<" not in found and f"#{agency.pk}:" not in found
    created = AuditEntry.objects.get(action="record.created", object_id=str(draft.pk))
    assert created.object_repr == "" and created.before is None
    assert set(created.after["fields"]) >= {"subject", "body"} and "DRAFT" not in str(created.after)


def test_refused_lookups_are_audited_alike_for_hidden_and_missing(cast, client_for):
    draft = services.draft_correspondence(
        cast["jp_officer"], recipient=Organization.objects.get(code="tj-ms-lpsa"), subject="S", body="B"
    )
    client = client_for("tj_contact")
    client.get(f"/correspondence/{draft.pk}/")
    client.get(f"/correspondence/{draft.pk + 5000}/")
    entries = AuditEntry.objects.filter(action="authz.denied").order_by("id")
    assert [(e.content_type.model, e.object_repr) for e in entries] == [("correspondence", "")] * 2
    assert [e.object_id for e in entries] == [str(draft.pk), str(draft.pk + 5000)]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/agencies/abc/",
        "/api/v1/investigations/abc/",
        "/api/v1/correspondence/abc/",
        "/api/v1/screenings/1e3/",
        "/api/v1/published-agency-lists/abc/?publisher=japan",
    ],
)
def test_a_non_numeric_id_is_a_404_not_an_error(cast, client_for, url):
    assert client_for("tj_contact").get(url).status_code == 404


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/api/v1/published-agency-lists/?publisher=%00", None),
        ("get", "/agencies/?q=%00", None),
        ("get", "/public/agencies/japan/?q=a%00b", None),
        ("post", "/accounts/login/", {"username": "a\x00b", "password": "x"}),
        ("post", "/api/v1/correspondence/", '{"recipient": "jp-isa", "subject": "a\\u0000", "body": "b"}'),
    ],
)
def test_a_nul_byte_is_a_400_not_an_error(cast, client_for, method, url, data):
    client = client_for("tj_contact")
    if method == "get":
        response = client.get(url)
    elif isinstance(data, str):
        response = client.post(url, data, content_type="application/json")
    else:
        response = client.post(url, data)
    assert response.status_code == 400


def test_patch_is_held_to_the_rules_of_create_and_a_refused_send_keeps_the_draft(cast, client_for):
    client = client_for("tj_contact")
    created = client.post(
        "/api/v1/correspondence/",
        {"recipient": "jp-isa-rmd", "subject": "S", "body": "B"},
        content_type="application/json",
    )
    pk = created.json()["id"]
    patched = client.patch(
        f"/api/v1/correspondence/{pk}/", {"recipient": "tj-embassy-jp"}, content_type="application/json"
    )
    assert patched.status_code == 400 and "other side" in patched.json()["recipient"][0]
    # Even if a third party had been stored as the recipient, sending is refused whole.
    Correspondence.objects.filter(pk=pk).update(recipient=Organization.objects.get(code="tj-embassy-jp"))
    sent = client.post(f"/api/v1/correspondence/{pk}/send/")
    assert sent.status_code == 400
    assert Correspondence.objects.get(pk=pk).status == "draft"


def test_control_characters_are_refused_by_every_serializer(cast, client_for):
    response = client_for("tj_contact").post(
        "/api/v1/correspondence/",
        {"recipient": "jp-isa-rmd", "subject": "a\x0bb", "body": "ok"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "subject" in response.json()


def test_japan_reads_what_was_provided_to_it_not_the_register_s_history(cast, client_for):
    officer = cast["tj_officer"]
    agency = register(officer)
    agency_services.reject(agency, officer, reason="REJECTION-REASON-INTERNAL-3c")
    agency_services.reapply(agency, officer)
    screen(agency, officer)
    today = timezone.localdate()
    agency_services.certify(
        agency,
        officer,
        certification_number="TJ-HIST-1",
        certified_on=today,
        valid_until=today + dt.timedelta(days=365),
    )
    for who in ("jp_contact", "jp_analyst"):
        page = client_for(who).get(f"/agencies/{agency.pk}/").content.decode()
        events = client_for(who).get(f"/api/v1/agencies/{agency.pk}/events/").json()
        assert "REJECTION-REASON-INTERNAL-3c" not in page
        assert [event["to_status"] for event in events] == ["certified"]
    events = client_for("tj_analyst").get(f"/api/v1/agencies/{agency.pk}/events/").json()
    assert "REJECTION-REASON-INTERNAL-3c" in [event["reason"] for event in events]


def test_a_third_party_s_list_reads_its_consents_once_a_page(
    cast, client_for, investigation, django_assert_max_num_queries
):
    consent(investigation, cast["jp_contact"])
    for _ in range(3):
        other = agency_services.report_for_investigation(
            cast["jp_officer"],
            investigation.agency,
            facts=FACTS,
            due_on=timezone.localdate() + dt.timedelta(days=20),
        )
        consent(other, cast["jp_contact"])
    client = client_for("embassy_viewer")
    client.get("/agencies/investigations/")  # warm the session and caches
    # One query per row would add four: 10 and 9 without the page-wide read.
    with django_assert_max_num_queries(7):
        assert client.get("/agencies/investigations/").status_code == 200
    with django_assert_max_num_queries(6):
        assert len(client.get("/api/v1/investigations/").json()["results"]) == 4
