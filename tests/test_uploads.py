"""Uploads: limited in size, checked by content against an allow-list, named as what they
are, zip bombs refused; through the real pages and the services, nothing stored when
refused."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from pathlib import Path
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone, translation

from agencies import services
from agencies.choices import CriterionResult
from agencies.models import Investigation
from agencies.testing import certified, register
from portal import uploads
from portal.exceptions import InvalidInput
from portal.records.models import Attachment
from portal.testing.files import PDF


@pytest.fixture(autouse=True)
def _english():
    """The messages asserted are the English ones; a request as an officer whose
    language is Tajik leaves Tajik active in the thread."""
    with translation.override("en"):
        yield


# --- Files, made here as the real programs write them --------------------------------

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00" + b"\x00" * 60 + b"PE\x00\x00" + b"\x00" * 200


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def docx(document: bytes = b"<w:document/>", extra: int = 0) -> bytes:
    """A Word document's zip layout (the content types first, as Word writes it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", document)
        for number in range(extra):
            archive.writestr(f"word/media/image{number}.png", b"")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def media_files() -> set[Path]:
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


# --- Through the investigation report page, as Japan's officer ------------------------


@pytest.fixture
def agency(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return certified(cast["tj_officer"])


@pytest.fixture
def report(agency, client_for):
    """Posts the report form with ``file`` as its attachment; answers the response."""
    client = client_for("jp_officer")

    def post(name: str, content: bytes):
        return client.post(
            f"/agencies/{agency.pk}/investigate/",
            {
                "facts": "Workers report a deposit of USD 2,000.",
                "due_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
                "attachment": upload(name, content),
            },
        )

    return post


def assert_refused(response, message: str, before: set[Path]) -> None:
    assert response.status_code == 200  # the form again, with the error by the field
    assert message in response.context["form"].errors["attachment"][0]
    assert message in response.content.decode()
    assert not Investigation.objects.exists()
    assert not Attachment.objects.exists()
    assert media_files() == before


def test_an_svg_is_refused(report):
    before = media_files()
    assert_refused(report("evil.svg", SVG), "This type of file is not accepted.", before)


def test_an_svg_named_as_a_png_is_refused(report):
    before = media_files()
    assert_refused(report("evil.png", SVG), "This type of file is not accepted.", before)


def test_html_is_refused(report):
    before = media_files()
    assert_refused(report("report.html", HTML), "This type of file is not accepted.", before)


def test_a_pdf_exe_is_refused(report):
    before = media_files()
    # A real program under a double extension: its type is refused.
    assert_refused(report("report.pdf.exe", EXE), "This type of file is not accepted.", before)
    # A real PDF under a name that Windows would run: the name is refused.
    assert_refused(report("report.pdf.exe", PDF), "“.exe” but its content is PDF.", before)


def test_a_zip_bomb_is_refused(report):
    before = media_files()
    # 20 MB of zeros packs into about 20 KB: a thousand to one.
    bomb = docx(document=b"\x00" * (20 * 1024 * 1024))
    assert len(bomb) < 100 * 1024
    assert_refused(report("bomb.docx", bomb), "unpacks to too much data", before)


def test_an_upload_over_the_limit_is_refused_before_it_is_read(report):
    before = media_files()
    parse = mock.patch(
        "django.http.multipartparser.MultiPartParser.parse",
        side_effect=AssertionError("the body was read"),
    )
    with override_settings(PORTAL_UPLOAD_MAX_MB=1), parse as parsed:
        response = report("big.pdf", PDF + b"0" * (3 * 1024 * 1024))
    assert response.status_code == 413
    assert "The upload is larger than 1 MB" in response.content.decode()
    assert not parsed.called
    assert not Investigation.objects.exists()
    assert media_files() == before


def test_a_file_over_the_limit_within_a_small_request_is_refused_by_the_form(report):
    before = media_files()
    with override_settings(PORTAL_UPLOAD_MAX_MB=1):
        response = report("big.pdf", PDF + b"0" * (1024 * 1024))
    assert_refused(response, "The file is larger than 1 MB.", before)


def test_a_real_pdf_is_accepted(report, agency):
    response = report("deposit receipt.pdf", PDF)
    assert response.status_code == 302
    attachment = Investigation.objects.get(agency=agency).attachments.get()
    assert attachment.file.read() == PDF


@pytest.mark.parametrize(
    ("name", "content"),
    [("photo.PNG", png()), ("contract.docx", docx())],
)
def test_images_and_office_documents_are_accepted(report, agency, name, content):
    assert report(name, content).status_code == 302
    assert Investigation.objects.get(agency=agency).attachments.count() == 1


def test_a_request_without_files_is_not_limited(client_for, agency):
    with override_settings(PORTAL_UPLOAD_MAX_MB=0):
        response = client_for("jp_officer").post(
            f"/agencies/{agency.pk}/investigate/",
            urlencode(
                {"facts": "x" * 2048, "due_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat()}
            ),
            content_type="application/x-www-form-urlencoded",
        )
    assert response.status_code == 302
    assert Investigation.objects.filter(agency=agency).exists()


# --- Through the screening page, as Tajikistan's officer ------------------------------


def test_screening_evidence_is_checked_by_the_form(cast, client_for):
    officer = cast["tj_officer"]
    agency = register(officer)
    screening = services.start_screening(agency, officer)
    rows = list(screening.results.select_related("criterion"))
    data = {"note": ""}
    for row in rows:
        data[f"result_{row.criterion_id}"] = CriterionResult.MET
        data[f"note_{row.criterion_id}"] = ""
    data[f"evidence_{rows[0].criterion_id}"] = upload("evidence.svg", SVG)
    before = media_files()
    response = client_for("tj_officer").post(f"/agencies/{agency.pk}/screenings/{screening.pk}/", data)
    assert response.status_code == 200
    assert (
        "This type of file is not accepted."
        in response.context["form"].errors[f"evidence_{rows[0].criterion_id}"][0]
    )
    assert not Attachment.objects.exists()
    assert media_files() == before


# --- The services, for callers without a form (the API, scripts) ---------------------


def test_the_services_refuse_what_the_forms_refuse(cast, agency):
    officer = cast["tj_officer"]
    with pytest.raises(InvalidInput, match="not accepted"):
        services.report_for_investigation(
            cast["jp_officer"],
            agency,
            facts="x",
            due_on=timezone.localdate() + dt.timedelta(days=30),
            attachments=[upload("a.pdf", PDF), upload("b.html", HTML)],
        )
    assert not Investigation.objects.exists()
    screened = register(officer)
    screening = services.start_screening(screened, officer)
    with pytest.raises(InvalidInput, match="not accepted"):
        services.add_evidence(screening.results.first(), officer, upload("evil.svg", SVG))
    assert not Attachment.objects.exists()


# --- Each zip rule on its own (the others relaxed) ------------------------------------


def test_a_zip_with_too_many_entries_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "ZIP_MAX_ENTRIES", 10)
    assert uploads.check_upload(upload("ok.docx", docx(extra=7)))
    with pytest.raises(InvalidInput, match="too much data"):
        uploads.check_upload(upload("many.docx", docx(extra=8)))


@override_settings(PORTAL_UPLOAD_MAX_MB=1)
def test_a_zip_declaring_more_than_the_limit_times_the_factor_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "ZIP_MAX_RATIO", 10**9)
    assert uploads.check_upload(upload("ok.docx", docx(document=b"\x00" * (9 * 1024 * 1024))))
    with pytest.raises(InvalidInput, match="too much data"):
        uploads.check_upload(upload("big.docx", docx(document=b"\x00" * (11 * 1024 * 1024))))


