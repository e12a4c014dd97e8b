"""The 47 prefectures of Japan as reference data, in the portal's four languages.

Codes are JIS X 0401 ("01" Hokkaido … "47" Okinawa), which the register's addresses do
not carry: ``prefecture_of`` finds the prefecture in an address as written, so the public
list of registered support organizations can be searched by prefecture.

Prefecture names are proper names, not interface strings: they are data here (one place,
as the glossary asks), not gettext messages. Russian follows the Polivanov transcription
Russian atlases use; the Tajik rendering is the same Cyrillic spelling (every letter in it
belongs to the Tajik alphabet) — working renderings to be confirmed by Tajik officers,
like the glossary's.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from portal.i18n import language_code


@dataclass(frozen=True)
class Prefecture:
    """One prefecture: its JIS X 0401 code and its name in each language."""

    code: str
    ja: str
    en: str
    ru: str
    tg: str

    @property
    def stem(self) -> str:
        """The Japanese name without 都/府/県 (北海道 keeps its 道: 北海 is not a name)."""
        return self.ja[:-1] if self.ja[-1] in "都府県" else self.ja

    def name(self, language: str | None = None) -> str:
        return getattr(self, language_code(language))


def _p(code: str, ja: str, en: str, ru: str, tg: str | None = None) -> Prefecture:
    return Prefecture(code, ja, en, ru, tg or ru)


PREFECTURES: list[Prefecture] = [
    _p("01", "北海道", "Hokkaido", "Хоккайдо"),
    _p("02", "青森県", "Aomori", "Аомори"),
    _p("03", "岩手県", "Iwate", "Иватэ"),
    _p("04", "宮城県", "Miyagi", "Мияги"),
    _p("05", "秋田県", "Akita", "Акита"),
    _p("06", "山形県", "Yamagata", "Ямагата"),
    _p("07", "福島県", "Fukushima", "Фукусима"),
    _p("08", "茨城県", "Ibaraki", "Ибараки"),
    _p("09", "栃木県", "Tochigi", "Тотиги"),
    _p("10", "群馬県", "Gunma", "Гумма"),
    _p("11", "埼玉県", "Saitama", "Сайтама"),
    _p("12", "千葉県", "Chiba", "Тиба"),
    _p("13", "東京都", "Tokyo", "Токио"),
    _p("14", "神奈川県", "Kanagawa", "Канагава"),
    _p("15", "新潟県", "Niigata", "Ниигата"),
    _p("16", "富山県", "Toyama", "Тояма"),
    _p("17", "石川県", "Ishikawa", "Исикава"),
    _p("18", "福井県", "Fukui", "Фукуи"),
    _p("19", "山梨県", "Yamanashi", "Яманаси"),
    _p("20", "長野県", "Nagano", "Нагано"),
    _p("21", "岐阜県", "Gifu", "Гифу"),
    _p("22", "静岡県", "Shizuoka", "Сидзуока"),
    _p("23", "愛知県", "Aichi", "Айти"),
    _p("24", "三重県", "Mie", "Миэ"),
    _p("25", "滋賀県", "Shiga", "Сига"),
    _p("26", "京都府", "Kyoto", "Киото"),
    _p("27", "大阪府", "Osaka", "Осака"),
    _p("28", "兵庫県", "Hyogo", "Хиого"),
    _p("29", "奈良県", "Nara", "Нара"),
    _p("30", "和歌山県", "Wakayama", "Вакаяма"),
    _p("31", "鳥取県", "Tottori", "Тоттори"),
    _p("32", "島根県", "Shimane", "Симанэ"),
    _p("33", "岡山県", "Okayama", "Окаяма"),
    _p("34", "広島県", "Hiroshima", "Хиросима"),
    _p("35", "山口県", "Yamaguchi", "Ямагути"),
    _p("36", "徳島県", "Tokushima", "Токусима"),
    _p("37", "香川県", "Kagawa", "Кагава"),
    _p("38", "愛媛県", "Ehime", "Эхимэ"),
    _p("39", "高知県", "Kochi", "Коти"),
    _p("40", "福岡県", "Fukuoka", "Фукуока"),
    _p("41", "佐賀県", "Saga", "Сага"),
    _p("42", "長崎県", "Nagasaki", "Нагасаки"),
    _p("43", "熊本県", "Kumamoto", "Кумамото"),
    _p("44", "大分県", "Oita", "Оита"),
    _p("45", "宮崎県", "Miyazaki", "Миядзаки"),
    _p("46", "鹿児島県", "Kagoshima", "Кагосима"),
    _p("47", "沖縄県", "Okinawa", "Окинава"),
]

BY_CODE: dict[str, Prefecture] = {prefecture.code: prefecture for prefecture in PREFECTURES}


def prefecture_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name in ``language``) for a drop-down, in JIS order (north to south, the
    order every Japanese list uses — alphabetical order would scatter them)."""
    return [(prefecture.code, prefecture.name(language)) for prefecture in PREFECTURES]


def prefecture_name(code: str, language: str | None = None) -> str:
    """The prefecture's name in ``language`` (the active one by default); "" for an
    unknown or empty code."""
    prefecture = BY_CODE.get(code)
    return prefecture.name(language) if prefecture else ""


# --- Finding the prefecture in an address ------------------------------------------------

