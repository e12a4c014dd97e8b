"""Compute every broker name's Latin key again (``brokers.names.latin_key``).

A key is stored with its name so that the trigram index can find it; when the rules of
``brokers/names.py`` change, the stored keys are those of the old rules until this runs.
It is idempotent and changes only the keys that differ; run it after deploying a change
to the rules (``manage.py rekey_broker_names``)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from brokers.models import BrokerName
from brokers.names import latin_key

BATCH = 2000


class Command(BaseCommand):
    help = "Compute every broker name's Latin key again after a change to brokers/names.py."

    def handle(self, *args, **options):
        changed = seen = 0
        last = 0
        while True:
            rows = list(
                BrokerName.objects.filter(pk__gt=last).order_by("pk").only("pk", "name", "key")[:BATCH]
            )
            if not rows:
                break
            stale = []
            for row in rows:
                key = latin_key(row.name)
                if key != row.key:
                    row.key = key
                    stale.append(row)
            with transaction.atomic():
                BrokerName.objects.bulk_update(stale, ["key"])
            changed += len(stale)
            seen += len(rows)
            last = rows[-1].pk
        self.stdout.write(f"{seen} names read, {changed} keys changed.")
