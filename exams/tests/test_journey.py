"""In Debian's chromium (issue 14; clause 5): the JLPT's body sends its results and
Japan's side imports them; a Japan-side officer, in Japanese, checks a certificate a
candidate presented — the register holds that number for that holder with another date
of birth, so it does not match (the page names the field, never the registered date);
from the answer the officer opens a fraud report pre-filled with what was entered and
shares it; Tajikistan's contact point, in Tajik, finds it in the inbox and acknowledges
it, which starts the follow-up.

axe-core finds no WCAG 2.1 A/AA violation on any page visited."""

from __future__ import annotations

import pytest

from portal import outbox
from portal.testing.browser import new_page, no_accessibility_violations, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: What the JLPT's body sent: the holder of the certificate, born on 14 March 2001.
RESULTS = (
    "certificate_number,name_latin,name_cyrillic,date_of_birth,test,test_date,result\n"
    "JL2026TJN40042,Rakhimov Farrukh,Раҳимов Фаррух,2001-03-14,jlpt-n4,2026-07-05,N4 pass\n"
    "JL2026TJN40043,Saidova Madina,Саидова Мадина,2002-11-02,jlpt-n4,2026-07-05,N4 pass\n"
)
REGISTERED_BIRTH = ("2001-03-14", "2001/03/14", "14.03.2001")


def test_a_forged_certificate_is_checked_reported_and_received(live_server, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from exams.models import CertificateCheck, Exam, FraudReport, PassResult
    from exams.results import services as results
    from portal.models import Notification

    base = live_server.url
    imported = results.upload(cast["jp_contact"], SimpleUploadedFile("jlpt-2026-07.csv", RESULTS.encode()))
    outbox.drain()
    imported.refresh_from_db()
    assert (imported.status, imported.added) == ("done", 2)
    assert PassResult.objects.count() == 2
    jlpt = Exam.objects.get(code="jlpt-n4")

    with new_page() as page:
        # --- Japan's officer checks the certificate presented, in Japanese ---------------
        sign_in(page, base, "jp-officer", language="ja")
        page.goto(f"{base}/exams/checks/")
        no_accessibility_violations(page)
        page.select_option("#id_exam", str(jlpt.pk))
        page.fill("#id_certificate_number", "jl2026tjn40042")  # typed in lower case
        page.fill("#id_name", "Раҳимов Фаррух")  # as the candidate's passport gives it
        page.fill("#id_date_of_birth", "1999-03-14")  # what the forged certificate says
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        check = CertificateCheck.objects.get()
        assert page.url == f"{base}/exams/checks/{check.pk}/"
        assert (check.outcome, check.differing_fields) == ("does_not_match", ["date_of_birth"])
        answer = page.locator("main").inner_text()
        assert not any(date in answer for date in REGISTERED_BIRTH), answer
        assert "Rakhimov" not in answer  # the registered Latin name is not shown either
        no_accessibility_violations(page)

        # --- A fraud report pre-filled with what was entered ----------------------------
        page.click(f"main a[href='/exams/fraud/new/?check={check.pk}']")
        page.wait_for_load_state()
        assert page.input_value("#id_exam") == str(jlpt.pk)
        assert page.input_value("#id_kind") == "forged_certificate"
        assert page.input_value("#id_persons-0-name") == "Раҳимов Фаррух"
        assert page.input_value("#id_persons-0-date_of_birth") == "1999-03-14"
        assert page.input_value("#id_persons-0-certificate_number") == "JL2026TJN40042"
        assert page.input_value("#id_narrative")  # says what the check found
        no_accessibility_violations(page)
        page.fill(
            "#id_narrative",
            page.input_value("#id_narrative") + "\n送出機関の面接で提示された合格証の写しによる。",
        )
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        report = FraudReport.objects.get()
        assert page.url == f"{base}/exams/fraud/{report.pk}/"
        assert report.status == "draft" and report.exam == jlpt
        person = report.persons.get()
        assert (person.name, str(person.date_of_birth), person.certificate_number) == (
            "Раҳимов Фаррух",
            "1999-03-14",
            "JL2026TJN40042",
        )
        page.click(f"form[action='/exams/fraud/{report.pk}/share/'] button")
        page.wait_for_load_state()
        report.refresh_from_db()
        assert report.status == "shared" and report.reference in page.locator("main").inner_text()
        no_accessibility_violations(page)
        sign_out(page)
        outbox.drain()

        # --- Tajikistan's contact point receives it, in Tajik, and acknowledges ---------
        item = Notification.objects.get(kind="exams.fraud_reported", url=report.get_absolute_url())
        assert item.organization == cast["tj_contact"].organization
        sign_in(page, base, "tj-contact", language="tg")
        page.goto(f"{base}/inbox/")
        link = page.locator(f"a[href='/inbox/{item.pk}/open/']")
        assert report.reference in link.inner_text()
        no_accessibility_violations(page)
        link.click()
        page.wait_for_url(f"{base}/exams/fraud/{report.pk}/")
        main = page.locator("main").inner_text()
        assert "Раҳимов Фаррух" in main and "JL2026TJN40042" in main
        no_accessibility_violations(page)
        page.click("main form[action$='/acknowledge/'] button")
        page.wait_for_load_state()
        report.refresh_from_db()
        assert report.acknowledged_at is not None and report.stage == "follow_up"
        no_accessibility_violations(page)
