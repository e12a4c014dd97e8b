"""One round trip for the chain's writer lock, the next id and the head (PostgreSQL).

A single SELECT cannot take the advisory lock and then read the head: its snapshot is
taken before it waits for the lock, so it could read a head that another writer has
since replaced. Inside a VOLATILE PL/pgSQL function each statement takes a new snapshot
(READ COMMITTED), so the head is read after the lock is held — and the client makes one
call instead of two (bench/audit_chain.py)."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION portal_audit_next(lock_key bigint, OUT next_id bigint, OUT prev_hash text)
VOLATILE LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    next_id := nextval(pg_get_serial_sequence('portal_auditentry', 'id'));
    SELECT hash INTO prev_hash FROM portal_auditentry ORDER BY id DESC LIMIT 1;
END;
$$;
"""

BACKWARD = "DROP FUNCTION IF EXISTS portal_audit_next(bigint);"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("portal", "0005_chain_existing_audit_entries")]
    operations = [migrations.RunPython(forward, backward)]
