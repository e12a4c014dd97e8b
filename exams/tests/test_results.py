"""The pass-result imports (clause 5): the file's encodings and columns, each row error
with its line, idempotence, the task through the outbox, pages and API per role, and
the management command."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from exams.choices import ImportStatus
from exams.models import Exam, PassResult, ResultImport
from exams.names import keys_of
from exams.results import services
from portal import outbox
from portal.exceptions import InvalidInput, PermissionDenied
from portal.models import AuditEntry, Notification, OutboxEntry

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def csv_file(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    if data is None:
        data = (DATA / name).read_bytes()
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.fixture
def officer(cast):
    user = cast["jp_officer"]
    user.language = "en"  # the refused lines' reasons are stored in the uploader's language
    user.save(update_fields=["language"])
    return user


def imported(user, name: str, data: bytes | None = None, *, capture) -> ResultImport:
    """Upload and run the import through the outbox, as a worker would."""
    with capture(execute=True):
        record = services.upload(user, csv_file(name, data))
    with capture(execute=True):
        outbox.drain()
    record.refresh_from_db()
    return record


def test_rows_with_errors_are_refused_with_their_line_and_the_rest_imported(
    officer, django_capture_on_commit_callbacks
):
    record = imported(officer, "results_errors.csv", capture=django_capture_on_commit_callbacks)
    assert record.status == ImportStatus.DONE and record.encoding == "utf-8"
    assert (record.rows, record.added, record.changed, record.unchanged, record.refused) == (10, 2, 0, 0, 8)
    reasons = {error["line"]: error["reason"] for error in record.errors}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "Unknown test" in reasons[3] and "xyz-test" in reasons[3]
    assert "BAD!" in reasons[4] and "jlpt-n4" in reasons[4]
    assert "1998-02-30" in reasons[5] and "date_of_birth" in reasons[5]
    assert "in the future" in reasons[6]
    assert "not before the test date" in reasons[7]
    assert "name is missing" in reasons[8]
    assert "result is empty" in reasons[9]
    assert "already on line 2" in reasons[10]
    jft = PassResult.objects.get(exam__code="jft-basic")
    assert jft.certificate_number == "JFT12345678" and jft.name_latin == "Rakhimov Farrukh"
    assert jft.source_id == record.pk and jft.name_keys == keys_of("Rakhimov Farrukh", "Раҳимов Фаррух")
    # Stripped, upper-cased, and the DD.MM.YYYY dates read.
    n4 = PassResult.objects.get(exam__code="jlpt-n4")
    assert n4.certificate_number == "2024A1TJN40006" and n4.name_cyrillic == "Саидова Мадина"
    assert n4.date_of_birth.isoformat() == "1996-06-05" and n4.test_date.isoformat() == "2024-12-01"


def test_encodings_utf8_with_bom_and_shift_jis(officer, django_capture_on_commit_callbacks):
    bom = imported(officer, "results_bom.csv", capture=django_capture_on_commit_callbacks)
    assert bom.status == ImportStatus.DONE and bom.encoding == "utf-8-sig" and bom.added == 2
    assert PassResult.objects.filter(certificate_number="JFT11112222").exists()
    sjis = imported(officer, "results_sjis.csv", capture=django_capture_on_commit_callbacks)
    assert sjis.status == ImportStatus.DONE and sjis.encoding == "cp932" and sjis.added == 1, sjis.errors
    result = PassResult.objects.get(certificate_number="JFT33334444")
    assert result.name_latin == "ラヒモフ ファルフ" and result.name_cyrillic == "Рахимов Фаррух"
    assert result.result == "合格"


def test_undecodable_bytes_refuse_the_file(officer, django_capture_on_commit_callbacks):
    record = imported(officer, "results_undecodable.csv", capture=django_capture_on_commit_callbacks)
    assert (
        record.status == ImportStatus.FAILED and "UTF-8" in record.failure and "Shift_JIS" in record.failure
    )
    assert record.rows == 0 and not PassResult.objects.exists()


def test_wrong_columns_refuse_the_whole_file_naming_them(officer, django_capture_on_commit_callbacks):
    record = imported(officer, "results_wrong_columns.csv", capture=django_capture_on_commit_callbacks)
    assert record.status == ImportStatus.FAILED
    assert "missing columns: certificate_number, result" in record.failure
    assert "unknown columns: certificate, score" in record.failure
    assert not PassResult.objects.exists()
    empty = imported(officer, "empty.csv", b"\n\n", capture=django_capture_on_commit_callbacks)
    assert empty.status == ImportStatus.FAILED and "header" in empty.failure


def test_reimporting_the_same_file_changes_nothing(officer, django_capture_on_commit_callbacks):
    first = imported(officer, "results_errors.csv", capture=django_capture_on_commit_callbacks)
    before = {row.pk: (row.updated_at, row.source_id) for row in PassResult.objects.all()}
    again = imported(officer, "results_errors.csv", capture=django_capture_on_commit_callbacks)
    assert again.status == ImportStatus.DONE and again.pk != first.pk
    assert (again.added, again.changed, again.unchanged, again.refused) == (0, 0, 2, 8)
    assert {row.pk: (row.updated_at, row.source_id) for row in PassResult.objects.all()} == before


def test_changed_values_are_counted_and_written(officer, django_capture_on_commit_callbacks):
    imported(officer, "results_bom.csv", capture=django_capture_on_commit_callbacks)
    kept = PassResult.objects.get(certificate_number="2024A1TJN40101")
    before = PassResult.objects.get(certificate_number="JFT11112222")
    changed_file = (
        (DATA / "results_bom.csv")
        .read_bytes()
        .replace(b"jft-basic,2024-11-03,pass", b"jft-basic,2024-11-03,fail")
    )
    record = imported(
        officer, "results_changed.csv", changed_file, capture=django_capture_on_commit_callbacks
    )
    assert (record.added, record.changed, record.unchanged) == (0, 1, 1)
    after = PassResult.objects.get(pk=before.pk)
    assert after.result == "fail" and after.source_id == record.pk and after.updated_at > before.updated_at
    assert PassResult.objects.get(pk=kept.pk).updated_at == kept.updated_at


def test_the_import_runs_through_the_outbox_and_tells_the_uploader(
    officer, django_capture_on_commit_callbacks
):
    record = services.upload(officer, csv_file("results_bom.csv"))
    assert record.status == ImportStatus.QUEUED and record.sha256 and record.file_name == "results_bom.csv"
    with pytest.raises(ValueError):
        record.file.url  # noqa: B018 - private storage: the file has no URL
    entry = OutboxEntry.objects.get(topic=services.TOPIC)
    assert entry.payload == {"import": record.pk}
    assert AuditEntry.objects.filter(action="exam_results.uploaded", object_id=str(record.pk)).exists()
    assert not PassResult.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        outbox.drain()
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE and record.finished_at is not None and record.added == 2
    assert AuditEntry.objects.filter(action="exam_results.imported", object_id=str(record.pk)).exists()
    # A second delivery of the task does nothing.
    assert services.run_import(record.pk) is False
    outbox.drain()
    item = Notification.objects.get(kind="exams.results_imported")
    assert item.organization_id == officer.organization_id and item.url == record.get_absolute_url()


def test_who_may_upload(cast, officer):
    for name in ("tj_officer", "tj_contact", "jp_analyst", "embassy_viewer"):
        with pytest.raises(PermissionDenied):
            services.upload(cast[name], csv_file("results_bom.csv"))
    assert services.upload(cast["jp_contact"], csv_file("results_bom.csv")).status == ImportStatus.QUEUED
    with pytest.raises(InvalidInput):
        services.upload(officer, csv_file("results.pdf", b"%PDF-1.4 \x00\x01"))
    assert not ResultImport.objects.filter(
        organization=officer.organization, file_name="results.pdf"
    ).exists()


def test_pages_per_role(cast, officer, client_for, django_capture_on_commit_callbacks):
    jp = client_for("jp_officer")
    assert jp.get("/exams/results/new/").status_code == 200
    with django_capture_on_commit_callbacks(execute=False):
        response = jp.post("/exams/results/new/", {"file": csv_file("results_errors.csv")})
    record = ResultImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exams/results/{record.pk}/"
    page = jp.get(f"/exams/results/{record.pk}/").content.decode()
    assert (
        '<meta http-equiv="refresh"' in page and "<script" not in page.split("</head>")[0].split("<title>")[1]
    )
    with django_capture_on_commit_callbacks(execute=True):
        outbox.drain()
    page = jp.get(f"/exams/results/{record.pk}/").content.decode()
    assert '<meta http-equiv="refresh"' not in page and "xyz-test" in page and "already on line 2" in page
    listing = jp.get("/exams/results/").content.decode()
    assert f'href="/exams/results/{record.pk}/"' in listing and 'href="/exams/results/new/"' in listing
    for name in ("tj_officer", "tj_analyst", "jp_analyst", "jp_contact", "embassy_viewer", "maff_viewer"):
        client = client_for(name)
        listing = client.get("/exams/results/")
        assert listing.status_code == 200 and f"/exams/results/{record.pk}/" not in listing.content.decode()
        assert 'href="/exams/results/new/"' not in listing.content.decode() or name == "jp_contact"
        assert client.get(f"/exams/results/{record.pk}/").status_code == 404
    for name in ("tj_officer", "tj_analyst", "jp_analyst", "embassy_viewer"):
        assert client_for(name).get("/exams/results/new/").status_code == 404
        assert (
            client_for(name).post("/exams/results/new/", {"file": csv_file("results_bom.csv")}).status_code
            == 404
        )
    assert ResultImport.objects.count() == 1
    anonymous = client_for(None).get("/exams/results/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_a_bad_file_is_refused_by_the_form(officer, client_for):
    response = client_for("jp_officer").post(
        "/exams/results/new/", {"file": csv_file("results.xlsx", b"PK\x03\x04\x00")}
    )
    assert response.status_code == 200 and "CSV" in response.content.decode()
    assert not ResultImport.objects.exists()


def test_api_per_role(cast, officer, client_for, django_capture_on_commit_callbacks):
    jp = client_for("jp_officer")
    with django_capture_on_commit_callbacks(execute=True):
        response = jp.post("/api/v1/exam-result-imports/", {"file": csv_file("results_bom.csv")})
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "queued" and created["file_name"] == "results_bom.csv"
    with django_capture_on_commit_callbacks(execute=True):
        outbox.drain()
    detail = jp.get(f"/api/v1/exam-result-imports/{created['id']}/").json()
    assert detail["status"] == "done" and detail["added"] == 2 and detail["errors"] == []
    listing = jp.get("/api/v1/exam-result-imports/").json()
    rows = listing["results"] if isinstance(listing, dict) else listing
    assert [row["id"] for row in rows] == [created["id"]] and "errors" not in rows[0]
    for name in ("tj_officer", "tj_contact", "jp_analyst", "embassy_viewer"):
        client = client_for(name)
        assert (
            client.post("/api/v1/exam-result-imports/", {"file": csv_file("results_bom.csv")}).status_code
            == 403
        )
        assert client.get(f"/api/v1/exam-result-imports/{created['id']}/").status_code == 404
        listing = client.get("/api/v1/exam-result-imports/").json()
        rows = listing["results"] if isinstance(listing, dict) else listing
        assert rows == []
    assert client_for(None).post("/api/v1/exam-result-imports/", {}).status_code in (401, 403)
    assert ResultImport.objects.count() == 1
    # The register itself is in no API.
    assert jp.get("/api/v1/pass-results/").status_code == 404


def test_management_command(officer, tmp_path):
    out = io.StringIO()
    call_command("import_pass_results", str(DATA / "results_errors.csv"), "--user", "jp-officer", stdout=out)
    record = ResultImport.objects.get()
    assert record.status == ImportStatus.DONE and record.added == 2 and record.refused == 8
    assert "added 2" in out.getvalue() and "line 3:" in out.getvalue()
    assert not OutboxEntry.objects.filter(topic=services.TOPIC).exists()
    with pytest.raises(CommandError):
        call_command("import_pass_results", str(DATA / "results_bom.csv"), "--user", "tj-officer", stdout=out)
    with pytest.raises(CommandError):
        call_command(
            "import_pass_results", str(DATA / "results_wrong_columns.csv"), "--user", "jp-officer", stdout=out
        )


def test_many_rows_in_chunks(officer, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 7)
    lines = ["certificate_number,name_latin,name_cyrillic,date_of_birth,test,test_date,result"]
    lines += [f"JFT{n:08d},Name{n % 5} Surname,,1990-01-01,jft-basic,2024-01-01,pass" for n in range(30)]
    data = "\n".join(lines).encode()
    record = imported(officer, "many.csv", data, capture=django_capture_on_commit_callbacks)
    assert record.added == 30 and PassResult.objects.count() == 30
    assert Exam.objects.get(code="jft-basic").pk == PassResult.objects.first().exam_id
    changed = data.replace(b"JFT00000003,Name3", b"JFT00000003,Other")
    record = imported(officer, "many2.csv", changed, capture=django_capture_on_commit_callbacks)
    assert (record.added, record.changed, record.unchanged) == (0, 1, 29)


def test_a_lost_task_is_caught_up_by_the_sweep(officer):
    import datetime as dt

    from django.utils import timezone

    record = services.upload(officer, csv_file("results_bom.csv"))
    assert services.run_waiting() == 0  # just queued: its task is on its way
    ResultImport.objects.filter(pk=record.pk).update(uploaded_at=timezone.now() - dt.timedelta(minutes=11))
    assert services.run_waiting() == 1
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE and record.added == 2
