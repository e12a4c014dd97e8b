"""A holder's name compared across scripts (exams.names): what a certificate check and
the register's keys rely on."""

import pytest

from exams.names import keys_of, name_matches, words_of

REGISTERED = keys_of("Rakhimov Farrukh Jumaevich", "Раҳимов Фаррух Ҷумаевич")


@pytest.mark.parametrize(
    "entered",
    [
        "Rakhimov Farrukh Jumaevich",
        "Раҳимов Фаррух Ҷумаевич",
        "Рахимов Фаррух",  # Russian spelling, without the patronymic
        "Farrukh Rahimov",  # given name first, another Latin spelling
        "RAKHIMOV  FARRUKH",
        "ラヒモフ ファルフ",  # katakana, as a Japanese officer may type it
        # A word the register does not have: a certificate may print fewer names than
        # the passport the officer copies from; all the register's words are there.
        "Rakhimov Farrukh Jumaevich Saidovich",
    ],
)
def test_one_name_in_any_script_or_order_matches(entered):
    assert name_matches(entered, REGISTERED), (entered, words_of(entered), REGISTERED)


@pytest.mark.parametrize(
    "entered",
    [
        "Rakhimov",  # the surname alone: two words must agree
        "Rakhimov Umed",  # another given name
        "Rakhimova Farrukh",  # another surname (the feminine form)
        "Farrukh Umed",  # two words, one of them not the register's
        "",
        "   ",
    ],
)
def test_another_name_does_not_match(entered):
    assert not name_matches(entered, REGISTERED), entered


def test_a_name_of_one_word_matches_that_word():
    assert name_matches("Madina", keys_of("Madina", ""))
    assert not name_matches("Malika", keys_of("Madina", ""))


def test_the_keys_hold_each_name_once_and_skip_empty_ones():
    assert keys_of("Rajabov Umed", "") == "rajabob umed"
    assert keys_of("", "Раҷабов Умед") == "rajabob umed"
    assert keys_of("Rajabov Umed", "Раҷабов Умед") == "rajabob umed"
    assert keys_of("Rajabov Umed", "Раҷабова Умеда") == "rajabob umed|rajaboba umeda"
