from django.core.management.base import BaseCommand

from portal import hooks
from portal.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create the demo accounts (one per role and side) and demo data of every app. Idempotent."

    def handle(self, *args, **options):
        users = seed_demo()
        # Each app registers its seeders from its AppConfig (portal.hooks.register_seeder).
        for seeder in hooks.seeders():
            seeder(users)
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD!r}): " + ", ".join(sorted(users)))
