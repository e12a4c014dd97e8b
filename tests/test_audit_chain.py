"""Clause 3: the audit trail is tamper-evident. Each entry is chained to the one before
by its hash; an attacker with the table owner's rights (who can switch the append-only
trigger off) who changes, removes or swaps entries is named at the exact entry, and
cutting off the tail is caught by the chain heads sent to the contact points."""

import threading
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from portal import audit, audit_chain, tasks
from portal.models import AuditEntry, AuditHead, Notification, Organization


def write(cast, count: int = 5) -> list[AuditEntry]:
    return [
        audit.log("record.read", actor=cast["jp_contact"], after={"n": n, "text": "Тоҷикӣ 日本"})
        for n in range(count)
    ]


OFF = (
    # Run the foreign-key checks this test's inserts left pending, which ALTER TABLE
    # would otherwise refuse to pass, then switch the append-only guard off.
    "SET CONSTRAINTS ALL IMMEDIATE",
    "ALTER TABLE portal_auditentry DISABLE TRIGGER portal_auditentry_no_update_delete",
)
ON = (
    "ALTER TABLE portal_auditentry ENABLE TRIGGER portal_auditentry_no_update_delete",
    "SET CONSTRAINTS ALL DEFERRED",
)


def tamper(sql: str, params=()) -> None:
    """Raw SQL as the table owner: on PostgreSQL, with the append-only trigger off."""
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in OFF if connection.vendor == "postgresql" else ():
            cursor.execute(statement)
        cursor.execute(sql, params)
        for statement in ON if connection.vendor == "postgresql" else ():
            cursor.execute(statement)


def broken_at() -> tuple[int, str]:
    result = audit_chain.verify(chunk=2)  # small chunks: the walk crosses page boundaries
    assert not result.ok
    return result.broken.entry_id, result.broken.reason


def test_an_untouched_chain_verifies(cast):
    entries = write(cast, 7)
    assert entries[0].prev_hash == AuditEntry.objects.order_by("id").first().prev_hash
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.prev_hash == before.hash
    result = audit_chain.verify(chunk=3)
    assert result.ok and result.entries == AuditEntry.objects.count()
    assert result.head_id == entries[-1].pk and result.head_hash == entries[-1].hash


def test_the_hash_covers_the_canonical_entry(cast):
    entry = write(cast, 1)[0]
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.hash == audit_chain.entry_hash(stored.prev_hash, audit_chain.values_of(stored))
    assert len(stored.hash) == 64


def test_embedded_mode_detects_a_changed_entry(cast):
    entries = write(cast)
    tamper("UPDATE portal_auditentry SET actor_username = 'someone-else' WHERE id = %s", [entries[2].pk])
    assert broken_at() == (entries[2].pk, "its content does not match its hash: it was changed")


@pytest.mark.postgres
def test_an_updated_entry_is_named(cast):
    entries = write(cast)
    tamper("UPDATE portal_auditentry SET after = '{\"n\": 99}' WHERE id = %s", [entries[2].pk])
    entry_id, reason = broken_at()
    assert entry_id == entries[2].pk and "was changed" in reason
    with pytest.raises(CommandError, match=f"audit entry #{entries[2].pk}: its content"):
        call_command("verify_audit")


@pytest.mark.postgres
def test_an_updated_entry_with_a_recomputed_hash_is_named_by_the_next_link(cast):
    entries = write(cast)
    target = AuditEntry.objects.get(pk=entries[2].pk)
    target.object_repr = "forged"
    forged = audit_chain.entry_hash(target.prev_hash, audit_chain.values_of(target))
    tamper(
        "UPDATE portal_auditentry SET object_repr = 'forged', hash = %s WHERE id = %s", [forged, target.pk]
    )
    entry_id, reason = broken_at()
    assert entry_id == entries[3].pk and "not linked to the entry before it" in reason


@pytest.mark.postgres
def test_a_deleted_entry_is_named_by_the_entry_after_the_gap(cast):
    entries = write(cast)
    tamper("DELETE FROM portal_auditentry WHERE id = %s", [entries[2].pk])
    entry_id, reason = broken_at()
    assert entry_id == entries[3].pk
    assert f"(#{entries[1].pk})" in reason and "removed" in reason


@pytest.mark.postgres
def test_two_swapped_entries_are_named(cast):
    entries = write(cast)
    a, b = entries[1].pk, entries[2].pk
    _swap(a, b)
    entry_id, _reason = broken_at()
    assert entry_id == a


def _swap(a: int, b: int) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in OFF:
            cursor.execute(statement)
        cursor.execute("UPDATE portal_auditentry SET id = -1 WHERE id = %s", [a])
        cursor.execute("UPDATE portal_auditentry SET id = %s WHERE id = %s", [a, b])
        cursor.execute("UPDATE portal_auditentry SET id = %s WHERE id = -1", [b])
        for statement in ON:
            cursor.execute(statement)


def publish_head(django_capture_on_commit_callbacks) -> dict:
    with django_capture_on_commit_callbacks(execute=True):
        return audit_chain.publish_head()


def test_the_daily_head_reaches_both_contact_points(cast, django_capture_on_commit_callbacks):
    write(cast, 3)
    head = publish_head(django_capture_on_commit_callbacks)
    contact_points = set(Organization.objects.filter(is_contact_point=True).values_list("pk", flat=True))
    received = AuditHead.objects.all()
    assert {row.recipient_id for row in received} == contact_points
    assert {(row.last_id, row.hash) for row in received} == {(head["last_id"], head["hash"])}
    assert AuditEntry.objects.get(pk=head["last_id"]).action == "audit.head_published"
    inbox = Notification.objects.filter(kind="audit.head")
    assert {n.organization_id for n in inbox} == contact_points
    assert head["hash"] in inbox.first().message
    assert audit_chain.verify().heads_checked == 1


