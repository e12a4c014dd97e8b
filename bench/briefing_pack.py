"""The briefing pack's render time (4(2)) with BENCH_ROWS shared records of every kind in
the database (default 100,000 each): the pack reads its agenda's linked records through
``restrict()`` (one query a kind), the statistics since the previous consultation
(``notices.statistics.figures.compute``, grouped aggregates over every kind) and the
open action items, then WeasyPrint draws it with the charts. Target: under 10 s.

Usage (PostgreSQL; the database is created and filled on first run, which takes a few
minutes):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_pack .venv/bin/python bench/briefing_pack.py

Prints, for a Japan-side officer: the pack's HTML (reads and template) and the PDF
(WeasyPrint) separately, as medians of BENCH_REPEAT renders in seconds, the pack's size
and pages, and the rows of each kind. Figures go to docs/benchmarks.md, not here.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Permission  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from notices.consultations import packs, services  # noqa: E402
from notices.models import BriefingPack, Consultation  # noqa: E402
from portal.choices import RecordStatus  # noqa: E402
from portal.demo import create_demo_users  # noqa: E402
from portal.models import Organization  # noqa: E402
from portal.querysets import group_permission_model  # noqa: E402
from portal.records.services import record_kinds  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
#: Agenda items, and records linked to each.
ITEMS, LINKS = 6, 8


_FIRST: dict = {}


def _value(field: models.Field, number: int):
    """A valid value of a required field (as ``portal.testing.canary`` fills them)."""
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.ForeignKey):
        if field not in _FIRST:  # one query a field, not one a row
            _FIRST[field] = field.related_model._default_manager.order_by("pk").first()
        return _FIRST[field]
    if isinstance(field, models.DateTimeField):
        return timezone.now() - dt.timedelta(days=number % 700)
    if isinstance(field, models.DateField):
        return timezone.localdate() - dt.timedelta(days=number % 700)
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
        return 1
    if isinstance(field, models.EmailField):
        return f"bench{number}@example.org"
    if isinstance(field, models.URLField):
        return "https://example.org/"
    text = "bench" if not field.unique else f"bench-{number}"
    if field.max_length and field.max_length < len(text):  # a code ("JP"), or a short unique one
        return (f"{number:0{field.max_length}d}" if field.unique else "JP")[-field.max_length :]
    return text


def _required(model) -> list[models.Field]:
    skip = {"memorandum", "origin", "created_by", "reference", "status", "created_at", "shared_at"}
    return [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key or f.name in skip or f.has_default() or f.null or f.blank or f.auto_created)
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]


def fill(model, officers) -> None:
    """``ROWS`` shared records of ``model``, half from each side, spread over two years,
    each granted to the readers' organizations (as ``share_record`` grants)."""
    with connection.cursor() as cursor:  # the references of an earlier run, in the kit's four parts
        cursor.execute(
            f"UPDATE {model._meta.db_table} SET reference = 'BX-' || %s || '-2000-' || "  # noqa: S608
            "split_part(reference, '-', 2) WHERE reference LIKE %s",
            [model.reference_kind, f"B{model.reference_kind}-%"],
        )
    have = model.objects.filter(reference__startswith="B").count()
    if have >= ROWS:
        return
    print(f"  {model._meta.label}: filling {ROWS - have:,} rows…", flush=True)
    required = _required(model)
    # The officers' organizations and the contact points: the grants ``share_record``
    # gives every organization of both sides, less the ones no reader here uses
    # (restrict() filters by the reader's group, so the others cost it nothing).
    readers = list(
        Organization.objects.filter(pk__in=[o.organization_id for o in officers])
        .union(Organization.objects.filter(side__isnull=False, is_contact_point=True))
        .values_list("group_id", flat=True)
    )
    view = Permission.objects.get(
        content_type=ContentType.objects.get_for_model(model), codename=f"view_{model._meta.model_name}"
    )
    table = group_permission_model(model)._meta.db_table
    now = timezone.now()
    with transaction.atomic():
        for start in range(have, ROWS, 10_000):
            rows = []
            for number in range(start, min(start + 10_000, ROWS)):
                officer = officers[number % 2]
                created = now - dt.timedelta(days=random.randint(0, 720), hours=random.randint(0, 23))
                row = model(
                    memorandum=officer.organization.side.memorandum,
                    origin=officer.organization,
                    created_by=officer,
                    reference=f"BX-{model.reference_kind}-2000-{number:07d}",
                    status=RecordStatus.SHARED,
                    shared_at=created + dt.timedelta(hours=2),
                    **{f.name: _value(f, number) for f in required},
                    # One suspension in force per sector: the filled ones were lifted.
                    **(
                        {"state": "lifted", "lifted_on": created.date()}
                        if hasattr(model, "lifted_on")
                        else {}
                    ),
                )
                row.created_at = created
                rows.append(row)
            created_rows = model.objects.bulk_create(rows, batch_size=2000)
            model.objects.filter(pk__in=[r.pk for r in created_rows]).update(
                created_at=models.F("shared_at") - dt.timedelta(hours=2)
            )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (group_id, permission_id, content_object_id) "  # noqa: S608 - our names
                f"SELECT g, %s, r.id FROM {model._meta.db_table} r, unnest(%s::int[]) g "
                "WHERE r.reference LIKE 'B%%' ON CONFLICT DO NOTHING",
                [view.pk, readers],
            )


