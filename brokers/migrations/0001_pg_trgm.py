"""pg_trgm for matching brokers' names across scripts (brokers.names.ranked).

Django's ``TrigramExtension`` (a ``CreateExtension``) already does nothing unless the
connection's vendor is ``postgresql``, so the same migration runs as a no-op on SQLite.
Since PostgreSQL 13 pg_trgm is a trusted extension: a database owner may create it.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = []

    operations = [TrigramExtension()]
