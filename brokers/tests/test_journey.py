"""In Debian's chromium, a broker report from filing to disclosure and back (issue 11;
clauses 1, 3 and 4(1)):

- a Tajik officer (in Russian) records a broker under his Tajik Cyrillic name, files a
  report of categories (a) and (e) naming him, and shares it;
- Japan's contact point opens the inbox item, acknowledges the report, and finds the
  same broker typed in Latin and in katakana;
- a user of a sector ministry that is not a signatory (the Ministry of Agriculture,
  Forestry and Fisheries) cannot see the report; Tajikistan's contact point records its
  written consent; now MAFF can read it; the consent expires; it cannot any more.

axe-core finds no WCAG 2.1 A/AA violation on any page visited."""

from __future__ import annotations

import datetime as dt

import pytest

from portal import outbox
from portal.testing.browser import new_page, no_accessibility_violations, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CYRILLIC = "Раҳимов Фаррух"
NARRATIVE = "Пятеро работников заплатили посреднику и остались без паспортов."


def test_a_report_is_filed_acknowledged_matched_and_disclosed_only_with_consent(live_server, cast):
    from brokers import services
    from brokers.models import Broker, MisconductReport
    from portal.models import DisclosureConsent, Notification

    # Lookalikes already known to both sides: the match must put the right one first.
    for name in ("Раҳмонов Фарҳод", "Rahimova Farangis", "Раҳимов Фирдавс"):
        lookalike = services.record_broker(cast["tj_contact"], name=name, kind="person", country="TJ")
        services.share_broker(lookalike, cast["tj_contact"])
    base = live_server.url
    with new_page() as page:
        # --- Tajikistan: the broker, then the report, in Russian -------------------
        sign_in(page, base, "tj-officer", language="ru")
        page.goto(f"{base}/brokers/brokers/new/")
        no_accessibility_violations(page)
        page.select_option("#id_kind", "person")
        page.fill("#id_name", CYRILLIC)
        page.fill("#id_country", "TJ")
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        if page.locator("#id_confirm_new").count():  # lookalikes shown first: it is none of them
            page.check("#id_confirm_new")
            page.click("main button[type=submit]")
            page.wait_for_load_state()
        broker = Broker.objects.get(name=CYRILLIC)
        assert page.url == f"{base}/brokers/{broker.pk}/"
        no_accessibility_violations(page)

        page.goto(f"{base}/brokers/reports/new/?broker={broker.pk}")
        assert page.input_value("#id_brokers") == broker.reference  # from the broker's page
        page.check("input[name=categories][value=a]")
        page.check("input[name=categories][value=e]")
        page.click("main button[type=submit]")  # the facts (a) and (e) need are missing
        page.wait_for_load_state()
        assert page.locator("[role=alert]").count() >= 1
        assert not MisconductReport.objects.exists()
        no_accessibility_violations(page)
        page.fill("#id_held_amount", "2000")
        page.select_option("#id_held_currency", "USD")
        page.fill("#id_held_items", "Паспорта и залог")
        page.fill("#id_fee_amount", "15000")
        page.select_option("#id_fee_currency", "TJS")
        page.fill("#id_narrative", NARRATIVE)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        report = MisconductReport.objects.get()
        assert page.url == f"{base}/brokers/reports/{report.pk}/"
        assert report.categories == "ae"
        page.click(f"form[action='/brokers/reports/{report.pk}/share/'] button")
        page.wait_for_url(f"{base}/brokers/reports/{report.pk}/")
        report.refresh_from_db()
        assert report.status == "shared" and report.reference in page.locator("main").inner_text()
        no_accessibility_violations(page)
        sign_out(page)
        outbox.drain()

        # --- Japan's contact point: inbox, acknowledgement, the same broker ----------
        item = Notification.objects.get(kind="brokers.reported", url=report.get_absolute_url())
        sign_in(page, base, "jp-contact", language="en")
        page.goto(f"{base}/inbox/")
        link = page.locator(f"a[href='/inbox/{item.pk}/open/']")
        assert report.reference in link.inner_text()
        link.click()
        page.wait_for_url(f"{base}/brokers/reports/{report.pk}/")
        no_accessibility_violations(page)
        page.click("main form button:has-text('Acknowledge receipt')")
        page.wait_for_load_state()
        report.refresh_from_db()
        assert report.acknowledged_at is not None and report.stage == "follow_up"
        for typed in ("Rakhimov Farrukh", "ラヒモフ・ファルフ"):
            page.goto(f"{base}/brokers/brokers/?q={typed}")
            rows = page.locator("section[aria-labelledby=broker-matches-heading] tbody tr")
            assert rows.count() >= 2, typed  # the lookalikes are candidates too, after him
            assert rows.first.get_attribute("data-id") == str(broker.pk), typed
        no_accessibility_violations(page)
        sign_out(page)

        # --- MAFF, a third party: nothing without consent -----------------------------
        sign_in(page, base, "maff-viewer", language="en")
        assert page.goto(f"{base}/brokers/reports/{report.pk}/").status == 404
        sign_out(page)

        # --- Tajikistan's contact point records its written consent ------------------
        sign_in(page, base, "tj-contact", language="en")
        page.goto(f"{base}/brokers/reports/{report.pk}/")
        page.click("a:has-text('Record a written consent to disclose')")
        page.wait_for_load_state()
        no_accessibility_violations(page)
        maff = cast["maff_viewer"].organization
        page.select_option("#id_third_party", str(maff.pk))
        page.fill("#id_document_reference", "MLME No. 41/2026")
        until = (dt.datetime.now() + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
        page.fill("#id_expires_at", until)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{base}/brokers/reports/{report.pk}/")
        consent = DisclosureConsent.objects.get(third_party=maff)
        sign_out(page)

        # --- MAFF now reads the report, Tajikistan's part of it ------------------------
        sign_in(page, base, "maff-viewer", language="en")
        assert page.goto(f"{base}/brokers/reports/{report.pk}/").status == 200
        main = page.locator("main").inner_text()
        assert report.reference in main and NARRATIVE in main
        no_accessibility_violations(page)

        # --- The consent expires: the report is gone again ------------------------------
        type(consent).objects.filter(pk=consent.pk).update(expires_at=consent.granted_at)
        assert page.goto(f"{base}/brokers/reports/{report.pk}/").status == 404
        page.goto(f"{base}/brokers/")
        assert report.reference not in page.locator("body").inner_text()
