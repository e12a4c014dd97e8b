"""Reference numbers: ``JP-INV-2026-0007`` — the originating side's country, the record
kind, the year, and a number that runs per side, kind and year. Unique, shown on every
page, e-mail and PDF that names the record, and searchable."""

from __future__ import annotations

import re

from django.db import connection
from django.utils import timezone

from portal.timezones import zone_for_country

from .models import ReferenceCounter

#: What a reference looks like; the search box recognises one by this.
PATTERN = re.compile(r"^[A-Z]{2}-[A-Z]{2,5}-\d{4}-\d{4,}$")


def prefix_for(record) -> str:
    country = record.origin.side.country if record.origin.side_id else "XX"
    # The year on the originating side's clock, whoever's zone the request runs in.
    year = timezone.localtime(record.created_at or timezone.now(), zone_for_country(country)).year
    return f"{country}-{record.reference_kind}-{year}"


def next_number(prefix: str) -> int:
    """The next number under ``prefix``, in one statement: two officers creating records
    at the same moment get two numbers, never one (the row is locked by the upsert)."""
    table = connection.ops.quote_name(ReferenceCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, last) VALUES (%s, 1) "  # noqa: S608 - the table name is ours
            f"ON CONFLICT (prefix) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [prefix],
        )
        return cursor.fetchone()[0]


def assign_reference(record) -> str:
    """Give ``record`` its reference (inside the transaction that creates it)."""
    prefix = prefix_for(record)
    record.reference = f"{prefix}-{next_number(prefix):04d}"
    return record.reference
