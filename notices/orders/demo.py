"""Demo improvement orders for ``make run`` (6(3), 7(5)): five orders Japan issued to
receiving organizations in nursing care, manufacturing, food service, construction and
agriculture, recorded and shared with Tajikistan through the services as officers would:
two acknowledged (one of them assigned), one corrected, one withdrawn as recorded in
error. Run twice, it adds nothing (``seed`` stops when an order exists)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from notices.models import ImprovementOrder
from portal.records import services as kit

from . import services

#: (author, days ago, facts, what follows: "", "acknowledged", "assigned", "corrected", "withdrawn")
ORDERS = [
    (
        "jp-officer",
        62,
        {
            "organization_name": "社会福祉法人 さくら会",
            "corporate_number": "4180001012345",
            "address": "愛知県名古屋市中区栄三丁目1番1号",
            "sector": "nursing-care",
            "violations": "特定技能外国人に対する支援計画に基づく定期的な面談が実施されていなかった。"
            "\nRegular interviews under the support plan were not held.",
            "measures": "支援計画に基づく面談を3か月に1回以上実施し、その記録を備え置くこと。"
            "\nHold the interviews at least every three months and keep their records.",
            "public_notice": "出入国在留管理庁 公示第12号",
            "tajik_workers": 4,
        },
        "assigned",
    ),
    (
        "jp-contact",
        45,
        {
            "organization_name": "株式会社 東海精密工業",
            "corporate_number": "9120001098765",
            "address": "大阪府堺市北区長曽根町130番地",
            "sector": "industrial-products",
            "violations": "雇用契約に定める報酬が支払われていなかった（時間外労働の割増賃金の未払い）。"
            "\nOvertime premiums agreed in the employment contract were not paid.",
            "measures": "未払いの割増賃金を支払い、賃金台帳を是正すること。"
            "\nPay the premiums owed and correct the wage ledger.",
            "public_notice": "https://www.moj.go.jp/isa/applications/ssw/kaizen.html",
            "tajik_workers": 7,
        },
        "acknowledged",
    ),
    (
        "jp-officer",
        30,
        {
            "organization_name": "有限会社 みなと食堂",
            "corporate_number": "9130001055501",
            "address": "東京都港区芝浦一丁目2番3号",
            "sector": "food-service",
            "violations": "受入れ状況に係る届出が提出されていなかった。"
            "\nThe notifications of the acceptance status were not filed.",
            "measures": "未提出の届出を速やかに提出し、届出の担当者を定めること。"
            "\nFile the missing notifications and name who files them.",
            "public_notice": "出入国在留管理庁 公示第15号",
            "tajik_workers": 2,
        },
        "corrected",
    ),
    (
        "jp-officer",
        21,
        {
            "organization_name": "株式会社 北陸建設",
            "corporate_number": "8140001077702",
            "address": "Kanazawa-shi, Ishikawa 920-0962",
            "sector": "construction",
            "violations": "建設キャリアアップシステムへの登録がされていなかった。"
            "\nThe workers were not registered with the Construction Career Up System.",
            "measures": "全ての特定技能外国人を登録し、受入計画を遵守すること。"
            "\nRegister every SSW worker and keep to the acceptance plan.",
            "public_notice": "国土交通省 公示第3号",
            "tajik_workers": 5,
        },
        "",
    ),
    (
        "jp-contact",
        9,
        {
            "organization_name": "農事組合法人 みどりファーム",
            "corporate_number": "2170001033303",
            "address": "熊本県菊池市七城町甲100番地",
            "sector": "agriculture",
            "violations": "住居の確保に係る支援が行われていなかった。"
            "\nNo support was given in securing housing.",
            "measures": "適切な住居を確保し、支援の実施状況を報告すること。"
            "\nSecure suitable housing and report on the support given.",
            "public_notice": "出入国在留管理庁 公示第18号",
            "tajik_workers": 3,
        },
        "withdrawn",
    ),
]


def seed(users) -> None:
    if ImprovementOrder.objects.exists():
        return
    today = timezone.localdate()
    with transaction.atomic():
        for author, days, facts, then in ORDERS:
            officer = users[author]
            order = services.record_order(officer, issued_on=today - dt.timedelta(days=days), **facts)
            if then in ("acknowledged", "assigned"):
                order = kit.acknowledge(order, users["tj-contact"])
            if then == "assigned":
                kit.assign(order, users["tj-contact"], assignee=users["tj-officer"])
            if then == "corrected":
                services.correct_order(
                    order,
                    officer,
                    tajik_workers=facts["tajik_workers"] + 1,
                    reason="One more worker was found on the payroll.",
                )
            if then == "withdrawn":
                services.withdraw_order(
                    order, officer, reason="Recorded twice: the same order was recorded the same day."
                )
