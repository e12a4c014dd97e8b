"""Places in the reader's language (issue 10, item 9): the signing places of the
Memorandum and the regions and cities of the agencies are stored as text, and
``portal.places`` gives that text its rendering in ja/en/ru/tg."""

import pytest
from django.utils import translation

from portal.models import Memorandum
from portal.places.models import Place
from portal.places.names import place_name


@pytest.mark.parametrize(
    ("language", "sughd", "khujand", "tokyo"),
    [
        ("ja", "ソグド州", "フジャンド", "東京"),
        ("en", "Sughd", "Khujand", "Tokyo"),
        ("ru", "Согдийская область", "Худжанд", "Токио"),
        ("tg", "Вилояти Суғд", "Хуҷанд", "Токио"),
    ],
)
def test_seeded_places_have_four_renderings(db, language, sughd, khujand, tokyo):
    with translation.override(language):
        assert [place_name(text) for text in ("Sughd", "Khujand", "Tokyo")] == [sughd, khujand, tokyo]


def test_any_rendering_or_other_spelling_finds_the_place(db):
    for text in ("Khujand", "khujand ", "Хуҷанд", "Худжанд", "フジャンド", "Khudjand"):
        assert place_name(text, "ru") == "Худжанд", text
    assert place_name("RRP", "tg") == "Ноҳияҳои тобеи ҷумҳурӣ"


def test_unknown_text_is_shown_as_stored(db):
    assert place_name("Nowhere-on-Earth", "ja") == "Nowhere-on-Earth"
    assert place_name("", "ja") == ""


@pytest.fixture
def forget_places():
    """The renderings are kept in the process: drop what this test's rolled-back rows
    put there."""
    from portal.places import names

    names.forget()
    yield
    names.forget()


def test_an_administrator_s_change_shows_at_once(db, forget_places):
    assert place_name("Isfara", "ja") == "イスファラ"
    place = Place.objects.get(name_en="Isfara")
    place.name_ja = "イスファラ市"
    place.save()
    assert place_name("Isfara", "ja") == "イスファラ市"
    Place.objects.create(name_en="Nurek", name_ru="Нурек", name_tg="Норак")
    assert place_name("Nurek", "tg") == "Норак"
    place.delete()
    assert place_name("Isfara", "ja") == "Isfara"


@pytest.mark.parametrize(
    ("language", "reader", "expected", "latin"),
    [
        ("ja", "jp_contact", ["東京", "ドゥシャンベ"], ["Tokyo", "Dushanbe"]),
        ("ru", "tj_contact", ["Токио", "Душанбе"], ["Tokyo", "Dushanbe"]),
        ("tg", "tj_contact", ["Токио", "Душанбе"], ["Tokyo", "Dushanbe"]),
    ],
)
def test_the_memorandum_says_where_it_was_signed_in_the_reader_s_language(
    client_for, language, reader, expected, latin
):
    memorandum = Memorandum.objects.get()
    assert (memorandum.signed_in_japan_at, memorandum.signed_by_partner_at) == ("Tokyo", "Dushanbe")
    for path in (f"/memorandum/{memorandum.pk}/", "/public/"):
        html = client_for(reader).get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        body = html.split("<body", 1)[1]
        assert all(name in body for name in expected), path
        assert not any(name in body for name in latin), path


@pytest.mark.parametrize(
    ("language", "expected"), [("ja", "ソグド州, フジャンド"), ("tg", "Вилояти Суғд, Хуҷанд")]
)
def test_an_agency_s_region_and_city_in_the_reader_s_language(client_for, cast, language, expected):
    from agencies.testing import register

    agency = register(cast["tj_officer"], region="Sughd", city="Khujand")
    client = client_for("tj_officer")
    for path in ("/agencies/", f"/agencies/{agency.pk}/"):
        html = client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert expected in html, path
        assert "Sughd" not in html and "Khujand" not in html, path


def test_naming_a_place_never_asks_the_cache(db, forget_places, monkeypatch):
    """A silent Redis must not hold a page (tests/test_redis_faults.py): the table lives
    in the process, read once a minute."""
    from django.core.cache import cache

    def refuse(*args, **kwargs):
        raise TimeoutError("Redis is silent")

    for method in ("get", "set", "delete", "get_many"):
        monkeypatch.setattr(cache, method, refuse)
    assert place_name("Sughd", "ru") == place_name("Согд", "ru") == "Согдийская область"
