"""Importing the register of registered support organizations (6(3), 7(5)): preview,
then apply.

``preview_import`` reads a workbook, compares it with the register as it stands and keeps
the comparison as a draft ``RegisterImport`` with the workbook attached — nothing applied.
``apply_import`` re-reads the stored workbook under a lock on the memorandum, refuses if
the register changed since the preview, then writes every readable row or none, shares
the comparison with the partner side and tells the public list, in one transaction.

Importing the same workbook twice changes nothing: its comparison is empty, and an empty
comparison is never applied — no second record shared, nothing written. (The page still
shows such a preview, with its unreadable rows, so that the officer sees why; the
management command does not keep one.)

Why the comparison is shaped so: at 100,000 organizations reading the stored rows' fields
would cost seconds and hundreds of megabytes, so each organization keeps a fingerprint
(SHA-256 of its canonical fields); the import reads ``(number, fingerprint, removed)``
with ``values_list``, compares in Python, reads the fields of the changed rows alone, and
writes only what changed, in batches (``UPDATE … FROM (VALUES …)`` on PostgreSQL,
``bulk_update`` elsewhere).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notices import publishing
from notices.models import RegisterImport, SupportOrganization
from portal import audit
from portal.exceptions import InvalidInput, TransitionError
from portal.models import Memorandum, User
from portal.records import services as kit

from . import policies

#: The fields an import compares and keeps, in the fingerprint's order (the
#: registration number is the key, not a compared field).
FIELDS = (
    "registered_on",
    "name",
    "postcode",
    "address",
    "prefecture",
    "phone",
    "representative",
    "office_name",
    "office_address",
    "support",
    "support_from",
    "languages",
    "languages_text",
    "remarks",
)
DATE_FIELDS = frozenset({"registered_on", "support_from"})

#: Rows written a statement.
BATCH = 2000
#: The changed organizations whose old → new values a preview keeps, and the added ones
#: whose names it keeps (the page shows 200).
CHANGED_VALUES_KEPT = 1000


def fingerprint(values: dict) -> str:
    """SHA-256 of the canonical fields (``RegisterRow.fields()``'s JSON-ready values)."""
    canonical = json.dumps([values.get(name) for name in FIELDS], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def stored_values(organization: SupportOrganization) -> dict:
    """An organization's fields as an import reads them (dates ISO, languages a list)."""
    values = {}
    for name in FIELDS:
        value = getattr(organization, name)
        values[name] = value.isoformat() if isinstance(value, dt.date) else value
    values["languages"] = list(values["languages"] or [])
    return values


def _model_values(values: dict) -> dict:
    """JSON-ready fields → the model's Python values."""
    result = {name: values.get(name) for name in FIELDS}
    for name in DATE_FIELDS:
        if isinstance(result[name], str):
            result[name] = dt.date.fromisoformat(result[name]) if result[name] else None
    for name in FIELDS:
        if result[name] is None and name not in DATE_FIELDS:
            result[name] = [] if name == "languages" else ""
    result["languages"] = list(result["languages"] or [])
    return result


@dataclass
class Comparison:
    """What a workbook would change in the register of one memorandum."""

    added: list[str] = field(default_factory=list)
    #: ``{number: [field, …]}``
    changed: dict[str, list[str]] = field(default_factory=dict)
    #: ``{number: {field: [before, after]}}``, for the first ``CHANGED_VALUES_KEPT``.
    changed_values: dict[str, dict[str, list]] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    reappeared: list[str] = field(default_factory=list)
    unchanged_count: int = 0
    #: Each readable row's fingerprint, by number (what apply writes).
    fingerprints: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.reappeared)

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "removed": len(self.removed),
            "reappeared": len(self.reappeared),
            "unchanged": self.unchanged_count,
        }


def latest_applied(memorandum_id: int) -> RegisterImport | None:
    """The import applied last to the memorandum's register (what a preview compares with)."""
    return (
        RegisterImport.objects.filter(memorandum_id=memorandum_id, applied_at__isnull=False)
        .order_by("-applied_at", "-id")
        .first()
    )


