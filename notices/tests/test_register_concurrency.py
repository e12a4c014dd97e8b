"""Two officers apply two previews of the register at once: the second waits for the
first's lock on the memorandum, then is refused as stale; and an import in progress
does not hold up the rest of the portal (its lock is FOR NO KEY UPDATE)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from notices.models import SupportOrganization
from notices.register import services
from notices.register.matrix import organization, register_workbook, upload
from portal.exceptions import TransitionError

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def _in_thread(func, results, key):
    def run():
        try:
            results[key] = func()
        except Exception as exc:  # the test reads what each thread met
            results[key] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_second_apply_waits_then_is_refused_and_other_work_goes_on(cast, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    officer = cast["jp_officer"]
    services.apply_import(
        officer,
        services.preview_import(
            officer, upload(register_workbook([organization(1)], as_of=dt.date(2026, 9, 30)))
        ),
    )
    first = services.preview_import(
        officer, upload(register_workbook([organization(1), organization(2)], as_of=dt.date(2026, 10, 31)))
    )
    second = services.preview_import(
        officer, upload(register_workbook([organization(1), organization(3)], as_of=dt.date(2026, 10, 31)))
    )
    inside, release = threading.Event(), threading.Event()
    write = services._write

    def held_write(memorandum_id, draft, *args):
        if draft.pk == first.pk:
            inside.set()
            assert release.wait(20)
        return write(memorandum_id, draft, *args)

    monkeypatch.setattr(services, "_write", held_write)
    results = {}
    one = _in_thread(lambda: services.apply_import(officer, first), results, "first")
    assert inside.wait(20)
    two = _in_thread(lambda: services.apply_import(officer, second), results, "second")
    # Meanwhile a record that names the memorandum is created at once.
    from portal import services as portal_services

    other = _in_thread(
        lambda: portal_services.draft_correspondence(
            cast["tj_contact"],
            recipient=cast["jp_contact"].organization,
            subject="During an import",
            body="…",
        ),
        results,
        "letter",
    )
    other.join(10)
    assert not other.is_alive() and not isinstance(results["letter"], Exception), results.get("letter")
    two.join(1)
    assert two.is_alive()  # waiting for the first apply's lock
    release.set()
    one.join(20)
    two.join(20)
    assert not isinstance(results["first"], Exception), results["first"]
    assert isinstance(results["second"], TransitionError) and "changed since" in results["second"].message
    assert set(SupportOrganization.objects.current().values_list("registration_number", flat=True)) == {
        organization(1)["registration_number"],
        organization(2)["registration_number"],
    }
