"""Importing the test bodies' pass results into the register (clause 5).

``upload`` keeps the file (private storage, never reachable by a URL) as a
``ResultImport`` queued, audited (``exam_results.uploaded``), and asks for the import
through the transactional outbox (topic ``exams.result_import``), whose handler sends
the thin task ``tasks.import_pass_results`` once the request's transaction commits: an
upload is never lost between the database and Celery. ``run_import`` reads the stored
file (the format: ``exams.results.reading``), upserts its rows, records the counts and
the refused lines, audits (``exam_results.imported``) and tells the uploading
organization (inbox kind ``exams.results_imported``) — done or failed, in one
transaction that holds the import's row, so a second delivery of the task does nothing.
The management command ``import_pass_results`` runs the same two services at once.

Idempotence: each row is upserted by (test, certificate number). A new certificate is
*added*; one whose values differ is *changed* (its ``source`` becomes this import);
one whose values are the same is *unchanged* and nothing is written — importing a file
again changes nothing, ``updated_at`` included.

Speed (``bench/exam_results.py``): the rows are taken ``CHUNK`` at a time; a chunk's
existing results are fetched by their keys in one query (the keys as two arrays,
joined through the unique index; no model instances), compared in Python, and only the new and changed ones written
(on PostgreSQL one ``INSERT … SELECT FROM unnest(…)`` for the new, one
``UPDATE … FROM unnest(…)`` for the changed: a parameter a column, not one a value). Holders' names are
folded with ``exams.names.keys_of``, whose per-word cache makes a name seen before cost
a dictionary look-up."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import audit, notifications, outbox
from portal.exceptions import InvalidInput
from portal.models import User

from ..choices import ImportStatus
from ..models import Exam, PassResult, ResultImport
from . import policies
from .reading import Reader, Row, RowError, UnreadableFile, decode

logger = logging.getLogger(__name__)

#: Rows compared and written together.
CHUNK = 5000
#: Refused lines kept on the import (all are counted in ``refused``).
MAX_ERRORS = 1000
#: The largest file accepted.
MAX_FILE_MB = 50
TOPIC = "exams.result_import"
#: What a result is compared on (its key is the test and the certificate number).
FIELDS = ("name_latin", "name_cyrillic", "name_keys", "date_of_birth", "test_date", "result")


# --- The upload -------------------------------------------------------------------------


def check_file(file) -> None:
    """A CSV file of pass results by its name and size, and text by its first bytes
    (the portal's ``validate_upload`` accepts UTF-8 text alone, not Shift_JIS)."""
    name = (getattr(file, "name", "") or "").lower()
    if not name.endswith((".csv", ".txt")):
        raise InvalidInput(_("Upload a CSV file (its name ending in .csv)."))
    if file.size > MAX_FILE_MB * 1024 * 1024:
        raise InvalidInput(
            _("The file is larger than %(limit)s MB. Split it into smaller files.") % {"limit": MAX_FILE_MB}
        )
    if file.size == 0:
        raise InvalidInput(_("The file is empty."))
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    if b"\x00" in head:
        raise InvalidInput(_("This is not a CSV file: it holds binary data."))


def _read_all(file) -> bytes:
    file.seek(0)
    data = b"".join(file.chunks()) if hasattr(file, "chunks") else file.read()
    file.seek(0)
    return data


def upload(actor: User, file, *, enqueue: bool = True) -> ResultImport:
    """Keep ``file`` as a queued import of ``actor``'s organization and ask for the
    import through the outbox (``enqueue=False``: the caller runs it, as the management
    command does)."""
    policies.check_import(actor)
    check_file(file)
    data = _read_all(file)
    digest = hashlib.sha256(data).hexdigest()
    base_name = (getattr(file, "name", "") or "results.csv").replace("\\", "/").rsplit("/", 1)[-1]
    with transaction.atomic():
        record = ResultImport(
            organization=actor.organization, uploaded_by=actor, file_name=base_name[:200], sha256=digest
        )
        record.file.save(f"{digest}.csv", ContentFile(data), save=False)
        record.save()
        audit.log(
            "exam_results.uploaded", actor=actor, obj=record, after={"sha256": digest, "size": len(data)}
        )
        if enqueue:
            outbox.enqueue(TOPIC, {"import": record.pk})
    return record


@outbox.handler(TOPIC)
def queue_import(entry) -> None:
    from .tasks import import_pass_results

    import_id = entry.payload["import"]
    transaction.on_commit(lambda: import_pass_results.apply_async(args=[import_id], retry=False), robust=True)


# --- The import ---------------------------------------------------------------------------


def exams_by_code() -> dict[str, tuple[int, re.Pattern]]:
    return {
        code: (pk, re.compile(pattern))
        for pk, code, pattern in Exam.objects.values_list("pk", "code", "certificate_pattern")
    }


class Counts:
    __slots__ = ("rows", "added", "changed", "unchanged", "refused", "errors")

    def __init__(self):
        self.rows = self.added = self.changed = self.unchanged = self.refused = 0
        self.errors: list[dict] = []

    def refuse(self, error: RowError) -> None:
        self.refused += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"line": error.line, "reason": str(error.reason)})

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in ("rows", "added", "changed", "unchanged", "refused")}


