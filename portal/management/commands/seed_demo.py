from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand

from portal.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create the demo accounts (one per role and side) and demo data of every app. Idempotent."

    def handle(self, *args, **options):
        users = seed_demo()
        # Each domain app may ship a ``demo.seed(users)``; the core does not import them.
        for config in apps.get_app_configs():
            if config.name == "portal":
                continue
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError:
                continue
            module.seed(users)
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD!r}): " + ", ".join(sorted(users)))
