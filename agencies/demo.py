"""Demo sending agencies for ``make run``: about thirty, as many as Tajikistan is
expected to certify (shared/reference-data.md), in each of the states a list shows; and
three investigations (7(3)) that between them show every panel of a shared record."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.demo import demo_file
from portal.models import DisclosureConsent, Organization
from portal.records import letters
from portal.records import services as kit
from portal.records.models import RecordEvent

from . import services
from .choices import AgencyStatus, InvestigationOutcome, RevocationReason
from .models import Investigation, Sector, SendingAgency
from .testing import register, screen

REGIONS = [
    ("Dushanbe", "Dushanbe"),
    ("Sughd", "Khujand"),
    ("Khatlon", "Bokhtar"),
    ("Khatlon", "Kulob"),
    ("Districts of Republican Subordination", "Vahdat"),
]
NAMES = [
    ("Ширкати «Пули Ҷопон»", "ООО «Мост в Японию»", "Japan Bridge LLC", "ジャパン・ブリッジ"),
    ("Агентии «Сомон»", "Агентство «Сомон»", "Somon Agency", "ソモン・エージェンシー"),
    ("Ширкати «Меҳнат Плюс»", "ООО «Мехнат Плюс»", "Mehnat Plus LLC", "メフナト・プラス"),
    ("Ширкати «Роҳи Нур»", "ООО «Рохи Нур»", "Rohi Nur LLC", "ロヒ・ヌール"),
    ("Агентии «Осиё Кадр»", "Агентство «Азия Кадр»", "Asia Kadr Agency", "アジア・カドル"),
    ("Ширкати «Кӯҳистон Трейд»", "ООО «Кухистон Трейд»", "Kuhiston Trade LLC", "クヒストン・トレード"),
]


def seed(users) -> None:
    seed_agencies(users)
    seed_investigations(users)


def seed_agencies(users) -> None:
    if SendingAgency.objects.exists():
        return
    officer = users["tj-officer"]
    sectors = list(Sector.objects.filter(is_open=True))
    today = timezone.localdate()
    certified = []
    with transaction.atomic():  # one publication for the whole first list
        for i in range(30):
            tg, ru, en, ja = NAMES[i % len(NAMES)]
            region, city = REGIONS[i % len(REGIONS)]
            agency = register(
                officer,
                name_tg=f"{tg} {i + 1}",
                name_ru=f"{ru} {i + 1}",
                name_en=f"{en} {i + 1}",
                name_ja=f"{ja}{i + 1}",
                region=region,
                city=city,
                phone=f"+992 37 221 {i:02d} {i:02d}",
                sectors=[sectors[i % len(sectors)], sectors[(i * 7 + 3) % len(sectors)]],
            )
            if i >= 27:
                continue  # applications still being received or screened
            screen(agency, officer)
            certified.append(
                services.certify(
                    agency,
                    officer,
                    certification_number=f"TJ-SSW-2026-{i + 1:04d}",
                    certified_on=today - dt.timedelta(days=200 - i),
                    valid_until=today + dt.timedelta(days=165 + i * 10),
                )
            )
        services.start_screening(SendingAgency.objects.get(name_en=f"{NAMES[27 % 6][2]} 28"), officer)
    with transaction.atomic():  # the second version: one revocation
        services.revoke(
            certified[4],
            officer,
            reason="Demo: took a deposit from workers (4(1)(a)).",
            public_reason=RevocationReason.IMPROPER_CONDUCT,
        )


# --- Investigations (7(3)) ------------------------------------------------------------

#: The facts of each demo investigation: with its agency, how a second run finds it.
FACTS_WAITING = (
    "Workers placed by the agency in Aichi say they paid a 'training deposit' of USD 1,500 "
    "before departure (4(1)(a)). Their statements are attached."
)
FACTS_OVERDUE = "The agency advertised jobs in Japan that no employer in Japan has offered (4(1)(d))."
FACTS_ANSWERED = (
    "Two workers report that the agency kept their passports until their visas were issued "
    "(4(1)(b)). The interview notes are attached."
)


def _certified(number: str) -> SendingAgency | None:
    """A demo agency still certified: one revoked since in the demo is left alone."""
    return SendingAgency.objects.filter(certification_number=number, status=AgencyStatus.CERTIFIED).first()


def _backdate(record, days: int, *, acknowledged_after: dt.timedelta | None = None) -> None:
    """Move a demo record and its timeline ``days`` into the past, so that it reads as
    reported weeks ago; with ``acknowledged_after``, the other side acknowledged it that
    long after it was shared, and everything from then on moves with the acknowledgement
    (the audit trail keeps the real times: it is append-only)."""
    shift = dt.timedelta(days=days)
    later = acknowledged_after or dt.timedelta(0)
    type(record).objects.filter(pk=record.pk).update(
        created_at=F("created_at") - shift,
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
    if acknowledged is not None and later:
        timeline.filter(id__gte=acknowledged.pk).update(at=F("at") + later)


def seed_investigations(users) -> None:
    """Three investigations, each looked up by its agency and facts (a second run adds
    nothing):

    - reported with a PDF, waiting for Tajikistan's acknowledgement, due in a month;
    - assigned to a Tajik officer and overdue (reported six weeks ago), with a written
      consent of Japan to the embassy that has expired;
    - answered: Japan's PDF and Tajikistan's notes, the result sent; a live written
      consent of Japan to MAFF (asked for and granted, its letter rendered) and a request
      to Tajikistan for its part, pending.
    """
    jp_officer, jp_contact = users["jp-officer"], users["jp-contact"]
    tj_contact, tj_officer = users["tj-contact"], users["tj-officer"]
    today = timezone.localdate()
    maff = Organization.objects.get(code="jp-maff")
    embassy = Organization.objects.get(code="tj-embassy-jp")

    agency = _certified("TJ-SSW-2026-0002")
    if agency is not None and not Investigation.objects.filter(agency=agency, facts=FACTS_WAITING).exists():
        with transaction.atomic():
            investigation = services.report_for_investigation(
                jp_officer,
                agency,
                facts=FACTS_WAITING,
                due_on=today + dt.timedelta(days=30),
                attachments=[
                    demo_file(
                        "worker-statements.pdf",
                        "Statements of three workers placed in Aichi",
                        [
                            "Worker A (nursing care): paid USD 1,500 in cash in Dushanbe, no receipt.",
                            "Worker B (food service): paid USD 1,500 by bank transfer to the agency.",
                            "Worker C (agriculture): was told the deposit is returned after two years.",
                        ],
                    )
                ],
            )
            _backdate(investigation, 2)  # shared two days ago, still not acknowledged

    agency = _certified("TJ-SSW-2026-0003")
    if agency is not None and not Investigation.objects.filter(agency=agency, facts=FACTS_OVERDUE).exists():
        with transaction.atomic():
            investigation = services.report_for_investigation(
                jp_officer, agency, facts=FACTS_OVERDUE, due_on=today + dt.timedelta(days=30)
            )
            services.assign_investigation(investigation, tj_contact, assignee=tj_officer)
            consent = kit.grant_consent(
                investigation,
                jp_contact,
                third_party=embassy,
                document_reference="ISA-RMD 2026/118",
                expires_at=timezone.now() + dt.timedelta(days=1),
            )
            # Reported six weeks ago, due five days ago; the consent was given then for two
            # weeks: it has lapsed, and the periodic job takes the embassy's access back.
            _backdate(investigation, 42, acknowledged_after=dt.timedelta(hours=27, minutes=40))
            Investigation.objects.filter(pk=investigation.pk).update(due_on=today - dt.timedelta(days=5))
            granted_at = investigation.events.get(action="consent_granted").at
            DisclosureConsent.objects.filter(pk=consent.pk).update(
                granted_at=granted_at, expires_at=granted_at + dt.timedelta(days=14)
            )
            kit.revoke_lapsed_consents()
            letters.render_letter(consent.pk)

    agency = _certified("TJ-SSW-2026-0004")
    if agency is not None and not Investigation.objects.filter(agency=agency, facts=FACTS_ANSWERED).exists():
        with transaction.atomic():
            investigation = services.report_for_investigation(
                jp_officer,
                agency,
                facts=FACTS_ANSWERED,
                due_on=today + dt.timedelta(days=20),
                attachments=[
                    demo_file(
                        "interview-notes.pdf",
                        "Interviews with two workers, Osaka",
                        ["Both workers say the agency kept their passports from May to July 2026."],
                    )
                ],
            )
            kit.acknowledge(investigation, tj_contact)
            services.assign_investigation(investigation, tj_contact, assignee=tj_officer)
            kit.attach(
                investigation,
                tj_officer,
                demo_file(
                    "inspection-report.pdf",
                    "Inspection of the agency's office, Bokhtar",
                    ["The agency returned the passports; its director signed an undertaking."],
                ),
                description="Inspection report",
            )
            services.send_investigation_result(
                investigation,
                tj_officer,
                findings="The agency held the passports of two workers for eight weeks.",
                measures="Written guidance; a follow-up inspection in three months.",
                outcome=InvestigationOutcome.GUIDANCE,
            )
            until = today + dt.timedelta(days=90)
            request = kit.request_consent(
                investigation,
                jp_officer,
                third_party=maff,
                side=jp_contact.organization.side,
                purpose="MAFF checks the agency's placements in agriculture.",
                requested_until=until,
            )
            request = kit.decide_consent(request, jp_contact, grant_it=True, note="For this purpose only.")
            letters.render_letter(request.consent_id)
            kit.request_consent(
                investigation,
                jp_officer,
                third_party=maff,
                side=tj_contact.organization.side,
                purpose="MAFF would also like the Ministry's findings on the agency.",
                requested_until=until,
            )
