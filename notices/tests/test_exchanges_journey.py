"""In Debian's chromium (issue 13; clauses 4(2), 6(4), 7(6)): a Tajik officer, in
Russian, asks Japan an inquiry; it falls due unanswered; Japan's contact point, in
Japanese, answers it — late. The statistics page shows one inquiry from Tajikistan
answered late, and the briefing pack of the next consultation, with the inquiry on its
agenda, lists it and counts it.

axe-core finds no WCAG 2.1 A/AA violation on any page visited."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest

from portal import outbox
from portal.testing.browser import new_page, no_accessibility_violations, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_inquiry_answered_late_is_counted_and_reaches_the_briefing_pack(live_server, cast):
    from django.utils import timezone, translation

    from notices.consultations import services as consultations
    from notices.consultations.testing import facts
    from notices.models import BriefingPack, Inquiry
    from notices.statistics.figures import compute

    base = live_server.url
    with new_page() as page:
        # --- Tajikistan asks, in Russian ---------------------------------------------
        sign_in(page, base, "tj-officer", language="ru")
        page.goto(f"{base}/notices/inquiries/new/")
        no_accessibility_violations(page)
        page.fill("#id_subject", "Сроки выдачи вида на жительство")
        page.fill("#id_question", "Сколько дней занимает продление статуса «Особые навыки (i)»?")
        page.fill("#id_due_on", timezone.localdate().isoformat())
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        inquiry = Inquiry.objects.get()
        assert page.url == f"{base}/notices/inquiries/{inquiry.pk}/"
        assert inquiry.reference in page.locator("main").inner_text()
        no_accessibility_violations(page)
        sign_out(page)

        # Two days pass with no answer.
        Inquiry.objects.filter(pk=inquiry.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))
        outbox.drain()

        # --- Japan's contact point answers, in Japanese: late ----------------------------
        sign_in(page, base, "jp-contact", language="ja")
        page.goto(f"{base}/notices/inquiries/overdue/")
        assert inquiry.reference in page.locator("main").inner_text()
        no_accessibility_violations(page)
        page.goto(f"{base}/notices/inquiries/{inquiry.pk}/answer/")
        no_accessibility_violations(page)
        page.fill("#id_answer", "通常、更新の審査には二週間から一か月を要します。")
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        inquiry.refresh_from_db()
        assert inquiry.answered_at is not None and inquiry.answered_late is True
        assert page.url == f"{base}/notices/inquiries/{inquiry.pk}/"
        no_accessibility_violations(page)

        # --- The statistics: one inquiry of Tajikistan's answered late ------------------
        page.goto(f"{base}/notices/statistics/")
        no_accessibility_violations(page)
        today = timezone.localdate()
        statistics = compute(cast["jp_contact"], memorandum=inquiry.memorandum, start=today, end=today)
        columns = [column.key for column in statistics.figure("inquiries").columns]
        tajikistan = cast["tj_officer"].organization.side.code
        late = columns.index(f"{tajikistan}.late")
        totals = page.locator("#figure-inquiries tfoot td").all_inner_texts()
        assert [text.strip() for text in totals] == ["1" if i == late else "0" for i in range(len(columns))]

        # --- The next consultation: the inquiry on its agenda, the pack in Japanese -----
        consultation = consultations.schedule_consultation(cast["jp_contact"], **facts())
        consultations.add_agenda_item(
            consultation,
            cast["jp_contact"],
            topic="c",
            title="照会への回答の遅れ",
            references=[inquiry.reference],
        )
        page.goto(f"{base}{consultation.get_absolute_url()}")
        no_accessibility_violations(page)
        assert inquiry.reference in page.locator("main").inner_text()
        page.select_option("#id_pack_language", "ja")
        page.click("form[action$='/packs/'] button[type=submit]")
        page.wait_for_load_state()
        outbox.drain()
        pack = BriefingPack.objects.get(consultation=consultation)
        for _ in range(60):
            pack.refresh_from_db()
            if pack.status in ("done", "failed"):
                break
            page.wait_for_timeout(500)
            outbox.drain()
        assert pack.status == "done", pack.status
        page.goto(f"{base}/notices/consultations/{consultation.pk}/packs/{pack.pk}/")
        no_accessibility_violations(page)
        response = page.request.get(f"{base}/notices/consultations/{consultation.pk}/packs/{pack.pk}/pdf/")
        assert response.status == 200
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=response.body(), capture_output=True, check=True
        ).stdout.decode()
        assert inquiry.reference in text
        # The inquiries' table in the pack: this month's row, Tajikistan's late column at 1.
        with translation.override("ja"):
            title = (
                compute(cast["jp_contact"], memorandum=inquiry.memorandum, start=today, end=today)
                .figure("inquiries")
                .title
            )
        assert title in text
        row = re.search(
            rf"^\s*{today:%Y-%m}\s+((?:\d+\s+){{{len(columns) - 1}}}\d+)\s*$", text[text.index(title) :], re.M
        )
        assert row, text
        assert row.group(1).split() == ["1" if i == late else "0" for i in range(len(columns))]
