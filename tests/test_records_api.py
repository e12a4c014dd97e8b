"""The shared-record kit in the REST API (issue 9, ``portal.records.api``): acknowledge,
assign, attachments, timeline and requests for written consent on every record kind,
with the page's rules: the right role and side succeed with their audit entry, the
others get 403 (role or side), 404 (cannot read the record) or 409 (its state); a third
party with one side's consent reads that side's files and steps alone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from agencies import services as agency_services
from agencies.choices import InvestigationOutcome
from portal import services
from portal.models import AuditEntry, Organization
from portal.records.models import Attachment, ConsentRequest
from portal.testing.files import PDF

pytestmark = pytest.mark.postgres

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def investigation(reported_investigation):
    return reported_investigation


@pytest.fixture
def url(investigation):
    return lambda action: f"/api/v1/investigations/{investigation.pk}/{action}/"


def audited(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def consent(record, actor, third_party="tj-embassy-jp"):
    return services.grant_consent(
        record,
        actor,
        third_party=Organization.objects.get(code=third_party),
        document_reference="Letter 2026-9",
        expires_at=timezone.now() + dt.timedelta(days=10),
    )


def ask(client, path, *, side="japan", third_party="tj-embassy-jp", **more):
    return post(
        client,
        path,
        {
            "third_party": third_party,
            "side": side,
            "purpose": "The Embassy assists the workers concerned.",
            "requested_until": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
            **more,
        },
    )


# --- Acknowledge ------------------------------------------------------------------------


def test_the_receiving_side_acknowledges_once(client_for, investigation, url):
    response = post(client_for("tj_contact"), url("acknowledge"))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["acknowledged_at"] and data["reference"] == investigation.reference
    assert data["time_to_acknowledge_seconds"] >= 0 and data["time_to_share_seconds"] >= 0
    assert audited("record.acknowledged") == 1
    again = post(client_for("tj_officer"), url("acknowledge"))
    assert again.status_code == 409 and again.json()["code"] == "transition_not_allowed"
    assert audited("record.acknowledged") == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("jp_officer", 403),  # the side that sent it does not acknowledge it
        ("jp_contact", 403),
        ("tj_analyst", 403),  # a read-only role
        ("embassy_viewer", 403),
        ("admin", 403),  # the superuser administers, it does not act for a side
    ],
)
def test_the_others_may_not_acknowledge(client_for, investigation, url, who, status):
    response = post(client_for(who), url("acknowledge"))
    assert response.status_code == status, response.content
    assert audited("record.acknowledged") == 0
    investigation.refresh_from_db()
    assert investigation.acknowledged_at is None


def test_a_draft_of_the_other_side_is_not_found(cast, client_for):
    letter = services.draft_correspondence(
        cast["jp_contact"], recipient=Organization.objects.get(code="tj-ms-lpsa"), subject="S", body="B"
    )
    response = post(client_for("tj_contact"), f"/api/v1/correspondence/{letter.pk}/acknowledge/")
    assert response.status_code == 404


def test_a_letter_is_acknowledged_and_assigned_through_the_same_actions(cast, client_for):
    letter = services.draft_correspondence(
        cast["jp_contact"], recipient=Organization.objects.get(code="tj-ms-lpsa"), subject="S", body="B"
    )
    services.send_correspondence(letter, cast["jp_contact"])
    client = client_for("tj_contact")
    assert post(client, f"/api/v1/correspondence/{letter.pk}/acknowledge/").status_code == 200
    response = post(
        client, f"/api/v1/correspondence/{letter.pk}/assign/", {"assignee": cast["tj_officer"].pk}
    )
    assert response.status_code == 200, response.content
    assert response.json()["assigned_to"] == "tj-officer" and response.json()["reference"] == letter.reference
    assert audited("record.acknowledged") == audited("record.assigned") == 1


# --- Assign -----------------------------------------------------------------------------


def test_the_receiving_side_assigns_an_officer(cast, client_for, investigation, url):
    response = post(client_for("tj_contact"), url("assign"), {"assignee": cast["tj_officer"].pk})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["assigned_to"] == "tj-officer" and data["stage"] == "under_investigation"
    assert data["acknowledged_at"]  # assigning is acknowledging
    assert audited("record.assigned") == 1


def test_an_unknown_and_a_non_eligible_assignee_get_the_same_400(cast, client_for, investigation, url):
    client = client_for("tj_contact")
    answers = [
        post(client, url("assign"), {"assignee": assignee})
        for assignee in (
            999_999,  # nobody
            cast["jp_officer"].pk,  # the side that sent it
            cast["tj_analyst"].pk,  # a read-only role
            cast["embassy_viewer"].pk,  # a third party
            "tj-officer",  # a username is not an id
        )
    ]
    assert {answer.status_code for answer in answers} == {400}
    assert len({answer.content for answer in answers}) == 1
    assert answers[0].json() == {
        "assignee": ["Assign the record to an officer of the side that received it."]
    }
    assert audited("record.assigned") == 0


@pytest.mark.parametrize("who", ["jp_officer", "jp_contact"])
def test_the_sending_side_may_not_assign_whatever_the_body(cast, client_for, investigation, url, who):
    for assignee in (cast["tj_officer"].pk, 999_999):
        response = post(client_for(who), url("assign"), {"assignee": assignee})
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert audited("record.assigned") == 0


def test_a_closed_record_is_not_assigned(cast, client_for, investigation, url):
    record = agency_services.assign_investigation(
        investigation, cast["tj_contact"], assignee=cast["tj_officer"]
    )
    agency_services.send_investigation_result(
        record, cast["tj_officer"], findings="Found.", measures="", outcome=InvestigationOutcome.GUIDANCE
    )
    before = audited("record.assigned")
    response = post(client_for("tj_contact"), url("assign"), {"assignee": cast["tj_contact"].pk})
    assert response.status_code == 409
    assert audited("record.assigned") == before


# --- Attachments ------------------------------------------------------------------------


def upload(client, path, name, content, description=""):
    return client.post(path, {"file": SimpleUploadedFile(name, content), "description": description})


def test_both_sides_list_and_add_files(client_for, investigation, url):
    listed = client_for("tj_officer").get(url("attachments"))
    assert listed.status_code == 200
    [statement] = listed.json()
    attachment = investigation.attachments.get()
    assert statement["name"] == "statement.pdf" and statement["url"] == f"/files/{attachment.pk}/"
    assert statement["media_type"] == "application/pdf" and statement["size"] == len(PDF)
    assert statement["sha256"] == attachment.sha256 and statement["side"] == "japan"

    response = upload(client_for("tj_officer"), url("attachments"), "findings.pdf", PDF, "Site visit")
    assert response.status_code == 201, response.content
    assert response.json()["side"] == "tajikistan" and response.json()["description"] == "Site visit"
    assert audited("record.attached") == 1
    names = [row["name"] for row in client_for("jp_officer").get(url("attachments")).json()]
    assert names == ["statement.pdf", "findings.pdf"]
    downloaded = client_for("jp_officer").get(response.json()["url"])
    assert downloaded.status_code == 200


@pytest.mark.parametrize(("name", "content"), [("report.pdf", SVG), ("report.pdf", HTML)])
def test_an_svg_or_html_named_pdf_is_a_400(client_for, investigation, url, name, content):
    response = upload(client_for("tj_officer"), url("attachments"), name, content)
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert investigation.attachments.count() == 1
    assert audited("record.attached") == 0


def test_a_file_is_not_added_by_a_reader_or_to_a_withdrawn_draft(cast, client_for, investigation, url):
    assert upload(client_for("jp_analyst"), url("attachments"), "a.pdf", PDF).status_code == 403
    assert upload(client_for("maff_viewer"), url("attachments"), "a.pdf", PDF).status_code == 403
    letter = services.draft_correspondence(
        cast["jp_contact"], recipient=Organization.objects.get(code="tj-ms-lpsa"), subject="S", body="B"
    )
    path = f"/api/v1/correspondence/{letter.pk}/attachments/"
    assert upload(client_for("tj_contact"), path, "a.pdf", PDF).status_code == 404  # not theirs to read
    services.withdraw_draft(letter, cast["jp_contact"])
    assert upload(client_for("jp_contact"), path, "a.pdf", PDF).status_code == 409
    assert audited("record.attached") == 0 and Attachment.objects.count() == 1


# --- Timeline ---------------------------------------------------------------------------


def test_the_timeline_names_each_step_its_actor_and_side(cast, client_for, investigation, url):
    agency_services.assign_investigation(investigation, cast["tj_contact"], assignee=cast["tj_officer"])
    steps = client_for("jp_analyst").get(url("timeline")).json()
    actions = [step["action"] for step in steps]
    assert actions[:2] == ["created", "attached"] and "acknowledged" in actions and "assigned" in actions
    created = steps[0]
    assert created["label"] == "Created" and created["side"] == "japan"
    assert created["actor"] == (cast["jp_officer"].get_full_name() or "jp-officer")
    assigned = next(step for step in steps if step["action"] == "assigned")
    assert assigned["side"] == "tajikistan" and assigned["label"] == "Assigned to an officer"


# --- A third party with one side's consent ---------------------------------------------


def test_a_third_party_reads_only_the_consenting_side_s_files_and_steps(cast, client_for, investigation, url):
    agency_services.assign_investigation(investigation, cast["tj_contact"], assignee=cast["tj_officer"])
    services.attach(investigation, cast["tj_officer"], SimpleUploadedFile("findings.pdf", PDF))
    consent(investigation, cast["jp_contact"])  # Japan's part only
    embassy = client_for("embassy_viewer")

    files = embassy.get(url("attachments"))
    assert files.status_code == 200
    assert [row["name"] for row in files.json()] == ["statement.pdf"]
    steps = embassy.get(url("timeline")).json()
    assert steps and {step["side"] for step in steps} == {"japan"}
    assert "assigned" not in {step["action"] for step in steps}

    record = embassy.get(f"/api/v1/investigations/{investigation.pk}/").json()
    assert record["reference"] == investigation.reference and "due_on" in record
    withheld = {"acknowledged_at", "assigned_to", "time_to_acknowledge_seconds", "stage", "findings"}
    assert withheld.isdisjoint(record)
    listed = embassy.get("/api/v1/investigations/").json()["results"]
    assert [row["id"] for row in listed] == [investigation.pk] and withheld.isdisjoint(listed[0])
    # Nothing of the record reaches a third party without a consent.
    assert client_for("maff_viewer").get(url("attachments")).status_code == 404
    assert client_for("maff_viewer").get(url("timeline")).status_code == 404
    # Requests for consent are between the sides.
    assert embassy.get(url("consent-requests")).json() == []


def test_with_the_other_side_s_consent_too_it_reads_both(cast, client_for, investigation, url):
    services.attach(investigation, cast["tj_officer"], SimpleUploadedFile("findings.pdf", PDF))
    consent(investigation, cast["jp_contact"])
    consent(investigation, cast["tj_contact"])
    names = [row["name"] for row in client_for("embassy_viewer").get(url("attachments")).json()]
    assert names == ["statement.pdf", "findings.pdf"]


# --- Hidden and missing ----------------------------------------------------------------


@pytest.mark.parametrize("action", ["timeline", "attachments", "consent-requests"])
def test_a_hidden_id_and_a_missing_id_get_the_same_404(client_for, investigation, action):
    client = client_for("maff_viewer")  # no consent: the investigation is hidden from it
    hidden = client.get(f"/api/v1/investigations/{investigation.pk}/{action}/")
    missing = client.get(f"/api/v1/investigations/{investigation.pk + 1000}/{action}/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_a_hidden_and_a_missing_record_refuse_a_write_alike(cast, client_for):
    letter = services.draft_correspondence(
        cast["jp_contact"], recipient=Organization.objects.get(code="tj-ms-lpsa"), subject="S", body="B"
    )
    client = client_for("tj_contact")
    for action in ("acknowledge", "assign", "consent-requests"):
        hidden = post(client, f"/api/v1/correspondence/{letter.pk}/{action}/", {"assignee": 1})
        missing = post(client, f"/api/v1/correspondence/{letter.pk + 1000}/{action}/", {"assignee": 1})
        assert hidden.status_code == missing.status_code == 404
        assert hidden.content == missing.content


def test_a_hidden_and_a_missing_consent_request_alike(cast, client_for, investigation, url):
    assert ask(client_for("jp_officer"), url("consent-requests")).status_code == 201
    request = ConsentRequest.objects.get()
    client = client_for("embassy_viewer")
    hidden = client.get(f"/api/v1/consent-requests/{request.pk}/")
    missing = client.get(f"/api/v1/consent-requests/{request.pk + 1000}/")
    assert hidden.status_code == missing.status_code == 404 and hidden.content == missing.content


# --- Requests for written consent -------------------------------------------------------


def test_an_officer_asks_and_the_asked_side_s_contact_point_grants(cast, client_for, investigation, url):
    response = ask(client_for("tj_officer"), url("consent-requests"))
    assert response.status_code == 201, response.content
    asked = response.json()
    assert (
        asked["status"] == "pending" and asked["side"] == "japan" and asked["third_party"] == "tj-embassy-jp"
    )
    assert asked["record_type"] == "investigation" and asked["record_id"] == investigation.pk
    assert audited("consent.requested") == 1
    assert [row["id"] for row in client_for("jp_analyst").get(url("consent-requests")).json()] == [
        asked["id"]
    ]
    listed = client_for("jp_contact").get("/api/v1/consent-requests/").json()["results"]
    assert [row["id"] for row in listed] == [asked["id"]]
    assert client_for("embassy_viewer").get("/api/v1/consent-requests/").json()["results"] == []

    decide = f"/api/v1/consent-requests/{asked['id']}/decide/"
    # Tajikistan was not asked: its contact point does not decide for Japan.
    assert post(client_for("tj_contact"), decide, {"decision": "grant"}).status_code == 403
    assert post(client_for("jp_officer"), decide, {"decision": "grant"}).status_code == 403
    granted = post(client_for("jp_contact"), decide, {"decision": "grant", "note": "For the workers."})
    assert granted.status_code == 200, granted.content
    assert granted.json()["status"] == "granted" and granted.json()["consent"]
    assert audited("consent.request_granted") == 1 and audited("consent.granted") == 1
    again = post(client_for("jp_contact"), decide, {"decision": "refuse", "note": "No."})
    assert again.status_code == 409
    # The Embassy now reads Japan's part.
    assert client_for("embassy_viewer").get(url("attachments")).status_code == 200


def test_a_refusal_needs_a_reason(cast, client_for, investigation, url):
    asked = ask(client_for("jp_officer"), url("consent-requests"), side="tajikistan").json()
    decide = f"/api/v1/consent-requests/{asked['id']}/decide/"
    assert post(client_for("tj_contact"), decide, {"decision": "refuse"}).status_code == 400
    assert post(client_for("tj_contact"), decide, {"decision": "maybe"}).status_code == 400
    refused = post(client_for("tj_contact"), decide, {"decision": "refuse", "note": "Ongoing."})
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    assert refused.json()["decision_note"] == "Ongoing."
    assert audited("consent.refused") == 1 and audited("consent.request_granted") == 0


def test_the_asking_organization_cancels(cast, client_for, investigation, url):
    asked = ask(client_for("jp_officer"), url("consent-requests")).json()
    cancel = f"/api/v1/consent-requests/{asked['id']}/cancel/"
    assert post(client_for("tj_officer"), cancel).status_code == 403
    assert post(client_for("jp_analyst"), cancel).status_code == 403
    response = post(client_for("jp_officer"), cancel)
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert audited("consent.request_cancelled") == 1
    assert post(client_for("jp_officer"), cancel).status_code == 409


def test_a_request_is_refused_when_it_cannot_be_made(cast, client_for, investigation, url):
    client = client_for("jp_officer")
    assert ask(client, url("consent-requests"), third_party="tj-mlme").status_code == 400  # not a third party
    assert ask(client, url("consent-requests"), purpose="  ").status_code == 400
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    assert ask(client, url("consent-requests"), requested_until=past).status_code == 400
    assert ask(client_for("embassy_viewer"), url("consent-requests")).status_code == 403
    letter = services.draft_correspondence(
        cast["jp_contact"], recipient=Organization.objects.get(code="tj-ms-lpsa"), subject="S", body="B"
    )
    draft = ask(client_for("jp_contact"), f"/api/v1/correspondence/{letter.pk}/consent-requests/")
    assert draft.status_code == 409  # only a shared record is disclosed
    # A letter has no part of the receiving side: Tajikistan is not the one to ask.
    services.send_correspondence(letter, cast["jp_contact"])
    other = ask(
        client_for("jp_contact"), f"/api/v1/correspondence/{letter.pk}/consent-requests/", side="tajikistan"
    )
    assert other.status_code == 400
    assert audited("consent.requested") == 0 and not ConsentRequest.objects.exists()


# --- Reference --------------------------------------------------------------------------


def test_a_record_is_found_by_its_reference(cast, client_for, investigation):
    other = agency_services.report_for_investigation(
        cast["jp_officer"],
        investigation.agency,
        facts="Another.",
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )
    client = client_for("tj_contact")
    found = client.get("/api/v1/investigations/", {"reference": investigation.reference}).json()["results"]
    assert [row["id"] for row in found] == [investigation.pk]
    assert {row["id"] for row in client.get("/api/v1/investigations/").json()["results"]} == {
        investigation.pk,
        other.pk,
    }


def test_a_third_party_cannot_order_by_what_is_withheld(cast, client_for, investigation):
    later = agency_services.report_for_investigation(
        cast["jp_officer"],
        investigation.agency,
        facts="Another.",
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )
    services.acknowledge(investigation, cast["tj_contact"])  # the older one only
    for record in (investigation, later):
        consent(record, cast["jp_contact"])  # Japan's part: not Tajikistan's acknowledgement
    embassy = client_for("embassy_viewer")

    def ids(ordering):
        rows = embassy.get("/api/v1/investigations/", {"ordering": ordering}).json()["results"]
        return [row["id"] for row in rows]

    # Honoured, ``acknowledged_at`` would put the acknowledged record first; it is ignored.
    assert ids("acknowledged_at") == ids("assigned_to") == [later.pk, investigation.pk]
    assert ids("reference") == [investigation.pk, later.pk]
