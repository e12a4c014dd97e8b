"""Clause 3: the audit trail is append-only, enforced by PostgreSQL itself."""

import pytest
from django.db import DatabaseError, connection, transaction

from portal import audit
from portal.models import AuditEntry


def test_unregistered_action_is_refused(db):
    with pytest.raises(ValueError, match="unregistered audit action"):
        audit.log("record.typo")


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE portal_auditentry SET action = 'record.read' WHERE id = %s",
        "DELETE FROM portal_auditentry WHERE id = %s",
    ],
)
def test_database_refuses_to_rewrite_the_audit(db, cast, statement):
    entry = audit.log("record.created", actor=cast["jp_contact"])
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [entry.pk])
    entry.refresh_from_db()
    assert entry.action == "record.created"


@pytest.mark.postgres
def test_orm_updates_are_refused_too(db, cast):
    audit.log("record.created", actor=cast["jp_contact"])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.update(action="x")
