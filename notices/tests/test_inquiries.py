"""Inquiries (6(4), 7(6)): either side asks and the inquiry is shared at once; the side
asked answers, once, and the asking side is told; bad input is refused with its reason
and leaves nothing; the time to answer and whether it came late, on the answering side's
clock; the kit's daily reminder reminds the side asked until it answers; the overdue
view by answering organization; and who reads each inquiry and its answer through the
HTML list and page and the API (``portal.testing.matrix``)."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

import pytest
from django.utils import timezone

from notices.inquiries import services
from notices.inquiries.testing import QUESTION, SUBJECT, ask
from notices.models import Inquiry, NoticeTerms
from portal.exceptions import InvalidInput, PermissionDenied, TransitionError
from portal.models import AuditEntry, Notification, Organization
from portal.records import services as kit
from portal.records.models import Comment, RecordEvent
from portal.testing.matrix import ADMIN, BOTH_SIDES, MatrixTests, PermissionMatrix
from portal.timezones import today_for

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def _kinds(code: str) -> list[str]:
    return list(Notification.objects.filter(organization__code=code).values_list("kind", flat=True))


# --- Asking and answering ----------------------------------------------------------------


def test_asking_shares_at_once_and_answering_closes_records_and_tells(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = ask(cast["tj_officer"])
    assert inquiry.status == "shared" and inquiry.reference.startswith("TJ-INQ-")
    # The default due date: the memorandum's days after today on the asking side's clock.
    assert inquiry.due_on == today_for(cast["tj_officer"]) + timedelta(days=30)
    assert inquiry.is_open() and Inquiry.open_records().filter(pk=inquiry.pk).exists()
    # Japan's contact point is told by the reference, never by the content.
    item = Notification.objects.get(kind="notices.inquiry_asked")
    assert item.organization.code == "jp-isa-rmd" and item.read_at is None
    assert inquiry.reference in str(item.params) and "receiving" not in str(item.params)
    assert mailoutbox and all(SUBJECT not in mail.body and QUESTION not in mail.body for mail in mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        answered = services.answer(inquiry, cast["jp_officer"], answer="  Two were moved.  ")
    answered.refresh_from_db()
    assert (answered.answer, answered.answered_by, answered.answered_late) == (
        "Two were moved.",
        cast["jp_officer"],
        False,
    )
    assert answered.time_to_answer == answered.answered_at - answered.shared_at > timedelta(0)
    assert answered.acknowledged_by == cast["jp_officer"]  # answering acknowledges receipt
    assert not answered.is_open() and not Inquiry.open_records().filter(pk=inquiry.pk).exists()
    item.refresh_from_db()
    assert item.read_at is not None  # the item that asked for the answer is resolved
    assert "notices.inquiry_answered" in _kinds("tj-mlme")  # the organization that asked
    steps = list(RecordEvent.objects.filter(object_id=inquiry.pk).values_list("action", flat=True))
    assert steps[-2:] == ["acknowledged", "answered"]
    actions = set(AuditEntry.objects.filter(object_id=str(inquiry.pk)).values_list("action", flat=True))
    assert {"record.created", "record.shared", "inquiry.asked", "inquiry.answered"} <= actions


def test_the_due_date_default_comes_from_the_memorandum_s_terms(cast):
    officer = cast["jp_contact"]
    NoticeTerms.objects.create(memorandum_id=officer.organization.side.memorandum_id, inquiry_answer_days=10)
    assert ask(officer).due_on == today_for(officer) + timedelta(days=10)
    assert ask(officer, due_on=today_for(officer)).due_on == today_for(officer)  # today is allowed


def _refused(call, error, words: str) -> None:
    with pytest.raises(error) as refused:
        call()
    assert words in str(refused.value.message)


def test_bad_input_and_wrong_answerers_are_refused_leaving_nothing(cast):
    jp, tj = cast["jp_officer"], cast["tj_officer"]
    yesterday = today_for(tj) - timedelta(days=1)
    before = (Inquiry.objects.count(), AuditEntry.objects.count())
    _refused(lambda: ask(tj, due_on=yesterday), InvalidInput, "cannot be in the past")
    _refused(lambda: ask(tj, subject="  "), InvalidInput, "Subject")
    _refused(lambda: ask(tj, question=""), InvalidInput, "Question")
    _refused(lambda: ask(cast["tj_analyst"]), PermissionDenied, "role")
    _refused(lambda: ask(cast["maff_viewer"]), PermissionDenied, "role")
    assert (Inquiry.objects.count(), AuditEntry.objects.count()) == before

    inquiry = ask(tj)
    events = RecordEvent.objects.filter(object_id=inquiry.pk).count()
    _refused(lambda: services.answer(inquiry, tj, answer="Self"), PermissionDenied, "side that asked")
    _refused(lambda: services.answer(inquiry, cast["tj_contact"], answer="x"), PermissionDenied, "asked")
    _refused(lambda: services.answer(inquiry, cast["jp_analyst"], answer="x"), PermissionDenied, "role")
    _refused(lambda: services.answer(inquiry, jp, answer="   "), InvalidInput, "write the answer")
    inquiry.refresh_from_db()
    assert inquiry.answered_at is None and inquiry.acknowledged_at is None
    assert RecordEvent.objects.filter(object_id=inquiry.pk).count() == events

    services.answer(inquiry, jp, answer="First.")
    _refused(lambda: services.answer(inquiry, cast["jp_contact"], answer="Again"), TransitionError, "already")
    inquiry.refresh_from_db()
    assert inquiry.answer == "First."
    _refused(lambda: kit.comment(inquiry, tj, "Thanks"), TransitionError, "still open")  # closed

    draft = kit.create_record(Inquiry, tj, subject="Draft", question="?", due_on=today_for(tj))
    kit.withdraw_draft(draft, tj)
    # A withdrawn inquiry is readable by its organization only: Japan cannot reach it.
    _refused(lambda: services.answer(draft, jp, answer="x"), PermissionDenied, "cannot read")
    draft.refresh_from_db()
    with pytest.raises(TransitionError, match="withdrawn"):
        from notices.inquiries import policies

        policies.check_answer(jp, draft)


@pytest.mark.parametrize(
    ("answering", "at", "late"),
    [
        # Due on 7 December. 16:00 UTC is 21:00 in Dushanbe (still the 7th) and 01:00 on
        # the 8th in Tokyo: Tajikistan's answer is in time, Japan's at the same instant late.
        ("TJ", dt.datetime(2026, 12, 7, 16, 0, tzinfo=UTC), False),
        ("JP", dt.datetime(2026, 12, 7, 16, 0, tzinfo=UTC), True),
        ("JP", dt.datetime(2026, 12, 7, 14, 59, tzinfo=UTC), False),  # 23:59 in Tokyo
        ("TJ", dt.datetime(2026, 12, 7, 19, 0, tzinfo=UTC), True),  # 00:00 on the 8th in Dushanbe
    ],
)
def test_answered_late_is_read_on_the_answering_side_s_clock(answering, at, late):
    assert services.answered_late(Inquiry(due_on=dt.date(2026, 12, 7)), at, answering) is late
    assert services.answered_late(Inquiry(due_on=None), at, answering) is None


def test_the_service_marks_late_on_the_answering_side_s_clock(cast, monkeypatch):
    by_japan, by_tajikistan = ask(cast["tj_officer"]), ask(cast["jp_officer"])
    Inquiry.objects.filter(pk__in=[by_japan.pk, by_tajikistan.pk]).update(due_on=dt.date(2026, 12, 7))
    instant = dt.datetime(2026, 12, 7, 16, 0, tzinfo=UTC)  # Tokyo on the 8th, Dushanbe on the 7th
    monkeypatch.setattr(timezone, "now", lambda: instant)
    japan = services.answer(by_japan, cast["jp_contact"], answer="Late by Tokyo's clock.")
    tajikistan = services.answer(by_tajikistan, cast["tj_contact"], answer="In time in Dushanbe.")
    assert (japan.answered_late, tajikistan.answered_late) == (True, False)
    assert japan.answered_at == instant


# --- Reminders: the kit's daily job reminds the side asked ------------------------------


def test_the_kit_s_reminder_reminds_the_side_asked_until_it_answers(cast, django_capture_on_commit_callbacks):
    due, overdue, answered = ask(cast["tj_officer"]), ask(cast["tj_officer"]), ask(cast["tj_officer"])
    today = today_for(cast["jp_contact"])
    Inquiry.objects.filter(pk=due.pk).update(due_on=today + timedelta(days=1))
    Inquiry.objects.filter(pk__in=[overdue.pk, answered.pk]).update(due_on=today - timedelta(days=2))
    services.answer(answered, cast["jp_officer"], answer="Done.")
    with django_capture_on_commit_callbacks(execute=True):
        kit.remind_due_records()
        kit.remind_due_records()  # once a day
    reminders = Notification.objects.filter(kind__in=["record.due", "record.overdue"])
    got = sorted((item.kind, item.url, item.organization.code) for item in reminders)
    assert got == sorted(
        [
            ("record.due", due.get_absolute_url(), "jp-isa-rmd"),
            ("record.overdue", overdue.get_absolute_url(), "jp-isa-rmd"),
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.answer(overdue, cast["jp_contact"], answer="Sorry for the delay.")
    assert Notification.objects.get(kind="record.overdue").read_at is not None  # resolved by the answer


# --- The pages ---------------------------------------------------------------------------


def test_pages_ask_answer_show_the_time_to_answer_and_refuse_bad_input(cast, client_for):
    tj = client_for("tj_officer")
    page = tj.post("/notices/inquiries/new/", {"subject": "S", "question": "Q?", "due_on": "2020-01-01"})
    assert page.status_code == 200 and "cannot be in the past" in page.content.decode()
    assert not Inquiry.objects.exists()
    response = tj.post("/notices/inquiries/new/", {"subject": "Moved workers", "question": "Where?"})
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302 and response["Location"] == inquiry.get_absolute_url()
    assert tj.get(f"/notices/inquiries/{inquiry.pk}/answer/").status_code == 404  # the asking side
    jp = client_for("jp_contact")
    detail = jp.get(inquiry.get_absolute_url()).content.decode()
    assert "Moved workers" in detail and f"/notices/inquiries/{inquiry.pk}/answer/" in detail
    assert "Not answered yet" in detail
    assert jp.post(f"/notices/inquiries/{inquiry.pk}/answer/", {"answer": " "}).status_code == 200
    assert jp.post(f"/notices/inquiries/{inquiry.pk}/answer/", {"answer": "In Osaka."}).status_code == 302
    detail = tj.get(inquiry.get_absolute_url()).content.decode()
    assert "In Osaka." in detail and "Time to answer" in detail and "by the due date" in detail
    assert jp.get(f"/notices/inquiries/{inquiry.pk}/answer/").status_code == 404  # answered


def test_the_list_filters_by_status_side_period_and_reference(cast, client_for):
    tj, jp = cast["tj_officer"], cast["jp_officer"]
    asked_by_tj, asked_by_jp, answered = ask(tj, subject="Alpha"), ask(jp, subject="Beta"), ask(tj)
    Inquiry.objects.filter(pk=asked_by_tj.pk).update(due_on=today_for(jp) - timedelta(days=1))
    services.answer(answered, jp, answer="Yes.")
    client = client_for("tj_officer")

    def ids(query: str) -> set[int]:
        page = client.get(f"/notices/inquiries/?{query}")
        assert page.status_code == 200
        return {row.pk for row in page.context["inquiries"]}

    every = {asked_by_tj.pk, asked_by_jp.pk, answered.pk}
    assert ids("") == every
    assert ids("status=open") == {asked_by_tj.pk, asked_by_jp.pk}
    assert ids("status=answered") == {answered.pk}
    assert ids("status=overdue") == {asked_by_tj.pk}
    assert ids("side=asked") == {asked_by_tj.pk, answered.pk}
    assert ids("side=received") == {asked_by_jp.pk}
    assert ids(f"reference={asked_by_jp.reference}") == {asked_by_jp.pk}
    assert ids("reference=alph") == {asked_by_tj.pk}
    today = timezone.localdate().isoformat()
    assert ids(f"asked_from={today}&asked_to={today}") == every
    assert ids("asked_to=2020-01-01") == set()
    assert ids("status=nonsense") == set()  # an invalid filter selects nothing


def test_the_overdue_view_groups_by_the_organization_that_has_to_answer(cast, client_for):
    tj, jp = cast["tj_officer"], cast["jp_officer"]
    to_japan, assigned, to_tajikistan, not_yet = ask(tj), ask(tj), ask(jp), ask(jp)
    kit.assign(assigned, cast["jp_contact"], assignee=jp)  # Japan's officer, of jp-isa
    past = today_for(jp) - timedelta(days=3)
    Inquiry.objects.filter(pk__in=[to_japan.pk, assigned.pk, to_tajikistan.pk]).update(due_on=past)
    page = client_for("jp_officer").get("/notices/inquiries/overdue/")
    assert page.status_code == 200
    groups = {org.code: ({row.pk for row in rows}, own) for org, rows, own in page.context["groups"]}
    assert groups == {
        "jp-isa-rmd": ({to_japan.pk}, False),
        "jp-isa": ({assigned.pk}, True),
        "tj-ms-lpsa": ({to_tajikistan.pk}, False),
    }
    assert page.context["groups"][0][0].code == "jp-isa"  # the reader's own first
    assert all(not_yet.pk not in ids for ids, _own in groups.values())  # due later
    for reader in ("maff_viewer", "embassy_viewer"):
        assert client_for(reader).get("/notices/inquiries/overdue/").status_code == 404
    assert client_for(None).get("/notices/inquiries/overdue/").status_code == 302


def test_the_list_costs_the_same_queries_for_2_and_for_8_inquiries(
    cast, client_for, django_assert_max_num_queries
):
    client = client_for("jp_contact")
    for _ in range(2):
        ask(cast["tj_officer"])
    with django_assert_max_num_queries(60) as few:
        client.get("/notices/inquiries/")
    for _ in range(6):
        ask(cast["tj_officer"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/notices/inquiries/")


# --- The API -----------------------------------------------------------------------------


def test_the_api_asks_answers_filters_and_refuses_with_reasons(cast, client_for):
    tj, jp = client_for("tj_officer"), client_for("jp_contact")
    created = tj.post(
        "/api/v1/inquiries/",
        {"subject": "Moved workers", "question": "Where?"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["reference"].startswith("TJ-INQ-") and body["answer"] == "" and body["due_on"]
    pk = body["id"]
    past = tj.post(
        "/api/v1/inquiries/",
        {"subject": "S", "question": "Q", "due_on": "2020-01-01"},
        content_type="application/json",
    )
    assert past.status_code == 400 and "past" in past.content.decode()
    assert (
        tj.post(
            f"/api/v1/inquiries/{pk}/answer/", {"answer": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert (
        jp.post(
            f"/api/v1/inquiries/{pk}/answer/", {"answer": ""}, content_type="application/json"
        ).status_code
        == 400
    )
    answered = jp.post(
        f"/api/v1/inquiries/{pk}/answer/", {"answer": "Osaka."}, content_type="application/json"
    )
    assert answered.status_code == 200
    data = answered.json()
    assert (
        data["answer"] == "Osaka." and data["answered_late"] is False and data["time_to_answer_seconds"] >= 0
    )
    again = jp.post(f"/api/v1/inquiries/{pk}/answer/", {"answer": "y"}, content_type="application/json")
    assert again.status_code == 409
    late = ask(cast["tj_officer"])
    Inquiry.objects.filter(pk=late.pk).update(due_on=today_for(cast["jp_contact"]) - timedelta(days=1))

    def ids(query: str) -> set[int]:
        response = tj.get(f"/api/v1/inquiries/?{query}")
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids("overdue=true") == {late.pk}
    assert ids(f"reference={body['reference']}") == {pk}
    assert ids("answered_late=false") == {pk}
    services.answer(late, cast["jp_contact"], answer="Late.")
    assert ids("answered_late=true") == {late.pk} and ids("overdue=true") == set()
    comment = tj.post(
        f"/api/v1/inquiries/{late.pk}/comments/", {"text": "Thanks"}, content_type="application/json"
    )
    assert comment.status_code == 409  # the answer closed the thread


def test_a_third_party_reads_only_the_consenting_side_s_part(cast, client_for):
    inquiry = ask(cast["tj_officer"], question="Where were the workers moved?")
    services.answer(inquiry, cast["jp_officer"], answer="To Osaka.")
    kit.comment(ask(cast["tj_officer"]), cast["jp_officer"], "unrelated")
    kit.grant_consent(
        inquiry,
        cast["tj_contact"],
        third_party=Organization.objects.get(code="tj-embassy-jp"),
        document_reference="No. 3/26",
        expires_at=timezone.now() + timedelta(days=30),
    )
    embassy = client_for("embassy_viewer")
    page = embassy.get(inquiry.get_absolute_url()).content.decode()
    assert "Where were the workers moved?" in page and "To Osaka." not in page
    assert "not disclosed to your organization" in page
    data = embassy.get(f"/api/v1/inquiries/{inquiry.pk}/").json()
    assert data["question"] == "Where were the workers moved?"
    assert not {"answer", "answered_at", "answered_late", "time_to_answer_seconds"} & set(data)
    # Filtering on the answer's part is ignored for a third party, not answered.
    listed = embassy.get("/api/v1/inquiries/?answered_late=false&overdue=false").json()
    assert [row["id"] for row in listed["results"]] == [inquiry.pk]
    page = embassy.get("/notices/inquiries/?status=answered")
    assert [row.pk for row in page.context["inquiries"]] == [inquiry.pk]


# --- Who reads what: the read matrix -----------------------------------------------------

SHARED = BOTH_SIDES | ADMIN
CONSENTED = SHARED | {"embassy_viewer"}


class InquiryMatrix(PermissionMatrix):
    situations = {
        "answered_by_japan": SHARED,
        "draft_of_japan": {"jp_contact"} | ADMIN,
        "asked_by_tajikistan_and_disclosed": CONSENTED,
        "consent_withdrawn": SHARED,
    }
    html_list_url = "/notices/inquiries/"
    api_list_url = "/api/v1/inquiries/"

    @staticmethod
    def html_detail_url(obj):
        return f"/notices/inquiries/{obj.pk}/"

    @staticmethod
    def api_detail_url(obj):
        return f"/api/v1/inquiries/{obj.pk}/"

    def make(self, situation, cast):
        if situation == "draft_of_japan":
            return kit.create_record(
                Inquiry, cast["jp_contact"], subject=situation, question="?", due_on=timezone.localdate()
            )
        inquiry = ask(cast["tj_officer"], subject=situation)
        if situation == "answered_by_japan":
            services.answer(inquiry, cast["jp_officer"], answer="Answered.")
        if situation in ("asked_by_tajikistan_and_disclosed", "consent_withdrawn"):
            consent = kit.grant_consent(
                inquiry,
                cast["tj_contact"],
                third_party=Organization.objects.get(code="tj-embassy-jp"),
                document_reference="No. 5/26",
                expires_at=timezone.now() + timedelta(days=30),
            )
            if situation == "consent_withdrawn":
                kit.withdraw_consent(consent, cast["tj_contact"])
        return Inquiry.objects.get(pk=inquiry.pk)


#: One reader of each kind the situations tell apart (the draft's organization, another
#: of its side, the other side, the consented third party, another third party, the
#: superuser): the rest of the cast reads as one of these, and the crawl reads as all.
READERS = ["jp_contact", "jp_officer", "tj_analyst", "embassy_viewer", "maff_viewer", "admin"]


class TestInquiryMatrix(MatrixTests):
    matrix = InquiryMatrix()

    @pytest.mark.parametrize("username", READERS)
    def test_html_list_and_detail(self, username, objects, client_for):
        super().test_html_list_and_detail(username, objects, client_for)

    @pytest.mark.parametrize("username", READERS)
    def test_api_list_and_detail(self, username, objects, client_for):
        super().test_api_list_and_detail(username, objects, client_for)


# --- The demo data, the canary's factory, the schema -------------------------------------


def test_the_demo_seeds_two_inquiries_one_answered_late_once(cast):
    from notices.inquiries.demo import seed
    from portal.demo import create_demo_users

    users = create_demo_users()
    seed(users)
    seed(users)
    inquiries = Inquiry.objects.all()
    assert inquiries.count() == 2
    assert list(inquiries.filter(answered_late=True).values_list("answered_by__username", flat=True)) == [
        "jp-contact"
    ]
    waiting = inquiries.get(answered_at__isnull=True)
    assert waiting.is_open() and Comment.objects.filter(object_id=waiting.pk).count() == 1


def test_the_canary_factory_plants_markers_in_question_answer_and_comments(cast):
    from notices.inquiries.testing import CanaryInquiryFactory
    from portal.testing.canary import Canary

    canary = Canary(cast=cast)
    factory = CanaryInquiryFactory()
    values = {"subject": "zqx00001", "question": "zqx00002"}
    shared = factory.create(canary, Inquiry, cast["jp_officer"], dict(values), shared=True)
    draft = factory.create(canary, Inquiry, cast["jp_officer"], dict(values), shared=False)
    assert (shared.status, draft.status) == ("shared", "draft")
    planted = []
    factory.add_counterpart(
        canary,
        shared,
        cast["tj_officer"],
        {"answer": "zqx00003"},
        lambda label: planted.append(label) or "zqx00004",
    )
    shared.refresh_from_db()
    assert (shared.subject, shared.question, shared.answer) == ("zqx00001", "zqx00002", "zqx00003")
    texts = set(Comment.objects.filter(object_id=shared.pk).values_list("text", flat=True))
    assert texts == {"Also zqx00002", "Follow-up zqx00004"} and planted


def test_the_openapi_schema_describes_the_inquiries(cast, client_for):
    schema = client_for("jp_officer").get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = set(schema.json()["paths"])
    assert {
        "/api/v1/inquiries/",
        "/api/v1/inquiries/{id}/",
        "/api/v1/inquiries/{id}/answer/",
        "/api/v1/inquiries/{id}/comments/",
        "/api/v1/inquiries/{id}/acknowledge/",
    } <= paths
