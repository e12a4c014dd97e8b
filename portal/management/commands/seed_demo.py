from django.core.management.base import BaseCommand

from portal.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create the demo accounts (one per role and side) and a little demo data. Idempotent."

    def handle(self, *args, **options):
        users = seed_demo()
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD!r}): " + ", ".join(sorted(users)))
