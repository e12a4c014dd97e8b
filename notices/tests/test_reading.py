"""Reading the register of registered support organizations (issue 12): workbooks shaped
like the Immigration Services Agency's, written by ``notices.register.testing``, read
back by ``read_register`` with both engines. No database is needed: the reader only
reads."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from notices.languages import SUPPORT_LANGUAGES, language_choices, parse_languages
from notices.prefectures import PREFECTURES, prefecture_choices, prefecture_name, prefecture_of
from notices.register.reading import (
    ENGINES,
    UnreadableRegister,
    normalise_postcode,
    normalise_registration_number,
    parse_date,
    read_register,
)
from notices.register.testing import DATE_STYLES, expected_fields, sample_rows, write_register


def workbook_bytes(rows, **options) -> tuple[bytes, object]:
    buffer = io.BytesIO()
    written = write_register(buffer, rows, **options)
    return buffer.getvalue(), written


def read(data: bytes, **options):
    return read_register(io.BytesIO(data), **options)


# --- Both editions, read whole ---------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("edition", ["ja", "en"])
def test_every_row_of_either_edition_is_read_as_written(edition, engine):
    rows = sample_rows(60, seed=3, edition=edition)
    data, written = workbook_bytes(rows, edition=edition)

    reading = read(data, engine=engine)

    assert reading.edition == edition
    assert reading.as_of == date(2025, 10, 31)
    assert (
        reading.title
        == {"ja": "登録支援機関登録簿", "en": "List of Registered Support Organizations"}[edition]
    )
    assert reading.header_row == written.header_row == 4  # date line, title, one blank line
    assert reading.sha256 == hashlib.sha256(data).hexdigest()
    assert reading.errors == []
    assert [row.row for row in reading.rows] == written.rows
    assert [row.fields() for row in reading.rows] == [expected_fields(row) for row in rows]


def test_the_sample_finds_tajik_workers_their_languages_and_many_prefectures():
    """The other helpers' tests lean on sample_rows having these."""
    rows = sample_rows(60, seed=3)
    assert any("ru" in row["languages"] for row in rows)
    assert any("tg" in row["languages"] for row in rows)
    assert any("ロシア語" in row["languages_text"] for row in rows)
    assert len({row["prefecture"] for row in rows}) >= 10
    assert len({row["registration_number"] for row in rows}) == 60


def test_fields_are_json_ready_and_leave_out_the_row_number():
    data, _written = workbook_bytes(sample_rows(3, seed=1))
    row = read(data).rows[1]

    fields = row.fields()

    assert "row" not in fields
    assert json.loads(json.dumps(fields, ensure_ascii=False)) == fields
    assert isinstance(fields["languages"], list) and fields["registered_on"] == row.registered_on.isoformat()


# --- Where the header is, and what it says --------------------------------------------------


def test_the_header_is_found_by_its_labels_below_blank_lines_and_behind_a_cover_sheet():
    rows = sample_rows(5, seed=2)
    data, written = workbook_bytes(rows, blank_lines_above=9, sheets_before=1)

    reading = read(data)

    assert written.header_row == 12
    assert reading.header_row == 12
    assert reading.sheet == "登録簿"
    assert [row.registration_number for row in reading.rows] == [row["registration_number"] for row in rows]
    assert reading.rows[0].row == 14


