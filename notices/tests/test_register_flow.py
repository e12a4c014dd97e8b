"""The register end to end, on real workbooks (``notices.register.matrix.register_workbook``,
the Immigration Services Agency's layout): the pages and the API from upload to apply,
the organizations' filters, the management command, and input that is no register."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from notices.models import RegisterImport, SupportOrganization
from notices.register import services
from notices.register.matrix import organization, register_workbook, upload
from portal.choices import RecordStatus

pytestmark = pytest.mark.django_db

D1, D2 = dt.date(2026, 9, 30), dt.date(2026, 10, 31)
FIRST = [organization(n) for n in range(1, 11)]
# The second register: 9 and 10 gone, 2 renamed, 11 and 12 new.
SECOND = [*FIRST[:8], organization(11), organization(12)]
SECOND[1] = organization(2, name="株式会社新サポート2")


def number(n: int) -> str:
    return organization(n)["registration_number"]


def test_the_pages_preview_then_apply(client_for, cast):
    client = client_for("jp_officer")
    page = client.post("/notices/register/imports/new/", {"file": upload(register_workbook(FIRST, as_of=D1))})
    first = RegisterImport.objects.get()
    assert page.status_code == 302 and page["Location"] == first.get_absolute_url()
    assert client.post(f"/notices/register/imports/{first.pk}/apply/").status_code == 302

    data = register_workbook(SECOND, as_of=D2, damaged=2)
    page = client.post("/notices/register/imports/new/", {"file": upload(data)}, follow=True)
    draft = RegisterImport.objects.get(status=RecordStatus.DRAFT)
    html = page.content.decode()
    assert draft.counts == {
        "added": 2,
        "changed": 1,
        "removed": 2,
        "reappeared": 0,
        "unchanged": 7,
        "errors": 2,
    }
    # The comparison on the page: each list, the field changed old → new, the rows it could not read.
    for text in (
        number(9),
        number(10),
        number(11),
        "株式会社サポート11",
        "株式会社新サポート2",
        "not of the form",
    ):
        assert text in html, text
    assert "<td>15</td>" in html and "<td>16</td>" in html  # the damaged rows' numbers
    assert SupportOrganization.objects.current().count() == 10  # nothing applied yet

    client.post(f"/notices/register/imports/{draft.pk}/apply/")
    draft.refresh_from_db()
    assert draft.status == RecordStatus.SHARED and draft.base_id == first.pk
    listed = client.get("/notices/register/?state=removed").content.decode()
    assert number(9) in listed and number(1) not in listed
    # Tajikistan reads the import and the organizations.
    tajik = client_for("tj_officer")
    assert tajik.get(draft.get_absolute_url()).status_code == 200
    assert number(11) in tajik.get("/notices/register/").content.decode()


def test_an_unchanged_workbook_is_shown_as_such_and_not_applied(client_for):
    client = client_for("jp_officer")
    data = register_workbook(FIRST, as_of=D1)
    client.post("/notices/register/imports/new/", {"file": upload(data)})
    client.post(f"/notices/register/imports/{RegisterImport.objects.get().pk}/apply/")
    client.post("/notices/register/imports/new/", {"file": upload(data)})
    again = RegisterImport.objects.get(status=RecordStatus.DRAFT)
    html = client.get(again.get_absolute_url()).content.decode()
    assert "changes nothing" in html and f"/imports/{again.pk}/apply/" not in html
    response = client.post(f"/notices/register/imports/{again.pk}/apply/", follow=True)
    assert "changes nothing" in response.content.decode()
    assert RegisterImport.objects.filter(status=RecordStatus.SHARED).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n", "workbook"),
        (None, "header"),
        ("missing", "対応可能言語"),
    ],
    ids=["not-a-workbook", "no-header", "missing-column"],
)
def test_input_that_is_no_register_is_refused_with_its_reason(client_for, data, message):
    if data is None:
        book = Workbook()
        book.active.append(["名簿"])
        book.active.append(["a", "b", "c"])
        buffer = io.BytesIO()
        book.save(buffer)
        data = buffer.getvalue()
    elif data == "missing":
        book = Workbook()
        book.active.append(["2026年10月31日現在"])
        book.active.append(["登録番号", "登録年月日", "氏名又は名称", "住所"])
        book.active.append(["19登-000001", dt.date(2019, 4, 1), "株式会社サポート", "東京都新宿区"])
        buffer = io.BytesIO()
        book.save(buffer)
        data = buffer.getvalue()
    page = client_for("jp_officer").post("/notices/register/imports/new/", {"file": upload(data)})
    assert page.status_code == 200
    assert message.lower() in page.content.decode().lower()
    assert not RegisterImport.objects.exists() and not SupportOrganization.objects.exists()


def test_the_api_previews_applies_and_filters(client_for):
    client = client_for("jp_officer")
    created = client.post("/api/v1/register-imports/", {"file": upload(register_workbook(FIRST, as_of=D1))})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["added_count"] == 10 and body["applied_at"] is None
    applied = client.post(f"/api/v1/register-imports/{body['id']}/apply/")
    assert applied.status_code == 200 and applied.json()["status"] == "shared"
    second = client.post(
        "/api/v1/register-imports/", {"file": upload(register_workbook(SECOND, as_of=D2))}
    ).json()
    assert second["removed"] == [number(9), number(10)] and second["changed"] == {number(2): ["name"]}
    assert client.post(f"/api/v1/register-imports/{second['id']}/apply/").status_code == 200
    again = client.post(f"/api/v1/register-imports/{second['id']}/apply/")
    assert again.status_code == 409

    tajik = client_for("tj_officer")

    def numbers(query: str) -> set[str]:
        response = tajik.get(f"/api/v1/support-organizations/?{query}")
        assert response.status_code == 200, response.content
        return {row["registration_number"] for row in response.json()["results"]}

    # organization(n) offers ("en","ru"), ("en","zh","vi"), ("ru","tg"), ("en",) by n % 4.
    assert numbers("language=tg") == {number(n) for n in (2, 6, 10)}  # 10 removed, still listed
    assert numbers("language=tg&removed=false") == {number(2), number(6)}
    assert numbers("removed=true") == {number(9), number(10)}
    assert number(9) not in numbers("removed=false")
    assert numbers("prefecture=27") == {number(n) for n in (1, 4, 7, 10)}
    assert numbers("name=新サポート") == {number(2)}
    fullwidth = number(3).translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    assert numbers(f"registration_number={fullwidth}") == {number(3)}
    listing = client.get("/api/v1/register-imports/").json()["results"]
    assert "added" not in listing[0] and listing[0]["added_count"] in (2, 10)


def test_the_command_previews_and_applies(cast, tmp_path, capsys):
    path = tmp_path / "register.xlsx"
    path.write_bytes(register_workbook(FIRST, as_of=D1, damaged=1))
    call_command("import_support_register", str(path), "--user", "jp-officer")
    out = capsys.readouterr().out
    assert "Added: 10" in out and "Rows that could not be read: 1" in out
    draft = RegisterImport.objects.get()
    assert draft.status == RecordStatus.DRAFT and not SupportOrganization.objects.exists()

    call_command("import_support_register", str(path), "--user", "jp-officer", "--apply")
    assert SupportOrganization.objects.count() == 10
    assert RegisterImport.objects.filter(status=RecordStatus.SHARED).count() == 1

    call_command("import_support_register", str(path), "--user", "jp-officer", "--apply")
    assert "No change" in capsys.readouterr().out
    assert RegisterImport.objects.count() == 2  # the unchanged workbook is not kept


def test_the_command_exits_with_the_message_on_bad_input(cast, tmp_path):
    path = tmp_path / "register.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(CommandError, match="workbook"):
        call_command("import_support_register", str(path), "--user", "jp-officer")
    path.write_bytes(register_workbook(FIRST, as_of=D1))
    with pytest.raises(CommandError, match="Japan"):
        call_command("import_support_register", str(path), "--user", "tj-officer")
    assert not RegisterImport.objects.exists()


def test_applying_reads_the_stored_workbook_again(cast):
    officer = cast["jp_officer"]
    draft = services.preview_import(officer, upload(register_workbook(FIRST, as_of=D1)))
    attachment = draft.attachments.get()
    assert attachment.sha256 == draft.file_sha256
    services.apply_import(officer, draft)
    assert SupportOrganization.objects.count() == 10


def test_the_demo_shows_a_removal(cast):
    from notices.register import demo
    from portal.demo import create_demo_users

    users = create_demo_users()
    demo.seed(users)
    demo.seed(users)  # idempotent
    first, second = RegisterImport.objects.order_by("created_at")
    assert second.counts["removed"] == 2 and second.counts["added"] == 2
    assert second.counts["changed"] == 3 and first.counts["added"] == 30
    removed = SupportOrganization.objects.removed()
    assert removed.count() == 2 and {row.removed_on for row in removed} == {demo.SECOND_AS_OF}


@pytest.mark.parametrize("edition", ["ja", "en"])
def test_either_edition_is_stored_as_the_reader_read_it(cast, edition):
    from notices.register.testing import expected_fields, sample_rows, write_register

    officer = cast["jp_officer"]
    rows = sample_rows(25, seed=5, edition=edition)
    buffer = io.BytesIO()
    written = write_register(buffer, rows, edition=edition, as_of=D2, fullwidth=True, damaged={3: "date"})
    draft = services.preview_import(officer, upload(buffer.getvalue()))
    assert draft.edition == edition and draft.as_of == D2
    assert [error["row"] for error in draft.row_errors] == list(written.damaged)
    services.apply_import(officer, draft)
    stored = {row.registration_number: row for row in SupportOrganization.objects.all()}
    assert len(stored) == 24
    for index, row in enumerate(rows):
        if index == 3:
            continue
        expected = expected_fields(row)
        organization_ = stored[expected["registration_number"]]
        assert services.stored_values(organization_) == {name: expected[name] for name in services.FIELDS}
        assert organization_.fingerprint == services.fingerprint(expected)
    # The same workbook again: nothing to apply.
    buffer.seek(0)
    again = services.preview_import(officer, upload(buffer.getvalue()))
    assert not again.has_changes and again.counts["unchanged"] == 24
