"""Advancing a published content from the previous one gives, byte for byte, what
building it whole from the register gives; readers advance with the version's patch."""

import contextlib
import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agencies import services
from agencies.choices import AgencyStatus, RevocationReason
from agencies.models import SendingAgency
from agencies.publication import AGENCY_LIST
from agencies.testing import OPERATIONS, attempt, certified, register
from portal.exceptions import InvalidInput, TransitionError
from portal.models import OutboxEntry
from portal.publication import content as contents
from portal.publication import publishing
from portal.publication.models import Publication
from portal.publication.reading import PublishedLists, published_lists


@pytest.fixture(autouse=True)
def _fresh_caches():
    published_lists.clear()
    contents.recent.clear()
    yield
    published_lists.clear()
    contents.recent.clear()


def publication_requests() -> dict:
    """The agencies named by each request for a publication in the outbox, by entry."""
    return dict(OutboxEntry.objects.filter(topic="publication.publish").values_list("pk", "payload"))


def signalled_since(before: dict) -> set[int]:
    return {
        pk for key, payload in publication_requests().items() if key not in before for pk in payload["items"]
    }


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.integers(0, 1), st.sampled_from(OPERATIONS)), min_size=1, max_size=14))
def test_advancing_with_the_signalled_agencies_equals_building_whole(cast, steps):
    """Every change that alters a public row names its agency in the outbox, and
    re-reading only those agencies gives the same bytes as re-reading the register."""
    officer = cast["tj_officer"]
    with transaction.atomic():
        agencies = [register(officer, name_tg=f"Ширкати {i}") for i in range(3)]
        memorandum = agencies[0].memorandum
        base = contents.build(AGENCY_LIST, memorandum)
        for index, operation in steps:
            before = publication_requests()
            with contextlib.suppress(TransitionError, InvalidInput):
                attempt(operation, agencies[index], officer)
            whole = contents.build(AGENCY_LIST, memorandum)
            advanced, patch = contents.advance(AGENCY_LIST, base, memorandum, signalled_since(before))
            assert advanced.text == whole.text
            assert advanced.hash == whole.hash
            assert contents.apply_patch(AGENCY_LIST, base.data, patch) == whole.data
            assert contents.diff_of_patch(AGENCY_LIST, base.data, patch) == contents.whole_diff(
                AGENCY_LIST, base.data, whole.data
            )
            between = contents.patch_between(AGENCY_LIST, base.hash, base.data, whole.data)
            assert contents.apply_patch(AGENCY_LIST, base.data, between) == whole.data
            base = advanced
        transaction.set_rollback(True)


def test_a_revoked_agency_that_applies_again_stays_on_the_list(cast, django_capture_on_commit_callbacks):
    officer = cast["tj_officer"]
    with django_capture_on_commit_callbacks(execute=True):
        agency = certified(officer, number="RE-1")
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke(agency, officer, reason="breach", public_reason=RevocationReason.IMPROPER_CONDUCT)
    services.reapply(agency, officer)
    assert publishing.publish_lists(AGENCY_LIST, agency.memorandum) == []  # nothing public changed
    row = contents.build(AGENCY_LIST, agency.memorandum).data["agencies"][0]
    assert (row["key"], row["section"], row["status"]) == ("RE-1", "withdrawn", AgencyStatus.REVOKED)


def test_a_new_number_replaces_the_old_row(cast, django_capture_on_commit_callbacks):
    officer = cast["tj_officer"]
    with django_capture_on_commit_callbacks(execute=True):
        agency = certified(officer, number="OLD-1")
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke(agency, officer, reason="breach", public_reason=RevocationReason.OTHER)
        services.reapply(agency, officer)
        attempt("screen_pass", agency, officer)
        agency.refresh_from_db()
        today = timezone.localdate()
        services.certify(
            agency,
            officer,
            certification_number="NEW-1",
            certified_on=today,
            valid_until=today.replace(year=today.year + 1),
        )
    latest = Publication.objects.filter(side__code="japan").latest()
    rows = latest.snapshot["agencies"]
    assert [row["key"] for row in rows] == ["NEW-1"]
    assert [entry["number"] for entry in rows[0]["history"]] == ["OLD-1", "OLD-1", "NEW-1"]
    assert latest.patch["removed"] == ["OLD-1"]
    assert latest.content.canonical_json.encode() == contents.build(AGENCY_LIST, agency.memorandum).text


