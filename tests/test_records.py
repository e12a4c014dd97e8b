"""The shared-record kit (issue 9): reference numbers, acknowledgement and its timing,
assignment and who is told, due-date reminders, attachments by side, the timeline,
written consent asked for, granted with its letter, refused — and transitions that
leave nothing behind when refused. Real PostgreSQL throughout."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.utils import timezone, translation

from agencies import services as agency_services
from agencies.choices import AgencyStatus, InvestigationStatus
from agencies.models import SendingAgency
from agencies.testing import register
from portal import outbox, services
from portal.exceptions import InvalidInput, PermissionDenied, TransitionError
from portal.models import (
    AuditEntry,
    Correspondence,
    DisclosureConsent,
    Notification,
    Organization,
    OutboxEntry,
)
from portal.records import letters, transitions
from portal.records.models import ConsentRequest, RecordEvent
from portal.records.references import PATTERN, next_number
from portal.records.services import remind_due_records
from portal.testing.files import PDF

YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def investigation(reported_investigation):
    return reported_investigation


def third_party(code: str = "tj-embassy-jp") -> Organization:
    return Organization.objects.get(code=code)


# --- Reference numbers ------------------------------------------------------------------


def test_references_run_per_side_kind_and_year(cast, investigation):
    second = agency_services.report_for_investigation(
        cast["jp_officer"],
        investigation.agency,
        facts="More reports.",
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    letter = services.draft_correspondence(
        cast["tj_contact"], recipient=Organization.objects.get(code="jp-isa-rmd"), subject="S", body="B"
    )
    assert investigation.reference == f"JP-INV-{YEAR}-0001"
    assert second.reference == f"JP-INV-{YEAR}-0002"
    assert letter.reference == f"TJ-LET-{YEAR}-0001"
    assert all(PATTERN.match(r) for r in (investigation.reference, second.reference, letter.reference))


@pytest.mark.django_db(transaction=True)
def test_concurrent_creations_never_share_a_number():
    """Eight connections take numbers under one prefix at once: eight numbers."""
    taken, barrier = [], threading.Barrier(8)

    def take():
        try:
            barrier.wait()
            taken.append(next_number("JP-TEST-2026"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == list(range(1, 9))


def test_the_reference_is_shown_on_the_record_page(client_for, investigation):
    page = client_for("tj_contact").get(investigation.get_absolute_url()).content.decode()
    assert investigation.reference in page


# --- Transitions ------------------------------------------------------------------------


def test_a_refused_move_leaves_nothing_behind(cast):
    agency = register(cast["tj_officer"])
    audit_before, events_before = AuditEntry.objects.count(), agency.events.count()
    with (
        pytest.raises(InvalidInput),
        transitions.move(agency, AgencyStatus.UNDER_SCREENING, actor=cast["tj_officer"]) as change,
    ):
        change.enqueue(
            "publication.publish",
            {"list": "agencies", "memorandum": agency.memorandum_id, "items": [agency.pk]},
        )
        raise InvalidInput("refused half-way")
    agency.refresh_from_db()
    assert agency.status == AgencyStatus.APPLICATION_RECEIVED
    assert AuditEntry.objects.count() == audit_before and agency.events.count() == events_before
    assert not OutboxEntry.objects.filter(topic="publication.publish", payload__items=[agency.pk]).exists()


def test_a_move_the_table_does_not_allow_names_both_states(cast):
    agency = register(cast["tj_officer"])
    with pytest.raises(TransitionError, match="“Application received” cannot become “Certified”"):
        transitions.check(agency, AgencyStatus.CERTIFIED)
    assert not transitions.allowed(agency, AgencyStatus.CERTIFIED)


# --- Acknowledgement and assignment ------------------------------------------------------


def test_the_receiving_side_acknowledges_once_and_the_delays_are_kept(
    cast, investigation, django_capture_on_commit_callbacks
):
    for name in ("jp_officer", "tj_analyst", "embassy_viewer"):
        with pytest.raises(PermissionDenied):
            services.acknowledge(investigation, cast[name])
    with django_capture_on_commit_callbacks(execute=True):
        record = services.acknowledge(investigation, cast["tj_contact"])
    assert record.acknowledged_by == cast["tj_contact"]
    assert record.time_to_share >= dt.timedelta(0) and record.time_to_acknowledge >= dt.timedelta(0)
    assert Notification.objects.filter(kind="record.acknowledged", organization=record.origin).exists()
    assert AuditEntry.objects.filter(action="record.acknowledged", object_id=str(record.pk)).exists()
    with pytest.raises(TransitionError):
        services.acknowledge(record, cast["tj_officer"])


def test_the_assigned_officer_alone_is_e_mailed(cast, investigation, django_capture_on_commit_callbacks):
    officer = cast["tj_officer"]
    with pytest.raises(InvalidInput):  # an officer of the other side
        services.assign(investigation, cast["tj_contact"], assignee=cast["jp_officer"])
    with pytest.raises(InvalidInput):  # a read-only analyst
        services.assign(investigation, cast["tj_contact"], assignee=cast["tj_analyst"])
    with pytest.raises(PermissionDenied):  # not the receiving side
        services.assign(investigation, cast["jp_contact"], assignee=officer)
    outbox.drain()  # the report's own notices go out first
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        record = agency_services.assign_investigation(investigation, cast["tj_contact"], assignee=officer)
    assert record.assigned_to == officer
    assert record.stage == InvestigationStatus.UNDER_INVESTIGATION  # the declared assignment move
    assert record.acknowledged_at is not None  # assigning is acknowledging
    item = Notification.objects.get(kind="record.assigned")
    assert item.organization == officer.organization and record.reference in item.message
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients <= {officer.email}
    steps = list(RecordEvent.objects.filter(object_id=record.pk).values_list("action", flat=True))
    assert steps[-3:] == ["acknowledged", "assigned", "stage:under_investigation"]


def test_reminders_before_and_after_the_due_date_for_every_kind(cast, django_capture_on_commit_callbacks):
    letter = services.draft_correspondence(
        cast["jp_contact"],
        recipient=Organization.objects.get(code="tj-ms-lpsa"),
        subject="Answer due",
        body="Please answer.",
    )
    Correspondence.objects.filter(pk=letter.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    services.send_correspondence(letter, cast["jp_contact"])
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_due_records() == 1
    item = Notification.objects.get(kind="record.overdue")
    assert item.organization.code == "tj-ms-lpsa" and letter.reference in item.message
    assert remind_due_records() == 0  # once a day


def test_a_reminder_reads_the_due_date_on_the_receiving_side_s_clock(
    cast, django_capture_on_commit_callbacks
):
    """At 17:00 UTC on 6 December it is 22:00 on the 6th in Dushanbe and 02:00 on the
    7th in Tokyo: a letter due on the 6th is due for Tajikistan, overdue for Japan."""
    due_on = dt.date(2026, 12, 6)
    to_tajikistan = services.draft_correspondence(
        cast["jp_contact"], recipient=cast["tj_contact"].organization, subject="To Dushanbe", body="."
    )
    to_japan = services.draft_correspondence(
        cast["tj_contact"], recipient=cast["jp_contact"].organization, subject="To Tokyo", body="."
    )
    for letter, author in ((to_tajikistan, "jp_contact"), (to_japan, "tj_contact")):
        Correspondence.objects.filter(pk=letter.pk).update(due_on=due_on)
        services.send_correspondence(letter, cast[author])
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_due_records(now=dt.datetime(2026, 12, 6, 17, 0, tzinfo=dt.UTC)) == 2
    kinds = dict(Notification.objects.filter(kind__startswith="record.").values_list("url", "kind"))
    assert kinds == {
        to_tajikistan.get_absolute_url(): "record.due",
        to_japan.get_absolute_url(): "record.overdue",
    }
    reminded = dict(Correspondence.objects.values_list("pk", "last_reminded_on"))
    assert reminded == {to_tajikistan.pk: dt.date(2026, 12, 6), to_japan.pk: dt.date(2026, 12, 7)}


# --- Attachments ------------------------------------------------------------------------


def test_attachments_are_kept_outside_the_media_folder_with_their_digest(cast, investigation):
    attachment = investigation.attachments.get()
    path = Path(attachment.file.path)
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest() and attachment.size == len(PDF)
    assert attachment.media_type == "application/pdf" and attachment.side.country == "JP"
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 - no URL reaches a private file


def test_plain_text_is_accepted_and_a_script_is_not(cast, investigation):
    note = services.attach(
        investigation, cast["tj_officer"], SimpleUploadedFile("note.txt", "Заметка\n".encode())
    )
    assert note.media_type == "text/plain" and note.side.country == "TJ"
    for name, content in [("page.txt", b"<script>\x00</script>"), ("x.pdf", b"<svg onload=alert(1)>")]:
        with pytest.raises(InvalidInput):
            services.attach(investigation, cast["tj_officer"], SimpleUploadedFile(name, content))
    with pytest.raises(PermissionDenied):
        services.attach(investigation, cast["tj_analyst"], SimpleUploadedFile("n.txt", b"read-only"))


def test_a_third_party_gets_the_files_and_steps_of_the_sides_that_consented(cast, client_for, investigation):
    tajik_file = services.attach(
        investigation, cast["tj_officer"], SimpleUploadedFile("findings.txt", b"TJ only")
    )
    japan_file = investigation.attachments.get(side__country="JP")
    services.grant_consent(
        investigation,
        cast["jp_contact"],
        third_party=third_party(),
        document_reference="JP letter 7",
        expires_at=timezone.now() + dt.timedelta(days=5),
    )
    viewer = client_for("embassy_viewer")
    assert viewer.get(japan_file.get_absolute_url()).status_code == 200
    assert viewer.get(tajik_file.get_absolute_url()).status_code == 404
    page = viewer.get(investigation.get_absolute_url()).content.decode()
    assert "statement.pdf" in page and "findings.txt" not in page
    assert "Acknowledge receipt" not in page and "Upload" not in page  # no forms for a third party
    sides = set(
        RecordEvent.objects.filter(object_id=investigation.pk)
        .exclude(side=None)
        .values_list("side__country", flat=True)
    )
    assert sides == {"JP", "TJ"}  # both sides have steps; the page shows Japan's only
    assert page.count("— File added") == 1  # Japan's upload; the Tajik one stays withheld


# --- Written consent asked for, granted with its letter, refused -----------------------


def ask(investigation, cast, **overrides):
    fields = {
        "third_party": third_party(),
        "side": cast["jp_contact"].organization.side,
        "purpose": "The embassy assists the workers concerned.",
        "requested_until": timezone.localdate() + dt.timedelta(days=30),
    }
    return services.request_consent(investigation, cast["tj_officer"], **(fields | overrides))


def test_consent_is_asked_of_a_side_and_decided_by_its_contact_point(
    cast, client_for, investigation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(investigation, cast)
    assert Notification.objects.filter(kind="consent.requested", organization__code="jp-isa-rmd").exists()
    for name in ("tj_contact", "jp_officer"):  # not the asked side's contact point
        with pytest.raises(PermissionDenied):
            services.decide_consent(request, cast[name], grant_it=True)
    assert client_for("embassy_viewer").get(investigation.get_absolute_url()).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        decided = services.decide_consent(request, cast["jp_contact"], grant_it=True)
    consent = decided.consent
    assert decided.status == ConsentRequest.Status.GRANTED
    assert consent.document_reference == f"{investigation.reference}/C{request.pk}"
    assert consent.side.country == "JP" and consent.expires_at.date() == request.requested_until
    assert client_for("embassy_viewer").get(investigation.get_absolute_url()).status_code == 200
    assert client_for("maff_viewer").get(investigation.get_absolute_url()).status_code == 404
    with pytest.raises(TransitionError):
        services.decide_consent(request, cast["jp_contact"], grant_it=False, note="too late")


def test_the_consent_letter_is_a_pdf_kept_with_its_digest_for_the_two_organizations(
    cast, client_for, investigation
):
    consent = services.decide_consent(ask(investigation, cast), cast["jp_contact"], grant_it=True).consent
    assert letters.render_letter(consent.pk) is True  # what the documents worker runs
    assert letters.render_letter(consent.pk) is False  # once
    consent.refresh_from_db()
    data = consent.letter.read()
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == consent.letter_sha256
    assert Path(consent.letter.path).is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    url = f"/consents/{consent.pk}/letter/"
    for name, status in [
        ("embassy_viewer", 200),
        ("jp_contact", 200),
        ("maff_viewer", 404),
        ("tj_contact", 404),
    ]:
        response = client_for(name).get(url)
        assert response.status_code == status, name
    response = client_for("embassy_viewer").get(url)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEntry.objects.filter(
        action="file.downloaded", content_type__model="disclosureconsent"
    ).exists()


def test_the_letter_names_the_record_the_scope_and_both_organizations(cast, investigation):
    consent = services.decide_consent(ask(investigation, cast), cast["jp_contact"], grant_it=True).consent
    pdf = letters.letter_pdf(consent)
    text = _pdf_text(pdf)
    assert investigation.reference in text
    assert "Embassy" in text and "only the parts that came from" in text
    assert consent.expires_at.strftime("%Y-%m-%d") in text


def _pdf_text(pdf: bytes) -> str:
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils (pdftotext)")
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", " ", result.stdout.decode())


def test_a_refusal_needs_its_reason_and_discloses_nothing(cast, client_for, investigation):
    request = ask(investigation, cast)
    with pytest.raises(InvalidInput):
        services.decide_consent(request, cast["jp_contact"], grant_it=False, note=" ")
    refused = services.decide_consent(
        request, cast["jp_contact"], grant_it=False, note="Ongoing proceedings."
    )
    assert refused.status == ConsentRequest.Status.REFUSED and refused.consent is None
    assert not DisclosureConsent.objects.exists()
    assert client_for("embassy_viewer").get(investigation.get_absolute_url()).status_code == 404


def test_only_the_asking_organization_cancels_and_bad_requests_are_refused(cast, investigation):
    with pytest.raises(InvalidInput):
        ask(investigation, cast, third_party=Organization.objects.get(code="jp-isa-rmd"))
    with pytest.raises(InvalidInput):
        ask(investigation, cast, requested_until=timezone.localdate())
    with pytest.raises(PermissionDenied):
        services.request_consent(
            investigation,
            cast["embassy_viewer"],
            third_party=third_party(),
            side=cast["jp_contact"].organization.side,
            purpose="x",
            requested_until=timezone.localdate() + dt.timedelta(days=3),
        )
    request = ask(investigation, cast)  # asked by the Tajik ministry's officer
    for name in ("jp_officer", "tj_contact"):  # another organization, even of the same side
        with pytest.raises(PermissionDenied):
            services.cancel_consent_request(request, cast[name])
    assert (
        services.cancel_consent_request(request, cast["tj_officer"]).status == ConsentRequest.Status.CANCELLED
    )


# --- The panels on the page ---------------------------------------------------------------


def test_the_panels_offer_each_reader_what_the_policies_allow(cast, client_for, investigation):
    contact = client_for("tj_contact").get(investigation.get_absolute_url()).content.decode()
    assert "Acknowledge receipt" in contact and 'name="assignee"' in contact and 'name="file"' in contact
    japan = client_for("jp_officer").get(investigation.get_absolute_url()).content.decode()
    assert "Acknowledge receipt" not in japan and 'name="assignee"' not in japan
    assert "Ask for written consent to disclose" in japan and investigation.reference in japan
    analyst = client_for("tj_analyst").get(investigation.get_absolute_url()).content.decode()
    assert "Acknowledge receipt" not in analyst and 'name="file"' not in analyst


def test_the_panel_forms_post_to_the_services(cast, client_for, investigation):
    client = client_for("tj_contact")
    base = f"/records/agencies/investigation/{investigation.pk}"
    assert client.post(f"{base}/acknowledge/").status_code == 302
    response = client.post(f"{base}/assign/", {"assignee": cast["tj_officer"].pk})
    assert response.status_code == 302
    investigation.refresh_from_db()
    assert investigation.assigned_to == cast["tj_officer"]
    response = client.post(
        f"{base}/attach/", {"file": SimpleUploadedFile("n.txt", b"note"), "description": "x"}
    )
    assert response.status_code == 302 and investigation.attachments.count() == 2
    # Unknown actions, kinds that are not shared records, hidden records: 404.
    assert client.post(f"{base}/delete/").status_code == 404
    assert (
        client.post(f"/records/agencies/sendingagency/{investigation.agency_id}/acknowledge/").status_code
        == 404
    )
    assert client_for("maff_viewer").post(f"{base}/acknowledge/").status_code == 404
    assert SendingAgency.objects.filter(pk=investigation.agency_id).exists()


def test_the_page_costs_the_same_queries_whatever_its_files_and_steps(cast, client_for, investigation):
    from django.test.utils import CaptureQueriesContext

    client = client_for("tj_contact")
    client.get(investigation.get_absolute_url())  # warm the per-process caches
    with CaptureQueriesContext(connection) as few:
        client.get(investigation.get_absolute_url())
    for index in range(6):
        services.attach(investigation, cast["tj_officer"], SimpleUploadedFile(f"n{index}.txt", b"note"))
    client.get(investigation.get_absolute_url())  # the menu's count, kept until the next change
    with CaptureQueriesContext(connection) as many:
        client.get(investigation.get_absolute_url())
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


def test_a_file_left_by_a_rolled_back_upload_is_swept(cast, investigation):
    from django.db import transaction

    from portal.records.sweeps import remove_orphan_files

    with pytest.raises(RuntimeError), transaction.atomic():
        services.attach(investigation, cast["tj_officer"], SimpleUploadedFile("lost.txt", b"rolled back"))
        raise RuntimeError("the caller's transaction fails after the upload")
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    left = list(private.rglob("lost*.txt"))
    assert len(left) == 1 and not investigation.attachments.filter(name="lost.txt").exists()
    kept = Path(investigation.attachments.get().file.path)
    assert remove_orphan_files(older_than_minutes=60) == 0  # too fresh: it may be in flight
    assert remove_orphan_files(older_than_minutes=0) >= 1  # with what earlier tests rolled back
    assert not left[0].exists() and kept.exists()


def test_a_reference_is_found_from_the_lists(cast, client_for, investigation):
    other = agency_services.report_for_investigation(
        cast["jp_officer"],
        investigation.agency,
        facts="Another report.",
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    page = client_for("tj_contact").get("/agencies/investigations/", {"reference": investigation.reference})
    assert investigation.reference in page.content.decode() and other.reference not in page.content.decode()
    letter = services.draft_correspondence(
        cast["tj_contact"],
        recipient=Organization.objects.get(code="jp-isa-rmd"),
        subject="Quarterly",
        body="B",
    )
    found = client_for("tj_contact").get("/correspondence/", {"q": letter.reference.lower()})
    assert "Quarterly" in found.content.decode()
    api = client_for("tj_contact").get("/api/v1/investigations/", {"reference": other.reference})
    assert [row["reference"] for row in api.json()["results"]] == [other.reference]


def test_a_third_party_cannot_filter_on_a_part_it_may_not_read(cast, client_for, investigation):
    """The stage is Tajikistan's part: with Japan's consent alone, ``?stage=`` must not
    tell the embassy what the stage is (the parameter is ignored, page and API)."""
    services.grant_consent(
        investigation,
        cast["jp_contact"],
        third_party=third_party(),
        document_reference="JP letter 9",
        expires_at=timezone.now() + dt.timedelta(days=5),
    )
    viewer = client_for("embassy_viewer")
    for stage in ("reported", "result_sent"):
        api = viewer.get("/api/v1/investigations/", {"stage": stage})
        assert [row["id"] for row in api.json()["results"]] == [investigation.pk], stage
        page = viewer.get("/agencies/investigations/", {"stage": stage}).content.decode()
        assert investigation.reference in page, stage
    # A side reading the whole record filters as before.
    assert (
        client_for("tj_contact").get("/api/v1/investigations/", {"stage": "result_sent"}).json()["count"] == 0
    )
