"""Certificate checks (5): the three answers, the cross-script name, which fields differ
and never what the register holds, bad input refused with its reason, the audit entry (a
reading), the per-user rate limit, the pages and the API, and who may check (officers and
analysts of either side, own organization's checks only)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import override_settings
from django.utils import timezone

from exams.checks import services
from exams.checks.testing import registered
from exams.choices import CheckedField, CheckOutcome
from exams.models import CertificateCheck, Exam
from portal import audit, kept
from portal.exceptions import InvalidInput, PermissionDenied
from portal.models import AuditEntry

pytestmark = pytest.mark.django_db

NUMBER = "2026A1TJN40001"
BORN = dt.date(1998, 3, 14)
#: The register's values a mismatch must never show.
SECRET_NAME = "Rakhimov Farrukh Saidovich"
SECRET_CYRILLIC = "Раҳимов Фаррух Саидович"


@pytest.fixture
def exam(db):
    return Exam.objects.get(code="jlpt-n4")


@pytest.fixture
def result(exam, cast):
    return registered(
        exam, NUMBER, latin=SECRET_NAME, cyrillic=SECRET_CYRILLIC, born=BORN, result="N4 passed 142"
    )


def check(user, exam, *, number=NUMBER, name="Rakhimov Farrukh", born=BORN):
    return services.check_certificate(
        user, exam=exam, certificate_number=number, name=name, date_of_birth=born
    )


# --- The three answers ---------------------------------------------------------------------


def test_a_registered_certificate_with_its_holder_matches(cast, exam, result):
    answer = check(cast["tj_officer"], exam)
    assert answer.outcome == CheckOutcome.MATCHES
    assert answer.differing_fields == []
    assert answer.organization == cast["tj_officer"].organization


@pytest.mark.parametrize(
    "entered",
    [
        "Раҳимов Фаррух",  # Cyrillic, no patronymic
        "Farrukh Rakhimov",  # word order
        "RAKHIMOV FARRUKH SAIDOVICH",
        "Рахимов Фаррух Саидович",  # Russian spelling of the Tajik letters
    ],
)
def test_the_name_matches_across_scripts_and_orders(cast, exam, result, entered):
    assert check(cast["jp_officer"], exam, name=entered).outcome == CheckOutcome.MATCHES


@pytest.mark.parametrize(
    ("name", "born", "differs"),
    [
        ("Rakhimov Bakhtiyor", BORN, [CheckedField.NAME]),
        ("Rakhimov Farrukh", dt.date(1998, 3, 15), [CheckedField.DATE_OF_BIRTH]),
        ("Karimov Davron", dt.date(1990, 1, 1), [CheckedField.NAME, CheckedField.DATE_OF_BIRTH]),
    ],
)
def test_a_mismatch_says_which_fields_differ(cast, exam, result, name, born, differs):
    answer = check(cast["tj_analyst"], exam, name=name, born=born)
    assert answer.outcome == CheckOutcome.DOES_NOT_MATCH
    assert answer.differing_fields == differs


def test_an_unknown_certificate_is_not_found(cast, exam, result):
    answer = check(cast["tj_officer"], exam, number="2026A1TJN49999")
    assert answer.outcome == CheckOutcome.NOT_FOUND
    # The same number of another test is another certificate.
    other = Exam.objects.get(code="jlpt-n3")
    assert check(cast["tj_officer"], other).outcome == CheckOutcome.NOT_FOUND


def test_the_number_is_upper_cased_and_stripped(cast, exam, result):
    answer = check(cast["tj_officer"], exam, number="  2026a1tjn40001 ")
    assert answer.certificate_number == NUMBER
    assert answer.outcome == CheckOutcome.MATCHES


# --- Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"number": "AB-1"}, "Certificate number", "2026A1TJN40001"),  # the test's example
        ({"born": dt.date(1899, 12, 31)}, "Date of birth", "1900"),
        ({"born": timezone.localdate() + dt.timedelta(days=1)}, "Date of birth", "future"),
        ({"name": "   "}, "Holder's name", "Enter"),
    ],
)
def test_bad_input_is_refused_naming_the_field(cast, exam, changes, field, words):
    with pytest.raises(InvalidInput) as refusal:
        check(cast["tj_officer"], exam, **changes)
    assert refusal.value.message.startswith(field)
    assert words in refusal.value.message
    assert not CertificateCheck.objects.exists()


def test_the_number_refusal_shows_the_tests_example(cast, exam):
    with pytest.raises(InvalidInput) as refusal:
        check(cast["tj_officer"], exam, number="N4")
    assert exam.certificate_example in refusal.value.message


# --- Who checks -------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["embassy_viewer", "maff_viewer", "admin"])
def test_third_parties_and_the_superuser_do_not_check(cast, exam, result, username):
    with pytest.raises(PermissionDenied):
        check(cast[username], exam)
    assert not CertificateCheck.objects.exists()


def test_a_side_administrator_does_not_check(cast, exam):
    from portal.testing.matrix import build_users

    with pytest.raises(PermissionDenied):
        check(build_users()["jp-administrator"], exam)


# --- The audit --------------------------------------------------------------------------------


def test_a_check_is_audited_as_a_reading_naming_the_check_not_the_holder(cast, exam, result):
    before = kept.newest_change()
    answer = check(cast["tj_officer"], exam, name="Karimov Davron")
    entry = AuditEntry.objects.get(action="certificate.checked")
    assert entry.object_id == str(answer.pk)
    assert entry.actor == cast["tj_officer"]
    assert entry.object_repr == ""
    text = json.dumps([entry.before, entry.after, entry.object_repr], ensure_ascii=False)
    for value in ("Karimov", "Davron", SECRET_NAME, "Раҳимов", "1998", NUMBER):
        assert value not in text
    # A reading: what portal.kept keeps stays kept.
    assert "certificate.checked" in audit.READ_ACTIONS
    assert kept.newest_change() == before


# --- The rate limit ---------------------------------------------------------------------------


@override_settings(EXAMS_CHECKS_PER_HOUR=3)
def test_the_hourly_limit_refuses_and_says_when_checks_are_possible_again(cast, exam, result):
    user = cast["tj_officer"]
    for _ in range(3):
        check(user, exam)
    with pytest.raises(services.RateLimited) as refusal:
        check(user, exam)
    assert refusal.value.retry_after > 3500
    assert "You can check again from" in refusal.value.message
    assert CertificateCheck.objects.count() == 3
    # Another person of the same organization is not limited by it.
    assert check(cast["tj_contact"], exam).outcome == CheckOutcome.MATCHES
    # Once the oldest check has left the hour, one more is possible.
    oldest = CertificateCheck.objects.filter(user=user).order_by("checked_at").first()
    CertificateCheck.objects.filter(pk=oldest.pk).update(checked_at=timezone.now() - dt.timedelta(minutes=61))
    assert check(user, exam).outcome == CheckOutcome.MATCHES


@override_settings(EXAMS_CHECKS_PER_HOUR=2)
def test_the_limit_on_the_page_and_in_the_api(cast, exam, result, client_for):
    client = client_for("tj_officer")
    for _ in range(2):
        check(cast["tj_officer"], exam)
    page = client.post("/exams/checks/", _form(exam))
    assert page.status_code == 200
    assert "You can check again from" in page.content.decode()
    api = client.post("/api/v1/certificate-checks/", _json(), content_type="application/json")
    assert api.status_code == 429
    assert int(api["Retry-After"]) > 3500
    assert "You can check again from" in api.json()["detail"]
    assert CertificateCheck.objects.count() == 2


# --- The pages --------------------------------------------------------------------------------


def _form(exam, **changes):
    return {
        "exam": exam.pk,
        "certificate_number": NUMBER.lower(),
        "name": "Раҳимов Фаррух",
        "date_of_birth": BORN.isoformat(),
        **changes,
    }


def _json(**changes):
    return {
        "exam": "jlpt-n4",
        "certificate_number": NUMBER,
        "name": "Farrukh Rakhimov",
        "date_of_birth": BORN.isoformat(),
        **changes,
    }


def _secrets_absent(text: str) -> None:
    for value in (
        SECRET_NAME,
        SECRET_CYRILLIC,
        "Saidovich",
        "Саидович",
        "1998-03-14",
        "14.03.1998",
        "N4 passed 142",
    ):
        assert value not in text, value


def test_the_check_page_checks_and_shows_the_answer(cast, exam, result, client_for):
    client = client_for("tj_officer")
    page = client.get("/exams/checks/")
    assert page.status_code == 200
    assert 'aria-current="page"' in page.content.decode()  # the app's sub-navigation
    response = client.post("/exams/checks/", _form(exam))
    answer = CertificateCheck.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exams/checks/{answer.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert "Matches" in html
    assert "Open a fraud report" not in html
    listed = client.get("/exams/checks/").content.decode()
    assert f'href="/exams/checks/{answer.pk}/"' in listed


def test_a_mismatch_page_and_api_name_the_fields_never_the_registered_values(cast, exam, result, client_for):
    client = client_for("jp_officer")
    response = client.post("/exams/checks/", _form(exam, name="Karimov Davron", date_of_birth="1990-01-01"))
    html = client.get(response["Location"]).content.decode()
    assert "Does not match" in html
    assert "name" in html and "date of birth" in html
    _secrets_absent(html)
    answer = CertificateCheck.objects.get()
    assert f'href="/exams/fraud/new/?check={answer.pk}"' in html
    api = client.post(
        "/api/v1/certificate-checks/",
        _json(name="Karimov Davron", date_of_birth="1990-01-01"),
        content_type="application/json",
    )
    assert api.status_code == 201
    body = api.json()
    assert body["outcome"] == "does_not_match"
    assert body["differs"] == ["name", "date_of_birth"]
    _secrets_absent(api.content.decode())
    _secrets_absent(client.get(f"/api/v1/certificate-checks/{body['id']}/").content.decode())
    _secrets_absent(client.get("/api/v1/certificate-checks/").content.decode())
    _secrets_absent(json.dumps(list(AuditEntry.objects.values()), default=str, ensure_ascii=False))


def test_an_analyst_checks_but_is_not_offered_a_fraud_report(cast, exam, client_for):
    client = client_for("tj_analyst")
    response = client.post("/exams/checks/", _form(exam))
    html = client.get(response["Location"]).content.decode()
    assert "Not found" in html
    assert "Open a fraud report" not in html


def test_bad_input_on_the_page_names_the_field(cast, exam, client_for):
    page = client_for("tj_officer").post(
        "/exams/checks/", _form(exam, certificate_number="X1", date_of_birth="2999-01-01")
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert exam.certificate_example in html
    assert "cannot be in the future" in html
    assert not CertificateCheck.objects.exists()


def test_bad_input_in_the_api_gives_field_errors(cast, client_for):
    api = client_for("tj_officer").post(
        "/api/v1/certificate-checks/",
        _json(certificate_number="X1", name="", date_of_birth="1890-01-01"),
        content_type="application/json",
    )
    assert api.status_code == 400
    assert set(api.json()) >= {"name", "date_of_birth"}
    api = client_for("tj_officer").post(
        "/api/v1/certificate-checks/", _json(certificate_number="X1"), content_type="application/json"
    )
    assert api.status_code == 400 and "2026A1TJN40001" in api.json()["certificate_number"][0]
    assert not CertificateCheck.objects.exists()


def test_another_organizations_check_is_a_404(cast, exam, client_for):
    answer = check(cast["tj_officer"], exam)
    assert client_for("tj_officer").get(f"/exams/checks/{answer.pk}/").status_code == 200
    assert client_for("tj_contact").get(f"/exams/checks/{answer.pk}/").status_code == 404  # tj-ms-lpsa
    assert client_for("jp_officer").get(f"/exams/checks/{answer.pk}/").status_code == 404
    assert client_for("jp_officer").get(f"/api/v1/certificate-checks/{answer.pk}/").status_code == 404
    assert client_for("jp_officer").get("/api/v1/certificate-checks/").json()["results"] == []
    assert (
        f"/exams/checks/{answer.pk}/" not in client_for("jp_officer").get("/exams/checks/").content.decode()
    )


@pytest.mark.parametrize("username", ["embassy_viewer", "maff_viewer"])
def test_third_parties_are_refused_on_the_pages_and_the_api(cast, exam, client_for, username):
    answer = check(cast["tj_officer"], exam)
    client = client_for(username)
    assert client.get("/exams/checks/").status_code == 404
    assert client.get(f"/exams/checks/{answer.pk}/").status_code == 404
    assert client.post("/exams/checks/", _form(exam)).status_code == 404
    assert (
        client.post("/api/v1/certificate-checks/", _json(), content_type="application/json").status_code
        == 403
    )
    assert client.get("/api/v1/certificate-checks/").json()["results"] == []
    assert CertificateCheck.objects.count() == 1


def test_anonymous_is_sent_to_sign_in_and_refused_by_the_api(cast, exam, client):
    assert "/accounts/login/" in client.get("/exams/checks/")["Location"]
    assert "/accounts/login/" in client.post("/exams/checks/", _form(exam))["Location"]
    assert client.post(
        "/api/v1/certificate-checks/", _json(), content_type="application/json"
    ).status_code in (401, 403)
    assert not CertificateCheck.objects.exists()


def test_the_check_page_lists_in_few_queries(cast, exam, client_for, django_assert_max_num_queries):
    for n in range(25):
        check(cast["tj_officer"], exam, number=f"2026A1TJN4{n:04d}")
    client = client_for("tj_officer")
    client.get("/exams/checks/")
    with django_assert_max_num_queries(15):
        client.get("/exams/checks/")


# --- The registry -----------------------------------------------------------------------------


def test_the_registry_declares_routes_audit_and_enums():
    from django.urls import reverse

    from portal import hooks

    assert "certificate.checked" in audit.ACTIONS
    assert reverse("exams:checks") == "/exams/checks/"
    assert reverse("exams:check", args=[3]) == "/exams/checks/3/"
    assert reverse("exams:checks-batch") == "/exams/checks/batch/"
    assert reverse("api:certificate-check-list") == "/api/v1/certificate-checks/"
    assert reverse("api:certificate-check-batch") == "/api/v1/certificate-checks/batch/"
    assert hooks.ENUM_NAME_OVERRIDES["CheckOutcomeEnum"] == "exams.choices.CheckOutcome"
    assert hooks.ENUM_NAME_OVERRIDES["CheckedFieldEnum"] == "exams.choices.CheckedField"


def test_the_schema_documents_the_checks(client_for, cast):
    schema = client_for("tj_officer").get("/api/schema/?format=json")
    if schema.status_code != 200:
        pytest.skip(f"schema at another path ({schema.status_code})")
    paths = schema.json()["paths"]
    assert "/api/v1/certificate-checks/" in paths
    assert "429" in paths["/api/v1/certificate-checks/"]["post"]["responses"]
    assert "/api/v1/certificate-checks/batch/" in paths
    assert "CheckOutcomeEnum" in schema.json()["components"]["schemas"]


def test_a_control_character_in_the_name_is_refused_by_the_form(client_for, cast):
    from exams.models import CertificateCheck, Exam

    jlpt = Exam.objects.get(code="jlpt-n4")
    response = client_for("jp_officer").post(
        "/exams/checks/",
        {
            "exam": jlpt.pk,
            "certificate_number": "JL2026TJN40042",
            "name": "Rakhimov\x1bFarrukh",
            "date_of_birth": "2001-03-14",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not CertificateCheck.objects.exists()
