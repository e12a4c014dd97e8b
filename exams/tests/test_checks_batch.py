"""Batch certificate checks (5): a CSV file of candidates in UTF-8 (with or without BOM)
or Shift_JIS, checked line by line in order; a file of the wrong columns, too many lines
or another encoding refused whole; lines that cannot be checked say why; the lines as a
table and as CSV for the batch's own organization only; the hourly limit counts each
line and refuses a batch whole; the API answers the lines as JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import override_settings

from exams.checks import services
from exams.checks.testing import batch_file, registered
from exams.models import CertificateCheck, Exam
from portal.exceptions import InvalidInput
from portal.models import AuditEntry

pytestmark = pytest.mark.django_db

BORN = dt.date(1998, 3, 14)
LINES = [
    "jlpt-n4,2026A1TJN40001,Раҳимов Фаррух,1998-03-14",  # matches (Cyrillic)
    "jlpt-n4,2026a1tjn40001,Karimov Davron,1998-03-14",  # name differs
    "jlpt-n4,2026A1TJN49999,Farrukh Rakhimov,1998-03-14",  # not found
    "jlpt-n9,2026A1TJN40001,Farrukh Rakhimov,1998-03-14",  # no such test
    "jlpt-n4,X,Farrukh Rakhimov,1998-03-14",  # not a number of the test
    "jlpt-n4,2026A1TJN40001,Farrukh Rakhimov,14/03/98",  # not a date
    "",  # an empty line is skipped
    "jlpt-n4,2026A1TJN40001,Farrukh Rakhimov,1998-03-15",  # date differs
]


@pytest.fixture
def exam(db):
    return Exam.objects.get(code="jlpt-n4")


@pytest.fixture
def result(exam, cast):
    return registered(exam, "2026A1TJN40001", born=BORN)


def _outcomes(batch):
    return [(line.line, line.outcome, line.differs, bool(line.reason)) for line in batch.lines]


EXPECTED = [
    (2, "matches", [], False),
    (3, "does_not_match", ["name"], False),
    (4, "not_found", [], False),
    (5, "", [], True),
    (6, "", [], True),
    (7, "", [], True),
    (9, "does_not_match", ["date_of_birth"], False),
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_a_batch_checks_each_line_in_order(cast, result, encoding):
    batch = services.check_batch(cast["tj_officer"], batch_file(LINES, encoding=encoding))
    assert _outcomes(batch) == EXPECTED
    assert CertificateCheck.objects.filter(batch=batch.id).count() == 4
    assert AuditEntry.objects.filter(action="certificate.checked").count() == 4
    reasons = {line.line: line.reason for line in batch.lines if line.reason}
    assert "jlpt-n9" in reasons[5] and reasons[5].startswith("Test")
    assert reasons[6].startswith("Certificate number") and "2026A1TJN40001" in reasons[6]
    assert reasons[7].startswith("Date of birth")


def test_a_shift_jis_batch_is_read(cast, exam):
    from exams.models import PassResult
    from exams.names import keys_of

    kana = "ラヒモフ ファルフ"
    PassResult.objects.create(
        exam=exam,
        certificate_number="2026A1TJN40002",
        name_latin="Rakhimov Farrukh",
        name_keys=keys_of("Rakhimov Farrukh"),
        date_of_birth=BORN,
        test_date=dt.date(2025, 7, 6),
        result="合格",
        source=registered(exam, "2026A1TJN40003").source,
    )
    upload = batch_file([f"jlpt-n4,2026A1TJN40002,{kana},1998/03/14"], encoding="shift_jis")
    batch = services.check_batch(cast["jp_officer"], upload)
    assert [line.outcome for line in batch.lines] == ["matches"]
    assert CertificateCheck.objects.get().name == kana


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("test,number,name,date_of_birth", "test,certificate_number,name,date_of_birth"),
        ("certificate_number,test,name,date_of_birth", "in this order"),
        ("test,certificate_number,name", "first line"),
    ],
)
def test_wrong_columns_refuse_the_file_whole(cast, result, header, words):
    with pytest.raises(InvalidInput) as refusal:
        services.check_batch(cast["tj_officer"], batch_file(LINES, header=header))
    assert words in refusal.value.message
    assert not CertificateCheck.objects.exists()


def test_a_file_in_another_encoding_or_too_long_is_refused_whole(cast, result):
    with pytest.raises(InvalidInput) as refusal:
        services.check_batch(
            cast["tj_officer"], batch_file(["jlpt-n4,X,Rakhimov,1998-03-14"], encoding="utf-16")
        )
    assert "UTF-8 or Shift_JIS" in refusal.value.message
    many = ["jlpt-n4,2026A1TJN40001,Farrukh Rakhimov,1998-03-14"] * (services.MAX_BATCH_LINES + 1)
    with pytest.raises(InvalidInput) as refusal:
        services.check_batch(cast["tj_officer"], batch_file(many))
    assert "500" in refusal.value.message
    with pytest.raises(InvalidInput):
        services.check_batch(cast["tj_officer"], batch_file([]))
    assert not CertificateCheck.objects.exists()


@override_settings(EXAMS_CHECKS_PER_HOUR=8)
def test_the_limit_counts_each_line_and_refuses_a_batch_whole(cast, result, client_for):
    user = cast["tj_officer"]
    for _ in range(2):
        services.check_certificate(
            user,
            exam=result.exam,
            certificate_number="2026A1TJN40001",
            name="Farrukh Rakhimov",
            date_of_birth=BORN,
        )
    with pytest.raises(services.RateLimited) as refusal:
        services.check_batch(user, batch_file(LINES))  # 7 lines > 6 left
    assert "You can check again from" in refusal.value.message
    assert CertificateCheck.objects.count() == 2
    api = client_for("tj_officer").post("/api/v1/certificate-checks/batch/", {"file": batch_file(LINES)})
    assert api.status_code == 429 and int(api["Retry-After"]) > 0
    page = client_for("tj_officer").post("/exams/checks/batch/", {"file": batch_file(LINES)})
    assert page.status_code == 200 and "You can check again from" in page.content.decode()
    assert CertificateCheck.objects.count() == 2
    with pytest.raises(services.RateLimited) as refusal:
        services.check_batch(user, batch_file(LINES * 2))  # more lines than an hour allows
    assert "at most 8 lines" in refusal.value.message
    ok = services.check_batch(user, batch_file(LINES[:4]))
    assert len(ok.lines) == 4


def test_the_batch_pages_table_and_csv_for_its_organization_only(cast, result, client_for):
    client = client_for("tj_officer")
    assert client.get("/exams/checks/batch/").status_code == 200
    response = client.post("/exams/checks/batch/", {"file": batch_file(LINES)})
    assert response.status_code == 302
    batch_id = CertificateCheck.objects.values_list("batch", flat=True).first()
    assert response["Location"] == f"/exams/checks/batch/{batch_id}/"
    html = client.get(response["Location"]).content.decode()
    assert "Matches" in html and "Not found" in html and "no test has the code" in html
    assert "Saidovich" not in html
    download = client.get(f"/exams/checks/batch/{batch_id}.csv")
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0] == list(
        ("line", "test", "certificate_number", "outcome", "fields_that_differ", "reason_not_checked")
    )
    assert [row[0] for row in rows[1:]] == ["2", "3", "4", "5", "6", "7", "9"]
    assert rows[2][3:5] == ["does_not_match", "name"]
    assert rows[4][3] == "" and rows[4][5]
    for other in ("tj_contact", "jp_officer", "embassy_viewer"):
        assert client_for(other).get(f"/exams/checks/batch/{batch_id}/").status_code == 404
        assert client_for(other).get(f"/exams/checks/batch/{batch_id}.csv").status_code == 404
    assert "/accounts/login/" in client_for(None).get(f"/exams/checks/batch/{batch_id}.csv")["Location"]


def test_a_batch_of_unchecked_lines_alone_is_its_organizations(cast, result, client_for):
    response = client_for("tj_officer").post(
        "/exams/checks/batch/", {"file": batch_file(["jlpt-n9,X,Y Z,1998-03-14"])}
    )
    location = response["Location"]
    assert "no test has the code" in client_for("tj_officer").get(location).content.decode()
    assert client_for("jp_officer").get(location).status_code == 404


def test_the_api_batch_answers_the_lines(cast, result, client_for):
    api = client_for("jp_analyst").post("/api/v1/certificate-checks/batch/", {"file": batch_file(LINES)})
    assert api.status_code == 200
    lines = api.json()["lines"]
    assert [
        (line["line"], line["outcome"], line["differs"], bool(line["reason"])) for line in lines
    ] == EXPECTED
    assert "Saidovich" not in api.content.decode()
    wrong = client_for("jp_analyst").post(
        "/api/v1/certificate-checks/batch/", {"file": batch_file(LINES, header="a,b,c,d")}
    )
    assert wrong.status_code == 400 and "first line" in wrong.json()["detail"]
    assert (
        client_for("maff_viewer")
        .post("/api/v1/certificate-checks/batch/", {"file": batch_file(LINES)})
        .status_code
        == 403
    )
