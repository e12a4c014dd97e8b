"""Clause 3: the audit trail is append-only. On PostgreSQL the database itself refuses
UPDATE and DELETE of audit entries, whoever asks (the portal, an administrator's SQL
session). TRUNCATE is left to the table owner: test runs flush tables with it, and in
production the portal's role should not own its tables. SQLite (embedded mode) has no
such guard."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION portal_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'portal_auditentry is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER portal_auditentry_no_update_delete
    BEFORE UPDATE OR DELETE ON portal_auditentry
    FOR EACH ROW EXECUTE FUNCTION portal_audit_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS portal_auditentry_no_update_delete ON portal_auditentry;
DROP FUNCTION IF EXISTS portal_audit_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_seed_memorandum_sides_organizations")]
    operations = [migrations.RunPython(forward, backward)]