@pytest.mark.parametrize("engine", ENGINES)
def test_a_single_header_row_in_another_order_with_untidy_labels(engine):
    """Columns are known by their labels (NFKC, spaces, line breaks and footnote marks
    ignored), not by their places; a header repeated at a page break is skipped."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2025年10月31日現在"])
    sheet.append(
        ["対応可能\n言語", "氏名又は名称", "登録番号※", "ＴＥＬ", "所在地", "登録 年月日", "郵便番号"]
    )
    sheet.append(
        [
            "ロシア語、タジク語",
            "株式会社パミール",
            "２１登－００００４２",
            "03-1234-5678",
            "東京都港区",
            "2021/6/1",
            1000001,
        ]
    )
    sheet.append(["対応可能言語", "氏名又は名称", "登録番号", "TEL", "所在地", "登録年月日", "郵便番号"])
    sheet.append(
        [
            "英語",
            "大阪支援協同組合",
            "22登-000043",
            None,
            "大阪市北区",
            datetime(2022, 2, 3),
            "〒５３０－０００１",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)

    reading = read(buffer.getvalue(), engine=engine)

    assert reading.errors == []
    assert reading.as_of == date(2025, 10, 31)
    assert reading.header_row == 2
    first, second = reading.rows
    assert (first.row, first.registration_number, first.name, first.languages) == (
        3,
        "21登-000042",
        "株式会社パミール",
        ("ru", "tg"),
    )
    assert (first.phone, first.postcode, first.prefecture, first.registered_on) == (
        "03-1234-5678",
        "100-0001",  # a number cell that lost its leading zero
        "13",
        date(2021, 6, 1),
    )
    assert (second.row, second.registered_on, second.postcode, second.prefecture) == (
        5,
        date(2022, 2, 3),
        "530-0001",
        "27",
    )
    assert (second.office_name, second.support_from) == ("", None)


def test_a_two_row_header_repeated_at_a_page_break_is_skipped():
    rows = sample_rows(4, seed=11)
    buffer = io.BytesIO()
    written = write_register(buffer, rows[:3], trailing_notes=False)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    sheet = workbook.active
    for line in (written.header_row, written.header_row + 1):
        sheet.append([cell.value for cell in sheet[line]])
    last = rows[3]
    sheet.append([last["registration_number"], last["registered_on"], last["name"], None, last["address"]])
    sheet.cell(sheet.max_row, 12, last["languages_text"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    reading = read(buffer.getvalue())

    assert reading.errors == []
    assert [row.registration_number for row in reading.rows] == [row["registration_number"] for row in rows]
    assert reading.rows[-1].row == written.rows[-1] + 3


def test_the_organization_s_name_and_address_are_told_from_the_office_s_by_the_label_above():
    rows = sample_rows(30, seed=5)
    rows = [row for row in rows if row["office_name"] != row["name"]][:3]
    assert rows, "the sample has branch offices"
    data, _written = workbook_bytes(rows)

    for row, read_row in zip(rows, read(data).rows, strict=True):
        assert (read_row.name, read_row.address) == (row["name"], row["address"])
        assert (read_row.office_name, read_row.office_address) == (row["office_name"], row["office_address"])
        assert read_row.office_name != read_row.name


# --- What people type ---------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_full_width_digits_and_assorted_dashes_are_read_as_ascii(engine):
    rows = sample_rows(12, seed=4)
    data, _written = workbook_bytes(rows, fullwidth=True, date_style="mixed")
    archive = zipfile.ZipFile(io.BytesIO(data))
    raw = "".join(archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml"))
    assert "１９登" in raw and "ｰ" in raw and "〒" in raw  # the workbook really has them

    reading = read(data, engine=engine)

    assert reading.errors == []
    assert [row.fields() for row in reading.rows] == [expected_fields(row) for row in rows]


@pytest.mark.parametrize("style", [*DATE_STYLES, "mixed"])
def test_dates_as_excel_dates_text_and_era_text(style):
    rows = sample_rows(16, seed=6)
    data, _written = workbook_bytes(rows, date_style=style)

    reading = read(data)

    assert reading.errors == []
    assert [(row.registered_on, row.support_from) for row in reading.rows] == [
        (row["registered_on"], row["support_from"]) for row in rows
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019/4/1", date(2019, 4, 1)),
        ("2019-04-01", date(2019, 4, 1)),
        ("2019年4月1日", date(2019, 4, 1)),
        ("２０１９年４月１日", date(2019, 4, 1)),
        ("2019年4月1日(月)", date(2019, 4, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("令和7年10月31日", date(2025, 10, 31)),
        ("平成31年4月1日", date(2019, 4, 1)),
        ("R1.5.1", date(2019, 5, 1)),
        ("Ｒ０１．０５．０１", date(2019, 5, 1)),
        ("H30.12.3", date(2018, 12, 3)),
        ("April 1, 2019", date(2019, 4, 1)),
        ("Apr. 1, 2019", date(2019, 4, 1)),
        ("1 April 2019", date(2019, 4, 1)),
        (datetime(2019, 4, 1, 0, 0), date(2019, 4, 1)),
        (date(2020, 2, 29), date(2020, 2, 29)),
        (43556, date(2019, 4, 1)),  # an Excel day number whose cell lost its date format
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value", ["2019/13/45", "来月頃", "R1.13.1", "Smarch 1, 2019", "", 12, "19登-000001"]
)
def test_parse_date_refuses_what_is_no_date(value):
    with pytest.raises(ValueError):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("１９登－０００１２３", "19登-000123"),
        ("19登ｰ000123", "19登-000123"),
        ("19登‐000123", "19登-000123"),
        (" 19 登 − 000123 ", "19登-000123"),
    ],
)
def test_registration_numbers_are_normalised(value, expected):
    assert normalise_registration_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("〒123-4567", "123-4567"),
        ("1234567", "123-4567"),
        ("〒１２３－４５６７", "123-4567"),
        (600001, "060-0001"),
    ],
)
def test_postcodes_are_normalised(value, expected):
    assert normalise_postcode(value) == expected


# --- Lines that are not organizations, and rows that cannot be read ------------------------


def test_empty_lines_and_trailing_notes_are_not_errors():
    rows = sample_rows(20, seed=7)
    data, written = workbook_bytes(rows, blank_every=3, trailing_notes=True)
    assert len(written.notes) == 3

    reading = read(data)

    assert reading.errors == []
    assert [row.row for row in reading.rows] == written.rows
    assert written.rows[-1] - written.rows[0] > len(rows)  # the empty lines are there


@pytest.mark.parametrize("engine", ENGINES)
def test_damaged_rows_are_reported_with_their_row_numbers_and_the_rest_is_read(engine):
    rows = sample_rows(30, seed=8)
    damage = {2: "number", 5: "date", 9: "name", 12: "duplicate", 20: "missing_number", 25: "support_from"}
    data, written = workbook_bytes(rows, damaged=damage, blank_every=7, fullwidth=True)

    reading = read(data, engine=engine)

    sheet_row = dict(zip(range(len(rows)), written.rows, strict=True))
    assert [error.row for error in reading.errors] == [sheet_row[index] for index in sorted(damage)]
    reasons = [error.reason for error in reading.errors]
    assert reasons == [
        "registration number '19-123': not of the form YY登-NNNNNN",
        "registration date '2019/13/45': not a date",
        "no name",
        f"registration number '{rows[11]['registration_number']}': already on row {sheet_row[11]}",
        "no registration number",
        "scheduled start date of support '来月頃': not a date",
    ]
    # a damaged row with a good number still names it: that organization was not removed
    assert [error.registration_number for error in reading.errors] == [
        "",
        rows[5]["registration_number"],
        rows[9]["registration_number"],
        rows[11]["registration_number"],
        "",
        rows[25]["registration_number"],
    ]
    readable = [index for index in range(len(rows)) if index not in damage]
    assert [row.row for row in reading.rows] == [sheet_row[index] for index in readable]
    assert [row.fields() for row in reading.rows] == [expected_fields(rows[index]) for index in readable]


def test_a_row_without_its_number_is_an_error_even_if_its_name_reads_like_a_note():
    rows = sample_rows(3, seed=12)
    rows[1]["name"] = "注文住宅サポート株式会社"  # 注 starts a note: "注1", "(注)", not this
    data, written = workbook_bytes(rows, damaged={1: "missing_number"})

    reading = read(data)

    assert [(error.row, error.reason) for error in reading.errors] == [
        (written.rows[1], "no registration number")
    ]
    assert len(reading.rows) == 2


@pytest.mark.parametrize("edition", ["ja", "en"])
def test_both_engines_give_the_same_reading(edition):
    rows = sample_rows(80, seed=9, edition=edition)
    data, _written = workbook_bytes(
        rows,
        edition=edition,
        damaged=range(3, 80, 11),
        fullwidth=True,
        date_style="mixed",
        blank_every=9,
        blank_lines_above=3,
    )

    readings = [read(data, engine=engine) for engine in ENGINES]

    assert readings[0] == readings[1]
    assert len(readings[0].rows) == 80 - 7 and len(readings[0].errors) == 7


def test_progress_is_reported_every_thousand_rows():
    rows = sample_rows(2500, seed=10)
    data, written = workbook_bytes(rows)
    calls = []

    reading = read(data, progress=calls.append)

    assert len(reading.rows) == 2500
    assert calls[:2] == [1000, 2000]
    assert calls[-1] == written.notes[-1] - written.header_row - 1  # every row after the header


# --- Files that are not the register -------------------------------------------------------


def _zip(names) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        ("登録番号,氏名又は名称\n19登-000001,株式会社\n".encode(), "CSV"),
        (b"%PDF-1.7\n...", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
        (_zip(["word/document.xml"]), "ZIP archive"),
        (_zip(["xl/workbook.bin"]), ".xlsb"),
        (b"PK\x03\x04 but not really a zip", "damaged"),
        (_zip(["[Content_Types].xml", "xl/workbook.xml"]), "damaged"),  # the engine fails
    ],
)
@pytest.mark.parametrize("engine", ENGINES)
def test_what_is_not_a_workbook_is_refused_politely(data, words, engine):
    with pytest.raises(UnreadableRegister) as refused:
        read(data, engine=engine)
    assert words in str(refused.value)


def test_an_uploaded_file_is_read_and_a_bad_one_refused():
    data, _written = workbook_bytes(sample_rows(2, seed=1))
    upload = SimpleUploadedFile("register.xlsx", data)
    upload.read(10)  # a view may have looked at it already

    assert len(read_register(upload).rows) == 2

    with pytest.raises(UnreadableRegister):
        read_register(SimpleUploadedFile("register.xlsx", b"id,name\n1,x\n"))


def test_a_workbook_without_the_header_is_refused():
    workbook = Workbook()
    sheet = workbook.active
    for number in range(40):
        sheet.append([f"line {number}", "氏名又は名称", "住所"])
    sheet.append(["登録番号", "氏名又は名称"])  # too far down to be the register's header
    buffer = io.BytesIO()
    workbook.save(buffer)

    with pytest.raises(UnreadableRegister) as refused:
        read(buffer.getvalue())

    assert "登録番号 / Registration No." in str(refused.value)
    assert "30" in str(refused.value)


@pytest.mark.parametrize(
    ("edition", "omitted", "named"),
    [
        ("ja", ("languages_text",), "“対応可能言語”"),
        ("ja", ("registered_on", "address"), "“登録年月日”, “住所”"),
        ("en", ("name",), "“Name”"),
    ],
)
def test_a_header_without_a_required_column_names_it(edition, omitted, named):
    data, _written = workbook_bytes(
        sample_rows(3, seed=1, edition=edition), edition=edition, omit_columns=omitted
    )

    with pytest.raises(UnreadableRegister) as refused:
        read(data)

    assert f"has no column {named}" in str(refused.value)


def test_optional_columns_may_be_missing():
    rows = sample_rows(3, seed=1)
    data, _written = workbook_bytes(rows, omit_columns=("phone", "remarks", "support_from"))

    reading = read(data)

    assert reading.errors == []
    assert [(row.phone, row.remarks, row.support_from) for row in reading.rows] == [("", "", None)] * 3
    assert [row.address for row in reading.rows] == [row["address"] for row in rows]


# --- Prefectures and languages -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "code"),
    [
        ("東京都新宿区西新宿2-8-1", "13"),
        ("京都府京都市中京区寺町通", "26"),
        ("東京都港区京都ビル3階", "13"),  # 京都 inside a Tokyo address
        ("京都市下京区烏丸通", "26"),  # 京都 without 府
        ("〒１６０－００２２ 東京都新宿区", "13"),
        ("大阪市北区梅田1-1", "27"),  # a designated city, no prefecture
        ("横浜市中区本町", "14"),
        ("神奈川県横浜市", "14"),
        ("北海道札幌市中央区", "01"),
        ("1-2-3 Nishi-Shinjuku, Shinjuku-ku, Tokyo 160-0022", "13"),
        ("Osaka-fu", "27"),
        ("1-1 Umeda, Kita-ku, Osaka", "27"),
        ("1-1 Umeda, Kita-ku, Osaka-shi", "27"),  # the city, in Osaka prefecture
        ("2-2 Fukushima, Fukushima-ku, Osaka-shi, Osaka 553-0003", "27"),  # a ward named like Fukushima
        ("Aichi Prefecture", "23"),
        ("3-1 Sakae, Naka-ku, Nagoya-shi, Aichi Prefecture 460-0008", "23"),
        ("5-1 Kano-cho, Chuo-ku, Kobe, Hyogo-ken", "28"),
        ("Kyoto-fu", "26"),
        ("Tōkyō", "13"),
        ("", ""),
        ("Dushanbe, Rudaki Avenue 10", ""),
        ("新宿区西新宿", ""),
    ],
)
def test_prefecture_of(address, code):
    assert prefecture_of(address) == code


def test_prefecture_reference_data():
    assert [prefecture.code for prefecture in PREFECTURES] == [f"{number:02d}" for number in range(1, 48)]
    assert len({prefecture.ja for prefecture in PREFECTURES}) == 47
    assert prefecture_choices("ru")[12] == ("13", "Токио")
    assert [code for code, _name in prefecture_choices("en")] == sorted(
        code for code, _name in prefecture_choices("en")
    )
    assert (prefecture_name("26", "ja"), prefecture_name("26", "en"), prefecture_name("27", "tg")) == (
        "京都府",
        "Kyoto",
        "Осака",
    )
    assert prefecture_name("48", "en") == prefecture_name("", "en") == ""


@pytest.mark.parametrize(
    ("cell", "codes", "unknown"),
    [
        ("英語、中国語・ベトナム語", ["en", "vi", "zh"], []),
        ("ロシア語／タジク語", ["ru", "tg"], []),
        ("Russian, Chinese; Tajik", ["ru", "tg", "zh"], []),
        ("英語 中国語", ["en", "zh"], []),
        ("ミャンマー語(ビルマ語)、ビルマ語", ["my"], []),
        ("中国語（簡体字）、韓国・朝鮮語", ["ko", "zh"], []),
        ("タガログ語，フィリピノ語\nネパール語", ["ne", "tl"], []),
        ("ｲﾝﾄﾞﾈｼｱ語 ; ｸﾒｰﾙ語", ["id", "km"], []),
        ("英語等、その他", ["en"], ["その他"]),
        ("English language, Brazilian Portuguese", ["en", "pt"], ["Brazilian"]),
        ("ウルドゥー語・ペルシャ語・ダリー語", ["fa", "ur"], []),
        ("", [], []),
    ],
)
def test_parse_languages(cell, codes, unknown):
    assert parse_languages(cell) == (codes, unknown)


def test_language_reference_data():
    codes = [language.code for language in SUPPORT_LANGUAGES]
    assert len(codes) == len(set(codes))
    assert all(len(code) == 2 for code in codes)
    assert ("tg", "Tajik") in language_choices("en")
    assert ("ru", "Русский") in language_choices("ru")
    assert ("tg", "Тоҷикӣ") in language_choices("tg")
    assert language_choices("ja")[0] == ("en", "英語")
