"""Screening, certification, revocation and their publication, in-process."""

import datetime as dt

import pytest
from django.utils import timezone

from agencies import services
from agencies.choices import AgencyStatus, RevocationReason
from agencies.models import AgencyEvent, SendingAgency
from agencies.publication import AGENCY_LIST
from agencies.testing import certified, register, screen
from portal.exceptions import InvalidInput, PermissionDenied, TransitionError
from portal.models import AuditEntry, Notification
from portal.publication import content as contents
from portal.publication import publishing, rendering
from portal.publication.models import Publication
from portal.publication.reading import published_lists
from portal.records.services import remind_due_records


@pytest.fixture(autouse=True)
def _fresh_cache():
    published_lists.clear()
    yield
    published_lists.clear()


@pytest.fixture
def officer(cast):
    return cast["tj_officer"]


def test_certification_publishes_both_lists_and_notifies_japan(
    officer, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        agency = certified(officer, number="TJ-SSW-0001")
    assert agency.status == AgencyStatus.CERTIFIED
    versions = Publication.objects.order_by("side__code")
    assert [(p.side.code, p.version) for p in versions] == [("japan", 1), ("tajikistan", 1)]
    for version in versions:
        assert [row["key"] for row in version.snapshot["agencies"]] == ["TJ-SSW-0001"]
        assert version.diff == {
            "added": [
                {"key": "TJ-SSW-0001", "name": agency.name_tg, "on": str(agency.certified_on), "reason": ""}
            ]
        }
        assert version.pdf_sha256  # rendered by the second outbox entry
    note = Notification.objects.get(kind="agency.certified")
    assert note.organization.code == "jp-isa-rmd"
    assert AuditEntry.objects.filter(action="agency.transition", object_id=str(agency.pk)).count() == 2


def test_publishing_the_same_content_twice_makes_no_new_version(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        agency = certified(officer)
    assert publishing.publish_lists(AGENCY_LIST, agency.memorandum) == []
    assert Publication.objects.count() == 2


def test_revocation_moves_the_agency_to_the_revoked_section(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        agency = certified(officer, number="TJ-SSW-0002")
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke(
            agency,
            officer,
            reason="Held workers' passports",
            public_reason=RevocationReason.IMPROPER_CONDUCT,
            effective_on=dt.date(2026, 12, 1),
        )
    latest = Publication.objects.filter(side__code="japan").latest()
    assert latest.version == 2
    row = latest.snapshot["agencies"][0]
    assert (row["section"], row["status"], row["status_on"], row["reason"]) == (
        "withdrawn",
        "revoked",
        "2026-12-01",
        "improper_conduct",
    )
    assert latest.diff["revoked"][0]["key"] == "TJ-SSW-0002"
    assert "Held workers" not in str(latest.snapshot)  # the internal reason stays internal
    assert [h["status"] for h in row["history"]] == ["certified", "revoked"]


def test_certification_is_refused_while_a_mandatory_criterion_fails(officer):
    agency = register(officer)
    screen(agency, officer, failing={5})
    with pytest.raises(TransitionError, match="mandatory criterion"):
        services.certify(
            agency,
            officer,
            certification_number="X-1",
            certified_on=dt.date(2026, 1, 1),
            valid_until=dt.date(2027, 1, 1),
        )
    agency.refresh_from_db()
    assert agency.status == AgencyStatus.UNDER_SCREENING and agency.certification_number is None


def test_an_advisory_criterion_does_not_block(officer):
    agency = register(officer)
    screen(agency, officer, failing={3, 9})  # advisory criteria
    services.certify(
        agency,
        officer,
        certification_number="X-2",
        certified_on=dt.date(2026, 1, 1),
        valid_until=dt.date(2027, 1, 1),
    )


def test_duplicate_certification_number_is_refused(officer):
    certified(officer, number="DUP-1")
    agency = register(officer)
    screen(agency, officer)
    with pytest.raises(InvalidInput, match="already in use"):
        services.certify(
            agency,
            officer,
            certification_number="DUP-1",
            certified_on=dt.date(2026, 1, 1),
            valid_until=dt.date(2027, 1, 1),
        )


def test_impossible_transitions_are_refused(officer):
    agency = register(officer)
    with pytest.raises(TransitionError):
        services.revoke(agency, officer, reason="x", public_reason=RevocationReason.OTHER)
    services.reject(agency, officer, reason="Incomplete file")
    with pytest.raises(TransitionError):
        services.revoke(agency, officer, reason="x", public_reason=RevocationReason.OTHER)
    services.reapply(agency, officer)
    assert SendingAgency.objects.get(pk=agency.pk).status == AgencyStatus.APPLICATION_RECEIVED


def test_only_the_register_s_officers_change_it(cast):
    with pytest.raises(PermissionDenied):
        register(cast["jp_contact"])
    with pytest.raises(PermissionDenied):
        register(cast["tj_analyst"])
    agency = certified(cast["tj_officer"])
    with pytest.raises(PermissionDenied):
        services.revoke(agency, cast["jp_officer"], reason="x", public_reason=RevocationReason.OTHER)


def test_expiry_is_not_revocation(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        agency = certified(officer, number="EXP-1")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expire_certifications(agency.valid_until) == 0
        assert services.expire_certifications(agency.valid_until + dt.timedelta(days=1)) == 1
    agency.refresh_from_db()
    assert agency.status == AgencyStatus.EXPIRED
    latest = Publication.objects.filter(side__code="tajikistan").latest()
    assert latest.diff["expired"][0]["key"] == "EXP-1"
    assert latest.snapshot["agencies"][0]["status"] == "expired"


def test_changing_a_published_field_publishes(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        agency = certified(officer, number="CH-1")
    with django_capture_on_commit_callbacks(execute=True):
        services.update_agency(agency, officer, phone="+992 92 000 00 00")
    latest = Publication.objects.filter(side__code="japan").latest()
    assert latest.version == 2
    assert latest.diff["changed"] == [
        {"key": "CH-1", "name": agency.name_tg, "fields": {"phone": ["", "+992 92 000 00 00"]}}
    ]


def test_japan_acknowledges_receipt(officer, cast):
    agency = certified(officer)
    event = AgencyEvent.objects.get(agency=agency, to_status=AgencyStatus.CERTIFIED)
    with pytest.raises(PermissionDenied):
        services.acknowledge(event, officer)
    services.acknowledge(event, cast["jp_contact"])
    with pytest.raises(TransitionError):
        services.acknowledge(event, cast["jp_officer"])


def test_investigation_round_trip(officer, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        agency = certified(officer)
        investigation = services.report_for_investigation(
            cast["jp_officer"],
            agency,
            facts="Workers report a deposit of USD 2,000.",
            due_on=timezone.localdate() + dt.timedelta(days=30),
        )
    assert Notification.objects.filter(
        kind="investigation.reported", organization__code="tj-ms-lpsa"
    ).exists()
    # Confidential between the sides: not for third parties.
    from agencies.models import Investigation

    assert not Investigation.objects.restrict(cast["embassy_viewer"]).exists()
    assert Investigation.objects.restrict(cast["tj_analyst"]).get() == investigation
    services.assign_investigation(investigation, cast["tj_contact"], assignee=officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_investigation_result(
            investigation,
            officer,
            findings="Confirmed.",
            measures="Guidance given; revoked.",
            outcome="revoked",
            public_reason=RevocationReason.IMPROPER_CONDUCT,
        )
    agency.refresh_from_db()
    assert agency.status == AgencyStatus.REVOKED
    assert Notification.objects.filter(kind="investigation.result", organization__code="jp-isa-rmd").exists()


def test_reminders_once_a_day(officer, cast, django_capture_on_commit_callbacks):
    agency = certified(officer)
    services.report_for_investigation(
        cast["jp_officer"], agency, facts="x", due_on=timezone.localdate() + dt.timedelta(days=2)
    )
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_due_records(today) == 1
    assert remind_due_records(today) == 0
    assert remind_due_records(today + dt.timedelta(days=1)) == 1
    assert Notification.objects.filter(kind="record.due", organization__code="tj-ms-lpsa").exists()


def test_csv_cells_cannot_be_formulas():
    assert rendering.csv_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    for text in ["+1", "-1", "@SUM(A1)", "\tx"]:
        assert rendering.csv_cell(text).startswith("'")
    assert rendering.csv_cell("ООО «Путь»") == "ООО «Путь»"


def test_a_failed_render_leaves_no_version_and_is_retried(
    officer, monkeypatch, django_capture_on_commit_callbacks
):
    from portal import outbox
    from portal.models import OutboxEntry

    calls = {"n": 0}
    real = rendering.render_feed

    def flaky(*args):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("disk full")
        return real(*args)

    monkeypatch.setattr(rendering, "render_feed", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        certified(officer, number="RETRY-1")
    assert not Publication.objects.exists()  # nothing half-written is visible
    entry = OutboxEntry.objects.get(topic="publication.publish")
    assert entry.processed_at is None and "disk full" in entry.last_error
    OutboxEntry.objects.filter(pk=entry.pk).update(available_at=timezone.now())
    outbox.drain()
    assert Publication.objects.filter(side__code="japan").get().snapshot["agencies"][0]["key"] == "RETRY-1"


def test_equal_content_gives_equal_bytes(officer):

    agency = certified(officer, number="DET-1")
    first = contents.build(AGENCY_LIST, agency.memorandum)
    assert first.text == contents.encode(first.data)  # the rows' bytes joined = the whole encoded
    assert contents.build(AGENCY_LIST, agency.memorandum).text == first.text


def test_after_a_burst_the_newest_version_gets_its_documents_first(officer, monkeypatch):
    agency = certified(officer, number="BURST-1")  # callbacks not run: nothing rendered yet
    publishing.publish_lists(AGENCY_LIST, agency.memorandum)
    for phone in ("+992 1", "+992 2"):
        services.update_agency(agency, officer, phone=phone)
        publishing.publish_lists(AGENCY_LIST, agency.memorandum, item_ids=[agency.pk])
    japan = Publication.objects.filter(side__code="japan").order_by("version")
    assert [p.documents_ready for p in japan] == [False, False, False]
    rendered = []
    real = rendering.render_pdf
    monkeypatch.setattr(
        rendering,
        "render_pdf",
        lambda listed, held: rendered.append(held.publication.version) or real(listed, held),
    )
    oldest, middle, newest = japan
    assert publishing.render_documents(oldest.pk) is True
    assert rendered == [newest.version, oldest.version]
    # Its own are done; it still helps with the newest version left without documents.
    assert publishing.render_documents(oldest.pk) is False
    assert rendered == [newest.version, oldest.version, middle.version]
    assert publishing.render_documents(middle.pk) is False  # idempotent
    assert len(rendered) == 3
    assert all(p.documents_ready for p in japan.all())


def test_the_page_offers_what_the_service_allows(officer, cast, client_for):
    """One policy for the button and the refusal: "Certify" is not offered while a
    mandatory criterion fails, nor to Japan's side; it is once the screening is met."""
    agency = register(officer)
    screen(agency, officer, failing={1})
    certify_url = f"/agencies/{agency.pk}/certify/"
    assert certify_url not in client_for("tj_officer").get(agency.get_absolute_url()).content.decode()
    services.reject(agency, officer, reason="Criterion 1")
    services.reapply(agency, officer)
    screen(agency, officer)
    assert certify_url in client_for("tj_officer").get(agency.get_absolute_url()).content.decode()
    assert certify_url not in client_for("tj_analyst").get(agency.get_absolute_url()).content.decode()
