from django.db import migrations

from portal.records.backfill import give_references


def forwards(apps, schema_editor):
    give_references(apps, "portal", "Correspondence", "LET")


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0008_shared_record_kit"),
        ("records", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