def _chunks(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def compare(reading, memorandum_id: int) -> Comparison:
    """Compare a ``Reading``'s rows with the register as it stands: by fingerprint first,
    then field by field for the changed organizations alone."""
    current = {
        number: (print_, removed_on is not None)
        for number, print_, removed_on in SupportOrganization.objects.filter(
            memorandum_id=memorandum_id
        ).values_list("registration_number", "fingerprint", "removed_on")
    }
    result = Comparison()
    new_values: dict[str, dict] = {}
    for row in reading.rows:
        values = row.fields()
        number = row.registration_number
        print_ = fingerprint(values)
        result.fingerprints[number] = print_
        known = current.get(number)
        if known is None:
            result.added.append(number)
        elif known[1]:
            result.reappeared.append(number)
            if known[0] != print_:
                new_values[number] = values
        elif known[0] != print_:
            new_values[number] = values
        else:
            result.unchanged_count += 1
    seen = result.fingerprints
    result.removed = sorted(
        number for number, (_print, removed) in current.items() if not removed and number not in seen
    )
    result.added.sort()
    result.reappeared.sort()
    # The changed organizations' fields: a few per cent of the register, read in batches.
    for numbers in _chunks(sorted(new_values)):
        rows = SupportOrganization.objects.filter(
            memorandum_id=memorandum_id, registration_number__in=numbers
        )
        for organization in rows:
            number = organization.registration_number
            before, after = stored_values(organization), new_values[number]
            names = [name for name in FIELDS if before[name] != after.get(name)]
            if not names:
                # The same fields under an older fingerprint: nothing to show or write.
                result.unchanged_count += 1
                continue
            if number in current and not current[number][1]:
                result.changed[number] = names
            if len(result.changed_values) < CHANGED_VALUES_KEPT:
                result.changed_values[number] = {name: [before[name], after.get(name)] for name in names}
    result.changed = dict(sorted(result.changed.items()))
    return result


def _import_fields(reading, comparison: Comparison) -> dict:
    shown = set(comparison.added[:CHANGED_VALUES_KEPT])
    return {
        "added_names": {
            row.registration_number: row.name for row in reading.rows if row.registration_number in shown
        },
        "edition": reading.edition or "",
        "as_of": reading.as_of,
        "title": (reading.title or "")[:300],
        "file_sha256": reading.sha256,
        "rows_read": len(reading.rows),
        "row_errors": [{"row": error.row, "reason": str(error.reason)} for error in reading.errors],
        "added": comparison.added,
        "changed": comparison.changed,
        "changed_values": comparison.changed_values,
        "removed": comparison.removed,
        "reappeared": comparison.reappeared,
        "counts": {**comparison.counts(), "errors": len(reading.errors)},
    }


def read(source, *, engine: str | None = None, progress=None):
    """The workbook read by ``notices.register.reading``; a file that is no register is
    refused with the reader's message (nothing saved)."""
    from .reading import UnreadableRegister, read_register

    try:
        return read_register(source, engine=engine, progress=progress)
    except UnreadableRegister as exc:
        raise InvalidInput(str(exc)) from exc


def memorandum_of(actor: User) -> Memorandum:
    return actor.organization.side.memorandum


def preview_import(
    actor: User, file, *, reading=None, engine: str | None = None, progress=None
) -> RegisterImport:
    """A draft import of ``file`` (an uploaded or Django ``File``): its comparison with
    the register as it stands, the workbook attached. Nothing is applied."""
    policies.check_import(actor)
    if reading is None:
        reading = read(file, engine=engine, progress=progress)
    file.seek(0)
    memorandum_id = memorandum_of(actor).pk
    # The base before the comparison: an import applied in between makes the preview
    # stale (refused at apply), never wrongly current.
    base = latest_applied(memorandum_id)
    comparison = compare(reading, memorandum_id)
    with transaction.atomic():
        draft = kit.create_record(
            RegisterImport,
            actor,
            base=base,
            file_name=(getattr(file, "name", "") or "")[:200],
            **_import_fields(reading, comparison),
        )
        kit.store_attachment(draft, actor, file, description=_("The workbook imported"))
        audit.log("register.previewed", actor=actor, obj=draft, after=comparison.counts())
    return draft


def _stored_reading(draft: RegisterImport, *, engine=None, progress=None):
    attachment = draft.attachments.order_by("id").first()
    if attachment is None:
        raise TransitionError(_("The workbook of this preview is missing: upload it again."))
    with attachment.file.open("rb") as handle:
        reading = read(handle, engine=engine, progress=progress)
    if reading.sha256 != draft.file_sha256 or attachment.sha256 != draft.file_sha256:
        raise TransitionError(
            _("The stored workbook is not the one this preview read: upload the workbook again.")
        )
    return reading


def apply_import(actor: User, draft: RegisterImport, *, engine: str | None = None, progress=None):
    """Apply a previewed import: every readable row or none, in one transaction that
    also shares the comparison with the partner side and tells the public list.

    Refused, with nothing written, when another import was applied since the preview
    (its comparison would be wrong), when the stored workbook is not the one previewed,
    or when it changes nothing."""
    policies.check_import(actor)
    with transaction.atomic():
        # One import at a time a register: the second waits here, then finds its base
        # stale. NO KEY: a row inserted elsewhere that names the memorandum (any new
        # record) takes KEY SHARE on it and must not wait for a 30-second import.
        memorandum = Memorandum.objects.select_for_update(no_key=True).get(pk=draft.memorandum_id)
        draft = kit._readable(draft, actor)
        policies.check_apply(actor, draft)
        latest = latest_applied(memorandum.pk)
        if (latest.pk if latest else None) != draft.base_id:
            raise TransitionError(
                _(
                    "The register changed since this preview: import %(reference)s was applied "
                    "after it. Upload the workbook again to compare it with the register as it stands."
                )
                % {"reference": latest.reference if latest else "—"}
            )
        reading = _stored_reading(draft, engine=engine, progress=progress)
        comparison = compare(reading, memorandum.pk)
        if not comparison.has_changes:
            raise TransitionError(
                _("This workbook changes nothing in the register: there is nothing to apply.")
            )
        on = reading.as_of or timezone.localdate()
        _write(memorandum.pk, draft, reading, comparison, on)
        for name, value in _import_fields(reading, comparison).items():
            setattr(draft, name, value)
        draft.applied_at = timezone.now()
        draft.save()
        audit.log("register.applied", actor=actor, obj=draft, after=comparison.counts())
        draft = kit.share_record(draft, actor, notify_kind="notices.register_imported")
        publishing.register_changed(memorandum)
    return draft


def _write(memorandum_id: int, draft: RegisterImport, reading, comparison: Comparison, on: dt.date) -> None:
    added = set(comparison.added)
    updated = set(comparison.changed) | set(comparison.reappeared)
    reappeared = set(comparison.reappeared)
    new_rows = []
    updates = []
    for row in reading.rows:
        number = row.registration_number
        if number in added:
            values = _model_values(row.fields())
            new_rows.append(
                SupportOrganization(
                    memorandum_id=memorandum_id,
                    registration_number=number,
                    fingerprint=comparison.fingerprints[number],
                    first_seen_on=on,
                    first_seen_import=draft,
                    **values,
                )
            )
            if len(new_rows) >= BATCH:
                SupportOrganization.objects.bulk_create(new_rows)
                new_rows = []
        elif number in updated:
            updates.append((number, _model_values(row.fields()), number in comparison.changed))
    if new_rows:
        SupportOrganization.objects.bulk_create(new_rows)
    for batch in _chunks(updates):
        _update(memorandum_id, batch, comparison, on, reappeared)
    for numbers in _chunks(comparison.removed):
        SupportOrganization.objects.filter(
            memorandum_id=memorandum_id, registration_number__in=numbers
        ).update(removed_on=on, removed_import=draft)


def _update(memorandum_id, batch, comparison: Comparison, on: dt.date, reappeared: set[str]) -> None:
    """Write the changed and reappeared organizations of one batch: their fields, their
    fingerprint, ``changed_on`` when a field changed, ``removed_on`` cleared."""
    if connection.vendor == "postgresql":
        _update_postgresql(memorandum_id, batch, comparison, on)
        return
    numbers = [number for number, _values, _changed in batch]
    found = {
        organization.registration_number: organization
        for organization in SupportOrganization.objects.filter(
            memorandum_id=memorandum_id, registration_number__in=numbers
        )
    }
    for number, values, changed in batch:
        organization = found[number]
        for name, value in values.items():
            setattr(organization, name, value)
        organization.fingerprint = comparison.fingerprints[number]
        if changed:
            organization.changed_on = on
        if number in reappeared:
            organization.removed_on, organization.removed_import = None, None
    SupportOrganization.objects.bulk_update(
        found.values(), [*FIELDS, "fingerprint", "changed_on", "removed_on", "removed_import"]
    )


#: PostgreSQL casts of the VALUES columns (the first row decides a column's type otherwise).
_CASTS = {"registered_on": "date", "support_from": "date", "languages": "jsonb", "changed": "boolean"}


def _update_postgresql(memorandum_id, batch, comparison: Comparison, on: dt.date) -> None:
    """One ``UPDATE … FROM (VALUES …)`` a batch: a round trip instead of one a row, and no
    ``CASE`` a column as ``bulk_update`` writes."""
    table = SupportOrganization._meta.db_table
    columns = ["registration_number", *FIELDS, "fingerprint", "changed"]
    placeholder = "(" + ", ".join(f"%s::{_CASTS.get(name, 'text')}" for name in columns) + ")"
    params: list = []
    for number, values, changed in batch:
        params.append(number)
        for name in FIELDS:
            value = values[name]
            params.append(json.dumps(value, ensure_ascii=False) if name == "languages" else value)
        params += [comparison.fingerprints[number], changed]
    assignments = ", ".join(f"{name} = v.{name}" for name in [*FIELDS, "fingerprint"])
    # Names and placeholders only: the table and columns are the model's, values are params.
    sql = (
        f"UPDATE {table} AS o SET {assignments}, "  # noqa: S608
        "changed_on = CASE WHEN v.changed THEN %s::date ELSE o.changed_on END, "
        "removed_on = NULL, removed_import_id = NULL "
        f"FROM (VALUES {', '.join([placeholder] * len(batch))}) AS v({', '.join(columns)}) "
        "WHERE o.memorandum_id = %s AND o.registration_number = v.registration_number"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [on, *params, memorandum_id])


def withdraw_preview(draft: RegisterImport, actor: User) -> RegisterImport:
    """A preview not to be applied: the kit's withdrawal (its workbook stays attached)."""
    return kit.withdraw_draft(draft, actor)


def organizations_of(numbers: Iterable[str], memorandum_id: int) -> dict[str, SupportOrganization]:
    """The organizations of ``numbers`` (a page's lists), by number."""
    return {
        organization.registration_number: organization
        for organization in SupportOrganization.objects.filter(
            memorandum_id=memorandum_id, registration_number__in=list(numbers)
        )
    }
