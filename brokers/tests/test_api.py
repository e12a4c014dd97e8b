"""The brokers API (``/api/v1/brokers/``, ``/api/v1/broker-reports/``) against the real
database: who reads which broker and report (exact ids, every role, a third party with
and without consent, expired and withdrawn), the match that offers only what the caller
may read, merges and their audit, bad input with a message naming what to fix, and
identifiers whole only for the contact points."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from brokers import services
from brokers.models import Broker, MisconductReport
from portal.models import AuditEntry, DisclosureConsent, Organization
from portal.records import services as kit
from portal.testing.matrix import ADMIN, BOTH_SIDES, CAST, MatrixTests, PermissionMatrix

pytestmark = pytest.mark.django_db

FACTS_A = {"held_amount": Decimal("2000"), "held_currency": "USD", "held_items": "Passports and a deposit"}
FACTS_E = {"fee_amount": Decimal("15000"), "fee_currency": "TJS"}
BROKERS = "/api/v1/brokers/"
REPORTS = "/api/v1/broker-reports/"


def broker(actor, name="Раҳимов Фаррух", *, share=True, aliases=(), **fields):
    fields.setdefault("kind", "person")
    fields.setdefault("country", "TJ")
    record = services.record_broker(actor, name=name, aliases=aliases, **fields)
    return services.share_broker(record, actor) if share else record


def report(actor, brokers, *, share=True, categories="ae", **facts):
    facts = {**FACTS_A, **FACTS_E, "narrative": "Workers paid and lost their passports.", **facts}
    record = services.file_report(actor, brokers=brokers, categories=categories, **facts)
    return services.share_report(record, actor) if share else record


def maff() -> Organization:
    return Organization.objects.get(code="jp-maff")


def consent(record, cast, *, side="tj", days=30, third_party=None):
    return kit.grant_consent(
        record,
        cast[f"{side}_contact"],
        third_party=third_party or maff(),
        document_reference="No. 7/26",
        expires_at=timezone.now() + dt.timedelta(days=days),
    )


def expire(consent_row):
    DisclosureConsent.objects.filter(pk=consent_row.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    data = response.json()
    rows = data["results"] if isinstance(data, dict) and "results" in data else data
    return {row["id"] for row in rows}


# --- Reads: every role, exact ids ---------------------------------------------------------

#: Who reads a record in each situation, from the rules (DESIGN.md §3, clause 3): a draft
#: its organization alone; a shared one both sides; a third party with the origin side's
#: live consent. The superuser reads everything (audited).
SITUATIONS = {
    "japan_draft": {"jp_officer"} | ADMIN,
    "tajik_draft": {"tj_officer"} | ADMIN,
    "tajik_shared": BOTH_SIDES | ADMIN,
    "tajik_shared_consented_to_maff": BOTH_SIDES | {"maff_viewer"} | ADMIN,
    "tajik_shared_consent_expired": BOTH_SIDES | ADMIN,
    "tajik_shared_consent_withdrawn": BOTH_SIDES | ADMIN,
}


def _situation(record_for, situation, cast):
    author = cast["jp_officer"] if situation.startswith("japan") else cast["tj_officer"]
    record = record_for(author, share=not situation.endswith("draft"))
    if "consent" in situation:
        if situation.endswith("by_tajikistan_only"):
            # The other side's consent opens the record but not the origin's part.
            consent(record, cast, side="tj")
        else:
            given = consent(record, cast)
            if situation.endswith("expired"):
                expire(given)
            elif situation.endswith("withdrawn"):
                kit.withdraw_consent(given, cast["tj_contact"])
    return type(record).objects.get(pk=record.pk)


class BrokerMatrix(PermissionMatrix):
    situations = SITUATIONS
    api_list_url = BROKERS

    @staticmethod
    def api_detail_url(obj):
        return f"{BROKERS}{obj.pk}/"

    def make(self, situation, cast):
        return _situation(
            lambda author, share: broker(author, f"Broker {situation}", share=share), situation, cast
        )


class ReportMatrix(PermissionMatrix):
    # A report takes the receiving side's part (its outcome): that side's consent opens
    # the record to the third party, but not the reporting side's part.
    situations = {
        **SITUATIONS,
        "japan_shared_consented_by_tajikistan_only": BOTH_SIDES | {"maff_viewer"} | ADMIN,
    }
    api_list_url = REPORTS

    @staticmethod
    def api_detail_url(obj):
        return f"{REPORTS}{obj.pk}/"

    def make(self, situation, cast):
        def make_report(author, share):
            return report(author, [broker(author, f"Broker of {situation}", share=share)], share=share)

        return _situation(make_report, situation, cast)


class TestBrokerReads(MatrixTests):
    matrix = BrokerMatrix()


class TestReportReads(MatrixTests):
    matrix = ReportMatrix()


def test_a_third_party_reads_only_the_consenting_side_s_part_of_a_report(cast, client_for):
    officer = cast["tj_officer"]
    shared = report(officer, [broker(officer)])
    kit.acknowledge(shared, cast["jp_contact"])
    services.close_report(shared, cast["jp_contact"], outcome="measures_taken", note="Licence suspended.")
    consent(shared, cast)
    body = client_for("maff_viewer").get(f"{REPORTS}{shared.pk}/").json()
    assert body["narrative"] == "Workers paid and lost their passports."
    assert body["categories"] == ["a", "e"]
    # Japan's part (what it did) is Japan's to disclose.
    assert not {"stage", "outcome", "outcome_note", "closed_at", "acknowledged_at"} & set(body)
    # The broker's own record is not disclosed with the report: its id, not its name.
    assert body["brokers"] and body["brokers_named"] == []
    # Japan consents too: its part is read.
    consent(shared, cast, side="jp")
    body = client_for("maff_viewer").get(f"{REPORTS}{shared.pk}/").json()
    assert body["outcome"] == "measures_taken" and body["stage"] == "closed"
    # The other side reads everything, brokers by name.
    body = client_for("jp_analyst").get(f"{REPORTS}{shared.pk}/").json()
    assert body["brokers_named"][0]["name"] == "Раҳимов Фаррух"


def test_a_broker_s_reports_from_either_side_as_the_reader_may_read_them(cast, client_for):
    who = broker(cast["tj_officer"])
    tajik = report(cast["tj_officer"], [who])
    japanese = report(cast["jp_officer"], [who], categories="c", violence_nature="Threats")
    draft = report(cast["tj_officer"], [who], share=False)
    consent(tajik, cast)
    consent(who, cast)
    url = f"{BROKERS}{who.pk}/reports/"
    assert ids(client_for("jp_analyst").get(url)) == {tajik.pk, japanese.pk}
    assert ids(client_for("tj_officer").get(url)) == {tajik.pk, japanese.pk, draft.pk}
    assert ids(client_for("maff_viewer").get(url)) == {tajik.pk}
    assert client_for("embassy_viewer").get(url).status_code == 404


# --- Identifiers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "whole"),
    [
        ("tj_contact", True),
        ("jp_contact", True),
        ("tj_officer", False),
        ("jp_officer", False),
        ("jp_analyst", False),
        ("maff_viewer", False),
        ("admin", False),
    ],
)
def test_identifiers_are_whole_only_for_the_contact_points(cast, client_for, username, whole):
    who = broker(cast["tj_officer"], taxpayer_number="123456789", passport_number="TJ1234567")
    consent(who, cast)
    body = client_for(username).get(f"{BROKERS}{who.pk}/").json()
    if whole:
        assert (body["taxpayer_number"], body["passport_number"]) == ("123456789", "TJ1234567")
    else:
        assert (body["taxpayer_number"], body["passport_number"]) == ("••••••789", "••••••567")
    listed = client_for(username).get(BROKERS).json()["results"]
    assert [row["passport_number"] for row in listed] == [body["passport_number"]]


# --- Brokers: create, names, display name, filters ---------------------------------------------


def test_a_broker_is_recorded_as_a_draft_with_its_aliases_and_shared(cast, client_for):
    client = client_for("tj_officer")
    created = client.post(
        BROKERS,
        {
            "kind": "person",
            "name": "Раҳимов Фаррух",
            "aliases": ["Rakhimov Farrukh", "ラヒモフ・ファルフ"],
            "country": "tj",
            "passport_number": "TJ7654321",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["country"] == "TJ" and body["reference"].startswith("TJ-BRO-")
    assert body["names"] == ["Раҳимов Фаррух", "Rakhimov Farrukh", "ラヒモフ・ファルフ"]
    assert body["passport_number"] == "••••••321"
    pk = body["id"]
    assert client.get(f"{BROKERS}{pk}/?lang=ja").json()["display_name"] == "ラヒモフ・ファルフ"
    assert client.get(f"{BROKERS}{pk}/?lang=en").json()["display_name"] == "Rakhimov Farrukh"
    assert client.get(f"{BROKERS}{pk}/?lang=ru").json()["display_name"] == "Раҳимов Фаррух"
    assert client_for("jp_officer").get(f"{BROKERS}{pk}/").status_code == 404
    # The draft changes; once shared it is kept as it was sent.
    changed = client.patch(f"{BROKERS}{pk}/", {"addresses": "Khujand"}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["addresses"] == "Khujand"
    assert client.post(f"{BROKERS}{pk}/share/").json()["status"] == "shared"
    refused = client.patch(f"{BROKERS}{pk}/", {"addresses": "Dushanbe"}, content_type="application/json")
    assert refused.status_code == 409
    assert Broker.objects.get(pk=pk).addresses == "Khujand"
    # Japan adds the name it knows the broker by.
    added = client_for("jp_officer").post(
        f"{BROKERS}{pk}/names/", {"names": ["Rahimov F."]}, content_type="application/json"
    )
    assert added.status_code == 200 and "Rahimov F." in added.json()["names"]
    assert AuditEntry.objects.filter(action="broker.names_added", object_id=str(pk)).exists()


@pytest.mark.parametrize("username", ["jp_analyst", "maff_viewer", "embassy_viewer"])
def test_readers_record_no_broker(cast, client_for, username):
    response = client_for(username).post(
        BROKERS, {"kind": "person", "name": "X", "country": "TJ"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not Broker.objects.exists()


def test_a_corporate_number_is_checked_and_a_person_has_none(cast, client_for):
    client = client_for("jp_officer")
    wrong = client.post(
        BROKERS,
        {"kind": "company", "name": "Sakura KK", "country": "JP", "corporate_number": "1234567890123"},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "corporate_number" in wrong.json()
    person = client.post(
        BROKERS,
        {"kind": "person", "name": "Sato", "country": "JP", "corporate_number": "7000012050002"},
        content_type="application/json",
    )
    assert person.status_code == 400 and "Company" in person.json()["detail"]
    assert not Broker.objects.exists()


def test_broker_filters(cast, client_for):
    person = broker(cast["tj_officer"], "Раҳимов")
    company = broker(cast["jp_officer"], "Sakura KK", kind="company", country="JP")
    draft = broker(cast["tj_officer"], "Draft", share=False)
    client = client_for("tj_officer")
    assert ids(client.get(f"{BROKERS}?kind=company")) == {company.pk}
    assert ids(client.get(f"{BROKERS}?country=tj")) == {person.pk, draft.pk}
    assert ids(client.get(f"{BROKERS}?status=draft")) == {draft.pk}
    assert ids(client.get(f"{BROKERS}?reference={company.reference}")) == {company.pk}
    # A third party filtering by a field it may not read is not answered by it.
    assert ids(client_for("maff_viewer").get(f"{BROKERS}?kind=company")) == set()


# --- Match -------------------------------------------------------------------------------------


def test_the_match_finds_one_broker_in_every_script(cast, client_for):
    who = broker(cast["tj_officer"], "Раҳимов Фаррух", aliases=["ラヒモフ・ファルフ"])
    broker(cast["tj_officer"], "Ғафуров Ҷамшед")
    client = client_for("jp_contact")
    for query in ("Rakhimov Farrukh", "Rahimov Farruh", "Рахимов Фаррух", "ラヒモフ"):
        found = client.get(f"{BROKERS}match/", {"q": query}).json()
        assert found and found[0]["broker"] == who.pk, (query, found)
        assert set(found[0]) == {"broker", "reference", "name", "score", "matched_name"}
        assert found[0]["reference"] == who.reference and found[0]["name"] == "Раҳимов Фаррух"
    assert client.get(f"{BROKERS}match/", {"q": "  "}).json() == []


def test_the_match_offers_only_brokers_the_caller_may_read(cast, client_for):
    tajik_draft = broker(cast["tj_officer"], "Rakhimov Farrukh", share=False)
    japanese_draft = broker(cast["jp_officer"], "Rahimov Faruh", share=False)
    unconsented = broker(cast["tj_officer"], "Раҳимов Фаррух")
    consented = broker(cast["tj_officer"], "Rakhimov F.")
    consent(consented, cast)
    expired = broker(cast["tj_officer"], "Rahimov Farrukh Jr")
    expire(consent(expired, cast))

    def found(username):
        return {
            row["broker"] for row in client_for(username).get(f"{BROKERS}match/?q=Rakhimov Farrukh").json()
        }

    shared = {unconsented.pk, consented.pk, expired.pk}
    assert found("tj_officer") == shared | {tajik_draft.pk}
    assert found("jp_officer") == shared | {japanese_draft.pk}
    assert found("jp_contact") == shared
    assert found("maff_viewer") == {consented.pk}
    assert found("embassy_viewer") == set()


# --- Merge -------------------------------------------------------------------------------------


def test_a_merge_moves_names_and_reports_and_is_audited(cast, client_for):
    source = broker(cast["tj_officer"], "Раҳимов Фаррух")
    target = broker(cast["jp_officer"], "Rakhimov Farrukh")
    named = report(cast["tj_officer"], [source])
    response = client_for("jp_officer").post(
        f"{BROKERS}{source.pk}/merge/",
        {"into": target.pk, "reason": "Same passport"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == target.pk and "Раҳимов Фаррух" in body["names"]
    assert client_for("tj_officer").get(f"{BROKERS}{source.pk}/").json()["merged_into"] == target.pk
    assert ids(client_for("tj_officer").get(f"{BROKERS}{target.pk}/reports/")) == {named.pk}
    entry = AuditEntry.objects.get(action="broker.merged")
    assert (entry.object_id, entry.actor_id) == (str(target.pk), cast["jp_officer"].pk)
    # Both timelines say so.
    timeline = client_for("tj_officer").get(f"{BROKERS}{source.pk}/timeline/").json()
    assert "merged_into" in [step["action"] for step in timeline]
    # A merged record is merged once.
    again = client_for("jp_officer").post(
        f"{BROKERS}{source.pk}/merge/", {"into": target.pk}, content_type="application/json"
    )
    assert again.status_code == 409


def test_a_broker_is_not_merged_into_itself_nor_into_one_the_caller_cannot_read(cast, client_for):
    who = broker(cast["tj_officer"])
    hidden = broker(cast["jp_officer"], "Hidden", share=False)
    client = client_for("tj_officer")
    itself = client.post(f"{BROKERS}{who.pk}/merge/", {"into": who.pk}, content_type="application/json")
    assert itself.status_code == 400
    assert "merged into itself" in itself.json()["detail"]
    to_hidden = client.post(f"{BROKERS}{who.pk}/merge/", {"into": hidden.pk}, content_type="application/json")
    to_missing = client.post(f"{BROKERS}{who.pk}/merge/", {"into": 999999}, content_type="application/json")
    assert to_hidden.status_code == to_missing.status_code == 400
    assert to_hidden.json() == to_missing.json()
    assert not AuditEntry.objects.filter(action="broker.merged").exists()


# --- Reports: create, bad input, lifecycle, filters -------------------------------------------------


def _report_body(**changes):
    body = {
        "categories": ["a", "e"],
        "held_amount": "2000.00",
        "held_currency": "USD",
        "held_items": "Passports",
        "fee_amount": "15000.00",
        "fee_currency": "TJS",
        "narrative": "Workers paid a deposit and lost their passports.",
    }
    body.update(changes)
    return body


def test_a_report_is_filed_as_a_draft_and_answered_in_its_letters(cast, client_for):
    who = broker(cast["tj_officer"])
    response = client_for("tj_officer").post(
        REPORTS, _report_body(brokers=[who.pk], categories=["e", "a", "e"]), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["categories"] == ["a", "e"] and body["status"] == "draft" and body["brokers"] == [who.pk]
    assert body["reference"].startswith("TJ-BRK-")
    assert MisconductReport.objects.get(pk=body["id"]).categories == "ae"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"held_amount": None}, "held_amount"),
        ({"categories": ["a", "f"]}, "categories"),
        ({"categories": []}, "categories"),
        ({"brokers": []}, "brokers"),
        ({"categories": ["d"], "forged_documents": "Diploma"}, "forged_procedure"),
        ({"period_from": "2026-05-01", "period_to": "2026-04-01"}, "period_to"),
    ],
)
def test_bad_input_is_refused_naming_the_field(cast, client_for, changes, field):
    who = broker(cast["tj_officer"])
    body = _report_body(**{"brokers": [who.pk], **changes})
    response = client_for("tj_officer").post(REPORTS, body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not MisconductReport.objects.exists()


def test_an_unknown_broker_and_a_hidden_one_get_the_same_answer(cast, client_for):
    hidden = broker(cast["jp_officer"], "Hidden", share=False)
    client = client_for("tj_officer")
    unknown = client.post(REPORTS, _report_body(brokers=[999999]), content_type="application/json")
    secret = client.post(REPORTS, _report_body(brokers=[hidden.pk]), content_type="application/json")
    assert unknown.status_code == secret.status_code == 400
    assert unknown.json() == secret.json()
    assert "brokers" in secret.json()
    assert not MisconductReport.objects.exists()


def test_a_report_s_lifecycle_in_the_api(cast, client_for, django_capture_on_commit_callbacks):
    from agencies.testing import certified

    who = broker(cast["tj_officer"], share=False)
    tajik, japan = client_for("tj_officer"), client_for("jp_contact")
    pk = tajik.post(REPORTS, _report_body(brokers=[who.pk]), content_type="application/json").json()["id"]
    edited = tajik.patch(f"{REPORTS}{pk}/", {"places": "Khujand"}, content_type="application/json")
    assert edited.status_code == 200 and edited.json()["places"] == "Khujand"
    # (a) dropped from a draft: what is left must still hold its facts.
    assert (
        tajik.patch(
            f"{REPORTS}{pk}/", {"categories": ["a"], "held_amount": None}, content_type="application/json"
        ).status_code
        == 400
    )
    assert japan.post(f"{REPORTS}{pk}/share/").status_code == 404
    shared = tajik.post(f"{REPORTS}{pk}/share/")
    assert shared.status_code == 200 and shared.json()["status"] == "shared"
    # The broker it names, still a draft, was shared with it.
    assert japan.get(f"{BROKERS}{who.pk}/").status_code == 200
    assert (
        tajik.post(
            f"{REPORTS}{pk}/close/", {"outcome": "other", "note": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert (
        japan.post(
            f"{REPORTS}{pk}/close/", {"outcome": "other", "note": "x"}, content_type="application/json"
        ).status_code
        == 409
    )
    acknowledged = japan.post(f"{REPORTS}{pk}/acknowledge/")
    assert acknowledged.status_code == 200 and acknowledged.json()["stage"] == "follow_up"
    commented = tajik.post(
        f"{REPORTS}{pk}/comments/",
        {"text": "Two more workers came forward."},
        content_type="application/json",
    )
    assert commented.status_code == 201
    assert [c["text"] for c in japan.get(f"{REPORTS}{pk}/comments/").json()] == [
        "Two more workers came forward."
    ]
    with django_capture_on_commit_callbacks(execute=True):
        agency = certified(cast["tj_officer"])
    linked = japan.post(f"{REPORTS}{pk}/link/", {"agencies": [agency.pk]}, content_type="application/json")
    assert linked.status_code == 200 and linked.json()["agencies"] == [agency.pk]
    assert japan.post(f"{REPORTS}{pk}/link/", {}, content_type="application/json").status_code == 400
    closed = japan.post(
        f"{REPORTS}{pk}/close/", {"outcome": "referred", "note": "Police."}, content_type="application/json"
    )
    assert closed.status_code == 200
    assert (closed.json()["stage"], closed.json()["outcome"]) == ("closed", "referred")
    assert (
        japan.post(f"{REPORTS}{pk}/comments/", {"text": "Late"}, content_type="application/json").status_code
        == 409
    )
    assert (
        tajik.patch(f"{REPORTS}{pk}/", {"places": "Dushanbe"}, content_type="application/json").status_code
        == 409
    )
    actions = set(AuditEntry.objects.filter(object_id=str(pk)).values_list("action", flat=True))
    assert {
        "record.created",
        "record.updated",
        "record.shared",
        "record.acknowledged",
        "record.commented",
        "report.linked",
        "report.closed",
    } <= actions


def test_report_filters(cast, client_for):
    who, other = broker(cast["tj_officer"]), broker(cast["tj_officer"], "Ғафуров")
    first = report(cast["tj_officer"], [who])
    second = report(cast["jp_officer"], [other], categories="c", violence_nature="Threats")
    kit.acknowledge(second, cast["tj_contact"])
    client = client_for("jp_analyst")
    assert ids(client.get(f"{REPORTS}?category=a")) == {first.pk}
    assert ids(client.get(f"{REPORTS}?category=c")) == {second.pk}
    assert ids(client.get(f"{REPORTS}?stage=follow_up")) == {second.pk}
    assert ids(client.get(f"{REPORTS}?side=japan")) == {second.pk}
    assert ids(client.get(f"{REPORTS}?broker={who.pk}")) == {first.pk}
    assert ids(client.get(f"{REPORTS}?reference={first.reference}")) == {first.pk}
    assert client.get(f"{REPORTS}?category=f").status_code == 400
    # A broker the caller may not read is refused like a missing one.
    hidden = broker(cast["tj_officer"], "Hidden", share=False)
    assert client.get(f"{REPORTS}?broker={hidden.pk}").json() == client.get(f"{REPORTS}?broker=999999").json()
    # The third party's consent opens the report, not what it was filtered by.
    consent(first, cast)
    maff_client = client_for("maff_viewer")
    assert ids(maff_client.get(f"{REPORTS}?stage=follow_up")) == {first.pk}
    assert ids(maff_client.get(REPORTS)) == {first.pk}


@pytest.mark.parametrize("username", CAST)
def test_every_read_endpoint_answers_each_reader_by_the_rules(cast, client_for, username):
    """Each GET endpoint of a broker and a report, as each reader: 200 where the rules
    let it read the record (a shared record: both sides; the report, not its broker:
    MAFF, with Tajikistan's consent; everything: the superuser), else 404 — never a
    403 that would confirm the record exists, never a server error."""
    who = broker(cast["tj_officer"])
    shared = report(cast["tj_officer"], [who])
    consent(shared, cast)
    reads_broker = BOTH_SIDES | ADMIN
    reads_report = reads_broker | {"maff_viewer"}
    client = client_for(username)
    for url, readers in [
        (f"{BROKERS}{who.pk}/", reads_broker),
        (f"{BROKERS}{who.pk}/reports/", reads_broker),
        (f"{BROKERS}{who.pk}/timeline/", reads_broker),
        (f"{BROKERS}{who.pk}/attachments/", reads_broker),
        (f"{BROKERS}{who.pk}/consent-requests/", reads_broker),
        (f"{REPORTS}{shared.pk}/", reads_report),
        (f"{REPORTS}{shared.pk}/comments/", reads_report),
        (f"{REPORTS}{shared.pk}/timeline/", reads_report),
        (f"{REPORTS}{shared.pk}/attachments/", reads_report),
        (f"{REPORTS}{shared.pk}/consent-requests/", reads_report),
    ]:
        want = 200 if username in readers else 404
        assert client.get(url).status_code == want, (url, username)
    assert ids(client.get(BROKERS)) == ({who.pk} if username in reads_broker else set())
    assert ids(client.get(REPORTS)) == ({shared.pk} if username in reads_report else set())
    matched = {row["broker"] for row in client.get(f"{BROKERS}match/?q=Rahimov").json()}
    assert matched == ({who.pk} if username in reads_broker else set())


def test_a_third_party_s_report_list_runs_the_same_queries_for_one_report_or_ten(cast, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("maff_viewer")

    def add(n):
        for _ in range(n):
            who = broker(cast["tj_officer"])
            consent(report(cast["tj_officer"], [who]), cast)
            consent(who, cast)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(REPORTS)
        assert response.status_code == 200
        return len(captured), response.json()

    add(1)
    client.get(REPORTS)  # warm-up
    one, first = queries()
    add(9)
    ten, page = queries()
    assert (first["count"], page["count"]) == (1, 10)
    assert all(row["brokers_named"] for row in page["results"])
    assert one == ten, f"{one} queries for one report, {ten} for ten"


def test_a_third_party_reads_the_comments_and_files_of_the_consenting_side_only(cast, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.testing.files import PDF

    shared = report(cast["tj_officer"], [broker(cast["tj_officer"])])
    kit.acknowledge(shared, cast["jp_contact"])
    kit.comment(shared, cast["tj_officer"], "Tajikistan adds the contract.")
    kit.comment(shared, cast["jp_officer"], "Japan interviewed the workers.")
    kit.attach(shared, cast["jp_officer"], SimpleUploadedFile("interviews.pdf", PDF))
    given = consent(shared, cast)
    maff_client = client_for("maff_viewer")
    comments = maff_client.get(f"{REPORTS}{shared.pk}/comments/").json()
    assert [row["text"] for row in comments] == ["Tajikistan adds the contract."]
    assert maff_client.get(f"{REPORTS}{shared.pk}/attachments/").json() == []
    assert {step["side"] for step in maff_client.get(f"{REPORTS}{shared.pk}/timeline/").json()} == {
        "tajikistan"
    }
    # Withdrawn, it opens nothing any more.
    kit.withdraw_consent(given, cast["tj_contact"])
    for path in ("", "comments/", "attachments/", "timeline/"):
        assert maff_client.get(f"{REPORTS}{shared.pk}/{path}").status_code == 404
    assert ids(maff_client.get(REPORTS)) == set()
    assert client_for("jp_analyst").get(f"{REPORTS}{shared.pk}/comments/").json()[1]["text"] == (
        "Japan interviewed the workers."
    )
