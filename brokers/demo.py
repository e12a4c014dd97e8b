"""Demo brokers and misconduct reports for ``make run`` (4(1)): twelve brokers of both
sides, known by names in Tajik and Russian Cyrillic, Latin and katakana, two of them
records of one broker merged; fifteen reports across the categories (a)–(e), in every
stage: drafts, shared and waiting for acknowledgement (one past the reminder's limit),
acknowledged and in follow-up with comments from both sides, assigned, closed with an
outcome, and one disclosed to the Ministry of Agriculture, Forestry and Fisheries with
Tajikistan's written consent. Made through the services, as officers would; run twice,
it adds nothing (``seed`` stops when brokers exist)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.models import Organization
from portal.records import services as kit
from portal.records.models import RecordEvent

from . import services
from .choices import Outcome
from .models import Broker

#: (key, author, name, aliases, kind, country, identifiers and more, shared)
BROKERS = [
    (
        "rahimov",
        "tj-officer",
        "Раҳимов Фаррух Ҷамшедович",
        ["Рахимов Фаррух Джамшедович", "Rakhimov Farrukh", "ラヒモフ・ファルフ"],
        "person",
        "TJ",
        {"passport_number": "400123456", "taxpayer_number": "510234567", "addresses": "Khujand, Sughd"},
        True,
    ),
    (
        "ghafurov",
        "tj-officer",
        "Ғафуров Ҷамшед",
        ["Гафуров Джамшед", "Ghafurov Jamshed", "ガフロフ・ジャムシェド"],
        "person",
        "TJ",
        {"passport_number": "400765432", "addresses": "Dushanbe, Shohmansur district"},
        True,
    ),
    (
        "rohi-jopon",
        "tj-contact",
        "Ширкати «Роҳи Ҷопон»",
        ["ООО «Рохи Джопон»", "Rohi Jopon LLC", "ロヒ・ジョポン"],
        "company",
        "TJ",
        {"taxpayer_number": "520987654", "addresses": "Dushanbe, Rudaki Ave. 48"},
        True,
    ),
    (
        "qodirov",
        "tj-officer",
        "Қодиров Бахтиёр",
        ["Кодиров Бахтиёр", "Qodirov Bakhtiyor", "コディロフ・バフティヨル"],
        "person",
        "TJ",
        {"addresses": "Bokhtar, Khatlon"},
        True,
    ),
    (
        "nazarov",
        "tj-officer",
        "Назаров Умед",
        ["Nazarov Umed"],
        "person",
        "TJ",
        {"passport_number": "401112223"},
        True,
    ),
    (
        "osiyo-korho",
        "tj-contact",
        "Агентии «Осиё Корҳо»",
        ["Агентство «Азия Корхо»", "Osiyo Korho Agency"],
        "company",
        "TJ",
        {"taxpayer_number": "530111222", "addresses": "Kulob, Khatlon"},
        True,
    ),
    (
        "hasanova",
        "tj-officer",
        "Ҳасанова Мавҷуда",
        ["Hasanova Mavjuda", "ハサノワ・マフジュダ"],
        "person",
        "TJ",
        {},
        False,
    ),
    (
        "sakura",
        "jp-officer",
        "株式会社サクラ人材",
        ["Sakura Jinzai KK", "サクラジンザイ"],
        "company",
        "JP",
        {"corporate_number": "1180301012345", "addresses": "Nagoya, Aichi"},
        True,
    ),
    (
        "yamada",
        "jp-officer",
        "山田 太郎",
        ["Yamada Taro", "ヤマダ・タロウ"],
        "person",
        "JP",
        {"addresses": "Toyohashi, Aichi"},
        True,
    ),
    (
        "rahimov-jp",
        "jp-officer",
        "ラヒモフ・ファルフ",
        ["Rahimov Farruh"],
        "person",
        "TJ",
        {"notes": "Met the workers at Narita on arrival."},
        True,
    ),
    (
        "northern-bridge",
        "jp-contact",
        "Northern Bridge Consulting",
        ["ノーザン・ブリッジ・コンサルティング"],
        "company",
        "JP",
        {"corporate_number": "4011001067890", "addresses": "Tokyo, Minato"},
        True,
    ),
    (
        "davlatov",
        "jp-officer",
        "ダヴラトフ・シノ",
        ["Davlatov Sino", "Давлатов Сино"],
        "person",
        "TJ",
        {},
        False,
    ),
]

A = {"held_amount": Decimal("2000"), "held_currency": "USD", "held_items": "Passports and a cash deposit"}
B = {"contract_terms": "A penalty of USD 3,000 for leaving the employer before three years."}
C = {"violence_nature": "Threats to the workers' families in Tajikistan when they asked for their passports."}
D = {
    "forged_documents": "Japanese-language test certificates",
    "forged_procedure": "Certificate of Eligibility",
}
E = {"fee_amount": Decimal("15000"), "fee_currency": "TJS"}

#: (author, brokers, categories, facts, narrative, what happens next, days ago)
REPORTS = [
    (
        "tj-officer",
        ["rahimov"],
        "ae",
        {**A, **E},
        "Eight workers paid a deposit and a fee with no receipt; their passports were kept until departure.",
        "shared",
        2,
    ),
    (
        "tj-officer",
        ["rohi-jopon"],
        "b",
        B,
        "Workers signed a second contract in Dushanbe with penalty terms.",
        "follow-up",
        20,
    ),
    (
        "tj-officer",
        ["ghafurov"],
        "c",
        C,
        "Three workers were threatened after complaining to the embassy.",
        "closed",
        45,
    ),
    (
        "tj-officer",
        ["qodirov"],
        "d",
        D,
        "Test certificates presented for five workers were not issued by the test body.",
        "draft",
        0,
    ),
    (
        "tj-contact",
        ["osiyo-korho"],
        "e",
        E,
        "Fees charged for 'training' without any breakdown.",
        "consented",
        15,
    ),
    (
        "tj-officer",
        ["rahimov", "nazarov"],
        "a",
        A,
        "Passports were held in a hotel in Osaka for a week.",
        "assigned",
        12,
    ),
    (
        "tj-officer",
        ["hasanova"],
        "ac",
        {**A, **C},
        "A worker's savings were held and she was not allowed to leave the dormitory.",
        "draft",
        0,
    ),
    (
        "tj-officer",
        ["rohi-jopon"],
        "be",
        {**B, **E},
        "Transfer terms and an unexplained fee in the same contract.",
        "shared",
        10,
    ),
    (
        "jp-officer",
        ["sakura"],
        "d",
        D,
        "Forged employment records were filed with applications.",
        "shared",
        1,
    ),
    (
        "jp-officer",
        ["yamada"],
        "ab",
        {**A, **B},
        "A supervisor kept residence cards and threatened penalties.",
        "follow-up",
        25,
    ),
    (
        "jp-contact",
        ["northern-bridge"],
        "c",
        C,
        "Workers were confined to a company dormitory at night.",
        "acknowledged",
        8,
    ),
    ("jp-officer", ["rahimov"], "e", E, "Workers paid the broker again on arrival in Japan.", "shared", 4),
    ("jp-officer", ["davlatov"], "de", {**D, **E}, "A fee was charged for forged documents.", "draft", 0),
    ("jp-officer", ["sakura"], "b", B, "Penalty terms were found in three contracts.", "closed", 60),
    ("jp-contact", ["northern-bridge"], "a", A, "A deposit of USD 2,000 was required.", "draft", 0),
]


def _backdate(record, days: int) -> None:
    """Move a demo record and its timeline ``days`` into the past; acknowledgement and
    what followed it keep a day's distance from the sharing (the audit trail keeps the
    real times: it is append-only)."""
    if not days:
        return
    shift = dt.timedelta(days=days)
    later = dt.timedelta(hours=26)
    type(record).objects.filter(pk=record.pk).update(
        created_at=F("created_at") - shift - dt.timedelta(hours=5),
        shared_at=F("shared_at") - shift,
        acknowledged_at=F("acknowledged_at") - shift + later,
    )
    timeline = RecordEvent.objects.filter(
        content_type__app_label=record._meta.app_label,
        content_type__model=record._meta.model_name,
        object_id=record.pk,
    )
    timeline.update(at=F("at") - shift)
    acknowledged = timeline.filter(action="acknowledged").first()
    if acknowledged is not None:
        timeline.filter(id__gte=acknowledged.pk).update(at=F("at") + later)


def seed(users) -> None:
    if Broker.objects.exists():
        return
    with transaction.atomic():
        brokers = _seed_brokers(users)
        _seed_reports(users, brokers)


def _seed_brokers(users) -> dict[str, Broker]:
    brokers = {}
    for key, author, name, aliases, kind, country, more, shared in BROKERS:
        record = services.record_broker(
            users[author], name=name, aliases=aliases, kind=kind, country=country, **more
        )
        brokers[key] = services.share_broker(record, users[author]) if shared else record
    # Japan's record of Rahimov is Tajikistan's: merged, both kept.
    brokers["rahimov"] = services.merge_brokers(
        brokers["rahimov-jp"], brokers["rahimov"], users["jp-contact"], reason="The same passport number."
    )
    return brokers


def _seed_reports(users, brokers) -> None:
    maff = Organization.objects.get(code="jp-maff")
    for author, named, categories, facts, narrative, state, days in REPORTS:
        officer = users[author]
        tajik = author.startswith("tj")
        receiving_contact = users["jp-contact" if tajik else "tj-contact"]
        receiving_officer = users["jp-officer" if tajik else "tj-officer"]
        report = services.file_report(
            officer,
            brokers=[brokers[key] for key in named],
            categories=categories,
            narrative=narrative,
            workers_affected=len(narrative) % 9 + 2,
            places="Khujand; Nagoya" if tajik else "Aichi",
            **facts,
        )
        if state == "draft":
            continue
        report = services.share_report(report, officer)
        if state in {"follow-up", "closed", "acknowledged", "assigned"}:
            report = kit.acknowledge(report, receiving_contact)
        if state == "assigned":
            report = kit.assign(report, receiving_contact, assignee=receiving_officer)
        if state in {"follow-up", "closed"}:
            kit.comment(
                report, receiving_officer, "Two of the workers were interviewed; their accounts agree."
            )
            kit.comment(report, officer, "A third worker has come forward with the contract.")
        if state == "closed":
            report = services.close_report(
                report,
                receiving_contact,
                outcome=Outcome.MEASURES_TAKEN if tajik else Outcome.REFERRED,
                note="Business suspended and the workers' deposits returned."
                if tajik
                else "Referred to the prosecutors of Dushanbe.",
            )
        if state == "consented":
            kit.grant_consent(
                report,
                users["tj-contact"],
                third_party=maff,
                document_reference="MS LPSA 2026/204",
                expires_at=timezone.now() + dt.timedelta(days=90),
            )
        _backdate(report, days)
