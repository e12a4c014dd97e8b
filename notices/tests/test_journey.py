"""In Debian's chromium (issue 12; clauses 6(3), 7(5)): a Japan-side officer, in
Japanese, records an improvement order and uploads the register of registered support
organizations — the preview shows the organization the register dropped since the
previous import, then the import is applied; a visitor without an account reads
Tajikistan's two public lists in Tajik: the order, and the dropped organization in its
own section with the date it was found missing.

axe-core finds no WCAG 2.1 A/AA violation on any page visited."""

from __future__ import annotations

import datetime as dt

import pytest

from portal import outbox
from portal.testing.browser import new_page, no_accessibility_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
D1, D2 = dt.date(2026, 9, 30), dt.date(2026, 10, 31)


def test_japan_records_an_order_and_a_register_that_tajikistan_publishes(live_server, cast):
    from notices.models import ImprovementOrder, RegisterImport
    from notices.register import services as register
    from notices.register.matrix import organization, register_workbook, upload

    first = [organization(n) for n in range(1, 7)]
    dropped = first[3]
    second = [row for row in first if row is not dropped]
    register.apply_import(
        cast["jp_officer"],
        register.preview_import(cast["jp_officer"], upload(register_workbook(first, as_of=D1))),
    )
    outbox.drain()
    base = live_server.url
    with new_page() as page:
        sign_in(page, base, "jp-officer", language="ja")
        # --- The improvement order --------------------------------------------------
        page.goto(f"{base}/notices/orders/new/")
        no_accessibility_violations(page)
        page.fill("#id_organization_name", "株式会社 東海精機")
        page.fill("#id_corporate_number", "８４３０００１０１２３４０")  # as typed in Japan: full-width
        page.fill("#id_address", "愛知県名古屋市中区栄三丁目1番1号")
        page.select_option("#id_sector", index=1)
        page.fill("#id_issued_on", (dt.date.today() - dt.timedelta(days=3)).isoformat())
        page.fill("#id_violations", "支援計画に基づく定期面談を実施していなかった。")
        page.fill("#id_measures", "三か月に一回以上の定期面談を実施すること。")
        page.fill("#id_public_notice", "出入国在留管理庁 公示第12号")
        page.fill("#id_tajik_workers", "3")
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        order = ImprovementOrder.objects.get()
        assert page.url == f"{base}/notices/orders/{order.pk}/"
        assert order.corporate_number == "8430001012340" and order.prefecture == "23"
        assert order.reference in page.locator("main").inner_text()
        no_accessibility_violations(page)

        # --- The register: preview, then apply ---------------------------------------
        page.goto(f"{base}/notices/register/imports/new/")
        no_accessibility_violations(page)
        page.set_input_files(
            "input[type=file]",
            {
                "name": "touroku-shien-kikan.xlsx",
                "mimeType": XLSX,
                "buffer": register_workbook(second, as_of=D2),
            },
        )
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        draft = RegisterImport.objects.get(status="draft")
        assert page.url == f"{base}/notices/register/imports/{draft.pk}/"
        assert dropped["registration_number"] in page.locator("main").inner_text()  # shown as removed
        no_accessibility_violations(page)
        page.click(f"form[action='/notices/register/imports/{draft.pk}/apply/'] button")
        page.wait_for_load_state()
        draft.refresh_from_db()
        assert draft.status == "shared" and draft.removed == [dropped["registration_number"]]
    outbox.drain()  # the public lists' new versions (the live server has no worker)

    with new_page(locale="tg-TJ") as page:
        page.goto(f"{base}/public/improvement-orders/tajikistan/?lang=tg")
        assert page.locator("html").get_attribute("lang") == "tg"
        main = page.locator("main").inner_text()
        assert "株式会社 東海精機" in main and order.reference in main and "Айти" in main
        no_accessibility_violations(page)
        page.click("a:has-text('株式会社 東海精機')")
        page.wait_for_load_state()
        assert "三か月に一回以上" in page.locator("main").inner_text()
        assert "3" not in page.locator("main dl").inner_text().split()  # the workers are not published
        no_accessibility_violations(page)

        page.goto(f"{base}/public/support-organizations/tajikistan/?lang=tg")
        removed = page.locator("section[aria-labelledby='removed-heading']").inner_text()
        assert dropped["registration_number"] in removed and D2.isoformat() in removed
        registered = page.locator("section[aria-labelledby='registered-heading']").inner_text()
        assert dropped["registration_number"] not in registered
        assert all(row["registration_number"] in registered for row in second)
        no_accessibility_violations(page)
        page.select_option("#language", "ru")
        page.click("main form[role=search] button[type=submit]")
        page.wait_for_load_state()
        shown = page.locator("section[aria-labelledby='registered-heading']").inner_text()
        assert all((row["registration_number"] in shown) == ("ru" in row["languages"]) for row in second)
        no_accessibility_violations(page)
