"""What a confidential download costs over a plain one (issue 9).

Usage (PostgreSQL; the database is migrated and filled on first run):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/downloads.py

Times, in-process with Django's test client and DEBUG=False, the median of BENCH_REPEAT
requests for a BENCH_KB-kilobyte attachment of an investigation, read by the Tajik
contact point:
- ``/files/<id>/``: the portal's download view (restrict() on the owning record, the
  side of the file against the reader's consents, an audit entry chained to the trail);
- ``/bench/plain-file/<id>``: the same file through a FileResponse with no check — what
  serving the file costs Django itself;
- the third party with Japan's written consent, which also reads its live consents.
Prints the medians, the overhead and the queries of each.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from portal.demo import create_demo_users  # noqa: E402
from portal.models import Organization  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "300"))
KILOBYTES = int(os.environ.get("BENCH_KB", "100"))


def a_pdf(size: int) -> bytes:
    head = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    return head + b"%" + b"x" * max(size - len(head) - 8, 0) + b"\n%%EOF\n"


def setup():
    from agencies import services as agency_services
    from agencies.testing import certified
    from portal import services

    call_command("migrate", verbosity=0)
    users = {name.replace("-", "_"): user for name, user in create_demo_users().items()}
    agency = certified(users["tj_officer"], number=f"BENCH-{time.time_ns()}")
    investigation = agency_services.report_for_investigation(
        users["jp_officer"],
        agency,
        facts="Benchmark.",
        due_on=timezone.localdate() + dt.timedelta(days=30),
        attachments=[SimpleUploadedFile("statement.pdf", a_pdf(KILOBYTES * 1024))],
    )
    services.grant_consent(
        investigation,
        users["jp_contact"],
        third_party=Organization.objects.get(code="tj-embassy-jp"),
        document_reference="bench",
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    return users, investigation.attachments.get()


def measure(client: Client, url: str) -> tuple[float, int]:
    def fetch():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        b"".join(response.streaming_content)

    fetch()
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        fetch()
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fetch()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), len(queries)


def main() -> None:
    users, attachment = setup()
    contact, third_party = Client(), Client()
    contact.force_login(users["tj_contact"])
    third_party.force_login(users["embassy_viewer"])
    plain, plain_queries = measure(contact, f"/bench/plain-file/{attachment.pk}")
    portal, portal_queries = measure(contact, f"/files/{attachment.pk}/")
    consented, consented_queries = measure(third_party, f"/files/{attachment.pk}/")
    print(f"{KILOBYTES} KB attachment, median of {REPEAT} requests (ms), queries per request")
    print(f"  plain FileResponse, no checks      {plain:7.2f} ms  {plain_queries:2d} queries")
    print(f"  /files/<id>/, side's contact point {portal:7.2f} ms  {portal_queries:2d} queries")
    print(f"  /files/<id>/, consented 3rd party  {consented:7.2f} ms  {consented_queries:2d} queries")
    print(f"  overhead: {portal - plain:+.2f} ms (contact point), {consented - plain:+.2f} ms (third party)")


if __name__ == "__main__":
    main()
