"""Reading the register of registered support organizations (登録支援機関登録簿) as the
Immigration Services Agency publishes it: an Excel workbook, Japanese or English edition.

The workbook is made for people, not programs: a date line and a title above the table,
two header rows with merged cells ("登録支援機関" over 氏名又は名称, 郵便番号, 住所…), empty
lines, notes at the end, numbers and dates typed by hand (full-width digits, three kinds
of dash, era dates). So the header is found by its labels, wherever it is; a column is
known by its normalised label and, for 名称/所在地, by the label above it; every row that
cannot be read is reported with its row number and reason, and the rest are read.

Nothing here touches the database: the import (comparison, apply) works on the
``Reading`` this returns. Two engines read the cells — python-calamine (Rust) and
openpyxl in read-only mode — and give the same ``Reading``; calamine is the default
because it is the faster on the register's size (figures: docs/benchmarks.md,
bench/register_reading.py), openpyxl the reference.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from functools import lru_cache
from os import PathLike
from typing import Any

from django.utils.translation import gettext as _

from notices.languages import parse_languages
from notices.prefectures import prefecture_of

ENGINES = ("calamine", "openpyxl")
DEFAULT_ENGINE = "calamine"
#: How far down each sheet the header is looked for (the date line, the title and a few
#: blank lines sit above it).
HEADER_SEARCH_ROWS = 30
PROGRESS_EVERY = 1000


class UnreadableRegister(ValueError):
    """The file cannot be read as the register at all; the message is for the officer."""


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One registered support organization, as one row of the register states it."""

    row: int  # the sheet's row number (1-based), for messages
    registration_number: str  # "19登-000123"
    registered_on: date
    name: str
    postcode: str
    address: str
    prefecture: str  # JIS X 0401 code found in the address, "" if none
    phone: str
    representative: str
    office_name: str
    office_address: str
    support: str  # as written (NFKC, whitespace collapsed)
    support_from: date | None
    languages: tuple[str, ...]  # ISO 639-1 codes, sorted
    languages_text: str  # the cell as written (whitespace collapsed)
    remarks: str

    def fields(self) -> dict:
        """Every field but ``row``, JSON-ready (dates in ISO form, the tuple a list)."""
        values = {}
        for item in fields(self):
            if item.name == "row":
                continue
            value = getattr(self, item.name)
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            values[item.name] = value
        return values


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that could not be read: its row number and why (translated)."""

    row: int
    reason: str
    #: the row's registration number when it has a well-formed one: the organization is
    #: in the file even though this row could not be read (not removed from the register)
    registration_number: str = ""


@dataclass
class Reading:
    """What one workbook says: the organizations it lists and the rows it could not read."""

    edition: str  # "ja" | "en"
    as_of: date | None  # from the date line above the table
    title: str
    header_row: int  # the (first) header row, 1-based
    rows: list[RegisterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    sha256: str = ""  # of the file's bytes
    sheet: str = ""


# --- Columns and their labels -------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of the register: the field it fills, its label in each edition (to name
    it in a message), and the labels it is known by. ``group`` is the merged label above
    it for the columns that share a sub-label (名称 and 所在地 of the organization and of
    its office)."""

    field: str
    ja: str
    en: str
    synonyms: tuple[str, ...]
    group: str = ""
    required: bool = False