def import_text(record: ResultImport, text: str, *, today=None) -> Counts:
    """Upsert the rows of a decoded file as ``record``'s (see the module)."""
    counts = Counts()
    chunk: list[Row] = []
    for item in Reader(text, exams_by_code(), today=today).rows():
        counts.rows += 1
        if isinstance(item, RowError):
            counts.refuse(item)
            continue
        chunk.append(item)
        if len(chunk) >= CHUNK:
            _upsert(record, chunk, counts)
            chunk = []
    if chunk:
        _upsert(record, chunk, counts)
    return counts


def _existing(rows: list[Row]) -> dict[tuple[int, str], tuple[int, tuple]]:
    """The stored results of a chunk's keys: ``{(exam, number): (id, values)}``, in one
    query (PostgreSQL: the keys as two arrays, joined through the unique index)."""
    found: dict[tuple[int, str], tuple[int, tuple]] = {}
    if connection.vendor == "postgresql":
        table = PassResult._meta.db_table
        # The table and columns are the model's; the keys are parameters.
        sql = (
            f"SELECT r.id, r.exam_id, r.certificate_number, {', '.join('r.' + name for name in FIELDS)} "  # noqa: S608
            f"FROM {table} AS r JOIN unnest(%s::bigint[], %s::text[]) AS k(exam_id, number) "
            "ON r.exam_id = k.exam_id AND r.certificate_number = k.number"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [[row.exam_id for row in rows], [row.certificate_number for row in rows]])
            for pk, exam_id, number, *values in cursor.fetchall():
                found[(exam_id, number)] = (pk, tuple(values))
        return found
    by_exam: dict[int, list[str]] = {}
    for row in rows:
        by_exam.setdefault(row.exam_id, []).append(row.certificate_number)
    for exam_id, numbers in by_exam.items():
        for pk, number, *values in PassResult.objects.filter(
            exam_id=exam_id, certificate_number__in=numbers
        ).values_list("pk", "certificate_number", *FIELDS):
            found[(exam_id, number)] = (pk, tuple(values))
    return found


def _upsert(record: ResultImport, rows: list[Row], counts: Counts) -> None:
    existing = _existing(rows)
    now = timezone.now()
    new, changed = [], []
    for row in rows:
        values = (
            row.name_latin,
            row.name_cyrillic,
            row.name_keys,
            row.date_of_birth,
            row.test_date,
            row.result,
        )
        known = existing.get((row.exam_id, row.certificate_number))
        if known is None:
            new.append((row.exam_id, row.certificate_number, *values))
        elif known[1] != values:
            changed.append((known[0], values))
        else:
            counts.unchanged += 1
    if new:
        _insert(record, new, now)
        counts.added += len(new)
    if changed:
        _update(record, changed, now)
        counts.changed += len(changed)


def _insert(record: ResultImport, new: list[tuple], now) -> None:
    """The new results of a chunk: one ``INSERT … SELECT FROM unnest(…)`` on PostgreSQL
    (a parameter a column, not one a value)."""
    if connection.vendor != "postgresql":
        PassResult.objects.bulk_create(
            [
                PassResult(
                    exam_id=exam_id,
                    certificate_number=number,
                    **dict(zip(FIELDS, values, strict=True)),
                    source=record,
                    updated_at=now,
                )
                for exam_id, number, *values in new
            ],
            batch_size=1000,
        )
        return
    table = PassResult._meta.db_table
    columns = ("exam_id", "certificate_number", *FIELDS)
    casts = ("bigint", "text", "text", "text", "text", "date", "date", "text")
    arrays = ", ".join(f"%s::{cast}[]" for cast in casts)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}, source_id, updated_at) "  # noqa: S608
        f"SELECT *, %s, %s FROM unnest({arrays})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [record.pk, now, *(list(column) for column in zip(*new, strict=True))])


