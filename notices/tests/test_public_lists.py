"""The two lists Tajikistan publishes from what Japan provides (7(5)), on the
publication component: what reaches the public, from which side, in which language, and
what a new version says changed — improvement orders and registered support
organizations, including one the register dropped."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from notices.orders import services as orders
from notices.orders.testing import facts
from notices.register import services as register
from notices.register.matrix import organization, register_workbook, upload
from portal.publication import publishing
from portal.publication.models import Publication
from portal.publication.reading import published_lists

pytestmark = pytest.mark.django_db

D1, D2 = dt.date(2026, 9, 30), dt.date(2026, 10, 31)


@pytest.fixture(autouse=True)
def _fresh_cache(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    published_lists.clear()
    yield
    published_lists.clear()


def _page(path: str, **params) -> str:
    response = Client().get(path, params)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def _file(path: str) -> bytes:
    response = Client().get(path)
    assert response.status_code == 200, (path, response.status_code)
    return b"".join(response.streaming_content)


def test_an_order_recorded_by_japan_is_published_by_tajikistan_only(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = orders.record_order(cast["jp_officer"], **facts(organization_name="株式会社 東海製作所"))
    versions = Publication.objects.filter(list_name="improvement-orders")
    assert [(v.side.code, v.version) for v in versions] == [("tajikistan", 1)]
    assert versions.get().diff == {"added": [{"key": order.reference, "name": "株式会社 東海製作所"}]}
    assert Client().get("/public/improvement-orders/japan/").status_code == 404

    page = _page("/public/improvement-orders/tajikistan/", lang="tg")
    assert "株式会社 東海製作所" in page and order.reference in page and 'lang="tg"' in page
    detail = _page(f"/public/improvement-orders/tajikistan/order/{order.reference}/", lang="tg")
    assert facts()["measures"] in detail and "Айти" in detail  # the prefecture in Tajik
    publishing.render_documents(versions.get().pk)
    content = json.loads(_file("/public/improvement-orders/tajikistan/current.json"))["content"]
    published = content["orders"][0]
    assert published["corporate_number"] == facts()["corporate_number"]
    assert "tajik_workers" not in published  # never published: it could point at persons
    assert b"tajik_workers" not in _file("/public/improvement-orders/tajikistan/current.csv")


def test_orders_are_searched_by_organization_sector_prefecture_and_year(
    cast, django_capture_on_commit_callbacks
):
    japan = cast["jp_officer"]
    with django_capture_on_commit_callbacks(execute=True):
        orders.record_order(japan, **facts(organization_name="介護法人あおば", issued_on=dt.date(2025, 3, 1)))
        orders.record_order(
            japan,
            **facts(
                organization_name="北海食品株式会社",
                address="北海道札幌市中央区北一条西2丁目",
                sector="food-manufacturing",
                corporate_number="8430001012340",
            ),
        )
    base = "/public/improvement-orders/tajikistan/"
    assert "北海食品" in _page(base, q="北海") and "あおば" not in _page(base, q="北海")
    assert "北海食品" in _page(base, prefecture="01") and "あおば" not in _page(base, prefecture="01")
    assert "あおば" in _page(base, year="2025") and "北海食品" not in _page(base, year="2025")
    assert "北海食品" in _page(base, sector="food-manufacturing")
    assert "あおば" not in _page(base, sector="food-manufacturing")


def test_an_order_withdrawn_leaves_the_next_version_which_says_so(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = orders.record_order(cast["jp_officer"], **facts())
    with django_capture_on_commit_callbacks(execute=True):
        orders.withdraw_order(order, cast["jp_officer"], reason="Recorded for the wrong organization.")
    latest = Publication.objects.filter(list_name="improvement-orders").latest()
    assert latest.version == 2
    assert latest.diff == {"removed": [{"key": order.reference, "name": facts()["organization_name"]}]}
    assert order.reference not in _page("/public/improvement-orders/tajikistan/")
    assert order.reference in _page("/public/improvement-orders/tajikistan/versions/2/")


def _apply(officer, rows, as_of):
    draft = register.preview_import(officer, upload(register_workbook(rows, as_of=as_of)))
    return register.apply_import(officer, draft)


def test_the_register_is_published_with_the_organizations_it_dropped(
    cast, django_capture_on_commit_callbacks
):
    """The second import drops organization 3: the new version lists it apart, with the
    date it was first found missing, and its diff says so."""
    officer = cast["jp_officer"]
    first = [organization(n) for n in range(1, 6)]
    with django_capture_on_commit_callbacks(execute=True):
        _apply(officer, first, D1)
    second = [row for row in first if row["registration_number"] != first[2]["registration_number"]]
    second.append(organization(6))
    with django_capture_on_commit_callbacks(execute=True):
        _apply(officer, second, D2)
    versions = Publication.objects.filter(list_name="support-organizations").order_by("version")
    assert [(v.side.code, v.version) for v in versions] == [("tajikistan", 1), ("tajikistan", 2)]
    dropped, added = first[2], organization(6)
    assert versions[1].diff == {
        "added": [{"key": added["registration_number"], "name": added["name"]}],
        "removed": [{"key": dropped["registration_number"], "name": dropped["name"], "on": D2.isoformat()}],
    }
    page = _page("/public/support-organizations/tajikistan/", lang="tg")
    removed_section = page[page.index('id="removed-heading"') :]
    assert dropped["registration_number"] in removed_section and D2.isoformat() in removed_section
    assert added["registration_number"] in page[: page.index('id="removed-heading"')]
    assert dropped["registration_number"] in _page("/public/support-organizations/tajikistan/versions/2/")


def test_a_tajik_worker_finds_organizations_by_language_of_support(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _apply(cast["jp_officer"], [organization(n) for n in range(1, 9)], D1)
    base = "/public/support-organizations/tajikistan/"
    speaking = {
        organization(n)["registration_number"] for n in range(1, 9) if "tg" in organization(n)["languages"]
    }
    others = {organization(n)["registration_number"] for n in range(1, 9)} - speaking
    page = _page(base, language="tg", lang="tg")
    assert speaking and all(number in page for number in speaking)
    assert not any(number in page for number in others)
    assert "Тоҷикӣ" in page or "тоҷикӣ" in page.lower()  # the language named in Tajik
    tokyo = _page(base, prefecture="13")
    assert (
        organization(3)["registration_number"] in tokyo
        and organization(1)["registration_number"] not in tokyo
    )
    assert organization(5)["registration_number"] in _page(base, q=organization(5)["registration_number"])
