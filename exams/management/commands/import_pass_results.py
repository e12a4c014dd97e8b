"""``manage.py import_pass_results <path> --user <username>``: import a test body's CSV
file of pass results at once, through the same services as the page
(``exams.results.services``: kept, audited, the uploader's organization told), as
that user — one of Japan's side's writers."""

from __future__ import annotations

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from portal.exceptions import ServiceError
from portal.models import User


class Command(BaseCommand):
    help = "Import a CSV file of pass results (clause 5) as the given user, synchronously."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file (see exams.results.reading for its format).")
        parser.add_argument("--user", required=True, help="The username importing it (Japan's side).")

    def handle(self, *args, path: str, user: str, **options):
        from exams.results import services

        actor = User.objects.select_related("organization__side__memorandum").filter(username=user).first()
        if actor is None:
            raise CommandError(f"No user {user!r}.")
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"No file {path!r}.")
        try:
            with source.open("rb") as handle:
                record = services.upload(actor, File(handle, name=source.name), enqueue=False)
        except ServiceError as exc:
            raise CommandError(str(exc.message)) from exc
        services.run_import(record.pk)
        record.refresh_from_db()
        self.stdout.write(
            f"import {record.pk}: {record.get_status_display()} (encoding {record.encoding or '-'}); "
            f"rows {record.rows}, added {record.added}, changed {record.changed}, "
            f"unchanged {record.unchanged}, refused {record.refused}"
        )
        if record.failure:
            self.stdout.write(f"refused: {record.failure}")
        for error in record.errors[:20]:
            self.stdout.write(f"line {error['line']}: {error['reason']}")
        if record.status != "done":
            raise CommandError("The file was not imported.")
