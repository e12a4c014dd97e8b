import logging
from contextlib import ExitStack

from django.core import mail
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from portal import hooks
from portal.demo import DEMO_PASSWORD, seed_demo

#: Seeding runs every task in-process (embedded mode): one "succeeded" line per task and
#: kombu's note on the in-memory broker would bury the lines that matter.
QUIET_LOGGERS = {"celery.app.trace": logging.WARNING, "kombu.connection": logging.ERROR}


class Command(BaseCommand):
    help = "Create the demo accounts (one per role and side) and demo data of every app. Idempotent."
    # `make run` seeds and then serves: runserver prints the system checks' findings
    # (missing fonts), once.
    requires_system_checks = []

    def handle(self, *args, **options):
        with ExitStack() as stack:
            for name, level in QUIET_LOGGERS.items():
                logger = logging.getLogger(name)
                stack.callback(logger.setLevel, logger.level)
                logger.setLevel(level)
            # The demo data's notifications would print hundreds of e-mail lines on the
            # console backend: they are counted instead.
            stack.enter_context(
                override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
            )
            if not hasattr(mail, "outbox"):
                mail.outbox = []
            before = len(mail.outbox)
            users = seed_demo()
            # Each app registers its seeders from its AppConfig (portal.hooks.register_seeder).
            for seeder in hooks.seeders():
                seeder(users)
            sent = len(mail.outbox) - before
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD!r}): " + ", ".join(sorted(users)))
        if sent:
            self.stdout.write(f"{sent} demo e-mails were not printed.")