def test_a_damaged_zip_is_refused():
    damaged = docx()[:-30]  # the central directory cut off
    with pytest.raises(InvalidInput, match="damaged"):
        uploads.check_upload(upload("cut.docx", damaged))


def test_an_empty_file_is_refused():
    with pytest.raises(InvalidInput, match="not accepted"):
        uploads.check_upload(upload("empty.pdf", b""))


def test_the_check_leaves_the_file_ready_to_be_saved():
    file = upload("contract.docx", docx())
    uploads.check_upload(file)
    assert file.tell() == 0


def test_the_refusals_speak_the_visitors_language(agency, client_for):
    client = client_for("jp_officer")
    url = f"/agencies/{agency.pk}/investigate/"
    with override_settings(PORTAL_UPLOAD_MAX_MB=1):
        too_large = client.post(
            url, {"attachment": upload("big.pdf", PDF + b"0" * (3 * 1024 * 1024))}, HTTP_ACCEPT_LANGUAGE="ru"
        )
    assert "Загрузка больше 1 МБ" in too_large.content.decode()
    refused = client.post(url, {"attachment": upload("evil.svg", SVG)}, HTTP_ACCEPT_LANGUAGE="tg")
    assert "Файлҳои ин навъ қабул намешаванд." in refused.context["form"].errors["attachment"][0]
