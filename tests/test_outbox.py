"""DESIGN.md principle 5: nothing is lost between the database and Celery."""

import pytest
from django.db import transaction

from portal import outbox, services
from portal.models import Notification, Organization, OutboxEntry


def _letter(cast):
    return services.draft_correspondence(
        cast["tj_contact"], recipient=Organization.objects.get(code="jp-isa-rmd"), subject="Test", body="…"
    )


def test_rolled_back_transaction_enqueues_nothing(cast, django_capture_on_commit_callbacks):
    letter = _letter(cast)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.send_correspondence(letter, cast["tj_contact"])
        assert OutboxEntry.objects.filter(topic="notify").count() == 1
        raise RuntimeError("the change fails after the outbox write")
    assert callbacks == []
    assert not OutboxEntry.objects.filter(topic="notify").exists()
    assert not Notification.objects.exists()
    letter.refresh_from_db()
    assert letter.status == "draft"


def test_committed_event_is_delivered_exactly_once(cast, django_capture_on_commit_callbacks):
    letter = _letter(cast)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.send_correspondence(letter, cast["tj_contact"])
    assert len(callbacks) >= 1  # the drain was kicked on commit
    japan_cp = Organization.objects.get(code="jp-isa-rmd")
    assert Notification.objects.filter(organization=japan_cp, kind="correspondence.received").count() == 1
    entry = OutboxEntry.objects.get(topic="notify")
    assert entry.processed_at is not None

    # A second drain, and a redelivery of the same entry, change nothing.
    assert outbox.drain() == 0
    OutboxEntry.objects.filter(pk=entry.pk).update(processed_at=None)
    assert outbox.drain() >= 1
    assert Notification.objects.filter(organization=japan_cp).count() == 1


def test_failing_handler_backs_off_and_is_retried(db, monkeypatch):
    calls = []

    def flaky(entry):
        calls.append(entry.pk)
        if len(calls) == 1:
            raise ConnectionError("SMTP server unreachable")

    monkeypatch.setitem(outbox.HANDLERS, "test.flaky", flaky)
    entry = OutboxEntry.objects.create(topic="test.flaky", payload={})
    assert outbox.drain() == 0
    entry.refresh_from_db()
    assert entry.processed_at is None and entry.attempts == 1
    assert "SMTP server unreachable" in entry.last_error
    assert entry.available_at > entry.created_at  # backed off, not hammered

    OutboxEntry.objects.filter(pk=entry.pk).update(available_at=entry.created_at)
    assert outbox.drain() == 1
    entry.refresh_from_db()
    assert entry.processed_at is not None and entry.attempts == 2


def test_unknown_topic_is_refused(db):
    with pytest.raises(ValueError, match="no outbox handler"):
        outbox.enqueue("no.such.topic", {})


def test_email_goes_to_subscribed_members_in_their_language(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    letter = _letter(cast)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_correspondence(letter, cast["tj_contact"])
    recipients = sorted(address for mail in mailoutbox for address in mail.to)
    assert recipients == ["jp-contact@example.invalid"]
    assert f"/correspondence/{letter.pk}/" in mailoutbox[0].body
