"""Reading a test body's CSV file of pass results (clause 5).

The format, as the upload page's help gives it::

    certificate_number,name_latin,name_cyrillic,date_of_birth,test,test_date,result
    JFT12345678,Rakhimov Farrukh,Раҳимов Фаррух,1999-04-12,jft-basic,2024-11-03,pass

- the header is exactly these seven columns, in any order, with no other; a file with
  a column missing, unknown or twice is refused as a whole, naming the columns;
- ``test`` is a test's code (``Exam.code``: ``jlpt-n4``, ``jft-basic``,
  ``skills-construction``…);
- ``certificate_number`` must match the test's certificate pattern once upper-cased and
  stripped (full-width characters folded: ``ＪＦＴ`` is ``JFT``);
- at least one of ``name_latin`` and ``name_cyrillic``;
- dates ``YYYY-MM-DD`` or ``DD.MM.YYYY``; the date of birth before the test date and not
  in the future, the test date not in the future;
- ``result`` not empty (``pass``, a score…);
- encodings: UTF-8, UTF-8 with a BOM, or Shift_JIS (cp932, as Japanese spreadsheet
  software saves CSV). A file in none of them is refused.

A row that breaks a rule is refused with its line number (as the file counts lines, the
header being line 1) and the reason; every other row is imported. The same certificate
twice in one file: the later line is refused."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from ..names import keys_of

COLUMNS = (
    "certificate_number",
    "name_latin",
    "name_cyrillic",
    "date_of_birth",
    "test",
    "test_date",
    "result",
)
HEADER = ",".join(COLUMNS)

#: The encodings a file may come in, as ``ResultImport.encoding`` records them.
UTF8_BOM, UTF8, SHIFT_JIS = "utf-8-sig", "utf-8", "cp932"

_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")

#: Field lengths of ``PassResult``.
MAX_NUMBER, MAX_NAME, MAX_RESULT, MAX_KEYS = 40, 200, 60, 500


class UnreadableFile(ValueError):
    """The whole file is refused (encoding, columns); the message says why."""


def decode(data: bytes) -> tuple[str, str]:
    """``(text, encoding)``: a BOM → UTF-8 with BOM; valid UTF-8 → UTF-8; else Shift_JIS
    (cp932); else refused."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode(UTF8_BOM), UTF8_BOM
        except UnicodeDecodeError as exc:
            raise UnreadableFile(_unreadable()) from exc
    try:
        return data.decode(UTF8), UTF8
    except UnicodeDecodeError:
        pass
    try:
        return data.decode(SHIFT_JIS), SHIFT_JIS
    except UnicodeDecodeError as exc:
        raise UnreadableFile(_unreadable()) from exc


def _unreadable() -> str:
    return _(
        "The file is neither UTF-8 nor Shift_JIS text: save it from your spreadsheet as "
        "“CSV UTF-8” and upload it again."
    )


def parse_date(value: str) -> dt.date | None:
    """``YYYY-MM-DD`` or ``DD.MM.YYYY``; ``None`` if neither or no such day."""
    value = value.strip()
    if match := _ISO.match(value):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DMY.match(value):
        day, month, year = (int(part) for part in match.groups())
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def normal_number(value: str) -> str:
    """What a certificate number is compared as: full-width folded, stripped, capitals."""
    return unicodedata.normalize("NFKC", value or "").strip().upper()


@dataclass(frozen=True, slots=True)
class Row:
    """One readable line: the values ``PassResult`` stores."""

    line: int
    exam_id: int
    certificate_number: str
    name_latin: str
    name_cyrillic: str
    name_keys: str
    date_of_birth: dt.date
    test_date: dt.date
    result: str


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    reason: str


def _header(reader) -> tuple[dict[str, int], int]:
    """Column name → index, from the first non-empty line; refuses a wrong header."""
    for fields in reader:
        if any(field.strip() for field in fields):
            names = [field.strip().lower() for field in fields]
            break
    else:
        raise UnreadableFile(
            _("The file is empty: it needs the header line %(header)s.") % {"header": HEADER}
        )
    missing = [name for name in COLUMNS if name not in names]
    unknown = [name for name in names if name not in COLUMNS]
    repeated = sorted({name for name in names if name in COLUMNS and names.count(name) > 1})
    problems = []
    if missing:
        problems.append(_("missing columns: %(columns)s") % {"columns": ", ".join(missing)})
    if unknown:
        problems.append(
            _("unknown columns: %(columns)s") % {"columns": ", ".join(name or "(empty)" for name in unknown)}
        )
    if repeated:
        problems.append(_("columns given twice: %(columns)s") % {"columns": ", ".join(repeated)})
    if problems:
        raise UnreadableFile(
            _("The file's header is wrong (%(problems)s). The header must be: %(header)s")
            % {"problems": "; ".join(problems), "header": HEADER}
        )
    return {name: names.index(name) for name in COLUMNS}, reader.line_num


