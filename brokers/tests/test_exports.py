"""Exports of misconduct reports (clause 3): the CSV and the PDF of the filtered list and
the PDF of one report hold exactly what their reader may read, name the reader, the
organization and the time inside the file, are audited, and a CSV cell is never a
formula."""

from __future__ import annotations

import csv
import io
import subprocess

import pytest
from django.urls import reverse

from brokers import exports
from portal.models import AuditEntry

from .test_pages import consent, new_report, world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    )
    return result.stdout.decode()


def references(rows) -> set[str]:
    return {row[0] for row in rows[2:]}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("tj_officer", {"tj_report", "tj_draft", "jp_report"}),
        ("tj_contact", {"tj_report", "jp_report"}),
        ("jp_analyst", {"tj_report", "jp_report"}),
        ("maff_viewer", set()),
        ("embassy_viewer", set()),
    ],
)
def test_the_csv_holds_exactly_what_the_reader_may_read(client_for, world, role, expected):  # noqa: F811
    rows = read_csv(client_for(role).get(reverse("brokers:reports-csv")))
    assert references(rows) == {world[name].reference for name in expected}


def test_the_csv_names_the_reader_and_the_time_on_the_readers_clock(client_for, cast, world):  # noqa: F811
    rows = read_csv(client_for("tj_officer").get(reverse("brokers:reports-csv")))
    stamp = rows[0][1]
    assert cast["tj_officer"].get_full_name() in stamp
    assert "tj-officer" in stamp
    assert cast["tj_officer"].organization.name in stamp
    assert "(UTC+5)" in stamp  # Dushanbe
    japan = read_csv(client_for("jp_officer").get(reverse("brokers:reports-csv")))
    assert "(UTC+9)" in japan[0][1]
    header = rows[1]
    assert len(header) == len(exports.CSV_COLUMNS)


def test_the_csv_takes_the_lists_filters(client_for, world):  # noqa: F811
    tj = client_for("tj_officer")
    rows = read_csv(tj.get(reverse("brokers:reports-csv"), {"category": "c"}))
    assert references(rows) == {world["jp_report"].reference}
    # A hidden broker as a filter selects nothing, as on the page.
    rows = read_csv(tj.get(reverse("brokers:reports-csv"), {"broker": world["jp_draft_broker"].pk}))
    assert references(rows) == set()


def test_a_third_party_exports_exactly_the_consented_report(client_for, cast, world):  # noqa: F811
    consent(world["tj_report"], cast["tj_contact"])
    rows = read_csv(client_for("maff_viewer").get(reverse("brokers:reports-csv")))
    assert references(rows) == {world["tj_report"].reference}
    (row,) = rows[2:]
    assert "Passports" in row  # Tajikistan consented to its own part
    stage = [name for name, _label in exports.CSV_COLUMNS].index("acknowledged_at")
    assert row[stage] == ""  # Japan's part stays withheld


def test_a_receiving_sides_consent_exports_no_facts(client_for, cast, world):  # noqa: F811
    from portal.records import services as kit

    kit.acknowledge(world["tj_report"], cast["jp_contact"])
    consent(world["tj_report"], cast["jp_contact"])
    rows = read_csv(client_for("maff_viewer").get(reverse("brokers:reports-csv")))
    (row,) = rows[2:]
    text = ",".join(row)
    assert "Passports" not in text and "Раҳимов" not in text and "Workers paid" not in text


def test_a_csv_cell_is_never_a_formula(client_for, cast, world):  # noqa: F811
    new_report(
        cast["tj_officer"], [world["broker"]], narrative='=HYPERLINK("http://evil")', places="+1 Dushanbe"
    )
    rows = read_csv(client_for("tj_officer").get(reverse("brokers:reports-csv")))
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://evil")' in cells
    assert "'+1 Dushanbe" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_every_export_is_audited(client_for, cast, world):  # noqa: F811
    tj = client_for("tj_officer")
    tj.get(reverse("brokers:reports-csv"), {"category": "a"})
    tj.get(reverse("brokers:reports-pdf"))
    tj.get(reverse("brokers:report-pdf", args=[world["tj_report"].pk]))
    entries = list(
        AuditEntry.objects.filter(action="report.exported", actor=cast["tj_officer"]).order_by("id")
    )
    assert len(entries) == 3
    assert entries[2].object_id == str(world["tj_report"].pk)
    # The report's contact point sees the export among its readers.
    page = client_for("tj_contact").get(world["tj_report"].get_absolute_url())
    assert any(entry.action == "report.exported" for entry in page.context["readers"])


def test_the_pdf_of_a_report(client_for, cast, world):  # noqa: F811
    response = client_for("jp_officer").get(reverse("brokers:report-pdf", args=[world["tj_report"].pk]))
    text = pdf_text(response)
    assert world["tj_report"].reference in text
    assert "Passports" in text
    assert cast["jp_officer"].get_full_name() in text and "jp-officer" in text
    assert "UTC+9" in text


@pytest.mark.parametrize("role", ["jp_officer", "tj_contact", "maff_viewer"])
def test_the_pdf_of_a_report_not_readable_is_not_found(client_for, world, role):  # noqa: F811
    response = client_for(role).get(reverse("brokers:report-pdf", args=[world["tj_draft"].pk]))
    assert response.status_code == 404


def test_a_third_party_gets_the_pdf_of_the_consented_report_only(client_for, cast, world):  # noqa: F811
    maff = client_for("maff_viewer")
    url = reverse("brokers:report-pdf", args=[world["tj_report"].pk])
    assert maff.get(url).status_code == 404
    consent(world["tj_report"], cast["tj_contact"])
    text = pdf_text(maff.get(url))
    assert world["tj_report"].reference in text
    assert cast["maff_viewer"].get_full_name() in text
    assert maff.get(reverse("brokers:report-pdf", args=[world["jp_report"].pk])).status_code == 404


def test_the_pdf_of_the_list(client_for, cast, world):  # noqa: F811
    text = pdf_text(client_for("jp_officer").get(reverse("brokers:reports-pdf")))
    assert world["tj_report"].reference in text and world["jp_report"].reference in text
    assert world["tj_draft"].reference not in text
    assert cast["jp_officer"].get_full_name() in text
    filtered = pdf_text(client_for("jp_officer").get(reverse("brokers:reports-pdf"), {"category": "c"}))
    assert world["jp_report"].reference in filtered and world["tj_report"].reference not in filtered


def test_the_list_pdf_says_when_it_is_cut(client_for, cast, world, monkeypatch):  # noqa: F811
    monkeypatch.setattr(exports, "PDF_ROW_LIMIT", 1)
    text = pdf_text(client_for("jp_officer").get(reverse("brokers:reports-pdf")))
    assert "first 1 of 2" in " ".join(text.split())
