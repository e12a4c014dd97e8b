"""Import a workbook of the register of registered support organizations, for scripted
use: ``manage.py import_support_register PATH --user USERNAME [--apply] [--engine …]``.

It reads the workbook with a progress bar, prints its comparison with the register as it
stands, and keeps it as a preview (a draft import) — or, with ``--apply``, applies it
and shares it with the other side, as the page does (``notices.register.services``). A
workbook that changes nothing is reported and not kept. Bad input (not a workbook, no
header, a missing column, a user who may not import) exits non-zero with the message."""

from __future__ import annotations

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from notices.register import services
from portal.exceptions import ServiceError
from portal.models import User

#: How many numbers of each list the command prints.
SHOWN = 20


class Command(BaseCommand):
    help = "Compare a workbook of the register of registered support organizations with the register; --apply applies it."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="The workbook (xlsx) as the Immigration Services Agency publishes it."
        )
        parser.add_argument("--user", required=True, help="The Japan-side officer importing it (username).")
        parser.add_argument("--apply", action="store_true", help="Apply the import, not only preview it.")
        parser.add_argument(
            "--engine",
            choices=["openpyxl", "calamine"],
            default=None,
            help="The reader (default: the faster).",
        )

    def handle(self, *args, path, user, apply, engine, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"No such file: {source}")
        actor = (
            User.objects.filter(username=user, is_active=True).select_related("organization__side").first()
        )
        if actor is None:
            raise CommandError(f"No active user {user!r}.")
        try:
            with source.open("rb") as handle:
                upload = File(handle, name=source.name)
                reading = self._read(upload, engine)
                comparison = services.compare(reading, services.memorandum_of(actor).pk)
                self._print(reading, comparison)
                if not comparison.has_changes:
                    self.stdout.write(
                        "No change: the register already says what this workbook says. Nothing kept."
                    )
                    return
                draft = services.preview_import(actor, upload, reading=reading)
                self.stdout.write(f"Preview kept as {draft.reference} ({draft.get_absolute_url()}).")
                if apply:
                    draft = services.apply_import(actor, draft, engine=engine)
                    self.stdout.write(self.style.SUCCESS(f"Applied and shared: {draft.reference}."))
        except ServiceError as exc:
            raise CommandError(exc.message) from exc

    def _read(self, upload, engine):
        with tqdm(desc="Reading", unit=" rows", file=self.stderr._out, disable=None) as bar:

            def progress(done: int) -> None:
                bar.update(max(done - bar.n, 0))

            reading = services.read(upload, engine=engine, progress=progress)
            bar.update(max(len(reading.rows) + len(reading.errors) - bar.n, 0))
        upload.seek(0)
        return reading

    def _print(self, reading, comparison) -> None:
        write = self.stdout.write
        as_of = reading.as_of.isoformat() if reading.as_of else "?"
        write(f"Register as of {as_of} ({reading.edition} edition): {len(reading.rows)} rows read.")
        for label, numbers in (
            ("Added", comparison.added),
            ("Changed", list(comparison.changed)),
            ("Removed", comparison.removed),
            ("Reappeared", comparison.reappeared),
        ):
            shown = ", ".join(numbers[:SHOWN]) + (" …" if len(numbers) > SHOWN else "")
            write(f"{label}: {len(numbers)}" + (f" — {shown}" if numbers else ""))
        write(f"Unchanged: {comparison.unchanged_count}")
        if reading.errors:
            write(f"Rows that could not be read: {len(reading.errors)}")
            for error in reading.errors[:SHOWN]:
                write(f"  row {error.row}: {error.reason}")
