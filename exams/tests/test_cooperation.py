"""Cooperation requests (5, first paragraph): Japan's side requests for a relevant
ministry (its own or a sector ministry) and the request is shared at once; the partner
side answers what it can do, then records what was done; the requesting side cancels
with a reason; bad input is refused naming the field; the pages per role and their
forms' messages; the API; and what a third party reads (the answer only with the
partner side's consent)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from exams.choices import Capability, CooperationStage
from exams.cooperation import services
from exams.cooperation.testing import REQUEST, SUBJECT, answered, ministry, request
from exams.models import CooperationRequest, Exam
from portal.exceptions import InvalidInput, PermissionDenied, TransitionError
from portal.models import AuditEntry, Notification, Organization
from portal.records import services as kit
from portal.testing.matrix import ADMIN, BOTH_SIDES, MatrixTests, PermissionMatrix
from portal.timezones import today_for

pytestmark = pytest.mark.django_db


def _kinds(code: str) -> list[str]:
    return list(Notification.objects.filter(organization__code=code).values_list("kind", flat=True))


# --- The services -------------------------------------------------------------------------


def test_a_request_is_shared_at_once_answered_and_completed(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = request(cast["jp_officer"], requesting_ministry="jp-maff")
    assert record.status == "shared" and record.reference.startswith("JP-TCR-")
    assert record.stage == CooperationStage.REQUESTED and record.requesting_ministry.code == "jp-maff"
    assert record.due_on == today_for(cast["jp_officer"]) + dt.timedelta(days=30)
    item = Notification.objects.get(kind="exams.cooperation_requested")
    assert item.organization.code == "tj-ms-lpsa" and SUBJECT not in str(item.params)

    with django_capture_on_commit_callbacks(execute=True):
        record = services.answer(
            record, cast["tj_officer"], capability=Capability.PARTIAL, answer=" In part. "
        )
    record.refresh_from_db()
    assert (record.stage, record.capability, record.answer) == ("answered", "partial", "In part.")
    assert record.acknowledged_by == cast["tj_officer"] and record.answered_by == cast["tj_officer"]
    item.refresh_from_db()
    assert item.read_at is not None  # the item that asked for the answer is resolved
    assert "exams.cooperation_answered" in _kinds("jp-isa")

    with django_capture_on_commit_callbacks(execute=True):
        record = services.complete(record, cast["tj_contact"], note="Courses started in Khatlon.")
    record.refresh_from_db()
    assert record.stage == "completed" and record.completed_at and not record.is_open()
    assert not CooperationRequest.open_records().filter(pk=record.pk).exists()
    assert "exams.cooperation_completed" in _kinds("jp-isa")
    actions = set(AuditEntry.objects.filter(object_id=str(record.pk)).values_list("action", flat=True))
    assert {"cooperation.requested", "cooperation.answered", "cooperation.completed"} <= actions


def test_the_requesting_side_cancels_with_a_reason(cast, django_capture_on_commit_callbacks):
    record = request(cast["jp_contact"])
    with pytest.raises(PermissionDenied, match="side that requested"):
        services.cancel(record, cast["tj_officer"], reason="No.")
    with pytest.raises(InvalidInput, match="Reason for cancelling"):
        services.cancel(record, cast["jp_officer"], reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        record = services.cancel(record, cast["jp_officer"], reason="The session was postponed.")
    assert record.stage == "cancelled" and record.cancellation_reason == "The session was postponed."
    assert "exams.cooperation_cancelled" in _kinds("tj-ms-lpsa")
    with pytest.raises(TransitionError):
        services.cancel(record, cast["jp_officer"], reason="Again.")
    with pytest.raises(TransitionError):
        services.answer(record, cast["tj_officer"], capability="full", answer="Late.")


def test_who_may_request_answer_and_complete(cast):
    for user in ("tj_officer", "tj_contact", "jp_analyst", "embassy_viewer", "admin"):
        with pytest.raises(PermissionDenied):
            request(cast[user])
    record = request(cast["jp_officer"])
    for user in ("jp_officer", "jp_contact"):
        with pytest.raises(PermissionDenied, match="side asked"):
            services.answer(record, cast[user], capability="full", answer="Yes.")
    with pytest.raises(PermissionDenied):
        services.answer(record, cast["tj_analyst"], capability="full", answer="Yes.")
    with pytest.raises(TransitionError, match="Only an answered"):
        services.complete(record, cast["tj_officer"], note="Done.")
    services.answer(record, cast["tj_officer"], capability="full", answer="Yes.")
    with pytest.raises(TransitionError, match="cannot be answered again"):
        services.answer(record, cast["tj_contact"], capability="full", answer="Again.")
    with pytest.raises(PermissionDenied):
        services.complete(record, cast["jp_officer"], note="Done.")


def test_nothing_to_complete_when_the_side_cannot_cooperate(cast):
    record = answered(cast["jp_officer"], cast["tj_officer"], capability=Capability.NONE)
    with pytest.raises(TransitionError, match="cannot cooperate"):
        services.complete(record, cast["tj_officer"], note="Done.")
    # The requesting side may still close it by cancelling.
    assert services.cancel(record, cast["jp_officer"], reason="Not possible.").stage == "cancelled"


@pytest.mark.parametrize(
    "facts, words",
    [
        ({"requesting_ministry": "tj-mlme"}, "Requesting ministry: choose an organization of Japan's side"),
        (
            {"requesting_ministry": "tj-embassy-jp"},
            "Requesting ministry: choose an organization of Japan's side",
        ),
        ({"requesting_ministry": None}, "Requesting ministry: this field is required"),
        ({"kind": "bribery"}, "Cooperation asked for: choose one"),
        ({"subject": " "}, "Subject: this field is required"),
        ({"request": ""}, "What is asked: this field is required"),
        ({"period_from": dt.date(2027, 5, 2), "period_to": dt.date(2027, 5, 1)}, "Period until: the end"),
        (
            {"due_on": timezone.localdate() - dt.timedelta(days=2)},
            "Due on: the due date cannot be in the past",
        ),
        ({"exam": 999_999}, "Test: choose one of the tests"),
    ],
)
def test_bad_input_is_refused_naming_the_field(cast, facts, words):
    with pytest.raises(InvalidInput) as caught:
        request(cast["jp_officer"], **facts)
    assert words in caught.value.message
    assert not CooperationRequest.objects.exists()


def test_answer_refusals_name_the_field(cast):
    record = request(cast["jp_officer"])
    with pytest.raises(InvalidInput, match="What can be done"):
        services.answer(record, cast["tj_officer"], capability="maybe", answer="Yes.")
    with pytest.raises(InvalidInput, match="Answer: write the answer"):
        services.answer(record, cast["tj_officer"], capability="full", answer=" ")
    record = services.answer(record, cast["tj_officer"], capability="full", answer="Yes.")
    with pytest.raises(InvalidInput, match="What was done"):
        services.complete(record, cast["tj_officer"], note="")


# --- What a third party reads ---------------------------------------------------------------


def test_a_third_party_with_only_japan_s_consent_never_reads_the_answer(cast, client_for):
    record = answered(cast["jp_officer"], cast["tj_officer"], subject="Venue in Dushanbe")
    CooperationRequest.objects.filter(pk=record.pk).update(answer="Secret answer of Tajikistan")
    embassy = client_for("embassy_viewer")
    assert embassy.get(record.get_absolute_url()).status_code == 404  # no consent yet
    kit.grant_consent(
        record,
        cast["jp_contact"],
        third_party=Organization.objects.get(code="tj-embassy-jp"),
        document_reference="No. 4/26",
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    page = embassy.get(record.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200 and "Venue in Dushanbe" in html
    assert "Secret answer of Tajikistan" not in html and "not disclosed to your organization" in html
    data = embassy.get(f"/api/v1/cooperation-requests/{record.pk}/").json()
    assert data["subject"] == "Venue in Dushanbe"
    assert not {"answer", "capability", "stage", "completion_note", "answered_at"} & set(data)
    # A filter that would tell the answer's part is not offered, and is ignored.
    listing = embassy.get("/exams/cooperation/?stage=completed")
    assert "stage" not in listing.context["filter"].form.fields
    assert [row.pk for row in listing.context["cooperations"]] == [record.pk]
    api = embassy.get("/api/v1/cooperation-requests/?stage=completed").json()
    assert [row["id"] for row in api["results"]] == [record.pk]
    # MAFF, the requesting ministry, is a third party too: nothing without its consent.
    assert client_for("maff_viewer").get(record.get_absolute_url()).status_code == 404


# --- The pages ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "user, status",
    [
        ("jp_officer", 200),
        ("jp_contact", 200),
        ("tj_officer", 404),
        ("jp_analyst", 404),
        ("maff_viewer", 404),
    ],
)
def test_the_request_page_per_role(client_for, user, status):
    assert client_for(user).get("/exams/cooperation/new/").status_code == status


def test_the_pages_request_answer_complete(client_for, cast):
    japan = client_for("jp_officer")
    form = japan.get("/exams/cooperation/new/")
    codes = {org.code for org in form.context["form"].fields["requesting_ministry"].queryset}
    assert {"jp-mhlw", "jp-maff", "jp-isa"} <= codes and not {"tj-mlme", "tj-embassy-jp"} & codes
    exam = Exam.objects.get(code="jft-basic")
    response = japan.post(
        "/exams/cooperation/new/",
        {
            "requesting_ministry": ministry("jp-mhlw").pk,
            "kind": "japanese_education",
            "exam": exam.pk,
            "subject": "Courses",
            "request": "Please offer courses.",
            "period_from": "2027-04-01",
            "period_to": "2027-06-30",
        },
    )
    assert response.status_code == 302
    record = CooperationRequest.objects.get()
    assert response["Location"] == f"/exams/cooperation/{record.pk}/"

    tajikistan = client_for("tj_officer")
    detail = tajikistan.get(record.get_absolute_url()).content.decode()
    assert f"/exams/cooperation/{record.pk}/answer/" in detail and "/cancel/" not in detail
    assert japan.get(f"/exams/cooperation/{record.pk}/answer/").status_code == 404
    bad = tajikistan.post(f"/exams/cooperation/{record.pk}/answer/", {"capability": "full", "answer": ""})
    assert bad.status_code == 200 and bad.context["form"].errors["answer"]
    ok = tajikistan.post(f"/exams/cooperation/{record.pk}/answer/", {"capability": "full", "answer": "Yes."})
    assert ok.status_code == 302
    detail = tajikistan.get(record.get_absolute_url()).content.decode()
    assert f"/exams/cooperation/{record.pk}/complete/" in detail
    assert tajikistan.post(f"/exams/cooperation/{record.pk}/complete/", {"note": "Done."}).status_code == 302
    record.refresh_from_db()
    assert record.stage == "completed"
    listing = japan.get("/exams/cooperation/?stage=completed&kind=japanese_education")
    assert [row.pk for row in listing.context["cooperations"]] == [record.pk]
    assert japan.get(f"/exams/cooperation/?exam={exam.pk}&stage=requested").context["cooperations"] == []
    # Cancelling a completed request: no form for it.
    assert japan.get(f"/exams/cooperation/{record.pk}/cancel/").status_code == 404


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"period_from": "2027-05-02", "period_to": "2027-05-01"}, "period_to", "cannot be before its start"),
        ({"period_from": "2027-02-30"}, "period_from", "Not a date that exists"),
        ({"subject": ""}, "subject", "This field is required."),
    ],
)
def test_the_request_form_names_the_field_in_error(client_for, changes, field, words):
    data = {
        "requesting_ministry": ministry().pk,
        "kind": "test_delivery",
        "subject": "S",
        "request": "R",
        **changes,
    }
    response = client_for("jp_contact").post("/exams/cooperation/new/", data)
    assert response.status_code == 200
    assert any(words in message for message in response.context["form"].errors[field])


def test_a_due_date_in_the_past_is_shown_above_the_form(client_for):
    data = {
        "requesting_ministry": ministry().pk,
        "kind": "test_delivery",
        "subject": "S",
        "request": "R",
        "due_on": "2020-01-01",
    }
    response = client_for("jp_contact").post("/exams/cooperation/new/", data)
    assert response.status_code == 200
    assert "the due date cannot be in the past" in " ".join(response.context["form"].non_field_errors())


# --- The API ------------------------------------------------------------------------------


def test_the_api_requests_answers_completes_and_cancels(client_for, cast):
    japan = client_for("jp_contact")
    body = {"requesting_ministry": "jp-maff", "kind": "test_delivery", "subject": SUBJECT, "request": REQUEST}
    response = japan.post("/api/v1/cooperation-requests/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["stage"] == "requested" and data["requesting_ministry"] == "jp-maff"
    url = f"/api/v1/cooperation-requests/{data['id']}/"
    refused = japan.post(
        "/api/v1/cooperation-requests/",
        {**body, "requesting_ministry": "tj-mlme"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "Requesting ministry" in refused.content.decode()
    tj = client_for("tj_officer")
    assert tj.post("/api/v1/cooperation-requests/", body, content_type="application/json").status_code == 403
    assert (
        japan.post(
            f"{url}answer/", {"capability": "full", "answer": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert tj.post(f"{url}complete/", {"note": "x"}, content_type="application/json").status_code == 409
    ok = tj.post(f"{url}answer/", {"capability": "full", "answer": "Yes."}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["stage"] == "answered"
    assert (
        tj.post(
            f"{url}answer/", {"capability": "full", "answer": "x"}, content_type="application/json"
        ).status_code
        == 409
    )
    done = tj.post(f"{url}complete/", {"note": "Done."}, content_type="application/json")
    assert done.status_code == 200 and done.json()["completion_note"] == "Done."
    other = japan.post("/api/v1/cooperation-requests/", body, content_type="application/json").json()
    cancelled = japan.post(
        f"/api/v1/cooperation-requests/{other['id']}/cancel/",
        {"reason": "Postponed."},
        content_type="application/json",
    )
    assert cancelled.status_code == 200 and cancelled.json()["stage"] == "cancelled"
    assert {
        row["id"] for row in japan.get("/api/v1/cooperation-requests/?stage=cancelled").json()["results"]
    } == {other["id"]}
    assert client_for("embassy_viewer").get(url).status_code == 404


# --- Who reads what: the read matrix -----------------------------------------------------


class CooperationMatrix(PermissionMatrix):
    situations = {
        "answered": BOTH_SIDES | ADMIN,
        "draft_of_japan": {"jp_contact"} | ADMIN,
        "disclosed_by_tajikistan": BOTH_SIDES | ADMIN | {"embassy_viewer"},
    }
    html_list_url = "/exams/cooperation/"
    api_list_url = "/api/v1/cooperation-requests/"

    @staticmethod
    def html_detail_url(obj):
        return f"/exams/cooperation/{obj.pk}/"

    @staticmethod
    def api_detail_url(obj):
        return f"/api/v1/cooperation-requests/{obj.pk}/"

    def make(self, situation, cast):
        if situation == "draft_of_japan":
            return kit.create_record(
                CooperationRequest,
                cast["jp_contact"],
                requesting_ministry=ministry(),
                kind="other",
                subject=situation,
                request="?",
                due_on=timezone.localdate(),
            )
        record = answered(cast["jp_officer"], cast["tj_officer"], subject=situation)
        if situation == "disclosed_by_tajikistan":
            kit.grant_consent(
                record,
                cast["tj_contact"],
                third_party=Organization.objects.get(code="tj-embassy-jp"),
                document_reference="No. 5/26",
                expires_at=timezone.now() + dt.timedelta(days=30),
            )
        return CooperationRequest.objects.get(pk=record.pk)


READERS = ["jp_contact", "jp_officer", "tj_analyst", "embassy_viewer", "maff_viewer", "admin"]


class TestCooperationMatrix(MatrixTests):
    matrix = CooperationMatrix()

    @pytest.mark.parametrize("username", READERS)
    def test_html_list_and_detail(self, username, objects, client_for):
        super().test_html_list_and_detail(username, objects, client_for)

    @pytest.mark.parametrize("username", READERS)
    def test_api_list_and_detail(self, username, objects, client_for):
        super().test_api_list_and_detail(username, objects, client_for)


def test_the_demo_seeds_three_requests_in_different_stages_once(cast):
    from exams.cooperation.demo import seed
    from portal.demo import create_demo_users

    users = create_demo_users()
    seed(users)
    seed(users)
    assert sorted(CooperationRequest.objects.values_list("stage", flat=True)) == [
        "answered",
        "completed",
        "requested",
    ]


def test_the_canary_factory_makes_each_side_s_request(cast):
    from exams.cooperation.testing import CanaryCooperationFactory

    factory = CanaryCooperationFactory()
    for origin in ("jp_officer", "tj_officer"):
        record = factory.create(None, CooperationRequest, cast[origin], {"place": "Dushanbe"}, shared=True)
        assert record.status == "shared" and record.place == "Dushanbe"
        draft = factory.create(None, CooperationRequest, cast[origin], {}, shared=False)
        assert draft.status == "draft"
