"""Holders' names compared across scripts: a holder registered as "Rakhimov Farrukh" and
entered as "Раҳимов Фаррух" (or "Farrukh Rahimov") is one name.

The words are the brokers' cross-script key (``brokers.names.latin_words``: Cyrillic,
Tajik letters, kana and Latin spellings folded to one Latin form). A name matches when
the words of one are all among the other's and they share at least two (one, when the
registered name has one word): a certificate that leaves out the patronymic still matches, a different
given name does not.

Names repeat their words (surnames, given names), so each word's folding is cached: an
import of 200,000 results folds each distinct word once (``bench/exam_results.py``)."""

from __future__ import annotations

from functools import lru_cache

from brokers.names import latin_words

__all__ = ["keys_of", "name_matches", "words_of"]


@lru_cache(maxsize=200_000)
def _word(word: str) -> tuple[str, ...]:
    return tuple(latin_words(word))


def words_of(name: str) -> frozenset[str]:
    """The folded Latin words of ``name``, in any script, as a set."""
    words: list[str] = []
    for word in (name or "").split():
        words.extend(_word(word))
    return frozenset(words)


def keys_of(*names: str) -> str:
    """What ``PassResult.name_keys`` stores: each non-empty name's words, sorted and
    space-joined, the names separated by ``|`` (a name that folds to another's key is
    kept once)."""
    keys = dict.fromkeys(" ".join(sorted(words)) for name in names if (words := words_of(name)))
    return "|".join(keys)


def name_matches(entered: str, stored_keys: str) -> bool:
    """Whether ``entered`` is the name one of ``stored_keys`` holds (see the module)."""
    entered_words = words_of(entered)
    if not entered_words:
        return False
    for key in stored_keys.split("|"):
        stored = frozenset(key.split())
        if not stored:
            continue
        common = entered_words & stored
        if (entered_words <= stored or stored <= entered_words) and len(common) >= min(2, len(stored)):
            return True
    return False
