"""Issue 10, item 6: a third party's menu and registers show what was disclosed to it —
never the officers' menus, and never an empty register that reads as if the public lists
were empty."""

from __future__ import annotations

import pytest
from django.urls import reverse

OFFICER_MENU = (
    "agencies:list",
    "agencies:investigations",
    "brokers:reports",
    "notices:orders",
    "correspondence-list",
)
#: Registers opened now and then: under the user's name (the main menu holds on one line).
OFFICER_USER_MENU = ("organization-list",)


def menu(html: str) -> str:
    start = html.index('<nav class="site-header__nav"')
    return html[start : html.index("</nav>", start)]


def user_menu(html: str) -> str:
    start = html.index('<ul class="user-menu__list">')
    return html[start : html.index("</ul>", start)]


@pytest.mark.parametrize("viewer", ["embassy_viewer", "maff_viewer"])
def test_a_third_party_menu_offers_no_officer_register(client_for, viewer):
    html = client_for(viewer).get(reverse("home")).content.decode()
    nav = menu(html)
    for url_name in OFFICER_MENU:
        assert f'href="{reverse(url_name)}"' not in nav, url_name
    for url_name in OFFICER_USER_MENU:
        assert f'href="{reverse(url_name)}"' not in user_menu(html), url_name
    # What it keeps: its home, its inbox, the consents that concern it, the public site.
    for url_name in ("home", "inbox", "consent-list", "public:index"):
        assert f'href="{reverse(url_name)}"' in nav, url_name


@pytest.mark.parametrize("officer", ["tj_officer", "jp_contact", "tj_analyst"])
def test_officers_keep_their_registers_in_the_menu(client_for, officer):
    html = client_for(officer).get(reverse("home")).content.decode()
    for url_name in OFFICER_MENU:
        assert f'href="{reverse(url_name)}"' in menu(html), url_name
    for url_name in OFFICER_USER_MENU:
        assert f'href="{reverse(url_name)}"' in user_menu(html), url_name


def test_a_third_party_opening_the_register_is_sent_to_the_public_lists(client_for):
    response = client_for("embassy_viewer").get(reverse("agencies:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{reverse("public:index")}"' in html
    assert "No sending agency has been disclosed to your organization." in html
    assert "No sending agency that you can see matches." not in html


def test_an_officer_register_keeps_its_own_wording(client_for):
    html = client_for("tj_analyst").get(reverse("agencies:list") + "?q=no-such-agency").content.decode()
    assert "No sending agency that you can see matches." in html
    assert "disclosed to your organization" not in html


def test_a_third_party_investigation_list_says_nothing_was_disclosed(client_for):
    html = client_for("maff_viewer").get(reverse("agencies:investigations")).content.decode()
    assert "No investigation has been disclosed to your organization." in html


def current_entry(html: str) -> list[str]:
    import re

    return re.findall(r'<a href="([^"]+)" aria-current="page"', menu(html))


def test_an_investigation_page_marks_investigations_as_the_current_entry(client_for, reported_investigation):
    client = client_for("tj_contact")
    html = client.get(reported_investigation.get_absolute_url()).content.decode()
    assert current_entry(html) == [reverse("agencies:investigations")]
    html = client.get(reported_investigation.agency.get_absolute_url()).content.decode()
    assert current_entry(html) == [reverse("agencies:list")]
