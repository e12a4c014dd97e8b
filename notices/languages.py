"""Languages in which a registered support organization supports its workers.

The register lists them in one cell, as each organization wrote them ("英語、中国語・ベトナム
語", "Russian, Tajik"); the public list is searched by language — a Tajik worker looks for
Russian or Tajik — so ``parse_languages`` turns the cell into ISO 639-1 codes and keeps
what it cannot recognise, as written, for the officer to see.

Language names are reference data here, in the four languages of the portal (one place,
so that a correction lands everywhere); the Tajik and Russian renderings are working
translations to be confirmed by native-speaking officers, like the glossary's.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from portal.i18n import language_code


@dataclass(frozen=True)
class SupportLanguage:
    """A language of support: ISO 639-1 code, names in ja/en/ru/tg, and other spellings
    met in the register (Japanese and English)."""

    code: str
    ja: str
    en: str
    ru: str
    tg: str
    synonyms: tuple[str, ...] = field(default=())

    def name(self, language: str | None = None) -> str:
        return getattr(self, language_code(language))


_L = SupportLanguage

SUPPORT_LANGUAGES: list[SupportLanguage] = [
    _L("en", "英語", "English", "Английский", "Англисӣ"),
    _L(
        "zh",
        "中国語",
        "Chinese",
        "Китайский",
        "Хитоӣ",
        ("中文", "北京語", "普通話", "広東語", "簡体字", "繁体字", "mandarin", "cantonese"),
    ),
    _L("ko", "韓国語", "Korean", "Корейский", "Кореягӣ", ("朝鮮語", "韓国", "ハングル")),
    _L("vi", "ベトナム語", "Vietnamese", "Вьетнамский", "Ветнамӣ"),
    _L(
        "tl",
        "タガログ語",
        "Filipino (Tagalog)",
        "Филиппинский (тагальский)",
        "Филиппинӣ (тагалогӣ)",
        ("フィリピノ語", "フィリピン語", "filipino", "tagalog", "pilipino"),
    ),
    _L("id", "インドネシア語", "Indonesian", "Индонезийский", "Индонезӣ", ("bahasa indonesia",)),
    _L("th", "タイ語", "Thai", "Тайский", "Тайӣ"),
    _L("ne", "ネパール語", "Nepali", "Непальский", "Непалӣ", ("nepalese",)),
    _L(
        "my",
        "ミャンマー語",
        "Burmese (Myanmar)",
        "Бирманский (мьянманский)",
        "Бирманӣ (мянмарӣ)",
        ("ビルマ語", "burmese", "myanmar", "myanma"),
    ),
    _L("km", "クメール語", "Khmer", "Кхмерский", "Кхмерӣ", ("カンボジア語", "cambodian")),
    _L("mn", "モンゴル語", "Mongolian", "Монгольский", "Муғулӣ"),
    _L("ru", "ロシア語", "Russian", "Русский", "Русӣ"),
    _L("tg", "タジク語", "Tajik", "Таджикский", "Тоҷикӣ", ("タジキスタン語", "tajiki", "tojiki")),
    _L("uz", "ウズベク語", "Uzbek", "Узбекский", "Ӯзбекӣ", ("ウズベキスタン語",)),
    _L("ky", "キルギス語", "Kyrgyz", "Киргизский", "Қирғизӣ", ("キルギス", "kirghiz", "kirgiz")),
    _L("kk", "カザフ語", "Kazakh", "Казахский", "Қазоқӣ", ("kazak",)),
    _L("pt", "ポルトガル語", "Portuguese", "Португальский", "Португалӣ"),
    _L("es", "スペイン語", "Spanish", "Испанский", "Испанӣ"),
    _L("si", "シンハラ語", "Sinhala", "Сингальский", "Сингалӣ", ("シンハラ", "sinhalese")),
    _L("bn", "ベンガル語", "Bengali", "Бенгальский", "Бенгалӣ", ("bangla",)),
    _L("hi", "ヒンディー語", "Hindi", "Хинди", "Ҳиндӣ", ("ヒンディ語", "ヒンドゥー語")),
    _L("ur", "ウルドゥー語", "Urdu", "Урду", "Урду", ("ウルドゥ語",)),
    _L("lo", "ラオス語", "Lao", "Лаосский", "Лаосӣ", ("ラオ語", "laotian")),
    _L("fr", "フランス語", "French", "Французский", "Фаронсавӣ"),
    _L("ar", "アラビア語", "Arabic", "Арабский", "Арабӣ"),
    _L("fa", "ペルシャ語", "Persian", "Персидский", "Форсӣ", ("ペルシア語", "ダリー語", "farsi", "dari")),
    _L("tr", "トルコ語", "Turkish", "Турецкий", "Туркӣ"),
    _L("ms", "マレー語", "Malay", "Малайский", "Малайӣ", ("マレーシア語", "bahasa melayu")),
    _L("ta", "タミル語", "Tamil", "Тамильский", "Тамилӣ"),
    _L("de", "ドイツ語", "German", "Немецкий", "Олмонӣ"),
    _L("it", "イタリア語", "Italian", "Итальянский", "Итолиёӣ"),
    _L("uk", "ウクライナ語", "Ukrainian", "Украинский", "Украинӣ"),
    _L("ja", "日本語", "Japanese", "Японский", "Ҷопонӣ"),
]

BY_CODE: dict[str, SupportLanguage] = {language.code: language for language in SUPPORT_LANGUAGES}

#: The separators organizations use between languages in one cell (full- and half-width).
_SEPARATORS = re.compile(r"[、，,・･/／;；\n\r\t]+")
#: What may surround a name without changing it: parenthesised details ("中国語（簡体字）"),
#: "等"/"など" (and others), the words 語/language(s).
_PARENTHESES = re.compile(r"\(.*?\)|\[.*?\]|【.*?】")
_TRAILING = re.compile(r"(?:等|など|ほか|language|languages|lang\.?)$")


def _key(text: str) -> str:
    """The form a name is looked up by: NFKC, casefolded, without spaces, parentheses,
    "等", "language" or a final 語 ("ロシア語" and "ロシア" are one key)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _PARENTHESES.sub("", text)
    text = re.sub(r"\s+", "", text)
    text = _TRAILING.sub("", text)
    return text.removesuffix("語")


