"""Demo accounts and a little demo data for ``make run`` and the browser tests: one
account per role and side, all with the password below (listed in the README)."""

from __future__ import annotations

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


@transaction.atomic
def seed_demo() -> dict[str, User]:
    """Idempotent: running it twice creates nothing new."""
    from . import services

    users = create_demo_users()
    if not Correspondence.objects.exists():
        letter = services.draft_correspondence(
            users["tj-contact"],
            recipient=Organization.objects.get(code="jp-isa-rmd"),
            subject="Нуқтаи тамос / Contact point details",
            body="The Migration Service confirms its contact point for the Memorandum.",
        )
        services.send_correspondence(letter, users["tj-contact"])
        services.draft_correspondence(
            users["jp-contact"],
            recipient=Organization.objects.get(code="tj-ms-lpsa"),
            subject="連絡窓口の確認 / Confirmation of contact point",
            body="Draft reply, not yet sent.",
        )
    return users
