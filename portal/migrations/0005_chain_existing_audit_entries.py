"""Chain the audit entries written before the chain existed, in id order, and make the
received chain heads append-only like the audit itself.

On PostgreSQL the append-only trigger (0003) refuses the UPDATE that sets the hashes,
so this migration — run by the table owner — disables it for its own transaction and
enables it again before committing: no other session ever sees the table unguarded
(ALTER TABLE holds an exclusive lock until the commit). Rows are read by keyset
pagination, so a large audit does not have to fit in memory."""

from django.db import migrations

TRIGGER = "portal_auditentry_no_update_delete"

HEADS_FORWARD = """
CREATE OR REPLACE FUNCTION portal_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER portal_audithead_no_update_delete
    BEFORE UPDATE OR DELETE ON portal_audithead
    FOR EACH ROW EXECUTE FUNCTION portal_append_only();
"""

HEADS_BACKWARD = """
DROP TRIGGER IF EXISTS portal_audithead_no_update_delete ON portal_audithead;
DROP FUNCTION IF EXISTS portal_append_only();
"""


def chain(apps, schema_editor):
    from portal import audit_chain

    AuditEntry = apps.get_model("portal", "AuditEntry")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(f"ALTER TABLE portal_auditentry DISABLE TRIGGER {TRIGGER}")
    prev_hash, last_id = audit_chain.GENESIS, 0
    while True:
        rows = list(
            AuditEntry.objects.order_by("id").filter(id__gt=last_id).values_list(*audit_chain.FIELDS)[:2000]
        )
        if not rows:
            break
        for row in rows:
            values = dict(zip(audit_chain.FIELDS, row))
            digest = audit_chain.entry_hash(prev_hash, values)
            AuditEntry.objects.filter(pk=values["id"]).update(prev_hash=prev_hash, hash=digest)
            prev_hash, last_id = digest, values["id"]
    if postgres:
        schema_editor.execute(f"ALTER TABLE portal_auditentry ENABLE TRIGGER {TRIGGER}")


def guard_heads(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(HEADS_FORWARD, params=None)


def unguard_heads(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(HEADS_BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_security_and_audit_chain")]
    operations = [
        # Backwards there is nothing to undo: the hash columns go with 0004's reversal.
        migrations.RunPython(chain, migrations.RunPython.noop),
        migrations.RunPython(guard_heads, unguard_heads),
    ]
