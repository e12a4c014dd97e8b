"""Contact points browse their side's audit, administrators all of it, with filters;
the CSV export streams the same rows and is itself audited."""

import csv
import io

import pytest

from portal import audit
from portal.models import AuditEntry, Organization


@pytest.fixture
def trail(cast):
    audit.log("record.read", actor=cast["jp_officer"], obj=Organization.objects.get(code="tj-ms"))
    audit.log("record.created", actor=cast["jp_contact"])
    audit.log("record.read", actor=cast["tj_officer"], obj=Organization.objects.get(code="jp-isa"))
    audit.log("auth.login_failed", username="=cmd|' /C calc'!A0")
    return cast


def rows(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_a_contact_point_reads_its_own_side(trail, client_for):
    page = client_for("jp_contact").get("/audit/")
    assert page.status_code == 200
    actors = {entry.actor_username for entry in page.context["entries"]}
    assert actors == {"jp-officer", "jp-contact"}


def test_administrators_read_everything(trail, client_for):
    page = client_for("admin").get("/audit/")
    actors = {entry.actor_username for entry in page.context["entries"]}
    assert {"jp-officer", "tj-officer", "=cmd|' /C calc'!A0"} <= actors


@pytest.mark.parametrize("username", ["jp_officer", "tj_analyst", "embassy_viewer"])
def test_other_roles_are_refused(trail, client_for, username):
    client = client_for(username)
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403
    assert "/audit/" not in client.get("/").content.decode()


def test_anonymous_is_sent_to_sign_in(client_for, db):
    assert client_for(None).get("/audit/")["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"actor": "officer"}, {"jp-officer", "tj-officer"}),
        ({"action": "record.created"}, {"jp-contact"}),
        ({"object": "Immigration"}, {"tj-officer"}),
        ({"date_from": "2000-01-01", "date_to": "2000-01-02"}, set()),
    ],
)
def test_filters(trail, client_for, query, expected):
    page = client_for("admin").get("/audit/", query)
    actors = {entry.actor_username for entry in page.context["entries"]} - {"admin"}
    assert actors == expected


def test_filter_by_organization(trail, client_for, org):
    page = client_for("admin").get("/audit/", {"organization": org("tj-mlme").pk})
    assert {entry.actor_username for entry in page.context["entries"]} == {"tj-officer"}


def test_the_export_is_the_filtered_rows_and_is_audited(trail, client_for, cast):
    response = client_for("tj_contact").get("/audit/export.csv", {"action": "record.read"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    exported = rows(response)
    assert [row["actor_username"] for row in exported] == ["tj-officer"]
    assert len(exported[0]["hash"]) == 64
    entry = AuditEntry.objects.get(action="audit.exported")
    assert entry.actor == cast["tj_contact"] and entry.after == {"filters": {"action": "record.read"}}


def test_the_export_cannot_smuggle_a_spreadsheet_formula(trail, client_for):
    exported = rows(client_for("admin").get("/audit/export.csv", {"action": "auth.login_failed"}))
    assert exported[0]["actor_username"].startswith("'=")
