"""What an uploaded document must be: small enough, of a type on the allow-list by its
content (not its name or the browser's word), named with an extension that agrees, and,
when it is a zipped office document, not a zip bomb.

``check_upload`` is what services call (``InvalidInput``); ``validate_upload`` is the same
check as a form-field validator, so that the form shows the message by the field; and
``UploadSizeMiddleware`` refuses a multipart request over the limit before Django reads
its body into memory or a temporary file.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from portal.exceptions import InvalidInput

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
TEXT = "text/plain"

#: The detected type (from the file's first bytes) and the extensions its name may end in.
#: SVG and HTML carry scripts and have no magic number: they are refused as unknown.
ALLOWED_TYPES: dict[str, frozenset[str]] = {
    "application/pdf": frozenset({"pdf"}),
    "image/png": frozenset({"png"}),
    "image/jpeg": frozenset({"jpg", "jpeg"}),
    "image/tiff": frozenset({"tif", "tiff"}),
    DOCX: frozenset({"docx"}),
    XLSX: frozenset({"xlsx"}),
    ODT: frozenset({"odt"}),
    ODS: frozenset({"ods"}),
    TEXT: frozenset({"txt"}),
}
#: Zip containers: whoever opens them later decompresses them, so their declared content
#: is bounded too.
ZIPPED_TYPES = frozenset({DOCX, XLSX, ODT, ODS})

#: A zipped document may hold at most this many times the upload limit once unpacked...
ZIP_EXPANSION_FACTOR = 10
#: ...in at most this many entries (a long report has a few hundred)...
ZIP_MAX_ENTRIES = 2000
#: ...and no entry over 1 MiB unpacked may be compressed more than this (office XML
#: compresses 5-20 times; a zip bomb thousands of times).
ZIP_MAX_RATIO = 100
ZIP_RATIO_FLOOR = 1024 * 1024

#: Room for the other fields of a form and the multipart framing, over the file limit.
REQUEST_OVERHEAD = 1024 * 1024

#: filetype reads the first bytes only; this is what its matchers need.
HEAD_BYTES = 8192


def max_upload_bytes() -> int:
    return settings.PORTAL_UPLOAD_MAX_MB * 1024 * 1024


def _accepted_types_text() -> str:
    return _("Upload a PDF, PNG, JPEG or TIFF file, a docx, xlsx, odt or ods document, or plain text (txt).")


def check_upload(file) -> str:
    """Refuse ``file`` (an uploaded or Django ``File``) unless it is an allowed document;
    answer its detected MIME type. Raises ``InvalidInput`` with the reason."""
    limit = max_upload_bytes()
    size = file.size
    if size > limit:
        raise InvalidInput(
            _("The file is larger than %(limit)s MB. Upload a smaller file.")
            % {"limit": settings.PORTAL_UPLOAD_MAX_MB}
        )
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    kind = filetype.guess(head) if head else None
    extension = PurePosixPath(file.name or "").suffix.lower().lstrip(".")
    if kind is None and extension == "txt" and _is_plain_text(file):
        return TEXT
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise InvalidInput(_("This type of file is not accepted.") + " " + _accepted_types_text())
    if extension not in ALLOWED_TYPES[kind.mime]:
        raise InvalidInput(
            _(
                "The file's name ends in “.%(extension)s” but its content is %(type)s. "
                "Give the file its proper extension."
            )
            % {"extension": extension, "type": kind.extension.upper()}
        )
    if kind.mime in ZIPPED_TYPES:
        _check_zip(file, limit)
    return kind.mime


def safe_basename(name: str) -> str:
    """The stored name's last segment, without anything a header could be split on."""
    base = posixpath.basename(name.replace("\\", "/"))
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"')
    return base or "download"


def _is_plain_text(file) -> bool:
    """Plain text has no magic number: it is UTF-8 (a BOM allowed) with no control
    character but tab and line ends — nothing a browser or an editor would execute."""
    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return bool(text) and not any(ord(ch) < 32 and ch not in "\t\n\r" or ord(ch) == 127 for ch in text)


def _check_zip(file, limit: int) -> None:
    refusal = _("The document is damaged or unpacks to too much data.") + " " + _accepted_types_text()
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise InvalidInput(refusal) from exc
    finally:
        file.seek(0)
    if len(entries) > ZIP_MAX_ENTRIES:
        raise InvalidInput(refusal)
    if sum(entry.file_size for entry in entries) > limit * ZIP_EXPANSION_FACTOR:
        raise InvalidInput(refusal)
    for entry in entries:
        if entry.file_size > ZIP_RATIO_FLOOR and entry.file_size > ZIP_MAX_RATIO * max(
            entry.compress_size, 1
        ):
            raise InvalidInput(refusal)


def validate_upload(file) -> None:
    """``check_upload`` as a form-field validator (``FileField(validators=[...])``)."""
    if not file:
        return
    try:
        check_upload(file)
    except InvalidInput as exc:
        raise ValidationError(exc.message, code="upload_refused") from exc


class UploadSizeMiddleware:
    """Answers 413 to a multipart request whose declared length is over the upload limit
    (plus room for the other fields), before anything reads ``request.POST``/``FILES``:
    Django would otherwise stream the whole body to memory or a temporary file first.
    Without a Content-Length Django reads no body at all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > max_upload_bytes() + REQUEST_OVERHEAD:
                return self.too_large(request)
        return self.get_response(request)

    @staticmethod
    def too_large(request) -> HttpResponse:
        # LocaleMiddleware has not run yet: choose the visitor's language here.
        with translation.override(translation.get_language_from_request(request)):
            message = _("The upload is larger than %(limit)s MB. Send fewer or smaller files at a time.") % {
                "limit": settings.PORTAL_UPLOAD_MAX_MB
            }
        # The body stays unread; the WSGI server discards it or closes the connection.
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