def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for language in SUPPORT_LANGUAGES:
        for name in (language.ja, language.en, language.ru, language.tg, *language.synonyms):
            index[_key(name)] = language.code
            # "Filipino (Tagalog)": the name before the parenthesis too
            index.setdefault(_key(name.split("(")[0]), language.code)
    return index


_INDEX = _index()


def _lookup(text: str) -> str:
    key = _key(text)
    if key in _INDEX:
        return _INDEX[key]
    # "中国語(簡体字)" once the parenthesis is gone is "中国"; "簡体字" alone is Chinese too
    inner = re.findall(r"[(（【\[](.*?)[)）】\]]", unicodedata.normalize("NFKC", text))
    for part in inner:
        if _key(part) in _INDEX:
            return _INDEX[_key(part)]
    return ""


def parse_languages(cell: str) -> tuple[list[str], list[str]]:
    """(ISO 639-1 codes found, sorted and unique; texts not recognised, as written).

    The cell is split on 、，,・/／;； and line breaks; a part that is not a name is split
    again on spaces ("英語 中国語"), and words that are still not names are returned as
    written — an unknown word is not an error, the officer only sees it."""
    codes: set[str] = set()
    unknown: list[str] = []
    for part in _SEPARATORS.split(cell or ""):
        part = part.strip()
        if not part:
            continue
        code = _lookup(part)
        if code:
            codes.add(code)
            continue
        words = part.split()
        found = [_lookup(word) for word in words]
        if len(words) > 1 and any(found):
            codes.update(code for code in found if code)
            unknown.extend(word for word, code in zip(words, found, strict=True) if not code)
        else:
            unknown.append(part)
    return sorted(codes), unknown


def language_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name in ``language``) for a drop-down, sorted by name in that language
    (Japanese names by their kana reading would need a reading table: they are sorted as
    the register's order instead, which starts with the most common languages)."""
    choices = [(entry.code, entry.name(language)) for entry in SUPPORT_LANGUAGES]
    if language_code(language) == "ja":
        return choices
    return sorted(choices, key=lambda choice: choice[1].casefold())


def language_name(code: str, language: str | None = None) -> str:
    """The language's name in ``language`` (the active one by default); "" if unknown."""
    entry = BY_CODE.get(code)
    return entry.name(language) if entry else ""
