"""Workbooks shaped like the Immigration Services Agency's register, for tests and
benchmarks: a date line and a title above the table, two header rows with merged cells,
one organization a row, empty lines, notes at the end — in the Japanese or the English
edition, with the damage and the typing habits the reader must cope with.

``sample_rows(n, seed)`` gives plausible organizations as dicts keyed like
``RegisterRow.fields()`` (dates as ``date``), ``write_register`` writes them::

    rows = sample_rows(20, seed=1)
    written = write_register(tmp_path / "register.xlsx", rows, damaged={3: "date"})
    reading = read_register(tmp_path / "register.xlsx")
    assert [error.row for error in reading.errors] == list(written.damaged)

The sheet is written with openpyxl's write-only mode so that a 100,000-row register
takes seconds and little memory (bench/register_reading.py).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import cycle
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.cell_range import CellRange

from notices.languages import parse_languages
from notices.prefectures import BY_CODE

#: The register's columns in order: (field, Japanese label, English label, merged label
#: above it or "" for a single-level column). Labels carry the line breaks and spaces
#: the published workbook has, which the reader must see through.
LAYOUT = (
    ("registration_number", "登録番号", "Registration No.", ""),
    ("registered_on", "登録\n年月日", "Date of\nregistration", ""),
    ("name", "氏名又は名称", "Name", "organization"),
    ("postcode", "郵便番号", "Postal code", "organization"),
    ("address", "住所", "Address", "organization"),
    ("phone", "電話番号", "Telephone", "organization"),
    ("representative", "代表者名", "Representative", "organization"),
    ("office_name", "名称", "Name", "office"),
    ("office_address", "所在地", "Address", "office"),
    ("support", "支援業務の内容", "Support services", ""),
    ("support_from", "支援業務の\n開始予定年月日", "Scheduled start date\nof support", ""),
    ("languages_text", "対応可能言語", "Supported languages", ""),
    ("remarks", "備考", "Remarks", ""),
)
GROUP_LABELS = {
    "ja": {"organization": "登録支援機関", "office": "支援業務を行う事務所"},
    "en": {"organization": "Registered support organization", "office": "Office providing support"},
}
TITLES = {"ja": "登録支援機関登録簿", "en": "List of Registered Support Organizations"}
NOTES = {
    "ja": (
        "※ 登録の取消しを受けた登録支援機関及び登録を抹消した登録支援機関は掲載していません。",
        "※ 支援業務の開始予定年月日は、登録申請時のものです。",
        "本登録簿に関するお問い合わせは、最寄りの地方出入国在留管理局へお願いします。",
    ),
    "en": (
        "Note: Organizations whose registration has been revoked or cancelled are not listed.",
        "* The scheduled start date of support is as stated in the application.",
        "For inquiries, contact the nearest Regional Immigration Services Bureau.",
    ),
}
#: What ``damaged`` can do to a row, and what the reader must say about it.
DAMAGE_KINDS = ("number", "date", "name", "duplicate", "missing_number", "support_from")
DATE_STYLES = ("excel", "slash", "iso", "kanji", "era", "era_short", "english")

_FULLWIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")
_FULLWIDTH_DASHES = cycle(("－", "ｰ", "‐", "−"))
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass
class WrittenRegister:
    """Where things went: the header's first row, the sheet row of each given row, and
    the sheet rows damaged (row → kind), in order."""

    header_row: int
    rows: list[int] = field(default_factory=list)
    damaged: dict[int, str] = field(default_factory=dict)
    notes: list[int] = field(default_factory=list)


def _era(day: date, short: bool = False) -> str:
    if day >= date(2019, 5, 1):
        era, initial, year = "令和", "R", day.year - 2018
    else:
        era, initial, year = "平成", "H", day.year - 1988
    if short:
        return f"{initial}{year}.{day.month}.{day.day}"
    return f"{era}{'元' if year == 1 else year}年{day.month}月{day.day}日"


def format_date(day: date, style: str) -> Any:
    """``day`` as the register may hold it: an Excel date ("excel") or text."""
    if style == "excel":
        return day
    return {
        "slash": lambda: f"{day.year}/{day.month}/{day.day}",
        "iso": lambda: day.isoformat(),
        "kanji": lambda: f"{day.year}年{day.month}月{day.day}日",
        "era": lambda: _era(day),
        "era_short": lambda: _era(day, short=True),
        "english": lambda: f"{_MONTHS[day.month - 1]} {day.day}, {day.year}",
    }[style]()


def _fullwidth(text: str) -> str:
    return text.translate(_FULLWIDTH)


def _fullwidth_number(number: str) -> str:
    head, _, tail = number.partition("登-")
    return f"{_fullwidth(head)}登{next(_FULLWIDTH_DASHES)}{_fullwidth(tail)}"


def _cell(name: str, value: Any, *, index: int, date_style: str, fullwidth: bool) -> Any:
    if value is None or value == "":
        return None
    if name in {"registered_on", "support_from"} and isinstance(value, date):
        style = DATE_STYLES[index % len(DATE_STYLES)] if date_style == "mixed" else date_style
        value = format_date(value, style)
        return _fullwidth(value) if fullwidth and isinstance(value, str) else value
    if not fullwidth or not isinstance(value, str):
        return value
    if name == "registration_number":
        return _fullwidth_number(value) if "登-" in value else _fullwidth(value)
    if name == "postcode":
        return "〒" + _fullwidth(value)
    if name == "phone":
        return _fullwidth(value)
    return value


def _damage(kind: str, values: dict[str, Any], previous_number: str) -> None:
    if kind == "number":
        values["registration_number"] = "19-123"
    elif kind == "date":
        values["registered_on"] = "2019/13/45"
    elif kind == "name":
        values["name"] = None
    elif kind == "duplicate":
        values["registration_number"] = previous_number
    elif kind == "missing_number":
        values["registration_number"] = None
    elif kind == "support_from":
        values["support_from"] = "来月頃"
    else:
        raise ValueError(f"unknown damage {kind!r}; one of {DAMAGE_KINDS}")


def write_register(
    path_or_buffer: Any,
    rows: Sequence[Mapping[str, Any]],
    *,
    edition: str = "ja",
    as_of: date | None = date(2025, 10, 31),
    damaged: Mapping[int, str] | Iterable[int] = (),
    trailing_notes: bool = True,
    fullwidth: bool = False,
    date_style: str = "excel",
    blank_lines_above: int = 1,
    blank_every: int = 0,
    omit_columns: Iterable[str] = (),
    sheets_before: int = 0,
) -> WrittenRegister:
    """Write ``rows`` (dicts keyed like ``RegisterRow.fields()``; a date as ``date`` is
    written as ``date_style`` says — "excel", "slash", "iso", "kanji", "era",
    "era_short", "english" or "mixed" — and any other value as it is) as the register.

    ``damaged``: {index in ``rows``: kind} or indexes (kinds taken in turn from
    ``DAMAGE_KINDS``). ``fullwidth`` types numbers, postcodes, phones and text dates in
    full-width digits and assorted dashes. ``blank_lines_above`` blank rows between the
    title and the header; an empty row after every ``blank_every`` rows; ``omit_columns``
    leaves columns out (to test a header without them); ``sheets_before`` puts sheets
    with no register in front (a cover page)."""
    if not isinstance(damaged, Mapping):
        damaged = dict(zip(damaged, cycle(DAMAGE_KINDS), strict=False))
    omitted = set(omit_columns)
    layout = [column for column in LAYOUT if column[0] not in omitted]
    workbook = Workbook(write_only=True)
    for number in range(sheets_before):
        cover = workbook.create_sheet(f"表紙{number + 1}" if edition == "ja" else f"Cover {number + 1}")
        cover.append([TITLES[edition]])
        cover.append(["出入国在留管理庁" if edition == "ja" else "Immigration Services Agency"])
    sheet = workbook.create_sheet("登録簿" if edition == "ja" else "Register")
    line = 0

    def append(values: list) -> int:
        nonlocal line
        sheet.append(values)
        line += 1
        return line

    if as_of is not None:
        append([f"{_era(as_of)}現在" if edition == "ja" else f"As of {format_date(as_of, 'english')}"])
    append([TITLES[edition]])
    for _ in range(blank_lines_above):
        append([])
    label = 1 if edition == "ja" else 2
    top, sub = [], []
    for index, (_name, *labels, group) in enumerate(layout):
        if group:
            first = index == 0 or layout[index - 1][3] != group
            top.append(GROUP_LABELS[edition][group] if first else None)
            sub.append(labels[label - 1])
        else:
            top.append(labels[label - 1])
            sub.append(None)
    header = append(top)
    append(sub)
    written = WrittenRegister(header_row=header)
    for index, (_name, *_labels, group) in enumerate(layout, start=1):
        if not group:
            sheet.merged_cells.add(
                CellRange(min_col=index, max_col=index, min_row=header, max_row=header + 1)
            )
        elif index == 1 or layout[index - 2][3] != group:
            last = index
            while last < len(layout) and layout[last][3] == group:
                last += 1
            sheet.merged_cells.add(CellRange(min_col=index, max_col=last, min_row=header, max_row=header))

    previous_number = ""
    for index, row in enumerate(rows):
        values = dict(row)
        if index in damaged:
            _damage(damaged[index], values, previous_number)
        cells = [
            _cell(name, values.get(name), index=index, date_style=date_style, fullwidth=fullwidth)
            for name, *_rest in layout
        ]
        written.rows.append(append(cells))
        if index in damaged:
            written.damaged[line] = damaged[index]
        previous_number = row.get("registration_number", "")
        if blank_every and (index + 1) % blank_every == 0:
            append([])
    if trailing_notes:
        append([])
        for note in NOTES[edition]:
            written.notes.append(append([note]))
    workbook.save(path_or_buffer)
    return written


# --- Plausible organizations ------------------------------------------------------------------

_FORMS_JA = ("株式会社", "有限会社", "一般社団法人", "協同組合", "行政書士法人", "合同会社")
_FORMS_EN = ("Co., Ltd.", "Inc.", "General Incorporated Association", "Cooperative", "LLC")
_CORES = (
    ("さくら", "Sakura"),
    ("ひかり", "Hikari"),
    ("アジア", "Asia"),
    ("グローバル", "Global"),
    ("みらい", "Mirai"),
    ("ふじ", "Fuji"),
    ("やまと", "Yamato"),
    ("サンライズ", "Sunrise"),
    ("東洋", "Toyo"),
    ("国際", "Kokusai"),
    ("ユニオン", "Union"),
    ("ブリッジ", "Bridge"),
    ("シルクロード", "Silk Road"),
    ("パミール", "Pamir"),
    ("絆", "Kizuna"),
    ("青空", "Aozora"),
)
_TRADES = (
    ("人材サポート", "Human Resources Support"),
    ("国際交流", "International Exchange"),
    ("キャリア", "Career"),
    ("ビジネスサービス", "Business Service"),
    ("支援センター", "Support Center"),
    ("マネジメント", "Management"),
    ("ワークス", "Works"),
)
#: Prefectures by how many organizations they hold (roughly as in the real register),
#: with a few municipalities each; the rest get "<stem>市".
_PLACES = {
    "13": (
        ("新宿区", "Shinjuku-ku"),
        ("千代田区", "Chiyoda-ku"),
        ("港区", "Minato-ku"),
        ("豊島区", "Toshima-ku"),
    ),
    "27": (
        ("大阪市北区", "Kita-ku, Osaka-shi"),
        ("大阪市中央区", "Chuo-ku, Osaka-shi"),
        ("堺市堺区", "Sakai-ku, Sakai-shi"),
    ),
    "23": (("名古屋市中区", "Naka-ku, Nagoya-shi"), ("豊田市", "Toyota-shi"), ("岡崎市", "Okazaki-shi")),
    "14": (("横浜市中区", "Naka-ku, Yokohama-shi"), ("川崎市川崎区", "Kawasaki-ku, Kawasaki-shi")),
    "40": (("福岡市博多区", "Hakata-ku, Fukuoka-shi"), ("北九州市小倉北区", "Kokurakita-ku, Kitakyushu-shi")),
    "26": (("京都市下京区", "Shimogyo-ku, Kyoto-shi"), ("宇治市", "Uji-shi")),
    "01": (("札幌市中央区", "Chuo-ku, Sapporo-shi"), ("旭川市", "Asahikawa-shi")),
    "28": (("神戸市中央区", "Chuo-ku, Kobe-shi"), ("姫路市", "Himeji-shi")),
    "11": (("さいたま市大宮区", "Omiya-ku, Saitama-shi"), ("川口市", "Kawaguchi-shi")),
    "12": (("千葉市中央区", "Chuo-ku, Chiba-shi"), ("船橋市", "Funabashi-shi")),
}
_WEIGHTS = {"13": 20, "27": 9, "23": 8, "14": 6, "40": 5, "26": 3, "01": 3, "28": 4, "11": 4, "12": 4}
_TOWNS = (("本町", "Honmachi"), ("中央", "Chuo"), ("栄", "Sakae"), ("駅前", "Ekimae"), ("緑町", "Midoricho"))
_PEOPLE = (
    ("山田 太郎", "Taro Yamada"),
    ("佐藤 花子", "Hanako Sato"),
    ("鈴木 一郎", "Ichiro Suzuki"),
    ("高橋 美咲", "Misaki Takahashi"),
    ("グエン ヴァン アン", "Nguyen Van An"),
    ("ラフモノフ ファルフ", "Farrukh Rakhmonov"),
)
_TITLES = (("代表取締役", ""), ("理事長", ""), ("代表理事", ""), ("代表社員", ""))
_SUPPORT = (
    ("全部の支援業務", "All support services"),
    (
        "事前ガイダンス、出入国する際の送迎、住居確保・生活に必要な契約支援、生活オリエンテーション",
        "Guidance, pick-up, housing, orientation",
    ),
    (
        "相談・苦情への対応、日本語学習の機会の提供、定期的な面談・行政機関への通報",
        "Consultation, Japanese lessons, regular interviews",
    ),
)
#: Languages of support, by how often the register lists them.
_LANGUAGES = (
    ("英語", "English", 40),
    ("中国語", "Chinese", 25),
    ("ベトナム語", "Vietnamese", 35),
    ("インドネシア語", "Indonesian", 15),
    ("タガログ語", "Tagalog", 12),
    ("ネパール語", "Nepali", 8),
    ("ミャンマー語", "Burmese", 10),
    ("タイ語", "Thai", 5),
    ("クメール語", "Khmer", 4),
    ("モンゴル語", "Mongolian", 3),
    ("韓国語", "Korean", 4),
    ("ウズベク語", "Uzbek", 2),
    ("ポルトガル語", "Portuguese", 2),
    ("スペイン語", "Spanish", 2),
    ("シンハラ語", "Sinhala", 2),
    ("ベンガル語", "Bengali", 1),
    ("ロシア語", "Russian", 2),
    ("タジク語", "Tajik", 1),
    ("キルギス語", "Kyrgyz", 1),
)
_SEPARATORS = {"ja": ("、", "・", "，", "/"), "en": (", ", ", ", "; ", "/")}


def _prefecture(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return rng.choices(list(_WEIGHTS), weights=list(_WEIGHTS.values()))[0]
    return f"{rng.randint(1, 47):02d}"


def _address(rng: random.Random, code: str, edition: str) -> str:
    prefecture = BY_CODE[code]
    place_ja, place_en = rng.choice(_PLACES.get(code, ((f"{prefecture.stem}市", f"{prefecture.en}-shi"),)))
    town_ja, town_en = rng.choice(_TOWNS)
    block = f"{rng.randint(1, 5)}-{rng.randint(1, 20)}-{rng.randint(1, 30)}"
    if edition == "en":
        suffix = rng.choice(("", "", "-ken", " Prefecture")) if code not in {"13", "01", "26", "27"} else ""
        return f"{block} {town_en}, {place_en}, {prefecture.en}{suffix}"
    # a designated city is often written without its prefecture, as the reader must know
    if place_ja.startswith(("大阪市", "名古屋市", "横浜市", "川崎市", "堺市")) and rng.random() < 0.3:
        return f"{place_ja}{town_ja}{block}"
    building = rng.choice(("", "", f" {rng.choice(_CORES)[0]}ビル{rng.randint(2, 9)}階"))
    return f"{prefecture.ja}{place_ja}{town_ja}{block}{building}"


def _languages(rng: random.Random, index: int, edition: str) -> tuple[str, list[str]]:
    names = [(ja, en) for ja, en, _weight in _LANGUAGES]
    weights = [weight for _ja, _en, weight in _LANGUAGES]
    chosen = {rng.choices(names, weights=weights)[0] for _ in range(rng.randint(1, 4))}
    # a few organizations support Tajik workers in their languages, whatever n is
    if index % 25 == 1:
        chosen.add(("ロシア語", "Russian"))
    if index % 50 == 2:
        chosen.add(("タジク語", "Tajik"))
    ordered = sorted(chosen, key=names.index)
    words = [ja if edition == "ja" else en for ja, en in ordered]
    return rng.choice(_SEPARATORS[edition]).join(words), parse_languages(" ".join(words))[0]


def sample_rows(
    n: int, seed: int = 0, *, edition: str = "ja", as_of: date = date(2025, 10, 31)
) -> list[dict]:
    """``n`` plausible organizations, registered between April 2019 (the scheme's start)
    and ``as_of``, numbered in registration order; names in Japanese (or romanised for
    the English edition), addresses in many prefectures, languages of support including
    ロシア語/タジク語 for a few. Keys as ``RegisterRow.fields()``, dates as ``date``,
    ``prefecture`` and ``languages`` as the reader should find them."""
    rng = random.Random(seed)
    first = date(2019, 4, 1)
    span = (as_of - first).days
    days = sorted(rng.randint(0, span) for _ in range(n))
    rows = []
    for index, offset in enumerate(days):
        registered_on = first + timedelta(days=offset)
        code = _prefecture(rng)
        core_ja, core_en = rng.choice(_CORES)
        trade_ja, trade_en = rng.choice(_TRADES)
        if edition == "ja":
            form = rng.choice(_FORMS_JA)
            name = f"{form}{core_ja}{trade_ja}" if rng.random() < 0.5 else f"{core_ja}{trade_ja}{form}"
        else:
            name = f"{core_en} {trade_en} {rng.choice(_FORMS_EN)}"
        address = _address(rng, code, edition)
        person_ja, person_en = rng.choice(_PEOPLE)
        support_ja, support_en = rng.choice(_SUPPORT)
        languages_text, languages = _languages(rng, index, edition)
        branch = rng.random() < 0.3
        rows.append(
            {
                "registration_number": f"{registered_on.year % 100:02d}登-{index + 1:06d}",
                "registered_on": registered_on,
                "name": name,
                "postcode": f"{rng.randint(0, 999):03d}-{rng.randint(0, 9999):04d}",
                "address": address,
                "prefecture": code,
                "phone": f"0{rng.randint(3, 99)}-{rng.randint(100, 9999)}-{rng.randint(0, 9999):04d}",
                "representative": (f"{rng.choice(_TITLES)[0]} {person_ja}" if edition == "ja" else person_en),
                "office_name": (
                    (f"{name} 支店" if edition == "ja" else f"{name} Branch") if branch else name
                ),
                "office_address": _address(rng, _prefecture(rng), edition) if branch else address,
                "support": support_ja if edition == "ja" else support_en,
                "support_from": (
                    registered_on + timedelta(days=rng.randint(0, 60)) if rng.random() < 0.9 else None
                ),
                "languages": languages,
                "languages_text": languages_text,
                "remarks": rng.choice(
                    ("", "", "", "支援業務の一部を委託" if edition == "ja" else "Partly outsourced")
                ),
            }
        )
    return rows


def expected_fields(row: Mapping[str, Any]) -> dict:
    """A ``sample_rows`` row as ``RegisterRow.fields()`` gives it back."""
    values = dict(row)
    for name in ("registered_on", "support_from"):
        if isinstance(values.get(name), date):
            values[name] = values[name].isoformat()
    values["languages"] = list(values["languages"])
    return values
