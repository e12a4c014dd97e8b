"""``manage.py seed_demo`` (what ``make run`` seeds) on PostgreSQL: run twice, it creates
nothing twice, and every panel of a shared record has something to show to the user
who would look at it."""

import hashlib
import shutil
import subprocess

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from portal.testing.fixtures import ensure_reference_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

#: Every row the demo makes, and what its services write beside them: a second run
#: adds to none of them.
COUNTED = [
    "portal.User",
    "portal.Correspondence",
    "portal.DisclosureConsent",
    "portal.AuditEntry",
    "portal.OutboxEntry",
    "agencies.SendingAgency",
    "agencies.Investigation",
    "publication.Publication",
    "notices.ImprovementOrder",
    "notices.RegisterImport",
    "notices.SupportOrganization",
    "records.Attachment",
    "records.RecordEvent",
    "records.ConsentRequest",
]


def counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


@pytest.fixture
def demo():
    ensure_reference_data()
    call_command("seed_demo", verbosity=0)
    first = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == first
    from portal.models import User

    return {user.username: user for user in User.objects.all()}


def kit(users, username: str, record) -> tuple[dict, str]:
    """The panels' context and the page, as ``username`` sees ``record``'s page."""
    client = Client()
    client.force_login(users[username])
    response = client.get(record.get_absolute_url())
    assert response.status_code == 200
    return response.context["kit"], response.content.decode()


def download(users, username: str, attachment) -> bytes:
    client = Client()
    client.force_login(users[username])
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_seed_demo_twice_shows_every_panel_once(demo):
    from agencies.demo import FACTS_ANSWERED, FACTS_OVERDUE, FACTS_WAITING
    from agencies.models import Investigation
    from portal.demo import LETTER_FROM_JAPAN, LETTER_FROM_TAJIKISTAN
    from portal.models import Correspondence

    today = timezone.localdate()
    waiting = Investigation.objects.get(facts=FACTS_WAITING)
    overdue = Investigation.objects.get(facts=FACTS_OVERDUE)
    answered = Investigation.objects.get(facts=FACTS_ANSWERED)
    assert Correspondence.objects.filter(reference__isnull=True).count() == 0  # every letter has one
    assert Investigation.objects.filter(reference__isnull=True).count() == 0

    # Acknowledgement waiting, and a file the Tajik contact point opens: a real PDF.
    panels, page = kit(demo, "tj-contact", waiting)
    assert panels["can_acknowledge"] and waiting.reference in page
    [attachment] = panels["attachments"]
    data = download(demo, "tj-contact", attachment)
    assert data.startswith(b"%PDF-") and hashlib.sha256(data).hexdigest() == attachment.sha256
    if shutil.which("pdfinfo"):  # poppler, as CI installs it: the file opens in a viewer
        info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout
        assert b"Pages:" in info

    # Assigned and overdue, with an expired written consent (and its letter).
    panels, page = kit(demo, "tj-contact", overdue)
    assert overdue.assigned_to.username == "tj-officer" and overdue.acknowledged_at is not None
    assert panels["overdue"] and overdue.due_on < today and "badge--overdue" in page
    [expired] = kit(demo, "jp-contact", overdue)[0]["consents"]  # the consenting side's
    assert not expired.is_active() and expired.revoked_at is not None and expired.letter
    assert Client().get(overdue.get_absolute_url()).status_code == 302  # signed out: sign in
    client = Client()
    client.force_login(demo["embassy-viewer"])
    assert client.get(overdue.get_absolute_url()).status_code == 404  # the consent lapsed

    # Answered: a live consent of Japan with its letter, a pending request to Tajikistan
    # that its contact point decides, files of both sides.
    panels, page = kit(demo, "tj-contact", answered)
    assert {item.side.country for item in panels["attachments"]} == {"JP", "TJ"}
    [live] = kit(demo, "jp-contact", answered)[0]["consents"]
    assert live.is_active() and live.letter and live.side.country == "JP"
    assert live.third_party.code == "jp-maff"
    [(granted, _d, _c, _f), (pending, can_decide, _c2, form)] = sorted(
        panels["requests"], key=lambda row: row[0].status
    )
    assert granted.status == "granted" and granted.consent_id == live.pk
    assert pending.status == "pending" and can_decide and pending.side.country == "TJ"
    assert f'id="id_request_{pending.pk}_decision_0"' in page  # the form's ids are its own
    assert len(panels["timeline"]) >= 8
    client = Client()
    client.force_login(demo["jp-contact"])
    letter = client.get(f"/consents/{live.pk}/letter/")
    assert letter.status_code == 200 and b"".join(letter.streaming_content).startswith(b"%PDF-")

    # The third party: Japan's report and file, not Tajikistan's findings nor its file.
    panels, page = kit(demo, "maff-viewer", answered)
    assert "USD" not in page and "passports" in page  # FACTS_ANSWERED, not another record
    assert answered.findings not in page
    assert [item.side.country for item in panels["attachments"]] == ["JP"]

    # Correspondence: a letter Japan has not acknowledged; one Tajikistan assigned, due, with a file.
    letter = Correspondence.objects.get(subject=LETTER_FROM_TAJIKISTAN)
    panels, page = kit(demo, "jp-contact", letter)
    assert panels["can_acknowledge"] and letter.reference in page
    letter = Correspondence.objects.get(subject=LETTER_FROM_JAPAN)
    panels, page = kit(demo, "tj-contact", letter)
    assert letter.assigned_to.username == "tj-officer" and letter.due_on > today
    [attachment] = panels["attachments"]
    assert download(demo, "tj-contact", attachment).startswith(b"%PDF-")

    # The demo the README promises is still there.
    assert {"jp-contact", "tj-contact", "embassy-viewer", "maff-viewer", "admin"} <= set(demo)
    assert Correspondence.objects.filter(status="draft").count() == 1
