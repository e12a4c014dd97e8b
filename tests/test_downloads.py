"""Attachments can be opened, and only by whoever may read the record that holds them
(issue 9, clause 3): one download view, the owner's restrict() and withheld parts,
the same 404 for hidden, missing and undeclared, an audit entry per download."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from agencies import services as agency_services
from agencies.testing import register
from portal import services
from portal.models import AuditEntry, Organization
from portal.testing.files import PDF
from portal.testing.matrix import ADMIN, BOTH_SIDES, CAST, TAJIKISTAN


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def attachment(reported_investigation):
    """Japan's statement on its report, a real small PDF."""
    return reported_investigation.attachments.get()


@pytest.fixture
def evidence(cast):
    """A document supporting one criterion of a screening in the partner's register."""
    officer = cast["tj_officer"]
    screening = agency_services.start_screening(register(officer), officer)
    return agency_services.add_evidence(
        screening.results.first(), officer, SimpleUploadedFile("licence.pdf", PDF)
    )


def consent(record, actor):
    return services.grant_consent(
        record,
        actor,
        third_party=Organization.objects.get(code="tj-embassy-jp"),
        document_reference="Letter 2026-7",
        expires_at=timezone.now() + dt.timedelta(days=10),
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_downloaded(response, content: bytes, filename: str) -> None:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert f'filename="{filename}"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert body(response) == content


@pytest.mark.parametrize("name", CAST)
def test_an_investigation_attachment_goes_to_the_readers_of_the_investigation(name, client_for, attachment):
    response = client_for(name).get(attachment.get_absolute_url())
    if name in BOTH_SIDES | ADMIN:
        assert_downloaded(response, PDF, "statement.pdf")
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("name", CAST)
def test_screening_evidence_goes_to_the_partners_register_only(name, client_for, evidence):
    response = client_for(name).get(evidence.get_absolute_url())
    if name in TAJIKISTAN | ADMIN:
        assert_downloaded(response, PDF, "licence.pdf")
    else:
        assert response.status_code == 404


def test_the_contact_point_downloads_the_report_and_it_is_audited(cast, client_for, attachment):
    page = client_for("tj_contact").get(attachment.owner.get_absolute_url())
    assert f'href="{attachment.get_absolute_url()}"' in page.content.decode()
    assert ">statement.pdf</a>" in page.content.decode()
    assert str(attachment) == attachment.label == "statement.pdf"

    response = client_for("tj_contact").get(attachment.get_absolute_url())
    assert_downloaded(response, PDF, "statement.pdf")
    entry = AuditEntry.objects.get(action="file.downloaded")
    assert entry.actor == cast["tj_contact"]
    assert (entry.content_type.model, entry.object_id) == ("attachment", str(attachment.pk))
    assert entry.object_repr == ""  # a confidential file's name stays out of the trail


def test_head_answers_and_other_methods_do_not(client_for, attachment):
    client = client_for("tj_contact")
    assert client.head(attachment.get_absolute_url()).status_code == 200
    assert client.post(attachment.get_absolute_url()).status_code == 405


def test_the_screening_page_links_its_evidence(client_for, evidence):
    screening = evidence.owner.screening
    page = client_for("tj_analyst").get(screening.get_absolute_url()).content.decode()  # the read-only table
    assert f'href="{evidence.get_absolute_url()}"' in page and ">licence.pdf</a>" in page


def test_a_third_party_gets_the_file_only_with_the_consent_of_the_side_it_came_from(
    cast, client_for, attachment
):
    url = attachment.get_absolute_url()
    investigation = attachment.owner
    assert client_for("embassy_viewer").get(url).status_code == 404  # no consent

    tajik = consent(investigation, cast["tj_contact"])  # the findings' side only
    assert client_for("embassy_viewer").get(investigation.get_absolute_url()).status_code == 200
    assert client_for("embassy_viewer").get(url).status_code == 404  # Japan's part stays withheld
    page = client_for("embassy_viewer").get(investigation.get_absolute_url()).content.decode()
    assert url not in page and "statement.pdf" not in page

    consent(investigation, cast["jp_contact"])
    assert_downloaded(client_for("embassy_viewer").get(url), PDF, "statement.pdf")
    assert client_for("maff_viewer").get(url).status_code == 404  # the consent names one third party

    services.withdraw_consent(tajik, cast["tj_contact"])
    assert client_for("embassy_viewer").get(url).status_code == 200  # Japan's consent still holds


def test_signed_out_goes_to_the_sign_in_page(client_for, attachment):
    response = client_for(None).get(attachment.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def same_page(content: bytes, pk: int) -> bytes:
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
    return content.replace(str(pk).encode(), b"ID")


def test_hidden_missing_and_undeclared_get_the_same_answer(cast, client_for, attachment, evidence):
    client = client_for("embassy_viewer")
    hidden = client.get(attachment.get_absolute_url())
    missing_pk = attachment.pk + 10_000
    missing = client.get(f"/files/{missing_pk}/")
    assert hidden.status_code == missing.status_code == 404
    assert same_page(hidden.content, attachment.pk) == same_page(missing.content, missing_pk)
    # Only attachments are served: no other model's id, no path.
    for url in ("/files/agencies/investigation/1/", "/files/nothing/", "/files/-1/"):
        response = client_for("admin").get(url)
        assert response.status_code == 404, url
    # Japan's side may not read the partner's screening: the evidence is "not found".
    japan = client_for("jp_contact")
    hidden = japan.get(evidence.get_absolute_url())
    missing = japan.get(f"/files/{evidence.pk + 10_000}/")
    assert hidden.status_code == missing.status_code == 404
    assert same_page(hidden.content, evidence.pk) == same_page(missing.content, evidence.pk + 10_000)
    assert not AuditEntry.objects.filter(action="file.downloaded").exists()
    refused = AuditEntry.objects.filter(
        action="authz.denied", content_type__model="attachment", actor=cast["jp_contact"]
    )
    assert set(refused.values_list("object_id", flat=True)) == {str(evidence.pk), str(evidence.pk + 10_000)}
