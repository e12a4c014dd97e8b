"""Certificate checks (5): an officer enters a test, a certificate number, the holder's
name and date of birth, and learns whether the register of pass results holds that
certificate with that holder — it matches, it does not match (and which fields differ),
or it is not found. Never the registered values: the register is read here, one indexed
lookup a check, and nothing of it leaves this module but the outcome and the names of
the fields that differ.

Each check is kept (``CertificateCheck``), audited (``certificate.checked``, a reading:
``portal.kept`` keeps its values across it) and counted for the per-user rate limit
(``EXAMS_CHECKS_PER_HOUR``, default 200). A batch is a CSV file of candidates, checked
line by line in one transaction, refused whole when it would pass the limit or its
columns are not the expected ones."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from portal import audit
from portal.exceptions import InvalidInput, ServiceError

from ..choices import CheckedField, CheckOutcome
from ..models import CertificateCheck, Exam, PassResult
from ..names import name_matches, words_of
from . import policies

__all__ = [
    "BatchLine",
    "RateLimited",
    "batch_lines",
    "check_batch",
    "check_certificate",
    "checks_per_hour",
    "read_batch",
]

WINDOW = dt.timedelta(hours=1)
EARLIEST_BIRTH = dt.date(1900, 1, 1)
#: The most lines a batch file may hold, and its largest size.
MAX_BATCH_LINES = 500
MAX_BATCH_BYTES = 512 * 1024
COLUMNS = ("test", "certificate_number", "name", "date_of_birth")
#: How long the reasons of a batch's unchecked lines are kept (its checks are kept for good).
BATCH_KEPT_SECONDS = 7 * 24 * 3600
ENCODINGS = ("utf-8-sig", "cp932")  # UTF-8 with or without BOM; Shift_JIS (Windows' superset)
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%d.%m.%Y")


class RateLimited(ServiceError):
    """More checks than the hourly limit allows; ``retry_after`` in seconds."""

    def __init__(self, message, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def checks_per_hour() -> int:
    return settings.EXAMS_CHECKS_PER_HOUR


# --- What the officer enters ----------------------------------------------------------------


def normal_number(value: str) -> str:
    return "".join((value or "").split()).upper()


def number_problem(exam: Exam, number: str) -> str | None:
    """Why ``number`` (already normalized) cannot be a certificate of ``exam``, if it cannot."""
    if not number:
        return _("Enter the certificate number.")
    if not exam.certificate_number_is_valid(number):
        if exam.certificate_example:
            return _("This is not a certificate number of %(test)s; they look like %(example)s.") % {
                "test": exam,
                "example": exam.certificate_example,
            }
        return _("This is not a certificate number of %(test)s.") % {"test": exam}
    return None


def date_problem(value: dt.date | None) -> str | None:
    if value is None:
        return _("Enter the date of birth.")
    if value > timezone.localdate():
        return _("A date of birth cannot be in the future.")
    if value < EARLIEST_BIRTH:
        return _("A date of birth cannot be before 1900.")
    return None


def name_problem(value: str) -> str | None:
    if not (value or "").strip():
        return _("Enter the holder's name.")
    if not words_of(value):
        return _("Enter the holder's name in letters (Latin, Cyrillic or kana).")
    return None


def _label(name: str) -> str:
    return str(CertificateCheck._meta.get_field(name).verbose_name).capitalize()


def _refuse_bad_input(exam, number, name, date_of_birth) -> None:
    for field_name, problem in (
        ("certificate_number", number_problem(exam, number)),
        ("name", name_problem(name)),
        ("date_of_birth", date_problem(date_of_birth)),
    ):
        if problem:
            raise InvalidInput.about(_label(field_name), problem)


# --- The rate limit -------------------------------------------------------------------------


def _refuse_over_limit(user, count: int, now: dt.datetime) -> None:
    """Refuse ``count`` more checks by ``user`` if they pass the hourly limit, saying when
    they are possible again (when enough of the window's checks have left it)."""
    limit = checks_per_hour()
    if count > limit:
        raise RateLimited(
            _("A batch may hold at most %(limit)s lines: the checks one person may make in an hour.")
            % {"limit": limit},
            retry_after=int(WINDOW.total_seconds()),
        )
    since = now - WINDOW
    window = CertificateCheck.objects.filter(user=user, checked_at__gt=since)
    made = window.count()
    if made + count <= limit:
        return
    # The checks that must leave the window first: the oldest (made + count - limit).
    freeing = window.order_by("checked_at").values_list("checked_at", flat=True)[made + count - limit - 1]
    again = freeing + WINDOW
    seconds = max(1, int((again - now).total_seconds()) + 1)
    raise RateLimited(
        _(
            "You have made %(made)s certificate checks in the last hour, the most allowed is %(limit)s. "
            "You can check again from %(time)s."
        )
        % {
            "made": made,
            "limit": limit,
            "time": formats.time_format(timezone.localtime(again), "H:i"),
        },
        retry_after=seconds,
    )


# --- One check ------------------------------------------------------------------------------


def _answer(exam: Exam, number: str, name: str, date_of_birth: dt.date) -> tuple[str, list[str]]:
    """The outcome and the fields that differ: one lookup by the register's unique index."""
    # No ordering: the model's ("exam", …) would join the tests to sort one row.
    registered = list(
        PassResult.objects.filter(exam_id=exam.pk, certificate_number=number)
        .order_by()
        .values_list("name_keys", "date_of_birth")[:1]
    )
    if not registered:
        return CheckOutcome.NOT_FOUND, []
    name_keys, registered_birth = registered[0]
    differs = []
    if not name_matches(name, name_keys):
        differs.append(CheckedField.NAME)
    if registered_birth != date_of_birth:
        differs.append(CheckedField.DATE_OF_BIRTH)
    return (CheckOutcome.DOES_NOT_MATCH if differs else CheckOutcome.MATCHES), differs


def _record(user, exam, number, name, date_of_birth, *, batch=None, line=None) -> CertificateCheck:
    outcome, differs = _answer(exam, number, name, date_of_birth)
    check = CertificateCheck.objects.create(
        organization_id=user.organization_id,
        user=user,
        exam=exam,
        certificate_number=number,
        name=name.strip()[:200],
        date_of_birth=date_of_birth,
        outcome=outcome,
        differs=",".join(differs),
        batch=batch,
        line=line,
    )
    # The check by its id; of its values only the names of the fields (not public).
    audit.log("certificate.checked", actor=user, obj=check, after={"outcome": outcome, "differs": differs})
    return check


def check_certificate(
    user,
    *,
    exam: Exam,
    certificate_number: str,
    name: str,
    date_of_birth: dt.date,
    batch: uuid.UUID | None = None,
    line: int | None = None,
) -> CertificateCheck:
    """Check one certificate against the register; keep and audit the check."""
    policies.check_checker(user)
    number = normal_number(certificate_number)
    _refuse_bad_input(exam, number, name, date_of_birth)
    with transaction.atomic():
        _refuse_over_limit(user, 1, timezone.now())
        return _record(user, exam, number, name, date_of_birth, batch=batch, line=line)


# --- A batch ----------------------------------------------------------------------------------


@dataclass
class BatchLine:
    """One line of a batch: checked (``check``) or not, with the reason."""

    line: int
    test: str
    certificate_number: str
    check: CertificateCheck | None = None
    reason: str = ""

    @property
    def outcome(self) -> str:
        return self.check.outcome if self.check else ""

    @property
    def outcome_label(self) -> str:
        return self.check.get_outcome_display() if self.check else _("Not checked")

    @property
    def differs(self) -> list[str]:
        return self.check.differing_fields if self.check else []

    @property
    def differs_labels(self) -> list[str]:
        return [str(CheckedField(name).label) for name in self.differs]


@dataclass
class Batch:
    id: uuid.UUID
    lines: list[BatchLine] = field(default_factory=list)


def _decode(data: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(_("The file is neither UTF-8 nor Shift_JIS text. Save it as CSV in UTF-8."))


def read_batch(upload) -> list[tuple[int, dict[str, str]]]:
    """The lines of a batch file as (line number, values by column), refused whole when
    it is not a CSV of the expected columns, too long or too large."""
    if upload.size > MAX_BATCH_BYTES:
        raise InvalidInput(
            _("The file is larger than %(size)s KB. Split it into files of at most %(lines)s lines.")
            % {"size": MAX_BATCH_BYTES // 1024, "lines": MAX_BATCH_LINES}
        )
    upload.seek(0)
    text = _decode(upload.read())
    if any(ord(ch) < 32 and ch not in "\t\n\r" or ord(ch) == 127 for ch in text):
        raise InvalidInput(_("The file is not CSV text in UTF-8 or Shift_JIS: it holds control characters."))
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, None)
    expected = ",".join(COLUMNS)
    if header is None or tuple(cell.strip().lower() for cell in header) != COLUMNS:
        raise InvalidInput(
            _("The file's first line must be the columns %(expected)s, in this order; it is %(found)s.")
            % {"expected": expected, "found": ",".join(header or []) or _("empty")}
        )
    lines = []
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(lines) >= MAX_BATCH_LINES:
            raise InvalidInput(
                _("The file holds more than %(lines)s lines. Split it into smaller files.")
                % {"lines": MAX_BATCH_LINES}
            )
        values = dict(zip(COLUMNS, (cell.strip() for cell in row), strict=False))
        values["_extra"] = len(row) != len(COLUMNS)
        lines.append((number, values))
    if not lines:
        raise InvalidInput(_("The file holds no candidates under its first line."))
    return lines


def _parse_date(text: str) -> dt.date | None:
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _line_input(values, exams) -> tuple[tuple | None, str]:
    """The line's (exam, number, name, date of birth), or the reason it cannot be checked."""
    if values["_extra"]:
        return None, _("The line does not have the four columns %(columns)s.") % {
            "columns": ",".join(COLUMNS)
        }
    exam = exams.get(values.get("test", "").lower())
    if exam is None:
        return None, "{}: {}".format(
            _label("exam"),
            _("no test has the code “%(code)s”.") % {"code": values.get("test", "")[:40]},
        )
    number = normal_number(values.get("certificate_number", ""))
    date_text = values.get("date_of_birth", "")
    date_of_birth = _parse_date(date_text)
    if date_text and date_of_birth is None:
        date_message = _("Not a date; write it as YYYY-MM-DD.")
    else:
        date_message = date_problem(date_of_birth)
    for label, problem in (
        (_label("certificate_number"), number_problem(exam, number)),
        (_label("name"), name_problem(values.get("name", ""))),
        (_label("date_of_birth"), date_message),
    ):
        if problem:
            return None, f"{label}: {problem}"
    return (exam, number, values["name"], date_of_birth), ""


def _cache_key(batch_id) -> str:
    return f"exams:checks:batch:{batch_id}"


def check_batch(user, upload) -> Batch:
    """Check every line of a batch file in order, in one transaction: each line a check
    (kept, audited) or the reason it could not be checked."""
    policies.check_checker(user)
    rows = read_batch(upload)
    exams = {exam.code.lower(): exam for exam in Exam.objects.all()}
    batch = Batch(uuid.uuid4())
    with transaction.atomic():
        _refuse_over_limit(user, len(rows), timezone.now())
        for number, values in rows:
            entered, reason = _line_input(values, exams)
            line = BatchLine(
                number, values.get("test", "")[:40], normal_number(values.get("certificate_number", ""))[:40]
            )
            if entered is None:
                line.reason = reason
            else:
                exam, certificate, name, date_of_birth = entered
                line.check = _record(
                    user, exam, certificate, name, date_of_birth, batch=batch.id, line=number
                )
            batch.lines.append(line)
        refused = [
            {
                "line": line.line,
                "test": line.test,
                "certificate_number": line.certificate_number,
                "reason": line.reason,
            }
            for line in batch.lines
            if line.check is None
        ]
    # Kept at once, not on commit: an id nobody was given harms nobody if rolled back.
    _keep(batch.id, {"organization": user.organization_id, "refused": refused})
    return batch


def _keep(batch_id, value) -> None:
    # A silent cache loses the reasons of the unchecked lines, never the checks.
    with contextlib.suppress(Exception):
        cache.set(_cache_key(batch_id), value, BATCH_KEPT_SECONDS)


def batch_lines(user, batch_id) -> list[BatchLine] | None:
    """The lines of a batch of the reader's organization in order (``None``: no such batch
    the reader may read). Its checks come from the database; the reasons of the lines not
    checked from the cache, while it keeps them."""
    checks = list(
        CertificateCheck.objects.restrict(user).filter(batch=batch_id).select_related("exam").order_by("line")
    )
    try:
        kept = cache.get(_cache_key(batch_id))
    except Exception:  # noqa: BLE001 - a silent cache: the checked lines alone
        kept = None
    if kept is not None and kept.get("organization") != getattr(user, "organization_id", None):
        kept = None
    if not checks and kept is None:
        return None
    lines = [
        BatchLine(check.line or 0, check.exam.code, check.certificate_number, check=check) for check in checks
    ]
    for refused in (kept or {}).get("refused", []):
        lines.append(
            BatchLine(
                refused["line"], refused["test"], refused["certificate_number"], reason=refused["reason"]
            )
        )
    return sorted(lines, key=lambda line: line.line)
