"""Improvement orders (6(3), 7(5)): recording shares with Tajikistan at once (reference,
inbox item, e-mail, acknowledgement), correction and withdrawal tell the other side and
the public list; bad input is refused naming the field, leaving nothing; only Japan
records; and who reads each order, through the HTML list and page and the API list and
detail, with and without written consent (``portal.testing.matrix``)."""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.utils import timezone

from notices.models import ImprovementOrder
from notices.orders import services
from notices.orders.choices import OrderState
from notices.orders.testing import facts
from portal.exceptions import InvalidInput, PermissionDenied, TransitionError
from portal.models import AuditEntry, Notification, Organization, OutboxEntry
from portal.records import services as kit
from portal.records.models import RecordEvent
from portal.testing.matrix import ADMIN, BOTH_SIDES, MatrixTests, PermissionMatrix
from portal.validators import check_corporate_number

pytestmark = pytest.mark.django_db


def record(actor, **more):
    return services.record_order(actor, **facts(**more))


class Requests:
    """The public list's publication requests made in a block: (memorandum id, order ids)."""

    def __init__(self):
        self.made: list[tuple[int, list[int]]] = []


@contextmanager
def orders_changed():
    """What the orders' public list is asked, read from the outbox (the real entries
    the services write in their transaction)."""
    entries = OutboxEntry.objects.filter(topic="publication.publish", payload__list="improvement-orders")
    before = set(entries.values_list("pk", flat=True))
    requests = Requests()
    yield requests
    requests.made = [
        (entry.payload["memorandum"], entry.payload["items"])
        for entry in entries.exclude(pk__in=before).order_by("pk")
    ]


# --- Recording ---------------------------------------------------------------------------


