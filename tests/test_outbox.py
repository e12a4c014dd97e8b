"""DESIGN.md principle 5: nothing is lost between the database and Celery."""

import pytest
from django.db import transaction

from portal import outbox, services
from portal.models import Notification, Organization, OutboxEntry
from portal.notifications import message_id


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


# --- E-mail: at most the one in flight goes twice, and it can be recognized (issue 15) --


def _email_entries(cast, count):
    """``count`` pending e-mails to Japan's contact point, written without a kick."""
    notification = Notification.objects.create(
        organization=Organization.objects.get(code="jp-isa-rmd"), kind="correspondence.received"
    )
    return [
        OutboxEntry.objects.create(
            topic="email.notification",
            payload={"user": cast["jp_contact"].pk, "notification": notification.pk},
        )
        for _ in range(count)
    ]


def test_message_id_is_derived_from_the_entry_and_survives_a_retry(cast, mailoutbox, settings):
    settings.PORTAL_BASE_URL = "https://moc.example.go.jp:8443/portal/"
    [entry] = _email_entries(cast, 1)
    assert outbox.drain() == 1
    OutboxEntry.objects.filter(pk=entry.pk).update(processed_at=None)  # as if the commit was lost
    assert outbox.drain() == 1

    ids = [mail.message()["Message-ID"] for mail in mailoutbox]
    assert ids == [f"<outbox-{entry.pk}@moc.example.go.jp>"] * 2


class SimulatedCrash(BaseException):
    """Not an ``Exception``: like a killed worker, it passes the handler's error
    recording and ends the drain."""


def _crash_after(calls: int, run):
    count = 0

    def crashing(entry):
        nonlocal count
        run(entry)
        count += 1
        if count == calls:
            raise SimulatedCrash

    return crashing


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_crash_repeats_only_the_email_in_flight(cast, mailoutbox, monkeypatch):
    entries = _email_entries(cast, 5)
    handler = outbox.HANDLERS["email.notification"]
    monkeypatch.setitem(outbox.HANDLERS, "email.notification", _crash_after(3, handler))
    with pytest.raises(SimulatedCrash):
        outbox.drain()
    # The third e-mail left, then the worker died before its commit: the first two are
    # committed as processed, the third is not.
    assert len(mailoutbox) == 3
    processed = OutboxEntry.objects.filter(processed_at__isnull=False).values_list("pk", flat=True)
    assert set(processed) == {entries[0].pk, entries[1].pk}

    monkeypatch.setitem(outbox.HANDLERS, "email.notification", handler)  # the restarted worker
    assert outbox.drain() == 3
    # Five e-mails, the one in flight sent twice with the same Message-ID.
    expected = [message_id(entry) for entry in [*entries[:3], *entries[2:]]]
    assert [mail.message()["Message-ID"] for mail in mailoutbox] == expected


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_database_only_topics_keep_one_commit_per_batch(db, monkeypatch):
    """The batch is kept where a crash costs nothing outside the database: the whole
    batch rolls back and runs again."""
    monkeypatch.setitem(outbox.HANDLERS, "test.database_only", _crash_after(3, lambda entry: None))
    for _ in range(5):
        OutboxEntry.objects.create(topic="test.database_only", payload={})
    with pytest.raises(SimulatedCrash):
        outbox.drain()
    assert not OutboxEntry.objects.filter(processed_at__isnull=False).exists()