class Reader:
    """Reads the rows of one decoded file: ``rows()`` yields ``Row`` and ``RowError``.

    ``exams`` maps a test's code to ``(id, compiled certificate pattern)``."""

    def __init__(self, text: str, exams: dict[str, tuple[int, re.Pattern]], *, today: dt.date | None = None):
        self.text = text
        self.exams = exams
        self.today = today or timezone.localdate()
        # Dates and names repeat across a file: each distinct one is read once.
        self._dates: dict[str, dt.date | None] = {}
        self._keys: dict[tuple[str, str], str] = {}

    def date(self, value: str) -> dt.date | None:
        try:
            return self._dates[value]
        except KeyError:
            parsed = self._dates[value] = parse_date(value)
            return parsed

    def keys(self, name_latin: str, name_cyrillic: str) -> str:
        pair = (name_latin, name_cyrillic)
        keys = self._keys.get(pair)
        if keys is None:
            keys = keys_of(name_latin, name_cyrillic)
            if len(keys) > MAX_KEYS:
                keys = keys[:MAX_KEYS].rsplit(" ", 1)[0]
            if len(self._keys) < 500_000:
                self._keys[pair] = keys
        return keys

    def rows(self) -> Iterator[Row | RowError]:
        reader = csv.reader(io.StringIO(self.text, newline=""))
        columns, last_line = _header(reader)
        seen: dict[tuple[int, str], int] = {}
        width = max(columns.values()) + 1
        index = [columns[name] for name in COLUMNS]
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                line, last_line = last_line + 1, reader.line_num
                yield RowError(line, _("The line is not valid CSV (%(error)s).") % {"error": exc})
                continue
            line, last_line = last_line + 1, reader.line_num
            if not any(field.strip() for field in fields):
                continue
            if len(fields) < width:
                fields = [*fields, *[""] * (width - len(fields))]
            values = [fields[i] for i in index]
            outcome = self.row(line, *values)
            if isinstance(outcome, Row):
                key = (outcome.exam_id, outcome.certificate_number)
                first = seen.get(key)
                if first is not None:
                    outcome = RowError(
                        line,
                        _("Certificate %(number)s of this test is already on line %(first)s of the file.")
                        % {"number": outcome.certificate_number, "first": first},
                    )
                else:
                    seen[key] = line
            yield outcome

    def row(self, line, number, name_latin, name_cyrillic, birth, test, test_date, result) -> Row | RowError:
        def refuse(reason: str) -> RowError:
            return RowError(line, reason)

        code = test.strip().lower()
        exam = self.exams.get(code)
        if exam is None:
            if not code:
                return refuse(_("The test is missing (column test)."))
            return refuse(
                _("Unknown test “%(test)s” (column test): give a test's code.") % {"test": code[:60]}
            )
        exam_id, pattern = exam
        number = normal_number(number)
        if not number:
            return refuse(_("The certificate number is missing (column certificate_number)."))
        if len(number) > MAX_NUMBER or pattern.fullmatch(number) is None:
            return refuse(
                _("The certificate number “%(number)s” is not a number of the test %(test)s.")
                % {"number": number[:60], "test": code}
            )
        name_latin, name_cyrillic = " ".join(name_latin.split()), " ".join(name_cyrillic.split())
        if not name_latin and not name_cyrillic:
            return refuse(_("The holder's name is missing (columns name_latin and name_cyrillic)."))
        if len(name_latin) > MAX_NAME or len(name_cyrillic) > MAX_NAME:
            return refuse(_("The name is longer than %(max)s characters.") % {"max": MAX_NAME})
        born = self.date(birth)
        if born is None:
            return refuse(_date_error("date_of_birth", birth))
        sat = self.date(test_date)
        if sat is None:
            return refuse(_date_error("test_date", test_date))
        if born > self.today:
            return refuse(_("The date of birth is in the future (column date_of_birth)."))
        if sat > self.today:
            return refuse(_("The test date is in the future (column test_date)."))
        if born >= sat:
            return refuse(_("The date of birth is not before the test date (column date_of_birth)."))
        result = result.strip()
        if not result:
            return refuse(_("The result is empty (column result)."))
        if len(result) > MAX_RESULT:
            return refuse(
                _("The result is longer than %(max)s characters (column result).") % {"max": MAX_RESULT}
            )
        return Row(
            line,
            exam_id,
            number,
            name_latin,
            name_cyrillic,
            self.keys(name_latin, name_cyrillic),
            born,
            sat,
            result,
        )


def _date_error(column: str, value: str) -> str:
    if not value.strip():
        return _("The date is missing (column %(column)s).") % {"column": column}
    return _("“%(value)s” is not a date (column %(column)s): write YYYY-MM-DD or DD.MM.YYYY.") % {
        "value": value.strip()[:30],
        "column": column,
    }
