"""In Debian's chromium: a Tajik officer screens and certifies an agency, Japan's
contact point sees the notice, the public page shows the agency; the officer revokes it
and the public page and the feed show the revocation."""

import pytest
from django.utils import translation

from portal.testing.browser import new_page, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(live_server):
    with new_page() as page:
        yield page


def test_certify_notify_publish_revoke(page, live_server, cast):
    base = live_server.url
    sign_in(page, base, "tj-officer")
    page.goto(f"{base}/agencies/new/")
    page.fill("#id_name_tg", "Ширкати «Сафари Ҷопон»")
    page.fill("#id_name_ja", "サファリ・ジャパン")
    page.fill("#id_registration_number", "REG-PW-1")
    page.fill("#id_region", "Sughd")
    page.fill("#id_city", "Khujand")
    page.check("input[name=sectors] >> nth=0")
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('Сафари')")
    agency_url = page.url

    page.click("form[action$='/screening/start/'] button")
    page.wait_for_url("**/screenings/**")  # starting a screening opens it
    for radio in page.locator("input[type=radio][name^=result_][value=met]").all():
        radio.check()
    page.click("main button[type=submit]")
    page.wait_for_url(agency_url)

    page.click("a[href$='/certify/']")
    page.fill("#id_certification_number", "TJ-PW-0001")
    page.fill("#id_certified_on", "2026-11-01")
    page.fill("#id_valid_until", "2027-11-01")
    page.click("main button[type=submit]")
    page.wait_for_url(agency_url)
    assert "TJ-PW-0001" in page.locator("main").inner_text()
    sign_out(page)

    sign_in(page, base, "jp-contact")
    inbox = page.locator(".inbox").first.inner_text()
    assert "TJ-PW-0001" in inbox and "Сафари" in inbox
    sign_out(page)

    page.goto(f"{base}/public/agencies/japan/?lang=en")
    assert "TJ-PW-0001" in page.locator("#certified-heading + div").inner_text()

    sign_in(page, base, "tj-officer")
    page.goto(agency_url)
    page.click("a[href$='/revoke/']")
    page.select_option("#id_public_reason", "improper_conduct")
    page.fill("#id_reason", "Held workers' passports.")
    page.fill("#id_effective_on", "2026-11-20")
    page.click("main button[type=submit]")
    page.wait_for_url(agency_url)
    sign_out(page)

    page.goto(f"{base}/public/agencies/tajikistan/?lang=en")
    withdrawn = page.locator("#withdrawn-heading ~ div").first.inner_text()
    assert "TJ-PW-0001" in withdrawn and "2026-11-20" in withdrawn and "Improper conduct" in withdrawn
    assert "TJ-PW-0001" not in page.locator("#certified-heading ~ *").first.inner_text()
    feed = page.request.get(f"{base}/public/agencies/tajikistan/feed.atom").text()
    with translation.override("tg"):  # Tajikistan's feed is in its publication language
        revoked = translation.gettext("Certification revoked")
    assert f"{revoked}: TJ-PW-0001" in feed
