"""Tests of clause 5 as reference data and their sessions: the seeded tests and their
API (every signed-in user, filters, localized names); recording and changing sessions
(either side's writers record, only the recording organization changes, the other side
is told), the refusals of bad input with the field named; the pages per role with their
forms' messages; the API through the same services; and who reads sessions (both
sides, never a third party: the queryset says so)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from exams.models import Exam, ExamSession
from exams.sessions import services
from exams.sessions.testing import record
from portal.exceptions import InvalidInput, PermissionDenied
from portal.models import AuditEntry, Notification
from portal.testing.matrix import ADMIN, BOTH_SIDES, MatrixTests, PermissionMatrix

pytestmark = pytest.mark.django_db


def _day(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


# --- The tests as reference data ----------------------------------------------------------


def test_the_migration_seeds_each_sector_s_skills_test_and_the_japanese_tests(cast):
    codes = set(Exam.objects.values_list("code", flat=True))
    assert {"jft-basic", "nursing-care-japanese", "jlpt-n4", "jlpt-n1"} <= codes
    assert "jlpt-n5" not in codes  # N4 and above only
    assert Exam.objects.filter(kind="skills").count() >= 10
    jft = Exam.objects.get(code="jft-basic")
    assert jft.certificate_number_is_valid("JFT12345678") and not jft.certificate_number_is_valid("jft-1")


def test_a_certificate_pattern_that_is_not_a_regular_expression_is_refused(cast):
    exam = Exam.objects.get(code="jft-basic")
    exam.certificate_pattern = "^[A-Z"
    with pytest.raises(ValidationError) as caught:
        exam.full_clean()
    assert "certificate_pattern" in caught.value.message_dict
    assert "Not a regular expression" in caught.value.message_dict["certificate_pattern"][0]


def test_the_admin_changes_a_test_and_refuses_a_broken_pattern(client_for, cast, admin_user):
    from django.test import Client

    client = Client()
    client.force_login(admin_user)
    exam = Exam.objects.get(code="jft-basic")
    url = f"/admin/exams/exam/{exam.pk}/change/"
    assert client.get(url).status_code == 200
    form = client.get(url).context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update({"sector": "", "certificate_pattern": "^[A-Z", "is_open": "on"})
    response = client.post(url, data)
    assert response.status_code == 200 and "Not a regular expression" in response.content.decode()
    data["certificate_pattern"] = r"^JFT[0-9]{8}$"
    response = client.post(url, data)
    assert response.status_code == 302
    exam.refresh_from_db()
    assert exam.certificate_pattern == r"^JFT[0-9]{8}$"
    assert client.get("/admin/exams/examsession/").status_code == 200


@pytest.mark.parametrize("user", ["jp_analyst", "tj_officer", "embassy_viewer", "maff_viewer"])
def test_every_signed_in_user_reads_the_tests(client_for, user):
    response = client_for(user).get("/api/v1/exams/?kind=japanese")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert rows and {row["kind"] for row in rows} == {"japanese"}


def test_the_tests_api_filters_and_localizes(client_for, cast):
    client = client_for("jp_officer")
    nursing = client.get("/api/v1/exams/?sector=nursing-care").json()["results"]
    assert {row["code"] for row in nursing} == {"skills-nursing-care", "nursing-care-japanese"}
    Exam.objects.filter(code="jlpt-n1").update(is_open=False)
    closed = client.get("/api/v1/exams/?is_open=false").json()["results"]
    assert "jlpt-n1" in {row["code"] for row in closed}
    jft = Exam.objects.get(code="jft-basic")
    data = client.get(f"/api/v1/exams/{jft.pk}/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert data["name_ja"] == jft.name_ja and data["body_en"] == "The Japan Foundation"
    with translation.override("en"):
        assert client.get(f"/api/v1/exams/{jft.pk}/").json()["name"] == jft.name
    assert client.post("/api/v1/exams/", {"code": "x"}).status_code in (403, 405)
    assert client_for(None).get("/api/v1/exams/").status_code in (401, 403)


# --- Recording and changing sessions --------------------------------------------------------


def test_either_side_records_a_session_and_the_other_side_is_told(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        session = record(cast["tj_officer"], body="")
    assert session.organization.code == "tj-mlme" and session.recorded_by == cast["tj_officer"]
    # The administering body is pre-filled from the test's.
    assert session.body == "The Japan Foundation"
    item = Notification.objects.get(kind="exams.session_recorded")
    assert item.organization.code == "jp-isa-rmd"  # Japan's contact point
    assert AuditEntry.objects.filter(action="exam_session.recorded", object_id=str(session.pk)).exists()
    japanese = record(cast["jp_contact"], body="Another body")
    assert japanese.body == "Another body" and japanese.organization.code == "jp-isa-rmd"


def test_only_the_recording_organization_changes_a_session(cast):
    session = record(cast["tj_officer"])
    changed = services.change_session(session, cast["tj_officer"], candidates=150, city="Khujand")
    assert (changed.candidates, changed.city) == (150, "Khujand")
    entry = AuditEntry.objects.get(action="exam_session.changed", object_id=str(session.pk))
    assert entry.after == {"fields": ["candidates", "city"]}  # names only: not public values
    for other in ("tj_contact", "jp_officer"):  # another organization of either side
        with pytest.raises(PermissionDenied, match="organization that recorded"):
            services.change_session(session, cast[other], candidates=1)
    for reader in ("tj_analyst", "embassy_viewer", "admin"):
        with pytest.raises(PermissionDenied):
            services.change_session(session, cast[reader], candidates=1)
    assert ExamSession.objects.get(pk=session.pk).candidates == 150


@pytest.mark.parametrize("user", ["jp_analyst", "tj_analyst", "embassy_viewer", "maff_viewer", "admin"])
def test_readers_third_parties_and_the_superuser_record_nothing(cast, user):
    with pytest.raises(PermissionDenied):
        record(cast[user])
    assert not ExamSession.objects.exists()


@pytest.mark.parametrize(
    "facts, words",
    [
        (
            {"starts_on": _day(10), "ends_on": _day(9)},
            "Last day: the last day cannot be before the first day",
        ),
        ({"starts_on": "2026-02-30"}, "First day: not a date that exists"),
        ({"starts_on": dt.date(1999, 12, 31)}, "First day: the year must be between 2000 and 2100"),
        ({"ends_on": dt.date(2101, 1, 1)}, "Last day: the year must be between 2000 and 2100"),
        ({"candidates": -1}, "Number of candidates: it cannot be negative"),
        ({"city": "  "}, "City: this field is required"),
        ({"venue": "x" * 301}, "Venue: at most 300 characters"),
        ({"exam": 999_999}, "Test: choose one of the tests"),
    ],
)
def test_bad_input_is_refused_naming_the_field(cast, facts, words):
    with pytest.raises(InvalidInput) as caught:
        record(cast["jp_officer"], **facts)
    assert words in caught.value.message
    assert not ExamSession.objects.exists()


def test_a_change_to_an_impossible_order_of_days_is_refused(cast):
    session = record(cast["jp_officer"])
    with pytest.raises(InvalidInput, match="Last day"):
        services.change_session(session, cast["jp_officer"], ends_on=session.starts_on - dt.timedelta(days=1))


# --- The pages ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "user, status",
    [("jp_officer", 200), ("tj_contact", 200), ("tj_analyst", 404), ("embassy_viewer", 404), ("admin", 404)],
)
def test_the_create_page_per_role(client_for, user, status):
    assert client_for(user).get("/exams/sessions/new/").status_code == status


def test_the_pages_record_list_filter_show_and_change(client_for, cast):
    officer = client_for("tj_officer")
    exam = Exam.objects.get(code="jlpt-n4")
    response = officer.post(
        "/exams/sessions/new/",
        {
            "exam": exam.pk,
            "starts_on": "2027-06-05",
            "ends_on": "2027-06-05",
            "city": "Khujand",
            "venue": "Khujand State University",
            "candidates": "240",
        },
    )
    assert response.status_code == 302
    session = ExamSession.objects.get()
    assert response["Location"] == f"/exams/sessions/{session.pk}/"
    other = record(cast["jp_officer"], starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 2))

    page = officer.get("/exams/sessions/")
    assert page.status_code == 200 and 'href="/exams/sessions/new/"' in page.content.decode()
    assert {row.pk for row in page.context["sessions"]} == {session.pk, other.pk}
    assert [row.pk for row in officer.get(f"/exams/sessions/?exam={exam.pk}").context["sessions"]] == [
        session.pk
    ]
    assert [row.pk for row in officer.get("/exams/sessions/?year=2026").context["sessions"]] == [other.pk]

    detail = officer.get(f"/exams/sessions/{session.pk}/").content.decode()
    assert "Khujand State University" in detail and f"/exams/sessions/{session.pk}/edit/" in detail
    # Another organization reads the session but finds no form to change it.
    reader = client_for("jp_officer")
    assert (
        f"/exams/sessions/{session.pk}/edit/"
        not in reader.get(f"/exams/sessions/{session.pk}/").content.decode()
    )
    assert reader.get(f"/exams/sessions/{session.pk}/edit/").status_code == 404
    analyst = client_for("tj_analyst")
    assert analyst.get(f"/exams/sessions/{session.pk}/").status_code == 200
    assert 'href="/exams/sessions/new/"' not in analyst.get("/exams/sessions/").content.decode()

    form = officer.get(f"/exams/sessions/{session.pk}/edit/")
    assert form.status_code == 200 and form.context["form"].initial["city"] == "Khujand"
    response = officer.post(
        f"/exams/sessions/{session.pk}/edit/",
        {
            "exam": exam.pk,
            "starts_on": "2027-06-05",
            "ends_on": "2027-06-06",
            "city": "Khujand",
            "venue": "Hall 2",
            "candidates": "250",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.venue, session.candidates, session.ends_on) == ("Hall 2", 250, dt.date(2027, 6, 6))


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"ends_on": "2027-06-04"}, "ends_on", "The last day cannot be before the first day."),
        ({"starts_on": "2027-02-30"}, "starts_on", "First day: not a date that exists"),
        ({"starts_on": "1999-06-05"}, "starts_on", "The year must be between 2000 and 2100."),
        ({"candidates": "-3"}, "candidates", "Number of candidates: it cannot be negative."),
        ({"city": ""}, "city", "This field is required."),
    ],
)
def test_the_form_names_the_field_in_error(client_for, changes, field, words):
    exam = Exam.objects.get(code="jlpt-n4")
    data = {
        "exam": exam.pk,
        "starts_on": "2027-06-05",
        "ends_on": "2027-06-05",
        "city": "Khujand",
        "venue": "Hall",
        "candidates": "10",
        **changes,
    }
    response = client_for("jp_officer").post("/exams/sessions/new/", data)
    assert response.status_code == 200
    assert any(words in message for message in response.context["form"].errors[field])
    assert not ExamSession.objects.exists()


# --- The API ------------------------------------------------------------------------------


def test_the_api_records_and_changes_through_the_services(client_for, cast):
    exam = Exam.objects.get(code="jft-basic")
    body = {
        "exam": exam.pk,
        "starts_on": "2027-05-10",
        "ends_on": "2027-05-11",
        "city": "Dushanbe",
        "venue": "Testing centre",
    }
    officer = client_for("jp_officer")
    response = officer.post("/api/v1/exam-sessions/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["organization"] == "jp-isa" and data["body"] == "The Japan Foundation"
    assert AuditEntry.objects.filter(action="exam_session.recorded").count() == 1
    url = f"/api/v1/exam-sessions/{data['id']}/"
    bad = officer.patch(url, {"ends_on": "2027-05-01"}, content_type="application/json")
    assert bad.status_code == 400 and "last day cannot be before" in bad.content.decode()
    assert officer.patch(url, {"candidates": -1}, content_type="application/json").status_code == 400
    assert officer.patch(url, {"starts_on": "2027-02-30"}, content_type="application/json").status_code == 400
    ok = officer.patch(url, {"candidates": 99}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["candidates"] == 99
    assert (
        client_for("jp_contact").patch(url, {"candidates": 1}, content_type="application/json").status_code
        == 403
    )
    assert client_for("tj_analyst").get(url).status_code == 200
    assert client_for("embassy_viewer").get(url).status_code == 404
    assert client_for("tj_officer").get("/api/v1/exam-sessions/?year=2027").json()["count"] == 1
    assert client_for("tj_officer").get("/api/v1/exam-sessions/?year=2026").json()["count"] == 0


# --- Who reads sessions ---------------------------------------------------------------------


def test_the_queryset_gives_a_third_party_no_session(cast):
    record(cast["tj_officer"])
    record(cast["jp_officer"])
    assert ExamSession.objects.restrict(cast["embassy_viewer"]).count() == 0
    assert ExamSession.objects.restrict(cast["maff_viewer"]).count() == 0
    assert ExamSession.objects.restrict(cast["jp_analyst"]).count() == 2
    assert ExamSession.objects.restrict(cast["tj_officer"], "change").count() == 1


class SessionMatrix(PermissionMatrix):
    situations = {
        "recorded_by_tajikistan": BOTH_SIDES | ADMIN,
        "recorded_by_japan": BOTH_SIDES | ADMIN,
    }
    html_list_url = "/exams/sessions/"
    api_list_url = "/api/v1/exam-sessions/"

    @staticmethod
    def html_detail_url(obj):
        return f"/exams/sessions/{obj.pk}/"

    @staticmethod
    def api_detail_url(obj):
        return f"/api/v1/exam-sessions/{obj.pk}/"

    def make(self, situation, cast):
        officer = cast["tj_officer"] if situation == "recorded_by_tajikistan" else cast["jp_contact"]
        return record(officer)


READERS = ["jp_contact", "tj_analyst", "embassy_viewer", "maff_viewer", "admin"]


class TestSessionMatrix(MatrixTests):
    matrix = SessionMatrix()

    @pytest.mark.parametrize("username", READERS)
    def test_html_list_and_detail(self, username, objects, client_for):
        super().test_html_list_and_detail(username, objects, client_for)

    @pytest.mark.parametrize("username", READERS)
    def test_api_list_and_detail(self, username, objects, client_for):
        super().test_api_list_and_detail(username, objects, client_for)


def test_the_demo_seeds_sessions_once(cast):
    from exams.sessions.demo import seed
    from portal.demo import create_demo_users

    users = create_demo_users()
    seed(users)
    seed(users)
    assert ExamSession.objects.count() == 3