def _update(record: ResultImport, changed: list[tuple[int, tuple]], now) -> None:
    """The changed results of a chunk: one ``UPDATE … FROM unnest(…)`` on PostgreSQL."""
    if connection.vendor != "postgresql":
        objects = [
            PassResult(pk=pk, **dict(zip(FIELDS, values, strict=True)), source=record, updated_at=now)
            for pk, values in changed
        ]
        PassResult.objects.bulk_update(objects, [*FIELDS, "source", "updated_at"], batch_size=1000)
        return
    table = PassResult._meta.db_table
    casts = ("bigint", "text", "text", "text", "date", "date", "text")
    arrays = ", ".join(f"%s::{cast}[]" for cast in casts)
    assignments = ", ".join(f"{name} = v.{name}" for name in FIELDS)
    # The table and columns are the model's; the values are parameters.
    sql = (
        f"UPDATE {table} AS r SET {assignments}, source_id = %s, updated_at = %s "  # noqa: S608
        f"FROM unnest({arrays}) AS v(id, {', '.join(FIELDS)}) WHERE r.id = v.id"
    )
    columns = [
        [pk for pk, _values in changed],
        *(list(column) for column in zip(*(v for _pk, v in changed), strict=True)),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [record.pk, now, *columns])


def _finish(record: ResultImport) -> None:
    record.finished_at = timezone.now()
    record.save()
    audit.log(
        "exam_results.imported",
        actor=record.uploaded_by,
        obj=record,
        after={
            "status": record.status,
            **{name: getattr(record, name) for name in ("rows", "added", "changed", "unchanged", "refused")},
        },
    )
    notifications.notify(
        [record.organization_id],
        "exams.results_imported" if record.status == ImportStatus.DONE else "exams.results_import_failed",
        url=record.get_absolute_url(),
        params={
            "number": record.pk,
            "added": record.added,
            "changed": record.changed,
            "refused": record.refused,
        },
        users=[record.uploaded_by_id],
    )


def run_import(import_id: int, *, today=None) -> bool:
    """Import a queued file (see the module); ``False`` if it was not queued (a second
    delivery) or failed."""
    try:
        with transaction.atomic():
            record = (
                # SKIP LOCKED: an import under way is left to the worker running it.
                ResultImport.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("uploaded_by")
                .filter(pk=import_id, status=ImportStatus.QUEUED)
                .first()
            )
            if record is None:
                return False
            # The reasons are stored in the uploader's language: they read them.
            with translation.override(record.uploaded_by.language or None):
                try:
                    with record.file.open("rb") as handle:
                        text, record.encoding = decode(handle.read())
                    counts = import_text(record, text, today=today)
                except UnreadableFile as exc:
                    record.status, record.failure = ImportStatus.FAILED, str(exc)
                else:
                    record.status = ImportStatus.DONE
                    for name, value in counts.as_dict().items():
                        setattr(record, name, value)
                    record.errors = counts.errors
            _finish(record)
            return record.status == ImportStatus.DONE
    except Exception:
        logger.exception("exams: the import of pass results %s failed", import_id)
        with transaction.atomic():
            record = (
                ResultImport.objects.select_for_update()
                .filter(pk=import_id, status=ImportStatus.QUEUED)
                .first()
            )
            if record is None:
                raise
            with translation.override(record.uploaded_by.language or None):
                record.status = ImportStatus.FAILED
                record.failure = _("The import stopped on an unexpected error: nothing was imported.")
            _finish(record)
        return False


def run_waiting() -> int:
    """Imports a lost task left queued for more than ten minutes (a periodic sweep); an
    import under way is skipped (its row is locked)."""
    since = timezone.now() - dt.timedelta(minutes=10)
    waiting = ResultImport.objects.filter(status=ImportStatus.QUEUED, uploaded_at__lt=since)
    return sum(run_import(import_id) for import_id in waiting.values_list("pk", flat=True)[:5])