def test_a_truncated_tail_is_detected_through_the_heads_exchanged(cast, django_capture_on_commit_callbacks):
    write(cast, 3)
    head = publish_head(django_capture_on_commit_callbacks)
    later = write(cast, 2)
    assert audit_chain.verify().ok
    # Cut the tail from the head's entry on: what is left is a consistent chain...
    tamper("DELETE FROM portal_auditentry WHERE id >= %s", [head["last_id"]])
    assert AuditEntry.objects.filter(pk__in=[e.pk for e in later]).count() == 0
    # ...but not the one the contact points were told about.
    entry_id, reason = broken_at()
    assert entry_id == head["last_id"] and "tail was cut off" in reason


def test_a_rewritten_chain_is_caught_by_the_heads(cast, django_capture_on_commit_callbacks):
    entries = write(cast, 3)
    head = publish_head(django_capture_on_commit_callbacks)
    # Rewrite an early entry and re-hash everything after it, as a careful attacker would.
    tamper("UPDATE portal_auditentry SET object_repr = 'rewritten' WHERE id = %s", [entries[1].pk])
    rows = list(AuditEntry.objects.order_by("id"))
    prev = audit_chain.GENESIS
    for row in rows:
        digest = audit_chain.entry_hash(prev, audit_chain.values_of(row))
        tamper("UPDATE portal_auditentry SET prev_hash = %s, hash = %s WHERE id = %s", [prev, digest, row.pk])
        prev = digest
    entry_id, reason = broken_at()
    assert entry_id == head["last_id"] and "rewritten" in reason


def test_the_daily_verification_alerts_both_contact_points(cast, django_capture_on_commit_callbacks):
    entries = write(cast)
    assert tasks.verify_audit() is True
    tamper("UPDATE portal_auditentry SET action = 'record.created' WHERE id = %s", [entries[3].pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.verify_audit() is False
    alerts = Notification.objects.filter(kind="audit.chain_broken")
    assert {n.organization.is_contact_point for n in alerts} == {True} and alerts.count() == 2
    assert f"entry {entries[3].pk}" in alerts.first().message
    failed = AuditEntry.objects.get(action="audit.verification_failed")
    assert failed.after["entry"] == entries[3].pk


def test_verify_audit_command_reports_success(cast, capsys):
    write(cast, 3)
    call_command("verify_audit", "--chunk", "2")
    assert "audit chain OK" in capsys.readouterr().out


def test_beat_runs_the_head_and_the_verification_daily():
    from portal.celery import app

    tasks_scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"portal.tasks.publish_audit_head", "portal.tasks.verify_audit"} <= tasks_scheduled


def test_the_migration_chains_entries_written_before_the_chain(cast):
    import importlib

    from django.apps import apps

    entries = write(cast, 4)
    tamper("UPDATE portal_auditentry SET prev_hash = '', hash = ''")
    assert not audit_chain.verify().ok
    migration = importlib.import_module("portal.migrations.0005_chain_existing_audit_entries")
    # The migration's own statements, inside this test's transaction (SQLite cannot open
    # a real schema editor there).
    editor = SimpleNamespace(
        connection=connection, execute=lambda sql, params=None: connection.cursor().execute(sql)
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        migration.chain(apps, editor)
    assert audit_chain.verify().ok and AuditEntry.objects.get(pk=entries[0].pk).hash


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain(cast):
    errors = []

    def writer(number: int) -> None:
        try:
            for n in range(20):
                with transaction.atomic():
                    audit.log("record.read", username=f"writer-{number}", after={"n": n})
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    result = audit_chain.verify()
    assert result.ok and AuditEntry.objects.filter(actor_username__startswith="writer-").count() == 80


@pytest.mark.postgres
def test_received_heads_are_append_only(cast, django_capture_on_commit_callbacks):
    from django.db import DatabaseError

    publish_head(django_capture_on_commit_callbacks)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditHead.objects.all().delete()


def test_odd_values_hash_the_same_when_written_and_when_verified(cast):
    """The verifier reads times and addresses as text on PostgreSQL: the same canonical
    form as the writer's Python values, for whole seconds, IPv6 and mapped addresses."""
    import datetime as dt
    from unittest import mock

    from portal import middleware

    cases = [
        ("::ffff:10.0.0.1", dt.datetime(2026, 1, 1, 9, 0, 0, tzinfo=dt.UTC)),
        ("2001:DB8::1", dt.datetime(2026, 6, 30, 23, 59, 59, 999999, tzinfo=dt.UTC)),
        ("192.0.2.7", dt.datetime(2027, 3, 4, 5, 6, 7, 80, tzinfo=dt.timezone(dt.timedelta(hours=9)))),
    ]
    for ip, at in cases:
        token = middleware.bind(request_id="odd", ip=ip)
        try:
            with mock.patch("portal.audit.timezone.now", return_value=at):
                audit.log(
                    "record.read", actor=cast["tj_contact"], after={"nested": {"b": [1, 2.5, None], "a": "ё"}}
                )
        finally:
            middleware.reset(token)
    assert audit_chain.verify(chunk=2).ok
