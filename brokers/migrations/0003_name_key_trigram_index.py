"""The trigram index on brokers' Latin name keys, on PostgreSQL alone (it is what keeps
the match under 50 ms at 20,000 brokers: ``bench/broker_names.py``). SQLite has no
operator class for it and computes the ranking in Python (``brokers.names.ranked``)."""

from django.db import migrations

INDEX = "broker_name_key_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON brokers_brokername USING gin (key gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("brokers", "0002_brokers_and_reports")]

    operations = [migrations.RunPython(create, drop)]
