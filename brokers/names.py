"""A broker's name matched across scripts: one Latin key per name, compared by trigrams.

The same broker reaches the portal as "Раҳимов" (Tajik), "Рахимов" (Russian),
"Rakhimov" or "Rahimov" (passports, contracts) and "ラヒモフ" (a Japanese report). Each
name is reduced to a *Latin key*: lower-case ASCII words in which the spellings that
transliteration systems disagree on are folded to one form, so that the variants give
equal or nearly equal keys; keys are then compared with trigram similarity, computed
exactly as PostgreSQL's ``pg_trgm`` does so that SQL (``ranked`` on PostgreSQL, with a
GIN index) and Python (``rank``, ``ranked`` on SQLite) order candidates alike.

How a name becomes a key, in order:

1. NFKC (half-width kana become full-width), case folding; the full legal-form phrases
   ("общество с ограниченной ответственностью", "limited liability company", "kabushiki
   kaisha", …) and the Japanese legal forms written without spaces (株式会社, 有限会社,
   合同会社, (株)…, the same spelt in katakana, カブシキガイシャ, and 有限責任会社, how
   Japanese documents render a foreign LLC) are removed.
2. Words are split on anything that is not a letter or a digit (quotes «», dots, the
   katakana middle dot ・); words that are a legal form (ООО, ОАО, ЗАО, АО, ИП, ҶДММ, ҶСК,
   the same in Latin letters OOO, JDMM, and LLC, Ltd, Inc, Co, Corp, GmbH, JSC, KK, …) are
   dropped.
3. Each word is transliterated to Latin:

   ======================  =====================================================
   source                  Latin
   ======================  =====================================================
   Tajik ҷ ғ қ ҳ ӣ ӯ       j, g, k, h, i, u
   Russian а б в г д е ё   a b v g d e e
   ж з и й к л м н о п     j z i y k l m n o p  (ж → j: Zh/J/Dzh fold together)
   р с т у ф х ц ч ш щ     r s t u f h ts ch sh sh  (х → h: Kh/H/X fold together)
   ъ ы ь э ю я             (dropped) y (dropped) e yu ya
   Latin with diacritics   NFKD, marks dropped (ū → u, ḩ → h, ë → e)
   kana (hira-, katakana)  Hepburn by pykakasi; the long-vowel mark ー is dropped
   katakana for loanwords  シェ she, ジェ je, ティ ti, ディ di, トゥ tu, ドゥ du,
                           ファ fa, ヴァ va, ウィ wi, ツァ tsa … (the 1991 Cabinet
                           notice's extended katakana, in Hepburn; pykakasi reads
                           シェ "shie" and ドゥ "dou")
   kanji                   pykakasi's reading (a Japanese name read as kana)
   anything else           dropped (the key is always ASCII)
   ======================  =====================================================

   A katakana word is a foreign name written with Japanese syllables, so the vowels
   Japanese adds are taken back: a final -ofu/-efu/-ifu is the Russian -ов/-ев/-ив
   (ラヒモフ → rahimov), a final u after a consonant is dropped (ダレル → darer,
   ユスフ → yusuf) but not where it is sounded (ジュ, シュ, チュ), and a final ト, ド is
   a bare t, d (ダブラト → dabrat, ウメド → umed). A Japanese name in katakana ending in
   ト, ド (ヤマモト) loses its o too and stays near its Latin spelling, not equal to it.
4. Spelling variants are folded, on every word whatever its script:

   ======================  =======  =====================================================
   variants                becomes  why
   ======================  =======  =====================================================
   kh, x, h                h        Рахимов: Rakhimov / Raximov / Rahimov
   dzh, dj, zh, j          j        Ҷураев: Juraev / Djuraev / Dzhuraev / Zhuraev
   gh                      g        Ғафуров: Ghafurov / Gafurov
   q, ck                   k        Қодиров: Qodirov / Kodirov
   ph, f                   h        katakana writes х and ф alike before u and before a
                                    consonant (フ): フルシェド Хуршед, ガフロフ Ғафуров,
                                    ラフモノフ Раҳмонов
   v, w, b                 b        katakana writes в with the バ row as often as with ヴ
                                    (ダブラト Давлат, パルビズ Парвиз); Wladimir / Vladimir
   l                       r        Japanese writes both as r (ダレル = Daler)
   shch                    sh       Щ: shch / sch / sh
   ou, oo, uu (kana)       o, u     Hepburn long vowels: Satou / Satō / Sato
   ia, iu at a word start  ya, yu   ICAO 9303 writes я, ю as IA, IU: Iusupov / Yusupov,
   or after a vowel                 Kaiumov / Qayumov
   yo                      e        ICAO 9303 writes ё as E: Bakhtier / Bakhtiyor, and
                                    Russian texts often write ё as е
   ye at a word start      e        Евгений: Yevgeniy / Evgeniy
   ye after a vowel        e        BGN/PCGN's е after a vowel: Aliyev / Aliev
   y after a vowel before  i        й before a consonant: Fayzov / Faizov (ICAO, and
   a consonant                      katakana ファイゾフ)
   iy, yi, ii, y, ij end   i        Ali / Aly, Dmitriy / Dmitrii / Dmitrij
   a doubled letter        single   Mukhammad / Muhamad, ラーヒモフ
   u between vowel +       dropped  katakana writes a consonant before a consonant
   consonant and                    with u (ラフモン "rafumon" = Раҳмон), which cannot be
   consonant + vowel                told from a written u (ガフロフ = Ғафуров): such a u
                                    goes from every key, left to right (sh and ch are
                                    one consonant): Gafurov → gahrob, Yusupov → yuspob
   ======================  =======  =====================================================

   The -ov/-ova, -ev/-eva endings are kept: a woman's and a man's name stay close, not
   equal. The folds are the transliteration systems' disagreements, stated once for every
   script; none names a particular name. Keys are not meant to be read ("Раҳимов" is
   "rahimob"), only compared.
5. The key is the words sorted and joined by one space, so that "Rakhimov Daler" and
   "Daler Rakhimov" have one key (``latin_words`` keeps the written order).

Trigram similarity (pg_trgm): each word padded with two spaces in front and one behind,
the set of its 3-character substrings; similarity = |A ∩ B| / |A ∪ B|. A candidate is
suggested at ``THRESHOLD`` or above (chosen on ``brokers/tests/test_names.py``'s pairs:
true variants score 0.5 and more, Rakhimov–Rahmonov, the nearest unrelated pair, 0.31; Rakhimov–Karimov 0.23).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import TypeVar

from django.db import connections
from django.db.models import Case, F, FloatField, QuerySet, Value, When

T = TypeVar("T")

#: Least trigram similarity at which a stored name is suggested as the same broker. Not
#: below 0.3: on PostgreSQL ``ranked`` pre-filters with the ``%`` operator (what the GIN
#: index answers), whose limit is pg_trgm's default ``similarity_threshold`` of 0.3.
THRESHOLD = 0.35

_LEGAL_PHRASES = (
    "общество с ограниченной ответственностью",
    "открытое акционерное общество",
    "закрытое акционерное общество",
    "публичное акционерное общество",
    "акционерное общество",
    "индивидуальный предприниматель",
    "ҷамъияти дорои масъулияти маҳдуд",
    "ҷамъияти саҳомии кушода",
    "ҷамъияти саҳомии пӯшида",
    "ҷамъияти саҳомӣ",
    "соҳибкори инфиродӣ",
    "limited liability company",
    "joint stock company",
    "kabushiki kaisha",
    "kabushiki gaisha",
    "kabushikigaisha",
    "yugen kaisha",
    "yugen gaisha",
    "godo kaisha",
    "godo gaisha",
    "有限責任会社",
    "株式会社",
    "有限会社",
    "合同会社",
    "合資会社",
    "合名会社",
    "一般社団法人",
    "一般財団法人",
    "(株)",
    "(有)",
    "(同)",
    "カブシキガイシャ",
    "ユウゲンガイシャ",
    "ゴウドウガイシャ",
    "かぶしきがいしゃ",
)
LEGAL_WORDS = frozenset(
    {
        # Russian and Tajik abbreviations.
        *("ооо", "оао", "зао", "пао", "ао", "ип", "чп", "тоо", "одо", "ҷдмм", "ҷск", "ҷсп", "ҷс"),
        # The same written in Latin letters ("OOO Somon", "JDMM Somon").
        *("ooo", "oao", "zao", "jdmm", "jsk"),
        # English, and the Japanese "KK" in Latin.
        *("llc", "ltd", "limited", "inc", "incorporated", "co", "corp", "corporation", "company"),
        *("gmbh", "jsc", "ojsc", "cjsc", "pjsc", "plc", "llp", "lp", "kk"),
    }
)

_CYRILLIC = {
    # Tajik letters, explicitly.
    "ҷ": "j",
    "ғ": "gh",
    "қ": "q",
    "ҳ": "h",
    "ӣ": "i",
    "ӯ": "u",
    # Russian (and the letters Tajik shares with it).
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    # Ukrainian and Kazakh/Uzbek Cyrillic letters seen in migrants' documents.
    "є": "ye",
    "і": "i",
    "ї": "yi",
    "ў": "u",
    "ә": "a",
    "ө": "o",
    "ү": "u",
    "ң": "ng",
    "ұ": "u",
    "һ": "h",
}

_WORD = re.compile(r"[^\W_]+")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_KATAKANA = re.compile(r"[\u30a0-\u30ff\u31f0-\u31ff]")
_ALL_KATAKANA = re.compile(r"[\u30a0-\u30ff\u31f0-\u31ff]+")
_CJK = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# Folding of Latin spellings: first the letters (one pass, longer spellings first), then
# the rules that look at a letter's neighbours, in this order.
_LETTERS = {
    **{"shch": "sh", "sch": "sh", "dzh": "j", "dj": "j", "zh": "j", "kh": "h", "x": "h"},
    **{"gh": "g", "ck": "k", "q": "k", "ph": "h", "f": "h", "v": "b", "w": "b", "l": "r"},
}
_LETTER = re.compile("|".join(sorted(_LETTERS, key=len, reverse=True)))
_FOLDS = (
    (_LETTER, lambda match: _LETTERS[match[0]]),
    (re.compile(r"(?:^|(?<=[aeiou]))i(?=[au])"), "y"),
    (re.compile(r"yo"), "e"),
    (re.compile(r"^y(?=e)"), ""),
    (re.compile(r"(?<=[aeiou])y(?=e)"), ""),
    (re.compile(r"(?<=[aeiou])y(?=[^aeiouy])"), "i"),
    (re.compile(r"(?:iy|yi|ii|ij|y)$"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),
)
#: A consonant (sh and ch count as one) followed by a vowel: a syllable's onset.
_ONSET = re.compile(r"(?:sh|ch|[bcdfghjklmnpqrstvwxz])[aeiouy]")
#: Where a u may go; most words have none, and skip the letter-by-letter walk.
_U_BETWEEN = re.compile(r"[aeiou](?:sh|ch|[bcdfghjklmnpqrstvwxz])u(?:sh|ch|[bcdfghjklmnpqrstvwxz])[aeiouy]")
_VOWELS = frozenset("aeiou")
_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxz")  # not y: yu is ю, a vowel


def _drop_u_between_syllables(word: str) -> str:
    """Drop a u that stands between a vowel-and-consonant and a consonant-and-vowel.

    Katakana cannot write a consonant without a vowel, and writes u after it (ラフモン
    "rafumon" for Раҳмон), so a u there cannot be told from a written one (ガフロフ
    "gafurofu" for Ғафуров); the u goes from every key, whatever the script, left to
    right, so that a u just dropped does not count as the vowel before the next.
    """
    if not _U_BETWEEN.search(word):
        return word
    kept: list[str] = []
    for i, char in enumerate(word):
        if char == "u" and _ONSET.match(word, i + 1):
            onset = 2 if "".join(kept[-2:]) in ("sh", "ch") else 1
            consonant, before = kept[-onset:], kept[-onset - 1 : -onset]
            if before and before[0] in _VOWELS and consonant and consonant[-1] in _CONSONANTS:
                continue
        kept.append(char)
    return "".join(kept)


#: The extended katakana of loanwords (the Cabinet's 外来語の表記, 1991) in Hepburn:
#: pykakasi reads シェ as "shie", ドゥ as "dou", ティ as "tei".
_EXTENDED_KATAKANA = {
    **{"シェ": "she", "ジェ": "je", "チェ": "che", "ティ": "ti", "ディ": "di", "テュ": "tyu"},
    **{"デュ": "dyu", "トゥ": "tu", "ドゥ": "du", "ファ": "fa", "フィ": "fi", "フェ": "fe"},
    **{"フォ": "fo", "フュ": "fyu", "ウィ": "wi", "ウェ": "we", "ウォ": "wo", "ヴァ": "va"},
    **{"ヴィ": "vi", "ヴェ": "ve", "ヴォ": "vo", "ヴュ": "vyu", "ヴ": "vu", "ツァ": "tsa"},
    **{"ツィ": "tsi", "ツェ": "tse", "ツォ": "tso", "イェ": "ye", "クァ": "kwa", "グァ": "gwa"},
    **{"スィ": "si", "ズィ": "zi"},
}
_EXTENDED = re.compile("(" + "|".join(sorted(_EXTENDED_KATAKANA, key=len, reverse=True)) + ")")
_KATAKANA_FOLDS = (
    (re.compile(r"([oei])fu$"), r"\1v"),
    (re.compile(r"(?<=[bdfgkmprsz])u$"), ""),  # not after j, sh, ch: ジュ is "ju"
    (re.compile(r"(?<=[td])o$"), ""),  # ト, ド at the end are a bare t, d: ダブラト, ウメド
)


@functools.cache
def _kakasi():
    import pykakasi  # imported on first use: it loads its dictionaries (~0.2 s)

    return pykakasi.kakasi()


def _hepburn_katakana(text: str) -> str:
    # The long-vowel mark is dropped: a doubled vowel is folded to one anyway.
    parts = _EXTENDED.split(text.replace("ー", ""))
    return "".join(
        _EXTENDED_KATAKANA.get(part) or "".join(item["hepburn"] for item in _kakasi().convert(part))
        for part in parts
        if part
    )


def _romanise(word: str) -> list[str]:
    """Hepburn for a word that holds kana or kanji, split where pykakasi splits words."""
    words = []
    # A word all in katakana (a foreign name) is one word: pykakasi reads it once.
    items = [{"orig": word}] if _ALL_KATAKANA.fullmatch(word) else _kakasi().convert(word)
    for item in items:
        katakana = bool(_KATAKANA.search(item["orig"]))
        latin = (_hepburn_katakana(item["orig"]) if katakana else item["hepburn"]).lower().replace("ou", "o")
        if katakana:
            for pattern, replacement in _KATAKANA_FOLDS:
                latin = pattern.sub(replacement, latin)
        words.append(latin)
    return words


def _to_latin(word: str) -> list[str]:
    words = _romanise(word) if _CJK.search(word) or _KANA.search(word) else [word]
    latin = []
    for part in words:
        part = "".join(_CYRILLIC.get(char, char) for char in part)
        decomposed = unicodedata.normalize("NFKD", part)
        latin.append("".join(char for char in decomposed if char.isascii() and char.isalnum()).lower())
    return latin


def _fold(word: str) -> str:
    # Until nothing changes: a fold can make another one apply ("kkh" → "kh" → "h"), and
    # a key must be its own key so that stored keys can be re-keyed after a change here
    # (``manage.py rekey_broker_names``: run it after deploying any change to these rules).
    while True:
        folded = word
        for pattern, replacement in _FOLDS:
            folded = pattern.sub(replacement, folded)
        folded = _drop_u_between_syllables(folded)
        if folded == word:
            return word
        word = folded


def _strip_legal_forms(text: str) -> str:
    for phrase in _LEGAL_PHRASES:
        text = text.replace(phrase, " ")
    return text


def latin_words(name: str) -> list[str]:
    """The name's folded Latin words, in the order they are written."""
    text = _strip_legal_forms(unicodedata.normalize("NFKC", name or "").casefold())
    words = []
    for word in _WORD.findall(text):
        if word in LEGAL_WORDS:
            continue
        words.extend(folded for part in _to_latin(word) if (folded := _fold(part)))
    return words