def test_a_version_is_advanced_from_the_previous_by_its_patch(
    cast, django_capture_on_commit_callbacks, django_assert_num_queries, monkeypatch
):
    officer = cast["tj_officer"]
    monkeypatch.setattr(publishing, "RECENT_CHANGES", dt.timedelta(0))  # the patch: the revoked row only
    with django_capture_on_commit_callbacks(execute=True):
        first = certified(officer, number="P-A")
        certified(officer, number="P-B")
    lists = PublishedLists(ttl=0)  # a reader process
    before = lists.current(AGENCY_LIST, "japan")
    assert [row["key"] for row in before.snapshot["agencies"]] == ["P-A", "P-B"]  # decoded once
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke(first, officer, reason="breach", public_reason=RevocationReason.OTHER)
    with django_assert_num_queries(2):  # which version is current, then its row: not its content
        after = lists.current(AGENCY_LIST, "japan")
        rows = after.snapshot["agencies"]
    assert after.publication.version == before.publication.version + 1
    assert rows == Publication.objects.get(pk=after.publication.pk).snapshot["agencies"]
    assert rows[0]["status"] == AgencyStatus.REVOKED
    assert [row["key"] for row in after.publication.patch["rows"]] == ["P-A"]
    assert rows[1] is before.snapshot["agencies"][1]  # unchanged rows are shared, not copied


def test_changes_of_the_last_minute_are_published_together(cast, django_capture_on_commit_callbacks):
    """A change whose own request has not run yet rides with the next one (a burst
    makes one version); its own request then finds nothing to publish."""
    officer = cast["tj_officer"]
    with django_capture_on_commit_callbacks(execute=True):
        quiet, loud = certified(officer, number="Q-1"), certified(officer, number="L-1")
    contents.recent.clear()
    publishing.publish_lists(AGENCY_LIST, quiet.memorandum)  # a sweep: this process now holds the content
    SendingAgency.objects.filter(pk=quiet.pk).update(phone="+992 111", updated_at=timezone.now())
    versions = Publication.objects.count()
    publishing.publish_lists(AGENCY_LIST, loud.memorandum, item_ids=[loud.pk])  # loud did not change
    assert Publication.objects.count() == versions + 2
    latest = Publication.objects.filter(side__code="japan").latest()
    assert [row["key"] for row in latest.patch["rows"]] == ["Q-1"]
    assert latest.diff["changed"][0]["fields"]["phone"][1] == "+992 111"


def test_a_side_published_meanwhile_is_built_upon(cast, django_capture_on_commit_callbacks, monkeypatch):
    """Another task publishes the same side between this one's reading and its lock:
    this one starts again from that version (no fork, no lost change)."""
    officer = cast["tj_officer"]
    with django_capture_on_commit_callbacks(execute=True):
        agency = certified(officer, number="R-1")
        other = certified(officer, number="R-2")
    SendingAgency.objects.filter(pk=agency.pk).update(phone="+992 222")
    real = publishing._next_content
    calls = []

    def interleaved(published_list, memorandum, latest, agency_ids, whole):
        calls.append(latest.version)
        result = real(published_list, memorandum, latest, agency_ids, whole)
        if len(calls) == 1:  # the other task commits its version now
            SendingAgency.objects.filter(pk=other.pk).update(phone="+992 333")
            real_publish(published_list, memorandum)
        return result

    real_publish = publishing.publish_lists
    monkeypatch.setattr(publishing, "_next_content", interleaved)
    japan = Publication.objects.filter(side__code="japan")
    before = japan.latest().version
    created = publishing.publish_lists(
        AGENCY_LIST, agency.memorandum, side_ids=[japan.latest().side_id], item_ids=[agency.pk]
    )
    # Read by this task, by the other one for each side, then by this one again.
    assert calls == [before, before, before, before + 1]
    assert created == []  # the other task's version already shows this change
    assert list(japan.values_list("version", flat=True).order_by("-version")[:2]) == [before + 1, before]
    latest = japan.latest()
    assert latest.content.canonical_json.encode() == contents.build(AGENCY_LIST, agency.memorandum).text
    phones = {row["key"]: row["phone"] for row in latest.snapshot["agencies"]}
    assert phones == {"R-1": "+992 222", "R-2": "+992 333"}


def test_renaming_a_sector_in_admin_publishes_both_lists(
    cast, client_for, django_capture_on_commit_callbacks
):
    from django.forms.models import model_to_dict

    from agencies.models import Sector

    with django_capture_on_commit_callbacks(execute=True):
        certified(cast["tj_officer"], number="SEC-1")
    sector = Sector.objects.get(code="nursing-care")
    form = {key: value for key, value in model_to_dict(sector).items() if value not in (None, False)}
    form["name_en"] = "Nursing care (renamed)"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("admin").post(f"/admin/agencies/sector/{sector.pk}/change/", form)
    assert response.status_code == 302, response.content[:500]
    for side in ("japan", "tajikistan"):
        latest = Publication.objects.filter(side__code=side).latest()
        assert latest.version == 2
        assert latest.snapshot["sectors"]["nursing-care"]["en"] == "Nursing care (renamed)"
        assert latest.patch["rows"] == [] and latest.diff == {}
