"""The register's import (6(3), 7(5)) against PostgreSQL: the comparison (added, changed
with its fields, removed with the date first missing kept across later imports,
reappeared), idempotence, all-or-nothing apply, a stale preview refused, bad input.

The comparison is tested on ``Reading``s built here, row by row; the stored workbook an
apply re-reads is a real xlsx (its bytes give the SHA-256), read back as the Reading it
was built from (``stored``): the reader has its own tests (test_reading.py), the
end-to-end ones are in test_register_flow.py."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from notices.models import RegisterImport, SupportOrganization
from notices.register import services
from notices.register.reading import Reading, RegisterRow, RowError
from portal.choices import RecordStatus
from portal.exceptions import InvalidInput, PermissionDenied, TransitionError
from portal.models import AuditEntry, Notification, OutboxEntry

pytestmark = pytest.mark.django_db

D1, D2, D3 = dt.date(2026, 9, 30), dt.date(2026, 10, 31), dt.date(2026, 11, 30)


def org_row(n: int, **changes) -> RegisterRow:
    values = {
        "row": 4 + n,
        "registration_number": f"19登-{n:06d}",
        "registered_on": dt.date(2019, 4, 1),
        "name": f"株式会社サポート{n}",
        "postcode": "160-0022",
        "address": f"東京都新宿区新宿{n}丁目",
        "prefecture": "13",
        "phone": "03-1234-5678",
        "representative": "山田太郎",
        "office_name": f"新宿事務所{n}",
        "office_address": f"東京都新宿区新宿{n}丁目",
        "support": "職業生活上、日常生活上又は社会生活上の支援",
        "support_from": dt.date(2019, 5, 1),
        "languages": ("en", "ru"),
        "languages_text": "英語、ロシア語",
        "remarks": "",
    }
    values.update(changes)
    return RegisterRow(**values)


class Workbooks:
    """Readings with a real workbook each (distinct bytes, so distinct SHA-256): what an
    upload stores, and what ``services.read`` gives back for those bytes."""

    def __init__(self):
        self.by_sha: dict[str, Reading] = {}

    def make(self, rows, as_of, *, errors=()):
        book = Workbook()
        book.active["A1"] = f"{as_of:%Y年%m月%d日}現在 {len(self.by_sha)}"
        buffer = io.BytesIO()
        book.save(buffer)
        data = buffer.getvalue()
        sha = hashlib.sha256(data).hexdigest()
        reading = Reading(
            edition="ja",
            as_of=as_of,
            title="登録支援機関登録簿",
            header_row=3,
            rows=list(rows),
            errors=list(errors),
            sha256=sha,
        )
        self.by_sha[sha] = reading
        return reading, SimpleUploadedFile("register.xlsx", data)

    def read(self, source, *, engine=None, progress=None):
        data = source.read()
        return self.by_sha[hashlib.sha256(data).hexdigest()]


@pytest.fixture
def books(monkeypatch):
    workbooks = Workbooks()
    monkeypatch.setattr(services, "read", workbooks.read)
    return workbooks


@pytest.fixture
def officer(cast):
    return cast["jp_officer"]


def run(officer, books, rows, as_of, *, errors=(), apply=True):
    reading, file = books.make(rows, as_of, errors=errors)
    draft = services.preview_import(officer, file)
    if apply:
        return services.apply_import(officer, draft)
    return draft


def numbers(queryset) -> set[str]:
    return set(queryset.values_list("registration_number", flat=True))


def test_a_first_import_adds_every_readable_row_and_shares_the_comparison(officer, books, cast):
    errors = [RowError(9, "registration number '19-123': not of the form YY登-NNNNNN")]
    record = run(officer, books, [org_row(n) for n in range(1, 6)], D1, errors=errors)
    assert record.status == RecordStatus.SHARED and record.reference.endswith("-0001")
    assert "-RSO-" in record.reference
    assert record.added == [f"19登-{n:06d}" for n in range(1, 6)]
    assert record.counts == {
        "added": 5,
        "changed": 0,
        "removed": 0,
        "reappeared": 0,
        "unchanged": 0,
        "errors": 1,
    }
    assert record.row_errors == [{"row": 9, "reason": errors[0].reason}]
    assert record.base is None and record.applied_at is not None
    organizations = SupportOrganization.objects.all()
    assert organizations.count() == 5
    first = organizations.get(registration_number="19登-000001")
    assert first.first_seen_on == D1 and first.first_seen_import_id == record.pk
    assert first.languages == ["en", "ru"] and first.registered_on == dt.date(2019, 4, 1)
    assert first.fingerprint == services.fingerprint(org_row(1).fields())
    # Shared with Tajikistan: readable there, an inbox item promised to its contact point.
    assert RegisterImport.objects.restrict(cast["tj_officer"]).filter(pk=record.pk).exists()
    notify = OutboxEntry.objects.filter(topic="notify", payload__kind="notices.register_imported")
    assert notify.count() == 1
    assert notify.get().payload["params"]["reference"] == record.reference
    assert AuditEntry.objects.filter(action="register.applied", object_id=str(record.pk)).exists()


def test_the_comparison_names_added_changed_fields_removed_and_reappeared(officer, books):
    first = run(officer, books, [org_row(n) for n in range(1, 8)], D1)
    # The second register: 2 dropped (6, 7), 1 renamed and moved, 1 with a new language, 2 new.
    second_rows = [
        org_row(1),
        org_row(2, name="株式会社新サポート2", address="大阪府大阪市北区1", prefecture="27"),
        org_row(3, languages=("en", "ru", "tg"), languages_text="英語、ロシア語、タジク語"),
        org_row(4),
        org_row(5),
        org_row(8),
        org_row(9),
    ]
    draft = run(officer, books, second_rows, D2, apply=False)
    assert draft.status == RecordStatus.DRAFT and draft.base_id == first.pk
    assert draft.added == ["19登-000008", "19登-000009"]
    assert draft.removed == ["19登-000006", "19登-000007"]
    assert draft.changed == {
        "19登-000002": ["name", "address", "prefecture"],
        "19登-000003": ["languages", "languages_text"],
    }
    assert draft.changed_values["19登-000002"]["name"] == ["株式会社サポート2", "株式会社新サポート2"]
    assert draft.counts["unchanged"] == 3
    # A preview applies nothing.
    assert numbers(SupportOrganization.objects.current()) == {f"19登-{n:06d}" for n in range(1, 8)}

    second = services.apply_import(officer, draft)
    assert numbers(SupportOrganization.objects.current()) == {f"19登-{n:06d}" for n in (1, 2, 3, 4, 5, 8, 9)}
    removed = SupportOrganization.objects.get(registration_number="19登-000006")
    assert removed.removed_on == D2 and removed.removed_import_id == second.pk
    renamed = SupportOrganization.objects.get(registration_number="19登-000002")
    assert (renamed.name, renamed.prefecture, renamed.changed_on) == ("株式会社新サポート2", "27", D2)
    assert renamed.fingerprint == services.fingerprint(second_rows[1].fields())
    assert SupportOrganization.objects.get(registration_number="19登-000003").languages == ["en", "ru", "tg"]
    assert SupportOrganization.objects.get(registration_number="19登-000001").changed_on is None

    # A third register still without 6 and 7: the date they were first missing is kept.
    run(officer, books, [*second_rows, org_row(10)], D3)
    assert SupportOrganization.objects.get(registration_number="19登-000006").removed_on == D2
    # A fourth brings 7 back (changed too): reappeared, its removal cleared.
    fourth = run(
        officer,
        books,
        [*second_rows, org_row(10), org_row(7, phone="06-0000-0000")],
        D3 + dt.timedelta(days=31),
    )
    assert fourth.reappeared == ["19登-000007"] and fourth.changed == {} and fourth.added == []
    assert fourth.changed_values["19登-000007"] == {"phone": ["03-1234-5678", "06-0000-0000"]}
    back = SupportOrganization.objects.get(registration_number="19登-000007")
    assert (back.removed_on, back.removed_import, back.phone) == (None, None, "06-0000-0000")
    assert SupportOrganization.objects.get(registration_number="19登-000006").removed_on == D2


def test_the_same_workbook_twice_changes_nothing(officer, books):
    rows = [org_row(n) for n in range(1, 4)]
    first = run(officer, books, rows, D1)
    before = list(SupportOrganization.objects.order_by("pk").values())
    outbox = OutboxEntry.objects.count()
    draft = run(officer, books, rows, D1, apply=False)
    assert not draft.has_changes and draft.counts["unchanged"] == 3 and draft.base_id == first.pk
    with pytest.raises(TransitionError, match="changes nothing"):
        services.apply_import(officer, draft)
    draft.refresh_from_db()
    assert draft.status == RecordStatus.DRAFT and draft.applied_at is None
    assert list(SupportOrganization.objects.order_by("pk").values()) == before
    assert OutboxEntry.objects.count() == outbox
    assert RegisterImport.objects.filter(status=RecordStatus.SHARED).count() == 1


def test_an_apply_that_fails_midway_leaves_nothing(officer, books, monkeypatch):
    run(officer, books, [org_row(n) for n in range(1, 4)], D1)
    before = list(SupportOrganization.objects.order_by("pk").values())
    draft = run(officer, books, [org_row(1, name="改名"), org_row(2), org_row(4)], D2, apply=False)

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away between two batches")

    # The additions are written, then the updates fail: the whole import is rolled back.
    monkeypatch.setattr(services, "_update", fail)
    with pytest.raises(RuntimeError):
        services.apply_import(officer, draft)
    assert list(SupportOrganization.objects.order_by("pk").values()) == before
    draft.refresh_from_db()
    assert draft.status == RecordStatus.DRAFT and draft.applied_at is None
    assert not OutboxEntry.objects.filter(
        payload__kind="notices.register_imported", payload__params__reference=draft.reference
    ).exists()


def test_a_preview_made_stale_by_another_import_is_refused(officer, books):
    run(officer, books, [org_row(1)], D1)
    older = run(officer, books, [org_row(1), org_row(2)], D2, apply=False)
    newer = run(officer, books, [org_row(1), org_row(3)], D2, apply=False)
    services.apply_import(officer, newer)
    with pytest.raises(TransitionError, match="changed since this preview"):
        services.apply_import(officer, older)
    assert not SupportOrganization.objects.filter(registration_number="19登-000002").exists()


def test_a_stored_workbook_that_is_not_the_one_previewed_is_refused(officer, books):
    draft = run(officer, books, [org_row(1)], D1, apply=False)
    RegisterImport.objects.filter(pk=draft.pk).update(file_sha256="0" * 64)
    draft.refresh_from_db()
    with pytest.raises(TransitionError, match="not the one this preview read"):
        services.apply_import(officer, draft)
    assert not SupportOrganization.objects.exists()


def test_only_japans_officers_import(cast, books):
    reading, file = books.make([org_row(1)], D1)
    for name in ("tj_officer", "tj_contact", "jp_analyst", "embassy_viewer"):
        with pytest.raises(PermissionDenied):
            services.preview_import(cast[name], file)
    draft = services.preview_import(cast["jp_officer"], file)
    with pytest.raises(PermissionDenied):
        services.apply_import(cast["tj_officer"], draft)
    assert not SupportOrganization.objects.exists()


def test_a_file_that_is_no_register_is_refused_and_nothing_saved(officer, cast):
    not_a_workbook = SimpleUploadedFile("register.xlsx", b"%PDF-1.7 not a workbook")
    with pytest.raises(InvalidInput):
        services.preview_import(officer, not_a_workbook)
    assert not RegisterImport.objects.exists()


def test_organizations_are_read_by_both_sides_only(officer, books, cast):
    run(officer, books, [org_row(1)], D1)
    for name in ("jp_officer", "jp_analyst", "tj_officer", "tj_analyst", "tj_contact", "admin"):
        assert SupportOrganization.objects.restrict(cast[name]).count() == 1, name
    for name in ("embassy_viewer", "maff_viewer"):
        assert SupportOrganization.objects.restrict(cast[name]).count() == 0, name
    assert SupportOrganization.objects.restrict(cast["tj_officer"], "change").count() == 0


def test_organizations_are_found_by_language(officer, books):
    run(
        officer,
        books,
        [org_row(1), org_row(2, languages=("tg",), languages_text="タジク語"), org_row(3, languages=())],
        D1,
    )
    assert numbers(SupportOrganization.objects.offering("tg")) == {"19登-000002"}
    assert numbers(SupportOrganization.objects.offering("ru")) == {"19登-000001"}
    assert numbers(SupportOrganization.objects.offering("")) == {"19登-000001", "19登-000002", "19登-000003"}


def test_notifications_reach_tajikistan(officer, books, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = run(officer, books, [org_row(1)], D1)
    from portal.outbox import drain

    drain()
    items = Notification.objects.filter(
        organization=cast["tj_contact"].organization, kind="notices.register_imported"
    )
    assert items.count() == 1 and items.get().params["reference"] == record.reference


def test_the_public_list_is_told_in_the_apply_transaction_and_only_then(officer, books, monkeypatch):
    from notices import publishing

    calls = []

    def register_changed(memorandum):
        calls.append((memorandum.pk, SupportOrganization.objects.count()))

    monkeypatch.setattr(publishing, "register_changed", register_changed)
    record = run(officer, books, [org_row(1), org_row(2)], D1)
    # Told once, with the organizations already written.
    assert calls == [(record.memorandum_id, 2)]
    draft = run(officer, books, [org_row(1), org_row(2)], D2, apply=False)
    with pytest.raises(TransitionError):
        services.apply_import(officer, draft)
    assert len(calls) == 1

    # In the same transaction: when telling the list fails, nothing of the import stays.
    def fail(memorandum):
        raise RuntimeError("the publication component refused")

    monkeypatch.setattr(publishing, "register_changed", fail)
    draft = run(officer, books, [org_row(1), org_row(3)], D2, apply=False)
    with pytest.raises(RuntimeError):
        services.apply_import(officer, draft)
    draft.refresh_from_db()
    assert draft.status == RecordStatus.DRAFT and draft.applied_at is None
    assert numbers(SupportOrganization.objects.current()) == {"19登-000001", "19登-000002"}