def timed(func) -> tuple[float, float, object]:
    """The first run (cold: nothing cached in the process) and the median of the runs."""
    samples, result = [], None
    for _ in range(REPEAT):
        started = time.perf_counter()
        result = func()
        samples.append(time.perf_counter() - started)
    return samples[0], sorted(samples)[len(samples) // 2], result


def main() -> None:
    call_command("migrate", verbosity=0)
    users = create_demo_users()
    jp, tj = users["jp-officer"], users["tj-officer"]
    print(f"filling {ROWS:,} shared records of each kind (once)…", flush=True)
    from agencies.models import SendingAgency

    if not SendingAgency.objects.exists():  # what an investigation is about
        from agencies.testing import certified

        certified(tj)
    for model in record_kinds():
        try:
            fill(model, [jp, tj])
        except Exception as exc:  # a kind whose required fields the filler cannot guess
            print(f"  {model._meta.label}: not filled ({type(exc).__name__}: {str(exc)[:120]})")
    connection.cursor().execute("ANALYZE")
    Consultation.objects.filter(reference__startswith="JP-CON").delete()
    # The filled consultations before the previous one: the pack's statistics cover a year.
    Consultation.objects.filter(reference__startswith="B").update(
        starts_at=models.F("created_at") - dt.timedelta(days=800)
    )
    services.schedule_consultation(jp, starts_at=timezone.now() - dt.timedelta(days=365), place="Tokyo")
    consultation = services.schedule_consultation(jp, starts_at=timezone.now(), place="Tokyo")
    kinds = [model for model in record_kinds() if model is not Consultation]
    for number in range(ITEMS):
        model = kinds[number % len(kinds)]
        references = list(
            model.objects.filter(reference__startswith="B")
            .order_by("?")
            .values_list("reference", flat=True)[:LINKS]
        )
        services.add_agenda_item(
            consultation, jp, topic="abcdef"[number], title=f"Item {number}", references=references
        )
        services.add_action_item(
            consultation, jp, description=f"Action {number}", owner_side=tj.organization.side
        )
    pack = BriefingPack.objects.create(consultation=consultation, language="ja", requested_by=jp)
    pack = BriefingPack.objects.select_related("consultation__memorandum", "requested_by__organization").get(
        pk=pack.pk
    )

    html_cold, html_seconds, html = timed(lambda: packs.pack_html(pack))
    pdf_cold, pdf_seconds, pdf = timed(lambda: packs.pack_pdf(pack))
    counts = ", ".join(f"{m._meta.model_name} {m.objects.count():,}" for m in record_kinds())
    print(f"rows: {counts}")
    print(f"agenda: {ITEMS} items × {LINKS} linked records; {ITEMS} open action items")
    print(
        f"pack HTML (reads, statistics, template): first {html_cold:.2f} s, median {html_seconds:.2f} s of {REPEAT}"
    )
    print(
        f"pack PDF end to end (HTML + WeasyPrint): first {pdf_cold:.2f} s, median {pdf_seconds:.2f} s of {REPEAT}"
    )
    print(f"statistics in the pack: {html.count('statistics-figure')} figures")
    print(f"PDF: {len(pdf):,} bytes; HTML {len(html):,} characters")


if __name__ == "__main__":
    main()