def test_recording_shares_the_order_with_the_other_side_at_once(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    with orders_changed() as changed, django_capture_on_commit_callbacks(execute=True):
        order = record(cast["jp_officer"])
    assert order.status == "shared" and order.state == OrderState.IN_FORCE
    assert order.reference.startswith("JP-IMP-")
    assert order.prefecture == "23"  # read from the address (愛知県…)
    assert order.sector.code == "nursing-care"
    assert len(changed.made) == 1
    assert changed.made[0][1] == [order.pk]
    assert changed.made[0][0] == order.memorandum_id
    # The other side's contact point: an inbox item naming the reference, never content.
    tajik_cp = cast["tj_contact"].organization
    item = Notification.objects.get(kind="notices.order_recorded")
    assert item.organization_id == tajik_cp.pk
    assert order.reference in str(item.params) and "さくら" not in str(item.params)
    assert mailoutbox and any(
        order.reference in mail.body or order.reference in mail.subject for mail in mailoutbox
    )
    assert all("さくら" not in mail.body for mail in mailoutbox)
    # Both sides read it; a third party does not.
    for reader in ("jp_analyst", "tj_officer", "tj_analyst"):
        assert ImprovementOrder.objects.restrict(cast[reader]).filter(pk=order.pk).exists()
    assert not ImprovementOrder.objects.restrict(cast["maff_viewer"]).filter(pk=order.pk).exists()
    actions = set(AuditEntry.objects.filter(object_id=str(order.pk)).values_list("action", flat=True))
    assert {"record.created", "record.shared", "order.recorded"} <= actions


def test_tajikistan_acknowledges_and_the_inbox_item_is_resolved(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = record(cast["jp_officer"])
    with pytest.raises(PermissionDenied):
        kit.acknowledge(order, cast["jp_contact"])  # the recording side does not acknowledge
    with django_capture_on_commit_callbacks(execute=True):
        order = kit.acknowledge(order, cast["tj_contact"])
    order.refresh_from_db()
    assert order.acknowledged_by == cast["tj_contact"] and order.time_to_acknowledge is not None
    item = Notification.objects.get(kind="notices.order_recorded")
    assert item.read_at is not None and item.read_by == cast["tj_contact"]


def test_only_japan_s_writers_record(cast):
    for who in ("tj_contact", "tj_officer", "tj_analyst", "jp_analyst", "maff_viewer", "embassy_viewer"):
        with pytest.raises(PermissionDenied):
            record(cast[who])
    record(cast["jp_contact"])
    assert ImprovementOrder.objects.count() == 1


# --- Bad input: refused naming the field, nothing saved ----------------------------------


@pytest.mark.parametrize(
    ("given", "named"),
    [
        (
            {"corporate_number": "4180001012346"},
            "Japanese corporate number: This corporate number's check digit",
        ),
        (
            {"corporate_number": "418000101234"},
            "Japanese corporate number: A corporate number has 13 digits.",
        ),
        (
            {"corporate_number": "418000101234X"},
            "Japanese corporate number: A corporate number has 13 digits.",
        ),
        ({"issued_on": "future"}, "Date issued: The date issued cannot be after today"),
        ({"tajik_workers": -1}, "Tajik workers concerned:"),
        ({"sector": "space-travel"}, "SSW sector: Choose one of the SSW sectors."),
        ({"sector": 10**6}, "SSW sector: Choose one of the SSW sectors."),
        ({"prefecture": "48"}, "Prefecture: Choose one of the 47 prefectures."),
        ({"organization_name": "  "}, "Missing: Receiving organization."),
        ({"violations": "", "measures": None}, "Missing: Violations found, Measures ordered."),
        ({"secret": "x"}, "Unknown fields: secret."),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(cast, given, named):
    if given.get("issued_on") == "future":
        given = {"issued_on": timezone.localdate() + dt.timedelta(days=2)}
    with orders_changed() as changed, pytest.raises(InvalidInput) as refused:
        record(cast["jp_officer"], **given)
    assert named in str(refused.value)
    assert not ImprovementOrder.objects.exists()
    assert not OutboxEntry.objects.filter(topic="notify").exists()
    assert changed.made == []


def test_a_missing_issue_date_is_named(cast):
    given = facts()
    del given["issued_on"]
    with pytest.raises(InvalidInput, match="Missing: Date issued"):
        services.record_order(cast["jp_officer"], **given)


def test_the_corporate_number_check_digit():
    check_corporate_number("7000012050002")  # the National Tax Agency's own number
    check_corporate_number("4180001012345")
    for wrong in ("8000012050002", "700001205000", "70000120500021", "700001205000a"):
        with pytest.raises(Exception, match="corporate number"):
            check_corporate_number(wrong)


def test_a_corporate_number_typed_in_full_width_digits_is_kept_in_ascii(cast):
    order = record(cast["jp_officer"], corporate_number="４１８０００１０１２３４５ ")
    assert order.corporate_number == "4180001012345"


def test_a_prefecture_given_is_kept_and_an_address_without_one_leaves_it_empty(cast):
    given = record(cast["jp_officer"], prefecture="13")
    assert given.prefecture == "13"
    abroad = record(cast["jp_officer"], address="Somewhere without a prefecture")
    assert abroad.prefecture == ""
    english = record(cast["jp_officer"], address="2-3 Shibaura, Minato-ku, Tokyo 108-0023")
    assert english.prefecture == "13"


# --- Correction ------------------------------------------------------------------------


def test_a_correction_changes_the_facts_tells_the_other_side_and_the_public_list(
    cast, django_capture_on_commit_callbacks
):
    order = record(cast["jp_officer"])
    with orders_changed() as changed, django_capture_on_commit_callbacks(execute=True):
        corrected = services.correct_order(
            order,
            cast["jp_contact"],
            reason="The address was of the head office.",
            address="大阪府大阪市北区梅田一丁目1番",
            tajik_workers=6,
        )
    assert corrected.address.startswith("大阪府") and corrected.prefecture == "27"
    assert corrected.tajik_workers == 6 and corrected.corrected_at is not None
    assert len(changed.made) == 1
    assert changed.made[0][1] == [order.pk]
    event = RecordEvent.objects.get(object_id=order.pk, action="corrected")
    assert event.changes == {"fields": ["address", "prefecture", "tajik_workers"]}
    assert event.reason == "The address was of the head office." and event.label == "Corrected"
    # A confidential record's audit entry names the fields changed, not their values.
    entry = AuditEntry.objects.get(action="order.corrected", object_id=str(order.pk))
    assert entry.after == {"fields": ["address", "prefecture", "tajik_workers"]} and entry.before is None
    item = Notification.objects.get(kind="notices.order_corrected")
    assert item.organization_id == cast["tj_contact"].organization_id


def test_a_correction_is_refused_to_tajikistan_for_bad_input_and_when_nothing_changes(cast):
    order = record(cast["jp_officer"])
    with pytest.raises(PermissionDenied):
        services.correct_order(order, cast["tj_officer"], measures="x")
    with pytest.raises(PermissionDenied):
        services.correct_order(order, cast["jp_analyst"], measures="x")
    with pytest.raises(InvalidInput, match="Date issued"):
        services.correct_order(
            order, cast["jp_officer"], issued_on=timezone.localdate() + dt.timedelta(days=1)
        )
    with pytest.raises(InvalidInput, match="check digit"):
        services.correct_order(order, cast["jp_officer"], corporate_number="4180001012346")
    with pytest.raises(InvalidInput, match="Nothing was changed"):
        services.correct_order(order, cast["jp_officer"], measures=order.measures)
    order.refresh_from_db()
    assert order.corporate_number == "4180001012345" and order.corrected_at is None
    assert not AuditEntry.objects.filter(action="order.corrected").exists()


# --- Withdrawal --------------------------------------------------------------------------


def test_an_order_recorded_in_error_is_withdrawn_kept_and_the_other_side_told(
    cast, django_capture_on_commit_callbacks
):
    order = record(cast["jp_officer"])
    with pytest.raises(InvalidInput, match="Reason for the withdrawal"):
        services.withdraw_order(order, cast["jp_officer"], reason="  ")
    with pytest.raises(PermissionDenied):
        services.withdraw_order(order, cast["tj_contact"], reason="Not ours to withdraw")
    with orders_changed() as changed, django_capture_on_commit_callbacks(execute=True):
        withdrawn = services.withdraw_order(order, cast["jp_contact"], reason="Recorded twice.")
    assert len(changed.made) == 1
    withdrawn.refresh_from_db()
    assert withdrawn.state == OrderState.WITHDRAWN and withdrawn.withdrawal_reason == "Recorded twice."
    assert withdrawn.withdrawn_at is not None and withdrawn.status == "shared"  # kept, still readable
    assert ImprovementOrder.objects.restrict(cast["tj_officer"]).filter(pk=order.pk).exists()
    assert RecordEvent.objects.get(object_id=order.pk, action="state:withdrawn").reason == "Recorded twice."
    assert AuditEntry.objects.filter(action="order.withdrawn", object_id=str(order.pk)).exists()
    assert Notification.objects.filter(
        kind="notices.order_withdrawn", organization=cast["tj_contact"].organization
    ).exists()
    with pytest.raises(TransitionError):
        services.withdraw_order(withdrawn, cast["jp_contact"], reason="Again")
    with pytest.raises(TransitionError):
        services.correct_order(withdrawn, cast["jp_contact"], measures="Something else")
    assert not ImprovementOrder.open_records().filter(pk=order.pk).exists()


# --- Pages and API: what they show and refuse ------------------------------------------


def test_the_record_page_refuses_bad_input_next_to_the_field(cast, client_for):
    from agencies.models import Sector

    client = client_for("jp_officer")
    body = {
        **facts(),
        "issued_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
        "corporate_number": "4180001012346",
        "tajik_workers": "-2",
        "sector": Sector.objects.get(code="nursing-care").pk,
        "prefecture": "",
    }
    page = client.post("/notices/orders/new/", body)
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert set(errors) >= {"issued_on", "corporate_number", "tajik_workers"}
    assert not ImprovementOrder.objects.exists()
    body.update(
        issued_on=timezone.localdate().isoformat(), corporate_number="4180001012345", tajik_workers="2"
    )
    page = client.post("/notices/orders/new/", body)
    order = ImprovementOrder.objects.get()
    assert page.status_code == 302 and page["Location"] == f"/notices/orders/{order.pk}/"
    assert order.prefecture == "23" and order.status == "shared"


def test_the_detail_page_shows_the_facts_and_the_kit_panels(cast, client_for):
    order = record(cast["jp_officer"], public_notice="https://www.moj.go.jp/isa/kaizen.html")
    page = client_for("tj_contact").get(f"/notices/orders/{order.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert order.reference in html and "社会福祉法人 さくら会" in html and "4180001012345" in html
    assert "愛知県" in html  # the prefecture's name
    assert f"/records/notices/improvementorder/{order.pk}/acknowledge/" in html  # the kit's panel
    assert "/correct/" not in html  # Tajikistan does not correct
    japan = client_for("jp_officer").get(f"/notices/orders/{order.pk}/").content.decode()
    assert (
        f"/notices/orders/{order.pk}/correct/" in japan and f"/notices/orders/{order.pk}/withdraw/" in japan
    )


def test_the_list_filters_by_organization_prefecture_sector_and_date(cast, client_for):
    today = timezone.localdate()
    nagoya = record(cast["jp_officer"], issued_on=today - dt.timedelta(days=40))
    osaka = record(
        cast["jp_officer"],
        organization_name="株式会社 東海精密工業",
        corporate_number="9120001098765",
        address="大阪府堺市北区長曽根町130番地",
        sector="industrial-products",
        issued_on=today - dt.timedelta(days=5),
    )
    client = client_for("tj_officer")

    def shown(query: str) -> set[int]:
        page = client.get(f"/notices/orders/?{query}")
        assert page.status_code == 200
        return {row.pk for row, _prefecture in page.context["rows"]}

    from agencies.models import Sector

    assert shown("") == {nagoya.pk, osaka.pk}
    assert shown("organization=東海") == {osaka.pk}
    assert shown("organization=4180001012345") == {nagoya.pk}
    assert shown(f"organization={osaka.reference}") == {osaka.pk}
    assert shown("prefecture=23") == {nagoya.pk}
    assert shown(f"sector={Sector.objects.get(code='industrial-products').pk}") == {osaka.pk}
    assert shown(f"issued_from={(today - dt.timedelta(days=10)).isoformat()}") == {osaka.pk}
    assert shown(f"issued_to={(today - dt.timedelta(days=10)).isoformat()}") == {nagoya.pk}
    assert shown("prefecture=99") == set()  # an invalid filter selects nothing


def test_the_list_costs_the_same_queries_for_2_and_for_12_orders(
    cast, client_for, django_assert_max_num_queries
):
    client = client_for("tj_officer")
    for _ in range(2):
        record(cast["jp_officer"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/notices/orders/")  # the first page of a session fills its caches
    with CaptureQueriesContext(connection) as few:
        assert client.get("/notices/orders/").status_code == 200
    for _ in range(10):
        record(cast["jp_officer"])
    client.get("/notices/orders/")  # the menu's count, kept until the next audited change
    with CaptureQueriesContext(connection) as many:
        assert client.get("/notices/orders/").status_code == 200
    assert len(many) == len(few)


def test_the_api_records_corrects_and_withdraws(cast, client_for):
    client = client_for("jp_officer")
    body = {**facts(), "issued_on": timezone.localdate().isoformat(), "prefecture": ""}
    created = client.post("/api/v1/improvement-orders/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["reference"].startswith("JP-IMP-") and data["prefecture"] == "23"
    assert data["sector"] == "nursing-care" and data["status"] == "shared" and data["state"] == "in_force"
    pk = data["id"]
    corrected = client.post(
        f"/api/v1/improvement-orders/{pk}/correction/",
        {"tajik_workers": 9, "reason": "Counted again."},
        content_type="application/json",
    )
    assert corrected.status_code == 200 and corrected.json()["tajik_workers"] == 9
    refused = client.post(
        f"/api/v1/improvement-orders/{pk}/correction/",
        {"corporate_number": "4180001012346"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "check digit" in refused.content.decode()
    withdrawn = client.post(
        f"/api/v1/improvement-orders/{pk}/withdraw/",
        {"reason": "Recorded twice."},
        content_type="application/json",
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
    filtered = client.get("/api/v1/improvement-orders/?prefecture=23&sector=nursing-care&state=withdrawn")
    assert [row["id"] for row in filtered.json()["results"]] == [pk]


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"corporate_number": "123"}, "corporate_number"),
        ({"tajik_workers": -1}, "tajik_workers"),
        ({"sector": "space-travel"}, "sector"),
        ({"organization_name": ""}, "organization_name"),
    ],
)
def test_the_api_refuses_bad_input_naming_the_field(cast, client_for, given, field):
    body = {**facts(), "issued_on": timezone.localdate().isoformat(), **given}
    answer = client_for("jp_officer").post(
        "/api/v1/improvement-orders/", body, content_type="application/json"
    )
    assert answer.status_code == 400
    assert field in answer.json()
    assert not ImprovementOrder.objects.exists()


def test_the_api_refuses_a_future_date_with_its_reason(cast, client_for):
    body = {**facts(), "issued_on": (timezone.localdate() + dt.timedelta(days=5)).isoformat()}
    answer = client_for("jp_officer").post(
        "/api/v1/improvement-orders/", body, content_type="application/json"
    )
    assert answer.status_code == 400 and "Date issued" in answer.content.decode()
    assert not ImprovementOrder.objects.exists()


# --- Who reads each order (clause 3) ---------------------------------------------------

SHARED = BOTH_SIDES | ADMIN
CONSENTED = SHARED | {"maff_viewer"}


def _consent(order, contact, *, state="live"):
    consent = kit.grant_consent(
        order,
        contact,
        third_party=Organization.objects.get(code="jp-maff"),
        document_reference="Letter 12/34",
        expires_at=timezone.now() + timedelta(days=30),
    )
    if state == "withdrawn":
        kit.withdraw_consent(consent, contact)
    elif state == "expired":
        type(consent).objects.filter(pk=consent.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        kit.revoke_lapsed_consents()


class OrderMatrix(PermissionMatrix):
    situations = {
        "recorded": SHARED,
        "acknowledged": SHARED,
        "withdrawn": SHARED,
        "disclosed_by_japan": CONSENTED,
        "consent_withdrawn": SHARED,
        "consent_expired": SHARED,
    }
    html_list_url = "/notices/orders/"
    api_list_url = "/api/v1/improvement-orders/"

    @staticmethod
    def html_detail_url(obj):
        return f"/notices/orders/{obj.pk}/"

    @staticmethod
    def api_detail_url(obj):
        return f"/api/v1/improvement-orders/{obj.pk}/"

    def make(self, situation, cast):
        order = record(cast["jp_officer"], organization_name=f"株式会社 {situation}")
        if situation == "acknowledged":
            kit.acknowledge(order, cast["tj_contact"])
        elif situation == "withdrawn":
            services.withdraw_order(order, cast["jp_officer"], reason="Recorded in error.")
        elif situation == "disclosed_by_japan":
            _consent(order, cast["jp_contact"])
        elif situation == "consent_withdrawn":
            _consent(order, cast["jp_contact"], state="withdrawn")
        elif situation == "consent_expired":
            _consent(order, cast["jp_contact"], state="expired")
        return ImprovementOrder.objects.get(pk=order.pk)


class TestOrderMatrix(MatrixTests):
    matrix = OrderMatrix()


def test_tajikistan_cannot_consent_to_disclose_japan_s_order(cast):
    order = record(cast["jp_officer"])
    with pytest.raises(PermissionDenied):
        _consent(order, cast["tj_contact"])


def test_a_hidden_and_a_missing_order_get_the_same_answer(cast, client_for):
    order = record(cast["jp_officer"])
    missing = order.pk + 10_000
    client = client_for("maff_viewer")
    for url in ("/notices/orders/{}/", "/api/v1/improvement-orders/{}/", "/notices/orders/{}/correct/"):
        hidden, absent = client.get(url.format(order.pk)), client.get(url.format(missing))
        assert hidden.status_code == absent.status_code == 404
        assert _page(hidden, order.pk) == _page(absent, missing)


def _page(response, pk) -> str:
    """The answer without what differs between any two requests (the CSRF token) and the id asked."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return text.replace(str(pk), "")


# --- The correction form, the demo data, the canary's factory, the schema -------------


def test_the_correction_form_opens_with_the_order_s_facts(cast, client_for):
    order = record(cast["jp_officer"])
    page = client_for("jp_contact").get(f"/notices/orders/{order.pk}/correct/")
    assert page.status_code == 200
    form = page.context["form"]
    assert form["corporate_number"].value() == "4180001012345" and form["prefecture"].value() == "23"
    assert client_for("tj_contact").get(f"/notices/orders/{order.pk}/correct/").status_code == 404


def test_the_demo_seeds_five_shared_orders_once(cast):
    from notices.orders.demo import seed
    from portal.demo import create_demo_users

    users = create_demo_users()
    seed(users)
    seed(users)  # run twice, adds nothing
    orders = ImprovementOrder.objects.all()
    assert orders.count() == 5 and {order.status for order in orders} == {"shared"}
    assert {order.sector.code for order in orders} >= {"nursing-care", "industrial-products"}
    assert orders.filter(state=OrderState.WITHDRAWN).count() == 1
    assert orders.filter(acknowledged_at__isnull=False).count() == 2
    assert orders.filter(corrected_at__isnull=False).count() == 1
    assert all(order.prefecture for order in orders)  # each read from its address


def test_the_canary_factory_makes_every_situation_with_its_markers(cast):
    from notices.orders.testing import CanaryOrderFactory

    factory = CanaryOrderFactory()
    markers = {"organization_name": "zqx00001", "corporate_number": "zqx00002", "violations": "zqx00003"}
    japan = factory.create(None, ImprovementOrder, cast["jp_officer"], dict(markers), shared=True)
    tajik = factory.create(None, ImprovementOrder, cast["tj_officer"], dict(markers), shared=True)
    draft = factory.create(None, ImprovementOrder, cast["jp_officer"], dict(markers), shared=False)
    assert (japan.status, tajik.status, draft.status) == ("shared", "shared", "draft")
    for order in (japan, tajik, draft):
        assert (order.organization_name, order.corporate_number, order.violations) == tuple(markers.values())
    assert AuditEntry.objects.filter(action="order.recorded", object_id=str(japan.pk)).exists()


def test_the_openapi_schema_describes_the_orders(cast, client_for):
    schema = client_for("jp_officer").get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {
        "/api/v1/improvement-orders/",
        "/api/v1/improvement-orders/{id}/",
        "/api/v1/improvement-orders/{id}/correction/",
        "/api/v1/improvement-orders/{id}/withdraw/",
        "/api/v1/improvement-orders/{id}/acknowledge/",
    } <= set(paths)
    assert "ImprovementOrderStateEnum" in schema.json()["components"]["schemas"]