def latin_key(name: str) -> str:
    """One normalised Latin key for a name in any script: its folded words, sorted."""
    return " ".join(sorted(latin_words(name)))


def _trigrams(key: str) -> frozenset[str]:
    """pg_trgm's trigram set: lower-case alphanumeric words, each padded "  word "."""
    grams = set()
    for word in _WORD.findall(key.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def similarity(a_key: str, b_key: str) -> float:
    """pg_trgm's ``similarity(a, b)`` on two keys: shared trigrams over all trigrams."""
    a, b = _trigrams(a_key), _trigrams(b_key)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def rank(
    query: str,
    candidates: Iterable[tuple[T, str | Iterable[str]]],
    threshold: float = THRESHOLD,
) -> list[tuple[T, float]]:
    """Candidates whose best-matching name reaches ``threshold``, best first.

    ``candidates`` are ``(candidate, names)`` pairs: a broker and every name and alias it
    is known by, in any script. Equal scores keep the candidates' order.
    """
    query_key = latin_key(query)
    scored = []
    for candidate, names in candidates:
        if isinstance(names, str):
            names = [names]
        best = max((similarity(query_key, latin_key(name)) for name in names), default=0.0)
        if best >= threshold:
            scored.append((candidate, best))
    scored.sort(key=lambda pair: -pair[1])
    return scored


def ranked(queryset: QuerySet, field: str, query: str, threshold: float = THRESHOLD) -> QuerySet:
    """``queryset`` rows whose ``field`` (a stored ``latin_key``) is like ``query``.

    Annotated with ``similarity`` and ordered by it (best first, then by primary key). On
    PostgreSQL the database computes it with pg_trgm, using a trigram index on ``field``
    through the ``%`` operator; elsewhere (SQLite) the same figure is computed in Python
    over the queryset's rows and attached with a ``CASE``, so that the caller gets a
    queryset either way and the order is the same.
    """
    key = latin_key(query)
    if connections[queryset.db].vendor == "postgresql":
        from django.contrib.postgres.lookups import TrigramSimilar
        from django.contrib.postgres.search import TrigramSimilarity

        return (
            queryset.filter(TrigramSimilar(F(field), Value(key)))
            .annotate(similarity=TrigramSimilarity(field, Value(key)))
            .filter(similarity__gte=threshold)
            .order_by("-similarity", "pk")
        )
    scores = {
        pk: score
        for pk, stored in queryset.values_list("pk", field)
        if (score := similarity(key, stored or "")) >= threshold
    }
    if not scores:
        return queryset.none().annotate(similarity=Value(0.0, output_field=FloatField()))
    return (
        queryset.filter(pk__in=scores)
        .annotate(
            similarity=Case(
                *(When(pk=pk, then=Value(score)) for pk, score in scores.items()),
                output_field=FloatField(),
            )
        )
        .order_by("-similarity", "pk")
    )