#: Cities designated by government ordinance: an address often starts with one and leaves
#: the prefecture out ("横浜市中区…"); their names are unique, so they tell the prefecture.
_DESIGNATED_CITIES = {
    "札幌市": "01",
    "仙台市": "04",
    "さいたま市": "11",
    "千葉市": "12",
    "横浜市": "14",
    "川崎市": "14",
    "相模原市": "14",
    "新潟市": "15",
    "静岡市": "22",
    "浜松市": "22",
    "名古屋市": "23",
    "京都市": "26",
    "大阪市": "27",
    "堺市": "27",
    "神戸市": "28",
    "岡山市": "33",
    "広島市": "34",
    "北九州市": "40",
    "福岡市": "40",
    "熊本市": "43",
}
_DESIGNATED_CITIES_EN = {
    "sapporo": "01",
    "sendai": "04",
    "yokohama": "14",
    "kawasaki": "14",
    "sagamihara": "14",
    "hamamatsu": "22",
    "nagoya": "23",
    "sakai": "27",
    "kobe": "28",
    "kitakyushu": "40",
}
#: Other romanisations seen in addresses (long vowels written out, older spellings).
_ENGLISH_VARIANTS = {
    "01": ("hokkaidou",),
    "10": ("gumma",),
    "13": ("toukyou", "tokio"),
    "26": ("kyouto",),
    "27": ("oosaka", "ohsaka"),
    "28": ("hyougo",),
    "39": ("kouchi",),
    "44": ("ooita", "ohita"),
}
_POSTCODE_PREFIX = re.compile(r"^\s*(?:〒\s*)?(?:\d{3}\s*-?\s*\d{4})?\s*(?:日本国|日本)?\s*")
#: A municipality's suffix after a name: "Fukushima-ku" is a ward of Osaka, not Fukushima.
_MUNICIPAL = r"(?:shi|ku|cho|machi|gun|mura|son|city|ward|town|village|district)\b"
_PREFECTURE_SUFFIX = r"(?:to|fu|ken|do|prefecture|pref\b\.?)\b"


def _ascii_fold(text: str) -> str:
    """Casefolded, macrons and other accents removed ("Tōkyō" → "tokyo")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _english_pattern() -> re.Pattern:
    names = []
    for prefecture in PREFECTURES:
        for spelling in (prefecture.en.lower(), *_ENGLISH_VARIANTS.get(prefecture.code, ())):
            names.append((spelling, prefecture.code))
    for city, code in _DESIGNATED_CITIES_EN.items():
        names.append((city, code))
    alternation = "|".join(sorted((re.escape(name) for name, _code in names), key=len, reverse=True))
    return re.compile(rf"\b(?P<name>{alternation})\b(?:[\s-]*(?P<suffix>{_PREFECTURE_SUFFIX}|{_MUNICIPAL}))?")


_ENGLISH = _english_pattern()
_ENGLISH_CODES = {
    **{prefecture.en.lower(): prefecture.code for prefecture in PREFECTURES},
    **{variant: code for code, variants in _ENGLISH_VARIANTS.items() for variant in variants},
}


def prefecture_of(address: str) -> str:
    """The JIS code of the prefecture an address is in, "" when none is found.

    A Japanese address starts with its prefecture (after a postcode, if any), spelled in
    full or without 都/府/県; the match is anchored at the start, so 東京都 never reads as
    京都 (Kyoto) found inside it. An English address names its prefecture near the end
    ("…, Shinjuku-ku, Tokyo 160-0022", "Osaka-fu", "Aichi Prefecture", "Hyogo-ken"): the
    last prefecture name not followed by a municipal suffix wins, so the ward
    "Fukushima-ku, Osaka" is in Osaka; a city named like its prefecture ("Osaka-shi") or a
    designated city ("Yokohama") counts when no prefecture is named.
    """
    if not address:
        return ""
    text = unicodedata.normalize("NFKC", address).strip()
    japanese = _POSTCODE_PREFIX.sub("", text, count=1)
    for prefecture in PREFECTURES:
        if japanese.startswith(prefecture.ja):
            return prefecture.code
    for prefecture in PREFECTURES:
        if japanese.startswith(prefecture.stem):
            return prefecture.code
    for city, code in _DESIGNATED_CITIES.items():
        if japanese.startswith(city):
            return code
    # A full name with its suffix anywhere ("本社 大阪府…"): 東京都 and 京都府 cannot be
    # read inside one another with the suffix included.
    found = [(text.find(p.ja), p.code) for p in PREFECTURES if p.ja in text]
    if found:
        return min(found)[1]
    return _english_prefecture(_ascii_fold(text))


def _english_prefecture(text: str) -> str:
    prefecture = city = ""
    for match in _ENGLISH.finditer(text):
        name, suffix = match.group("name"), (match.group("suffix") or "")
        code = _ENGLISH_CODES.get(name)
        if code and not re.fullmatch(_MUNICIPAL, suffix):
            prefecture = code
        elif code and suffix in {"shi", "city"}:
            city = code
        elif name in _DESIGNATED_CITIES_EN and suffix not in {"ku", "ward", "cho", "machi", "town"}:
            city = city or _DESIGNATED_CITIES_EN[name]
    return prefecture or city
