"""Demo accounts and demo data for ``make run`` and the browser tests: one account per
role and side, all with the password below (listed in the README), and letters between
the contact points that show the shared-record panels. Each app adds its own demo data
(``portal.hooks.register_seeder``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from .choices import Role
from .models import Correspondence, Organization, User

DEMO_PASSWORD = "moc-demo-2026"  # noqa: S105 - published in the README; demo only

# username, organization code, role, language, full name
DEMO_USERS = [
    ("jp-contact", "jp-isa-rmd", Role.CONTACT_POINT_OFFICER, "ja", "Sato Hanako"),
    ("jp-officer", "jp-isa", Role.OFFICER, "ja", "Suzuki Taro"),
    ("jp-analyst", "jp-mhlw", Role.ANALYST, "ja", "Takahashi Yui"),
    ("tj-contact", "tj-ms-lpsa", Role.CONTACT_POINT_OFFICER, "tg", "Rahimov Farrukh"),
    ("tj-officer", "tj-mlme", Role.OFFICER, "ru", "Nazarova Malika"),
    ("tj-analyst", "tj-ms", Role.ANALYST, "tg", "Saidov Jamshed"),
    ("embassy-viewer", "tj-embassy-jp", Role.THIRD_PARTY_VIEWER, "ru", "Karimov Daler"),
    ("maff-viewer", "jp-maff", Role.THIRD_PARTY_VIEWER, "ja", "Ito Kenji"),
    ("admin", None, Role.ADMINISTRATOR, "en", "Portal Administrator"),
]


def create_demo_users(password: str = DEMO_PASSWORD) -> dict[str, User]:
    users = {}
    for username, org_code, role, language, full_name in DEMO_USERS:
        first, _, last = full_name.partition(" ")
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "organization": Organization.objects.get(code=org_code) if org_code else None,
                "role": role,
                "language": language,
                "first_name": last,
                "last_name": first,
                "email": f"{username}@example.invalid",
                "is_superuser": role == Role.ADMINISTRATOR,
            },
        )
        if created:
            user.set_password(password)
            user.save()
        users[username] = user
    return users


def demo_pdf(title: str, paragraphs: list[str]) -> bytes:
    """A small real PDF (WeasyPrint, as the portal renders its own documents): what a
    demo record attaches, so that a file opened from the demo opens in any viewer.
    Latin script only, so that it renders with whatever fonts the machine has."""
    from django.utils.html import escape
    from weasyprint import HTML

    body = "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head>"
        f"<body><h1>{escape(title)}</h1>{body}<p><em>Demo document of the MOC Portal.</em></p></body></html>"
    )
    return HTML(string=html).write_pdf()


def demo_file(name: str, title: str, paragraphs: list[str]):
    """``demo_pdf`` as an uploaded file, for the services that take one."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, demo_pdf(title, paragraphs), content_type="application/pdf")


def _letter(subject: str):
    return Correspondence.objects.filter(subject=subject).first()


def seed_correspondence(users: dict[str, User]) -> None:
    """Letters to the other side's contact point, each with its reference: one from
    Tajikistan that Japan has not yet acknowledged, with Japan's draft answer in its
    thread; one from Japan that Tajikistan acknowledged and assigned, due in two weeks,
    with a PDF, and the assigned officer's answer, sent. Each letter is looked up by its
    subject or by the letter it answers, so a second run adds nothing."""
    from django.utils import timezone

    from . import services
    from .records import services as kit

    jp_contact_point = Organization.objects.get(code="jp-isa-rmd")
    tj_contact_point = Organization.objects.get(code="tj-ms-lpsa")
    with transaction.atomic():
        if _letter(LETTER_FROM_TAJIKISTAN) is None:
            letter = services.draft_correspondence(
                users["tj-contact"],
                recipient=jp_contact_point,
                subject=LETTER_FROM_TAJIKISTAN,
                body="The Migration Service confirms its contact point for the Memorandum.",
            )
            services.send_correspondence(letter, users["tj-contact"])  # Japan has not acknowledged it
    with transaction.atomic():
        if _letter(DRAFT_FROM_JAPAN) is None:
            services.draft_correspondence(
                users["jp-contact"],
                recipient=tj_contact_point,
                subject=DRAFT_FROM_JAPAN,
                body="Draft reply, not yet sent.",
                in_reply_to=_letter(LETTER_FROM_TAJIKISTAN),
            )
    with transaction.atomic():
        if _letter(LETTER_FROM_JAPAN) is None:
            letter = services.draft_correspondence(
                users["jp-contact"],
                recipient=tj_contact_point,
                subject=LETTER_FROM_JAPAN,
                body=(
                    "Japan sends the schedule of the skills and Japanese-language tests for 2027 and "
                    "asks the Ministry to confirm the test venues in Tajikistan."
                ),
            )
            letter = kit.update_record(
                letter, users["jp-contact"], due_on=timezone.localdate() + dt.timedelta(days=14)
            )
            kit.attach(
                letter,
                users["jp-contact"],
                demo_file(
                    "test-schedule-2027.pdf",
                    "Skills tests in Tajikistan: schedule for 2027",
                    [
                        "Nursing care, food service and agriculture: March, June, September, December.",
                        "Japanese-language tests (JFT-Basic): every month, Dushanbe and Khujand.",
                    ],
                ),
                description="Schedule of the tests, 2027",
            )
            services.send_correspondence(letter, users["jp-contact"])
            kit.assign(letter, users["tj-contact"], assignee=users["tj-officer"])  # also acknowledges
    with transaction.atomic():
        letter = _letter(LETTER_FROM_JAPAN)
        if not Correspondence.objects.filter(in_reply_to=letter).exists():
            answer = services.draft_correspondence(
                users["tj-officer"],
                subject=REPLY_FROM_TAJIKISTAN,
                body="The Ministry confirms the venues in Dushanbe and Khujand for every session of 2027.",
                in_reply_to=letter,
            )
            services.send_correspondence(answer, users["tj-officer"])


#: The demo letters' subjects: how a second run finds them.
LETTER_FROM_TAJIKISTAN = "Нуқтаи тамос / Contact point details"
DRAFT_FROM_JAPAN = "連絡窓口の確認 / Confirmation of contact point"
LETTER_FROM_JAPAN = "2027年の試験日程 / Test schedule for 2027"
REPLY_FROM_TAJIKISTAN = "Ҷойҳои имтиҳон дар соли 2027 / Test venues for 2027"


def seed_demo() -> dict[str, User]:
    """Idempotent: running it twice creates nothing new."""
    with transaction.atomic():
        users = create_demo_users()
    seed_correspondence(users)
    return users
