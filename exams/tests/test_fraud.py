"""Fraud reports in the tests (5, second paragraph) against the real database: the
services' rules and refusals, the lifecycle (draft → shared → acknowledged → follow-up →
closed), the inbox and audit, the pages and forms, the API, the pre-fill from a
certificate check (own organization's only) and what a third party reads with the
consent of one side or the other (the persons named are the reporting side's part)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from brokers import services as brokers
from exams.choices import CheckOutcome, FraudKind, FraudStage, PersonRole
from exams.fraud import services
from exams.fraud.testing import CERTIFICATE, exam, new_report, persons
from exams.models import CertificateCheck, ExamSession, FraudReport
from portal.exceptions import InvalidInput, PermissionDenied, TransitionError
from portal.models import AuditEntry, Notification, Organization
from portal.records import services as kit
from portal.testing.files import PDF

pytestmark = pytest.mark.django_db

API = "/api/v1/fraud-reports/"


def broker(officer, name="Раҳимов Фаррух", *, share=True):
    record = brokers.record_broker(officer, name=name, kind="person", country="TJ")
    return brokers.share_broker(record, officer) if share else record


def session(officer, code="jft-basic"):
    return ExamSession.objects.create(
        memorandum=officer.organization.side.memorandum,
        exam=exam(code),
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 3, 2),
        city="Dushanbe",
        venue="Centre 1",
        body="Japan Foundation",
        organization=officer.organization,
        recorded_by=officer,
    )


def consent(record, granter, third_party="jp-maff"):
    return kit.grant_consent(
        record,
        granter,
        third_party=Organization.objects.get(code=third_party),
        document_reference="LETTER-1",
        expires_at=timezone.now() + dt.timedelta(days=30),
    )


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content[:500]
    return [int(found) for found in re.findall(r'data-id="(\d+)"', response.content.decode())]


# --- Services: rules and refusals ---------------------------------------------------------


def test_a_report_is_drafted_with_its_persons_brokers_and_evidence_then_shared(
    cast, django_capture_on_commit_callbacks
):
    tj = cast["tj_officer"]
    named = broker(tj)
    pdf = SimpleUploadedFile("ticket.pdf", PDF, content_type="application/pdf")
    record = services.report(
        tj,
        kind=FraudKind.IMPERSONATION,
        exam=exam(),
        narrative="Another man sat the test.",
        persons=[{"role": "holder", "name": "  Rakhimov   Farrukh ", "certificate_number": "jft12345678"}],
        brokers=[named],
        files=[pdf],
    )
    assert record.status == "draft" and record.reference
    person = record.persons.get()
    assert (person.name, person.certificate_number) == ("Rakhimov Farrukh", "JFT12345678")
    assert list(record.brokers.all()) == [named]
    assert record.attachments.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        shared = services.share(record, tj)
    assert shared.status == "shared" and shared.stage == FraudStage.REPORTED
    item = Notification.objects.get(kind="exams.fraud_reported")
    assert item.params["reference"] == shared.reference
    assert "Another man" not in str(item.params)
    assert item.organization.side_id != tj.organization.side_id


def test_acknowledging_starts_the_follow_up_and_the_receiving_side_closes_it(
    cast, django_capture_on_commit_callbacks
):
    report = new_report(cast["tj_officer"])
    with pytest.raises(TransitionError, match="Acknowledge the fraud report before closing it"):
        services.close(report, cast["jp_contact"], outcome="confirmed", note="Void.")
    report = kit.acknowledge(report, cast["jp_contact"])
    report.refresh_from_db()
    assert report.stage == FraudStage.FOLLOW_UP
    with pytest.raises(PermissionDenied, match="The side that received the fraud report closes it"):
        services.close(report, cast["tj_contact"], outcome="confirmed", note="Void.")
    with pytest.raises(InvalidInput, match="Choose the outcome"):
        services.close(report, cast["jp_contact"], outcome="nonsense", note="Void.")
    with pytest.raises(InvalidInput, match="Say what was done"):
        services.close(report, cast["jp_contact"], outcome="confirmed", note="  ")
    with django_capture_on_commit_callbacks(execute=True):
        closed = services.close(
            report, cast["jp_officer"], outcome="confirmed", note="The certificate is void."
        )
    assert closed.stage == FraudStage.CLOSED and closed.closed_at
    assert AuditEntry.objects.filter(action="fraud.closed", object_id=str(report.pk)).exists()
    told = Notification.objects.get(kind="exams.fraud_closed")
    assert told.organization_id == report.origin_id and told.params == {"reference": report.reference}
    with pytest.raises(TransitionError, match="closed already"):
        services.close(closed, cast["jp_officer"], outcome="confirmed", note="Again.")
    with pytest.raises(TransitionError, match="still open"):
        services.link_brokers(closed, cast["jp_officer"], brokers=[broker(cast["tj_officer"])])


@pytest.mark.parametrize(
    "people, message",
    [
        ([], "Name at least one person"),
        ([{"role": "holder", "name": ""}], "Person 1: give the person's name"),
        (
            [{"name": "A B"}, {"name": "C D", "certificate_number": "no!"}],
            r"Person 2: the certificate number",
        ),
        ([{"name": "A B", "role": "judge"}], "Person 1: choose the person's role"),
        ([{"name": "A B", "date_of_birth": dt.date(2999, 1, 1)}], "Person 1: the date of birth cannot be"),
    ],
)
def test_the_persons_are_checked_and_a_refusal_names_the_row(cast, people, message):
    with pytest.raises(InvalidInput, match=message):
        services.report(cast["tj_officer"], kind="impersonation", exam=exam(), narrative="x", persons=people)
    assert not FraudReport.objects.exists()


def test_a_certificate_number_is_checked_against_the_tests_own_pattern_after_capitals(cast):
    jlpt = exam("jlpt-n4")
    jlpt.certificate_pattern = r"^N4-[0-9]{4}$"
    jlpt.certificate_example = "N4-0001"
    jlpt.save()
    with pytest.raises(InvalidInput, match=r"Person 1: .*for example N4-0001"):
        services.report(
            cast["tj_officer"],
            kind="forged_certificate",
            exam=jlpt,
            narrative="x",
            persons=[{"name": "A B", "certificate_number": CERTIFICATE}],
        )
    record = services.report(
        cast["tj_officer"],
        kind="forged_certificate",
        exam=jlpt,
        narrative="x",
        persons=[{"name": "A B", "certificate_number": "n4-0042"}],
    )
    assert record.persons.get().certificate_number == "N4-0042"


def test_a_hidden_broker_and_a_missing_one_are_refused_alike(cast):
    draft_of_japan = broker(cast["jp_officer"], "ヤマダ", share=False)
    messages = []
    for wanted in (draft_of_japan.pk, 987654321):
        with pytest.raises(InvalidInput) as refused:
            services.report(
                cast["tj_officer"],
                kind="other",
                exam=exam(),
                narrative="x",
                persons=persons(),
                brokers=[wanted],
            )
        messages.append(refused.value.message)
    assert messages[0] == messages[1] == "One of the brokers named does not exist or cannot be read."


def test_a_session_must_be_readable_and_of_the_same_test(cast):
    tj = cast["tj_officer"]
    jft_session = session(tj)
    record = services.report(
        tj, kind="impersonation", exam=exam(), session=jft_session, narrative="x", persons=persons()
    )
    assert record.session == jft_session
    with pytest.raises(InvalidInput, match="this session was of another test"):
        services.report(
            tj,
            kind="impersonation",
            exam=exam(),
            session=session(tj, "jlpt-n4"),
            narrative="x",
            persons=persons(),
        )
    # A third party's organization has no side: a session is read by the sides only.
    messages = []
    for wanted in (987654321, jft_session.pk):
        with pytest.raises(InvalidInput) as refused:
            services._session(cast["maff_viewer"], exam(), wanted)
        messages.append(refused.value.message)
    assert messages[0] == messages[1]


def test_only_writers_report_and_a_draft_is_changed_or_withdrawn_by_its_organization(cast):
    for reader in ("jp_analyst", "maff_viewer"):
        with pytest.raises(PermissionDenied):
            new_report(cast[reader], shared=False)
    draft = new_report(cast["tj_officer"], shared=False)
    with pytest.raises(PermissionDenied):
        services.update(draft, cast["jp_officer"], narrative="Changed")
    changed = services.update(
        draft, cast["tj_officer"], narrative="Two men swapped places.", persons=persons("Saidov Bakhtiyor")
    )
    assert changed.narrative == "Two men swapped places."
    assert sorted(changed.persons.values_list("name", flat=True)) == [
        "Impersonator of Saidov Bakhtiyor",
        "Saidov Bakhtiyor",
    ]
    withdrawn = services.withdraw(changed, cast["tj_officer"])
    assert withdrawn.status == "withdrawn"
    shared = new_report(cast["tj_officer"])
    with pytest.raises(TransitionError):
        services.update(shared, cast["tj_officer"], narrative="Later")


def test_either_side_links_more_brokers_while_open_each_one_it_may_read(cast):
    report = kit.acknowledge(new_report(cast["tj_officer"]), cast["jp_contact"])
    japanese = broker(cast["jp_officer"], "ヤマダ商事", share=False)
    services.link_brokers(report, cast["jp_officer"], brokers=[japanese])
    japanese.refresh_from_db()
    assert japanese.status == "shared"  # the other side could not read it otherwise
    assert list(report.brokers.all()) == [japanese]
    assert AuditEntry.objects.filter(action="fraud.brokers_linked", object_id=str(report.pk)).exists()
    hidden = broker(cast["jp_officer"], "Другой", share=False)
    with pytest.raises(InvalidInput, match="does not exist or cannot be read"):
        services.link_brokers(report, cast["tj_officer"], brokers=[hidden])
    with pytest.raises(PermissionDenied):
        services.link_brokers(report, cast["tj_analyst"], brokers=[japanese])


def test_sharing_shares_the_draft_brokers_of_the_same_organization(cast):
    tj = cast["tj_officer"]
    draft_broker = broker(tj, share=False)
    report = new_report(tj, brokers=[draft_broker])
    draft_broker.refresh_from_db()
    assert draft_broker.status == "shared"
    assert report.status == "shared"


# --- Pre-filled from a certificate check ----------------------------------------------------


def check(user, outcome, differs=""):
    row = CertificateCheck(
        organization=user.organization,
        user=user,
        exam=exam(),
        certificate_number=CERTIFICATE,
        name="Rakhimov Farrukh",
        date_of_birth=dt.date(1999, 3, 14),
        outcome=outcome,
        differs=differs,
    )
    row.save()
    return row


def test_a_check_of_the_own_organization_prefills_the_form(cast, client_for):
    mismatch = check(cast["jp_officer"], CheckOutcome.DOES_NOT_MATCH, "name,date_of_birth")
    page = client_for("jp_officer").get(reverse("exams:fraud-create") + f"?check={mismatch.pk}")
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["exam"] == exam() and form.initial["kind"] == FraudKind.FORGED_CERTIFICATE
    assert "“does not match” (name, date of birth)" in form.initial["narrative"]
    row = form.persons.forms[0].initial
    assert (row["name"], row["certificate_number"], row["role"]) == (
        "Rakhimov Farrukh",
        CERTIFICATE,
        "holder",
    )
    assert row["date_of_birth"] == dt.date(1999, 3, 14)
    content = page.content.decode()
    assert "Rakhimov Farrukh" in content and CERTIFICATE in content
    missing = check(cast["jp_officer"], CheckOutcome.NOT_FOUND)
    page = client_for("jp_officer").get(reverse("exams:fraud-create") + f"?check={missing.pk}")
    assert "“not found”" in page.context["form"].initial["narrative"]


@pytest.mark.parametrize("value", ["other-org", "999999999", "abc", "1" * 40, ""])
def test_another_organizations_check_or_a_bad_id_prefills_nothing(cast, client_for, value):
    theirs = check(cast["tj_officer"], CheckOutcome.DOES_NOT_MATCH, "name")
    wanted = str(theirs.pk) if value == "other-org" else value
    page = client_for("jp_officer").get(reverse("exams:fraud-create") + f"?check={wanted}")
    assert page.status_code == 200
    assert "narrative" not in page.context["form"].initial
    assert "Rakhimov Farrukh" not in page.content.decode()


def test_a_prefilled_form_posted_unchanged_saves_the_holder(cast, client_for):
    mismatch = check(cast["jp_officer"], CheckOutcome.NOT_FOUND)
    data = services.prefill_from_check(cast["jp_officer"], mismatch.pk)
    response = client_for("jp_officer").post(
        reverse("exams:fraud-create"),
        {
            "kind": data["kind"],
            "exam": data["exam"].pk,
            "narrative": data["narrative"],
            "persons-TOTAL_FORMS": "2",
            "persons-INITIAL_FORMS": "0",
            "persons-0-role": "holder",
            "persons-0-name": "Rakhimov Farrukh",
            "persons-0-date_of_birth": "1999-03-14",
            "persons-0-certificate_number": CERTIFICATE,
            "persons-1-role": "holder",
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    report = FraudReport.objects.get()
    assert report.persons.get().name == "Rakhimov Farrukh"


# --- Pages -----------------------------------------------------------------------------------


@pytest.fixture
def world(cast):
    tj, jp = cast["tj_officer"], cast["jp_officer"]
    named = broker(tj)
    return {
        "tj_report": new_report(tj, brokers=[named], narrative="TAJIK-NARRATIVE"),
        "tj_draft": new_report(tj, shared=False),
        "jp_report": new_report(jp, kind=FraudKind.FORGED_CERTIFICATE, narrative="JAPAN-NARRATIVE"),
        "broker": named,
    }


@pytest.mark.parametrize(
    "username, expected",
    [
        ("tj_officer", {"tj_report", "tj_draft", "jp_report"}),
        ("tj_analyst", {"tj_report", "jp_report"}),
        ("jp_contact", {"tj_report", "jp_report"}),
        ("maff_viewer", set()),
        ("embassy_viewer", set()),
    ],
)
def test_the_list_shows_exactly_what_each_reader_may_read(world, client_for, username, expected):
    page = client_for(username).get(reverse("exams:frauds"))
    assert set(ids(page)) == {world[key].pk for key in expected}
    assert 'aria-label="Tests and certificates"' in page.content.decode()


def test_the_list_filters_by_kind_test_and_stage(world, client_for, cast):
    client = client_for("jp_contact")
    assert ids(client.get(reverse("exams:frauds") + "?kind=forged_certificate")) == [world["jp_report"].pk]
    assert set(ids(client.get(reverse("exams:frauds") + f"?exam={exam().pk}"))) == {
        world["tj_report"].pk,
        world["jp_report"].pk,
    }
    kit.acknowledge(world["tj_report"], cast["jp_contact"])
    assert ids(client.get(reverse("exams:frauds") + "?stage=follow_up")) == [world["tj_report"].pk]


def test_the_detail_page_shows_persons_brokers_and_the_buttons_allowed(world, client_for):
    page = client_for("jp_contact").get(reverse("exams:fraud", args=[world["tj_report"].pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Rakhimov Farrukh" in content and "TAJIK-NARRATIVE" in content and "Раҳимов Фаррух" in content
    assert reverse("exams:fraud-edit", args=[world["tj_report"].pk]) not in content
    assert 'aria-label="Tests and certificates"' in content
    draft_page = client_for("tj_officer").get(reverse("exams:fraud", args=[world["tj_draft"].pk]))
    assert reverse("exams:fraud-share", args=[world["tj_draft"].pk]) in draft_page.content.decode()
    assert (
        client_for("jp_contact").get(reverse("exams:fraud", args=[world["tj_draft"].pk])).status_code == 404
    )
    assert client_for("jp_contact").get(reverse("exams:fraud", args=[987654321])).status_code == 404


def test_the_create_form_saves_a_draft_and_refuses_a_bad_number_naming_the_row(cast, client_for):
    client = client_for("tj_officer")
    base = {
        "kind": "impersonation",
        "exam": exam().pk,
        "narrative": "Another man sat the test.",
        "persons-TOTAL_FORMS": "2",
        "persons-INITIAL_FORMS": "0",
        "persons-0-role": "holder",
        "persons-0-name": "Rakhimov Farrukh",
        "persons-1-role": "impersonator",
        "persons-1-name": "Unknown",
        "persons-1-certificate_number": "bad number!",
    }
    page = client.post(reverse("exams:fraud-create"), base)
    assert page.status_code == 200
    assert "Person 2: the certificate number" in page.content.decode()
    assert not FraudReport.objects.exists()
    page = client.post(reverse("exams:fraud-create"), {**base, "persons-1-certificate_number": ""})
    report = FraudReport.objects.get()
    assert page.status_code == 302 and page["Location"] == report.get_absolute_url()
    assert report.status == "draft" and report.persons.count() == 2
    empty = client.post(
        reverse("exams:fraud-create"),
        {
            **base,
            "persons-0-name": "",
            "persons-1-name": "",
            "persons-1-role": "holder",
            "persons-1-certificate_number": "",
        },
    )
    assert "Name at least one person" in empty.content.decode()


def test_the_edit_share_link_and_close_pages(world, cast, client_for):
    draft = world["tj_draft"]
    client = client_for("tj_officer")
    page = client.get(reverse("exams:fraud-edit", args=[draft.pk]))
    assert page.status_code == 200 and "Rakhimov Farrukh" in page.content.decode()
    response = client.post(
        reverse("exams:fraud-edit", args=[draft.pk]),
        {
            "kind": "other",
            "exam": exam().pk,
            "narrative": "Changed",
            "persons-TOTAL_FORMS": "1",
            "persons-INITIAL_FORMS": "0",
            "persons-0-role": "holder",
            "persons-0-name": "Saidov Bakhtiyor",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.kind == "other" and list(draft.persons.values_list("name", flat=True)) == [
        "Saidov Bakhtiyor"
    ]
    assert client.post(reverse("exams:fraud-share", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "shared"
    kit.acknowledge(draft, cast["jp_contact"])
    jp = client_for("jp_officer")
    assert jp.get(reverse("exams:fraud-link", args=[draft.pk])).status_code == 200
    assert (
        jp.post(reverse("exams:fraud-link", args=[draft.pk]), {"brokers": [world["broker"].pk]}).status_code
        == 302
    )
    assert client.get(reverse("exams:fraud-close", args=[draft.pk])).status_code == 404  # the reporting side
    response = jp.post(
        reverse("exams:fraud-close", args=[draft.pk]), {"outcome": "referred", "note": "Police."}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.stage == FraudStage.CLOSED and list(draft.brokers.all()) == [world["broker"]]


# --- A third party: the consent of one side or the other ------------------------------------


def test_a_third_party_with_the_reporting_sides_consent_reads_the_persons(world, cast, client_for):
    report = world["tj_report"]
    consent(report, cast["tj_contact"])
    client = client_for("maff_viewer")
    page = client.get(reverse("exams:fraud", args=[report.pk])).content.decode()
    assert "Rakhimov Farrukh" in page and "TAJIK-NARRATIVE" in page
    body = client.get(f"{API}{report.pk}/").json()
    assert [row["name"] for row in body["persons"]][0] == "Rakhimov Farrukh"
    # The broker's own record is not consented: its name is not shown.
    assert body["brokers_named"] == [] and "Раҳимов Фаррух" not in page


def test_a_third_party_with_the_receiving_sides_consent_alone_sees_no_person(world, cast, client_for):
    report = kit.acknowledge(world["tj_report"], cast["jp_contact"])
    report = services.close(report, cast["jp_contact"], outcome="confirmed", note="JAPAN-OUTCOME")
    consent(report, cast["jp_contact"])
    client = client_for("maff_viewer")
    page = client.get(reverse("exams:fraud", args=[report.pk]))
    content = page.content.decode()
    assert page.status_code == 200 and "JAPAN-OUTCOME" in content
    assert (
        "Rakhimov Farrukh" not in content and "TAJIK-NARRATIVE" not in content and CERTIFICATE not in content
    )
    assert list(page.context["persons"]) == []
    body = client.get(f"{API}{report.pk}/").json()
    assert "persons" not in body and "narrative" not in body and "brokers_named" not in body
    assert body["outcome_note"] == "JAPAN-OUTCOME"
    listed = client.get(f"{API}").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["id"] for row in rows] == [report.pk] and "persons" not in rows[0]
    assert "Rakhimov" not in str(listed)
    # The list offers no filter on a part it may not read: an unknown parameter is ignored.
    assert ids(client.get(reverse("exams:frauds") + "?kind=forged_certificate")) == [report.pk]


# --- API ----------------------------------------------------------------------------------------


def test_the_api_creates_updates_shares_and_closes_a_report(cast, client_for):
    tj = client_for("tj_officer")
    named = broker(cast["tj_officer"])
    body = {
        "kind": "impersonation",
        "exam": exam().pk,
        "narrative": "Another man sat the test.",
        "persons": [{"role": "holder", "name": "Rakhimov Farrukh", "certificate_number": "jft12345678"}],
        "brokers": [named.pk],
    }
    created = tj.post(API, body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["persons"][0]["certificate_number"] == "JFT12345678"
    assert data["brokers_named"] == [{"id": named.pk, "reference": named.reference, "name": named.name}]
    pk = data["id"]
    patched = tj.patch(f"{API}{pk}/", {"test_date": "2026-01-10"}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["test_date"] == "2026-01-10"
    assert tj.post(f"{API}{pk}/share/").json()["status"] == "shared"
    jp = client_for("jp_contact")
    assert jp.post(f"{API}{pk}/acknowledge/").status_code == 200
    assert jp.get(f"{API}{pk}/").json()["stage"] == "follow_up"
    closed = jp.post(
        f"{API}{pk}/close/", {"outcome": "confirmed", "note": "Void."}, content_type="application/json"
    )
    assert closed.status_code == 200 and closed.json()["stage"] == "closed"


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"persons": []}, "persons", None),
        ({"persons": [{"name": "A", "certificate_number": "bad!"}]}, None, "Person 1"),
        ({"brokers": [987654321]}, "brokers", "does not exist or cannot be read"),
        ({"session": 987654321}, "session", "does not exist or cannot be read"),
        ({"kind": "theft"}, "kind", None),
    ],
)
def test_the_api_refuses_bad_input_naming_what_to_fix(cast, client_for, change, field, message):
    body = {
        "kind": "impersonation",
        "exam": exam().pk,
        "narrative": "x",
        "persons": [{"name": "Rakhimov Farrukh"}],
        **change,
    }
    response = client_for("tj_officer").post(API, body, content_type="application/json")
    assert response.status_code == 400, response.content
    text = response.content.decode()
    if field:
        assert field in response.json()
    if message:
        assert message in text
    assert not FraudReport.objects.exists()


def test_the_api_refuses_a_hidden_broker_like_a_missing_one(cast, client_for):
    hidden = broker(cast["jp_officer"], "ヤマダ", share=False)
    answers = []
    for pk in (hidden.pk, 987654321):
        response = client_for("tj_officer").post(
            API,
            {"kind": "other", "exam": exam().pk, "narrative": "x", "persons": persons(), "brokers": [pk]},
            content_type="application/json",
        )
        answers.append((response.status_code, response.json()["brokers"][0].replace(str(pk), "")))
    assert answers[0] == answers[1] and answers[0][0] == 400


def test_the_api_shows_only_the_brokers_the_reader_may_read(cast, client_for):
    report = kit.acknowledge(new_report(cast["tj_officer"]), cast["jp_contact"])
    services.link_brokers(report, cast["tj_officer"], brokers=[broker(cast["tj_officer"])])
    # A broker the Japanese reader cannot read (linked behind the services' back).
    hidden = broker(cast["tj_officer"], "Скрытый", share=False)
    report.brokers.add(hidden)
    body = client_for("jp_officer").get(f"{API}{report.pk}/").json()
    assert [row["name"] for row in body["brokers_named"]] == ["Раҳимов Фаррух"]
    assert "brokers" not in body
    page = client_for("jp_officer").get(reverse("exams:fraud", args=[report.pk])).content.decode()
    assert "Скрытый" not in page


def test_the_api_link_brokers_and_refusals(cast, client_for):
    report = new_report(cast["tj_officer"])
    named = broker(cast["tj_officer"])
    jp = client_for("jp_officer")
    refused = jp.post(
        f"{API}{report.pk}/link-brokers/", {"brokers": [named.pk]}, content_type="application/json"
    )
    assert refused.status_code == 200  # shared and open: either side links
    closed = jp.post(
        f"{API}{report.pk}/close/", {"outcome": "confirmed", "note": "x"}, content_type="application/json"
    )
    assert closed.status_code == 409 and "Acknowledge" in closed.content.decode()
    assert client_for("jp_analyst").post(f"{API}{report.pk}/share/").status_code == 403


# --- Registry and demo ----------------------------------------------------------------------------


def test_the_registry_names_routes_audit_actions_inbox_kinds_and_enums():
    from portal import audit, hooks, notifications

    assert reverse("api:fraud-report-list") == API
    for name in ("fraud.closed", "fraud.brokers_linked"):
        assert audit.is_registered(name) if hasattr(audit, "is_registered") else name in audit.ACTIONS
    kinds = getattr(notifications, "KINDS", None) or getattr(notifications, "MESSAGES", {})
    assert {"exams.fraud_reported", "exams.fraud_closed"} <= set(kinds)
    assert hooks.ENUM_NAME_OVERRIDES["FraudKindEnum"] == "exams.choices.FraudKind"
    for name in (
        "frauds",
        "fraud",
        "fraud-create",
        "fraud-edit",
        "fraud-share",
        "fraud-withdraw",
        "fraud-close",
        "fraud-link",
    ):
        assert reverse(f"exams:{name}", args=[] if name in ("frauds", "fraud-create") else [1])


def test_the_demo_seeds_one_report_per_side_one_linking_a_demo_broker(cast):
    from brokers.demo import seed as seed_brokers
    from exams.fraud.demo import seed

    users = {key.replace("_", "-"): user for key, user in cast.items()}
    seed_brokers(users)
    seed(users)
    seed(users)  # twice: nothing more
    reports = FraudReport.objects.order_by("id")
    assert reports.count() == 2
    assert {report.origin.side.country for report in reports} == {"JP", "TJ"}
    assert sum(report.brokers.count() for report in reports) == 1
    assert all(report.status == "shared" for report in reports)


__all__ = ["PersonRole"]


def test_a_third_party_reading_a_report_by_consent_is_not_shown_its_session(cast, client_for):
    """The sessions register is both sides' alone: a report a third party reads by the
    reporting side's consent names its session as "not shown", without its city or
    date; either side reads it."""
    held = session(cast["jp_officer"])  # recorded by Japan, named in Tajikistan's report
    ExamSession.objects.filter(pk=held.pk).update(city="Khujand-SESSION-CITY")
    report = new_report(cast["tj_officer"], session=held)
    consent(report, cast["tj_contact"])
    third = client_for("maff_viewer").get(reverse("exams:fraud", args=[report.pk]))
    assert third.status_code == 200
    page = third.content.decode()
    assert "SESSION-CITY" not in page and "2026-03-01" not in page
    assert "not shown" in page
    for reader in ("jp_officer", "tj_officer"):
        assert (
            "SESSION-CITY"
            in client_for(reader).get(reverse("exams:fraud", args=[report.pk])).content.decode()
        )
    # With only the receiving side's consent the session is withheld with the rest of
    # the reporting side's part (the crawl found this page failing on it).
    other = new_report(cast["tj_officer"], session=held)
    consent(kit.acknowledge(other, cast["jp_contact"]), cast["jp_contact"])
    third = client_for("maff_viewer").get(reverse("exams:fraud", args=[other.pk]))
    assert third.status_code == 200 and "SESSION-CITY" not in third.content.decode()