#: field, label in the Japanese and the English edition, the labels it is known by
#: (normalised: see ``normalise_label``), the merged label it sits under, required?
_SPECS = (
    ("registration_number", "登録番号", "Registration No.", "登録番号 registrationno registrationnumber", "", True),
    ("registered_on", "登録年月日", "Date of registration",
     "登録年月日 登録日 登録の年月日 dateofregistration registrationdate registeredon", "", True),
    ("name", "氏名又は名称", "Name",
     "氏名又は名称 氏名または名称 名称 氏名 name nameoforganization organizationname", "organization", True),
    ("postcode", "郵便番号", "Postal code", "郵便番号 postalcode postcode zipcode 〒", "organization", False),
    ("address", "住所", "Address", "住所 所在地 住所又は所在地 本店所在地 address location", "organization", True),
    ("phone", "電話番号", "Telephone",
     "電話番号 電話 telephone telephonenumber tel phone phonenumber", "organization", False),
    ("representative", "代表者名", "Representative",
     "代表者名 代表者氏名 代表者 代表者の氏名 representative nameofrepresentative", "organization", False),
    ("office_name", "名称", "Name",
     "名称 事務所名 事務所の名称 支援業務を行う事務所の名称 name officename nameofoffice", "office", False),
    ("office_address", "所在地", "Address",
     "所在地 住所 事務所所在地 事務所の所在地 支援業務を行う事務所の所在地 address officeaddress addressofoffice "
     "location", "office", False),
    ("support", "支援業務の内容", "Support services",
     "支援業務の内容 支援内容 支援の内容 supportservices contentofsupport detailsofsupport", "", False),
    ("support_from", "支援業務の開始予定年月日", "Scheduled start date of support",
     "支援業務の開始予定年月日 支援業務開始予定年月日 支援業務の開始予定日 開始予定年月日 scheduledstartdateofsupport "
     "startdateofsupport scheduledstartdate", "", False),
    ("languages", "対応可能言語", "Supported languages",
     "対応可能言語 対応言語 対応可能な言語 supportedlanguages languages availablelanguages", "", True),
    ("remarks", "備考", "Remarks", "備考 remarks notes note", "", False),
)  # fmt: skip
COLUMNS = tuple(
    Column(name, ja, en, tuple(synonyms.split()), group, required)
    for name, ja, en, synonyms, group, required in _SPECS
)
BY_FIELD = {column.field: column for column in COLUMNS}
#: The merged labels above the columns that share sub-labels.
GROUPS = {
    "organization": ("登録支援機関", "registeredsupportorganization", "supportorganization", "organization"),
    "office": (
        "支援業務を行う事務所",
        "支援業務を行う事務所の名称及び所在地",
        "事務所",
        "officeprovidingsupport",
        "supportoffice",
        "office",
    ),
}

#: Footnote marks and punctuation that labels carry or drop from one edition to the next.
_LABEL_NOISE = re.compile(r"[\s※*＊()（）\[\]【】:：.。,、・'’\"“”]")


def normalise_label(value: Any) -> str:
    """NFKC, casefolded, without whitespace (line breaks inside a cell), footnote marks
    or brackets: "登録\\n年月日" and "Registration  No." match their synonyms."""
    if value is None:
        return ""
    return _LABEL_NOISE.sub("", unicodedata.normalize("NFKC", str(value)).casefold())


_SYNONYMS = {column.field: {normalise_label(label) for label in column.synonyms} for column in COLUMNS}
_GROUPS = {group: {normalise_label(label) for label in labels} for group, labels in GROUPS.items()}
_NUMBER_LABELS = _SYNONYMS["registration_number"]
#: The labels that make a row the second row of a two-level header.
_SUB_LABELS = set().union(*(_SYNONYMS[column.field] for column in COLUMNS if column.group))


def _group_of(label: str) -> str:
    """Which merged label a column sits under: "organization", "office" or "" (none)."""
    if not label:
        return ""
    if label in _GROUPS["office"] or "事務所" in label or "office" in label:
        return "office"
    if label in _GROUPS["organization"] or "登録支援機関" in label or "organization" in label:
        return "organization"
    return ""


def _field_for(label: str, parent: str, taken: dict[str, int]) -> str:
    """The field a column fills, from its label and the merged label above it; ""."""
    candidates = [column for column in COLUMNS if label in _SYNONYMS[column.field]]
    group = _group_of(parent)
    for column in candidates:
        if column.field in taken:
            continue
        if not column.group or column.group == group:
            return column.field
    if not group:
        # no merged label to tell them apart: the organization's 名称 comes first
        for column in candidates:
            if column.field not in taken:
                return column.field
    return ""


def map_columns(top: Iterable[Any], sub: Iterable[Any] | None) -> dict[str, int]:
    """{field: column index} from the header's row(s).

    A merged cell holds its label in its first column only, so a label of the top row
    carries to the right over the columns that have a sub-label; a single-level column
    (merged down) has an empty sub-label and is known by its top label."""
    top = [normalise_label(value) for value in top]
    sub = [normalise_label(value) for value in (sub or ())]
    width = max(len(top), len(sub))
    top += [""] * (width - len(top))
    sub += [""] * (width - len(sub))
    mapping: dict[str, int] = {}
    parent = ""
    for index in range(width):
        if top[index]:
            parent = top[index]
        elif not sub[index]:
            parent = ""  # an empty column ends a merged group
        if sub[index]:
            label, above = sub[index], parent
        else:
            label, above = top[index], ""
        if label and (name := _field_for(label, above, mapping)):
            mapping[name] = index
    return mapping


