"""In Debian's chromium, the shared-record panels end to end (issue 9): Japan's officer
reports a certified agency for investigation with a PDF; Tajikistan's contact point
opens the file, acknowledges the report and assigns it to an officer, who sends the
result; Japan's contact point asks for and grants Japan's written consent to disclose
its part to a third-party ministry, which then reads Japan's report and file but not
Tajikistan's findings. axe-core finds no WCAG 2.1 A/AA violation on the investigation
page of either contact point or of the third party."""

import datetime as dt
import time
from pathlib import Path

import pytest
from django.utils import timezone

from portal.demo import demo_pdf
from portal.testing import browser
from portal.testing.browser import new_page, no_accessibility_violations, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FACTS = "Workers say the agency took a deposit of USD 1,800 before departure."
FINDINGS = "The agency kept deposits from eleven workers; it has returned them."


@pytest.fixture
def page(live_server):
    with new_page(accept_downloads=True) as page:
        yield page


def sign_in(page, base, username):
    browser.sign_in(page, base, username, language="en")  # the demo users read ja, tg, ru


def download(page, link) -> bytes:
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_bytes()


def test_report_acknowledge_assign_answer_consent_disclose(page, live_server, cast, tmp_path):
    from agencies.models import Investigation
    from agencies.testing import certified
    from portal.models import DisclosureConsent, Organization

    started = time.monotonic()
    base = live_server.url
    agency = certified(cast["tj_officer"], name_en="Journey Agency LLC")
    report = demo_pdf("Statements of the workers", [FACTS])
    (tmp_path / "statements.pdf").write_bytes(report)
    due = timezone.localdate() + dt.timedelta(days=30)

    # Japan's officer reports the agency, with the statements as a PDF.
    sign_in(page, base, "jp-officer")
    page.goto(f"{base}/agencies/{agency.pk}/investigate/")
    page.fill("#id_facts", FACTS)
    page.fill("#id_due_on", due.isoformat())
    page.set_input_files("#id_attachment", str(tmp_path / "statements.pdf"))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    investigation = Investigation.objects.get(agency=agency)
    url = f"{base}{investigation.get_absolute_url()}"
    assert investigation.reference and investigation.acknowledged_at is None
    sign_out(page)

    # Tajikistan's contact point: the panels offer acknowledgement and assignment.
    sign_in(page, base, "tj-contact")
    page.goto(url)
    assert investigation.reference in page.locator(".record-panels").inner_text()
    no_accessibility_violations(page)
    assert download(page, page.locator(".attachments a", has_text="statements.pdf")) == report
    page.click("form[action$='/acknowledge/'] button")
    page.wait_for_url(url)
    page.select_option("form[action$='/assign/'] select", str(cast["tj_officer"].pk))
    page.click("form[action$='/assign/'] button[type=submit]")
    page.wait_for_url(url)
    investigation.refresh_from_db()
    assert investigation.acknowledged_by == cast["tj_contact"]
    assert investigation.assigned_to == cast["tj_officer"]
    assert investigation.stage == "under_investigation"
    sign_out(page)

    # The officer sends the result to Japan.
    sign_in(page, base, "tj-officer")
    page.goto(url)
    page.click("a[href$='/result/']")
    page.fill("#id_findings", FINDINGS)
    page.fill("#id_measures", "Written guidance.")
    page.select_option("#id_outcome", "guidance")
    page.click("main button[type=submit]")
    page.wait_for_url(url)
    sign_out(page)

    # Japan's contact point asks for Japan's written consent to disclose to MAFF, and
    # decides it: Japan's side is its to decide.
    maff = Organization.objects.get(code="jp-maff")
    sign_in(page, base, "jp-contact")
    page.goto(url)
    assert FINDINGS in page.locator("main").inner_text()
    page.click("a[href$='/request-consent/']")
    page.select_option("#id_third_party", str(maff.pk))
    page.select_option("#id_side", str(cast["jp_contact"].organization.side_id))
    page.fill("#id_purpose", "MAFF checks the agency's placements in agriculture.")
    page.fill("#id_requested_until", (timezone.localdate() + dt.timedelta(days=60)).isoformat())
    page.click("main button[type=submit]")
    page.wait_for_url(url)
    no_accessibility_violations(page)  # the pending request, with its decision form
    decide = page.locator("form[action*='/consent-requests/'][action$='/decide/']")
    decide.locator("input[value=grant]").check()
    decide.locator("textarea").fill("For this purpose only.")
    decide.locator("button[type=submit]").click()
    page.wait_for_url(url)
    consent = DisclosureConsent.objects.get(third_party=maff)
    assert consent.is_active() and consent.side.country == "JP"
    assert consent.document_reference in page.locator("main").inner_text()
    sign_out(page)

    # The third party reads Japan's report and file, not Tajikistan's findings.
    sign_in(page, base, "maff-viewer")
    page.goto(url)
    main = page.locator("main").inner_text()
    assert FACTS in main and investigation.reference in main
    assert FINDINGS not in main and "Written guidance." not in main
    assert download(page, page.locator(".attachments a", has_text="statements.pdf")) == report
    no_accessibility_violations(page)
    sign_out(page)
    assert time.monotonic() - started < 120