# --- Values ------------------------------------------------------------------------------

_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−ーｰ─━﹣－", "-"))
_REGISTRATION_NUMBER = re.compile(r"(\d{2})登-(\d{6})")
_POSTCODE = re.compile(r"(\d{3})-?(\d{4})")
#: Japanese eras as the register writes them (name or initial): year 1 of each.
_ERAS = {"令和": 2019, "r": 2019, "平成": 1989, "h": 1989, "昭和": 1926, "s": 1926}
_ERA_DATE = re.compile(
    r"(令和|平成|昭和|[rhs])\s*(元|\d{1,2})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?"
)
_YMD = re.compile(r"(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*日?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MONTHS = {
    name: number
    for number, names in enumerate(
        ("january/jan", "february/feb", "march/mar", "april/apr", "may", "june/jun", "july/jul",
         "august/aug", "september/sep/sept", "october/oct", "november/nov", "december/dec"),
        start=1,
    )
    for name in names.split("/")
}  # fmt: skip
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.?\s*(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(\d{4})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s*[\s\-]\s*([a-z]+)\.?\s*[\s,\-]\s*(\d{4})")
#: A weekday in brackets after a date ("2019年4月1日(月)").
_WEEKDAY = re.compile(r"\s*\([^)]*\)\s*$")
#: What a start-of-support cell holds when there is no date to hold.
_NO_DATE = {"-", "--", "未定", "なし", "無し", "該当なし", "n/a", "na", "none", "tbd", "undecided"}
#: Excel day numbers from 1990 to 2100: a date cell that lost its date format.
_EXCEL_DAYS = range(32874, 73051)
_EXCEL_EPOCH = date(1899, 12, 30)


def clean_text(value: Any) -> str:
    """A cell as text: NFKC (full-width letters and digits to ASCII, half-width kana to
    full-width), whitespace and line breaks collapsed to single spaces."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime):
        text = value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    return " ".join(unicodedata.normalize("NFKC", text).split())


def parse_date(value: Any) -> date:
    """A date from an Excel date or from text as people type it: "2019/4/1",
    "2019-04-01", "2019年4月1日", "令和元年5月1日", "平成31年4月1日", "R1.5.1",
    "April 1, 2019", "1 April 2019", with full-width digits. ``ValueError`` otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if int(value) == value and int(value) in _EXCEL_DAYS:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError(value)
    text = _WEEKDAY.sub("", clean_text(value).casefold().translate(_DASHES)).strip()
    if match := _ERA_DATE.fullmatch(text):
        era, year, month, day = match.groups()
        year = 1 if year == "元" else int(year)
        return date(_ERAS[era] + year - 1, int(month), int(day))
    if match := _YMD.fullmatch(text) or _COMPACT.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
        return date(year, month, day)
    if match := _MONTH_DAY_YEAR.fullmatch(text):
        month, day, year = match.groups()
        if month in _MONTHS:
            return date(int(year), _MONTHS[month], int(day))
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        day, month, year = match.groups()
        if month in _MONTHS:
            return date(int(year), _MONTHS[month], int(day))
    raise ValueError(value)


def normalise_registration_number(value: Any) -> str:
    """ "１９登－０００１２３", "19登ｰ000123", "19 登‐000123" → "19登-000123"; the text as
    cleaned (for the message) when it is not of that form — check with
    ``is_registration_number``."""
    return "".join(clean_text(value).translate(_DASHES).split())


def is_registration_number(text: str) -> bool:
    return _REGISTRATION_NUMBER.fullmatch(text) is not None


def normalise_postcode(value: Any) -> str:
    """ "〒123-4567", "1234567", "１２３－４５６７" → "123-4567"; a number that lost its
    leading zero (0600001 typed into a number cell) is padded back; anything else is
    kept as written."""
    if isinstance(value, int | float) and not isinstance(value, bool) and int(value) == value:
        value = f"{int(value):07d}"
    text = "".join(clean_text(value).translate(_DASHES).replace("〒", "").split())
    if match := _POSTCODE.fullmatch(text):
        return f"{match.group(1)}-{match.group(2)}"
    return text


def _as_of(text: str) -> date | None:
    """The date of a date line ("令和7年10月31日現在", "As of October 31, 2025")."""
    text = clean_text(text).casefold()
    for word in ("現在", "時点", "as of", "as at", "current"):
        text = text.replace(word, "")
    try:
        return parse_date(text.strip(" ,:()"))
    except ValueError:
        return None


def _spaced(value: Any) -> str:
    """A text cell as written, whitespace and line breaks collapsed to single spaces."""
    if not isinstance(value, str):
        return clean_text(value)
    return " ".join(value.split())


@lru_cache(maxsize=8192)
def _languages(text: str) -> tuple[str, ...]:
    # a register repeats the same few cells ("英語、中国語") thousands of times
    return tuple(parse_languages(text)[0])


# --- Engines -----------------------------------------------------------------------------
# Each yields (sheet name, rows); a row is a list of cell values, the first row is the
# sheet's row 1 and an empty row is yielded too, so that row numbers are the sheet's.


def _openpyxl_sheets(data: bytes) -> Iterator[tuple[str, Iterator[Any]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            # Some exporters write a wrong <dimension> ("A1"): read every row there is.
            sheet.reset_dimensions()
            yield sheet.title, sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def _calamine_sheets(data: bytes) -> Iterator[tuple[str, Iterator[Any]]]:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        # iter_rows starts at the sheet's row 1 but at its first used column
        yield name, _shifted(sheet.iter_rows(), sheet.start[1] if sheet.start else 0)


def _shifted(rows: Iterator[list], columns: int) -> Iterator[list]:
    if not columns:
        yield from rows
        return
    padding = [None] * columns
    for row in rows:
        yield padding + row


_ENGINES: dict[str, Callable[[bytes], Iterator[tuple[str, Iterator[Any]]]]] = {
    "openpyxl": _openpyxl_sheets,
    "calamine": _calamine_sheets,
}


def _cell(row: Any, index: int) -> Any:
    """The value at ``index`` in the form both engines agree on: None for an empty cell,
    an int for a whole number, a date for a date without a time."""
    if index >= len(row):
        return None
    value = row[index]
    if value is None or value == "":
        return None
    if type(value) is float and value.is_integer():
        return int(value)
    if type(value) is datetime and value.time() == datetime.min.time():
        return value.date()
    return value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- The file ------------------------------------------------------------------------------


def _read_bytes(source: Any) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    if isinstance(source, str | PathLike):
        with open(source, "rb") as file:
            return file.read()
    if hasattr(source, "seek"):
        source.seek(0)
    data = source.read()
    if not isinstance(data, bytes):
        raise UnreadableRegister(_("The file could not be read."))
    return data


def _check_workbook(data: bytes) -> None:
    """Refuse, with a message an officer can act on, what is not an .xlsx workbook —
    looking at the bytes, not at the file's name."""
    if not data:
        raise UnreadableRegister(_("The file is empty."))
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise UnreadableRegister(
            _(
                "This is an Excel 97–2003 workbook (.xls) or a workbook protected by a password: "
                "open it in Excel and save it as an Excel workbook (.xlsx) without a password."
            )
        )
    if data.startswith(b"%PDF"):
        raise UnreadableRegister(
            _("This is a PDF document, not a workbook: upload the register as an Excel workbook (.xlsx).")
        )
    if not data.startswith(b"PK\x03\x04"):
        raise UnreadableRegister(
            _(
                "This file is not an Excel workbook (it may be a CSV or text file): "
                "upload the register as an Excel workbook (.xlsx)."
            )
        )
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile as error:
        raise UnreadableRegister(_("The workbook is damaged and cannot be opened.")) from error
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            raise UnreadableRegister(
                _("This is a binary Excel workbook (.xlsb): save it as an Excel workbook (.xlsx).")
            )
        raise UnreadableRegister(
            _(
                "This is a ZIP archive, not an Excel workbook: upload the register as an Excel workbook (.xlsx)."
            )
        )


def _guarded(rows: Iterator[Any]) -> Iterator[Any]:
    """The engine's rows, its failures (a damaged sheet) turned into UnreadableRegister."""
    iterator = iter(rows)
    while True:
        try:
            row = next(iterator)
        except StopIteration:
            return
        except Exception as error:
            raise UnreadableRegister(
                _("The workbook is damaged and cannot be read: %(reason)s") % {"reason": error}
            ) from error
        yield row


# --- The sheet -----------------------------------------------------------------------------

#: How a note under the table starts ("※ 登録の取消し…", "(注)", "Note: …").
_NOTE = re.compile(
    r"(?:※|\*|[(\[【〔](?:注|備考)|(?:注|備考)\s*(?:[)\]】〕:：\d]|\s)|notes?\s*[:：\d]|n\.b\.)"
)


@dataclass
class _Header:
    row: int  # 1-based
    top: list
    sub: list | None
    above: list[list]

    @property
    def data_start(self) -> int:
        return self.row + (2 if self.sub is not None else 1)


def _find_header(rows: Iterator[Any]) -> tuple[_Header, Iterator[Any]] | None:
    """The header in the first rows of a sheet, and the rows that follow it."""
    above: list[list] = []
    for row in rows:
        row = list(row)
        if any(isinstance(value, str) and normalise_label(value) in _NUMBER_LABELS for value in row):
            following = next(rows, None)
            if following is not None and _is_sub_header(list(following)):
                return _Header(len(above) + 1, row, list(following), above), rows
            pending = [] if following is None else [following]
            return _Header(len(above) + 1, row, None, above), _chain(pending, rows)
        above.append(row)
        if len(above) >= HEADER_SEARCH_ROWS:
            return None
    return None


def _chain(first: list, rest: Iterator[Any]) -> Iterator[Any]:
    yield from first
    yield from rest


def _is_sub_header(row: list) -> bool:
    labels = [normalise_label(value) for value in row if isinstance(value, str)]
    return any(label in _SUB_LABELS for label in labels) and not any(
        is_registration_number(normalise_registration_number(value)) for value in row if value
    )


def _is_note(present: list[tuple[int, Any]], number_column: int, in_notes: bool) -> bool:
    """A note under (or inside) the table, which is not a row of the register: it starts
    with a note mark, or it is a lone text in the first columns that is no registration
    number (a note's second line), or a lone text once the notes have begun."""
    index, first = present[0]
    if not isinstance(first, str):
        return False
    text = clean_text(first).casefold()
    if _NOTE.match(text):
        return True
    if len(present) > 1:
        return False
    if in_notes:
        return True
    looks_like_number = "登" in text or (
        len(text) <= 24 and re.fullmatch(r"[\d\s\-]+", text.translate(_DASHES))
    )
    return index <= number_column and not looks_like_number


def _column_label(name: str, edition: str) -> str:
    column = BY_FIELD[name]
    return column.ja if edition == "ja" else column.en


def read_register(
    source: Any, *, engine: str | None = None, progress: Callable[[int], Any] | None = None
) -> Reading:
    """Read the register from ``source`` (a path, a binary file object such as an
    uploaded file, or bytes).

    Returns every organization it could read and every row it could not, with the
    reason. Raises ``UnreadableRegister`` when the file is not a workbook, has no header
    with 登録番号 / Registration No. in the first 30 rows of any sheet, or its header lacks
    a required column. ``progress(done_rows)`` is called every 1,000 rows."""
    engine = engine or DEFAULT_ENGINE
    if engine not in _ENGINES:
        raise ValueError(f"unknown engine {engine!r}; one of {', '.join(ENGINES)}")
    data = _read_bytes(source)
    _check_workbook(data)
    digest = hashlib.sha256(data).hexdigest()
    missing: UnreadableRegister | None = None
    for sheet, rows in _guarded(_ENGINES[engine](data)):
        found = _find_header(_guarded(rows))
        if found is None:
            continue
        header, rest = found
        try:
            reading, columns = _start_reading(header, sheet, digest)
        except UnreadableRegister as error:
            missing = missing or error  # another sheet may hold the register
            continue
        _read_rows(reading, header, columns, rest, progress)
        return reading
    if missing is not None:
        raise missing
    raise UnreadableRegister(
        _(
            "No header with 登録番号 / Registration No. in the first %(rows)s rows of any sheet: "
            "is this the register of registered support organizations?"
        )
        % {"rows": HEADER_SEARCH_ROWS}
    )


def _start_reading(header: _Header, sheet: str, digest: str) -> tuple[Reading, dict[str, int]]:
    mapping = map_columns(header.top, header.sub)
    number_label = next(label for label in map(normalise_label, header.top) if label in _NUMBER_LABELS)
    edition = "en" if re.search(r"[a-z]", number_label) else "ja"
    missing = [column for column in COLUMNS if column.required and column.field not in mapping]
    if missing:
        raise UnreadableRegister(
            _("The header on row %(row)s of sheet “%(sheet)s” has no column “%(column)s”.")
            % {
                "row": header.row,
                "sheet": sheet,
                "column": "”, “".join(_column_label(column.field, edition) for column in missing),
            }
        )
    as_of, title = None, ""
    for row in header.above:
        for value in row:
            if _blank(value):
                continue
            if isinstance(value, date):
                as_of = as_of or parse_date(value)
            elif isinstance(value, str) and as_of is None and (found := _as_of(value)):
                as_of = found
            elif not title:
                title = clean_text(value)
    reading = Reading(
        edition=edition, as_of=as_of, title=title, header_row=header.row, sha256=digest, sheet=sheet
    )
    return reading, mapping


def _read_rows(
    reading: Reading,
    header: _Header,
    columns: dict[str, int],
    rows: Iterator[Any],
    progress: Callable[[int], Any] | None,
) -> None:
    number_column = columns["registration_number"]
    seen: dict[str, int] = {}
    shared: dict[str, str] = {}  # one str object for the many cells that repeat
    in_notes = repeated = False
    done = 0
    for done, row in enumerate(rows, start=1):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
        present = [(index, value) for index, value in enumerate(row) if not _blank(value)]
        if not present or _is_note(present, number_column, in_notes):
            in_notes = in_notes or bool(present)
            continue
        number_cell = _cell(row, number_column)
        if isinstance(number_cell, str) and normalise_label(number_cell) in _NUMBER_LABELS:
            repeated = True  # the header again, at the top of a printed page
            continue
        if repeated and header.sub is not None and _is_sub_header(list(row)):
            repeated = False  # and its second row
            continue
        repeated = False
        result = _read_row(header.data_start + done - 1, row, columns, seen, shared)
        if isinstance(result, RowError):
            reading.errors.append(result)
        else:
            reading.rows.append(result)
    if progress is not None:
        progress(done)


def _read_row(
    number: int, row: Any, columns: dict[str, int], seen: dict[str, int], shared: dict[str, str]
) -> RegisterRow | RowError:
    def cell(name: str) -> Any:
        index = columns.get(name)
        return None if index is None else _cell(row, index)

    def text(name: str) -> str:
        value = clean_text(cell(name))
        return shared.setdefault(value, value)

    problems: list[str] = []
    registration_number = normalise_registration_number(cell("registration_number"))
    if not registration_number:
        problems.append(_("no registration number"))
    elif not is_registration_number(registration_number):
        problems.append(
            _("registration number '%(value)s': not of the form YY登-NNNNNN") % {"value": registration_number}
        )
    elif registration_number in seen:
        problems.append(
            _("registration number '%(value)s': already on row %(row)s")
            % {"value": registration_number, "row": seen[registration_number]}
        )
    else:
        seen[registration_number] = number
    name = text("name")
    if not name:
        problems.append(_("no name"))
    registered_on = support_from = None
    raw = cell("registered_on")
    if raw is None:
        problems.append(_("no registration date"))
    else:
        try:
            registered_on = parse_date(raw)
        except ValueError:
            problems.append(_("registration date '%(value)s': not a date") % {"value": clean_text(raw)})
    raw = cell("support_from")
    if raw is not None and clean_text(raw).casefold() not in _NO_DATE:
        try:
            support_from = parse_date(raw)
        except ValueError:
            problems.append(
                _("scheduled start date of support '%(value)s': not a date") % {"value": clean_text(raw)}
            )
    if problems:
        return RowError(
            number, "; ".join(problems), registration_number if registration_number in seen else ""
        )
    address = text("address")
    # as written: only the whitespace is tidied ("，" stays "，"), the codes say the rest
    languages_text = _spaced(cell("languages"))
    languages_text = shared.setdefault(languages_text, languages_text)
    return RegisterRow(
        row=number,
        registration_number=registration_number,
        registered_on=registered_on,
        name=name,
        postcode=normalise_postcode(cell("postcode")),
        address=address,
        prefecture=prefecture_of(address),
        phone=clean_text(cell("phone")).translate(_DASHES),
        representative=text("representative"),
        office_name=text("office_name"),
        office_address=text("office_address"),
        support=text("support"),
        support_from=support_from,
        languages=_languages(languages_text),
        languages_text=languages_text,
        remarks=text("remarks"),
    )
