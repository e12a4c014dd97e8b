"""Helpers for the improvement orders' tests: how the canary crawl creates orders
(``portal.testing.canary``) and the orders' write actions in the permission matrix
(``portal.testing.matrix``).

``portal.testing.canary.load_app_scenarios`` imports ``notices.testing``: that module
imports this one (a line in the lead's ``notices/testing.py``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.testing import canary as _canary
from portal.testing import matrix as _matrix

from . import policies, services

#: Valid facts of an order; the canary and the matrix give their own where they need to.
FACTS = {
    "organization_name": "社会福祉法人 さくら会",
    "corporate_number": "4180001012345",
    "address": "愛知県名古屋市中区栄三丁目1番1号",
    "sector": "nursing-care",
    "violations": "Regular interviews under the support plan were not held.",
    "measures": "Hold the interviews at least every three months.",
    "public_notice": "出入国在留管理庁 公示第12号",
    "tajik_workers": 4,
}


def facts(**more) -> dict:
    return {**FACTS, "issued_on": timezone.localdate() - dt.timedelta(days=10), **more}


# --- The canary crawl (portal/testing/canary.py) ---------------------------------------
#
# Every text field carries a marker planted by the crawl with the audience the rules give
# it; the factory puts the markers where the services keep them. The prefecture (a
# two-letter code) holds none; the corporate number and the withdrawal's reason, which
# hold no marker a service would accept, are written directly.


class CanaryOrderFactory(_canary.RecordFactory):
    """An order recorded through the service when the officer's side issues orders;
    a draft, and an order of the partner side's officer, are states the services never
    make (an order is recorded shared, by Japan): the kit makes them, so that the crawl
    proves what would show of them too."""

    DIRECT = ("corporate_number", "withdrawal_reason")

    def public_fields(self, model, officer, situation):
        """An order Japan records is shared at once and published by Tajikistan (7(5)):
        its published fields are anyone's in every situation but the draft."""
        from notices.publishing import ORDER_PUBLISHED_FIELDS

        if situation == "draft" or not policies.is_issuing_side_officer(officer):
            return set()
        return set(ORDER_PUBLISHED_FIELDS)

    def create(self, canary, model, officer, values, *, shared):
        from portal.records import services as kit

        values = dict(values)
        values.pop("prefecture", None)
        direct = {name: values.pop(name) for name in self.DIRECT if name in values}
        given = services._facts(facts(**values))
        if shared and policies.is_issuing_side_officer(officer):
            order = services.record_order(officer, **given)
        else:
            order = kit.create_record(model, officer, **given)
            if shared:
                order = kit.share_record(order, officer)
        if direct:
            model.objects.filter(pk=order.pk).update(**direct)
        return model.objects.get(pk=order.pk)


def _register_canary() -> None:
    from notices.models import ImprovementOrder

    _canary.RECORD_FACTORIES.setdefault(ImprovementOrder, CanaryOrderFactory())


_register_canary()


# --- The permission matrix of writes (portal/testing/matrix.py) -------------------------
#
# Who may change improvement orders, written from the rules (6(3), 7(5), DESIGN.md §2-3):
# Japan's writers (its contact point and officers) record an order, shared at once,
# correct it and withdraw one recorded in error; Tajikistan's writers acknowledge and
# assign it; either side's writers add files and ask for consent; Japan's contact point
# alone consents to disclose it (the order is Japan's information). Analysts,
# administrators and third parties never write (403 in the API); the superuser is
# refused by the services (403); the anonymous caller is 401. A page a role cannot use
# at all is not found.

_each = _matrix.each
_API_NO = _matrix.API_NO
_API_JAPAN = {**_API_NO, **_each(_matrix.JP_WRITERS, 200), **_each(_matrix.TJ_WRITERS, 403)}
_LOGIN = {"anonymous": _matrix.LOGIN}
#: Recording, correcting and withdrawing tell the other side (``notify``) and publish a
#: new version of the public list (``notices.publishing.orders_changed``).
_PUBLISHED = {"notify", "publication.publish"}
_PAGE_JAPAN = {**_each(_matrix.JP_WRITERS, 302), **_LOGIN, "*": 404}


def _order(officer, **more):
    return services.record_order(officer, **facts(**more))


def _japan_order(w) -> dict:
    return {"order": _order(w.users["jp-officer"])}


def _withdrawn_order(w) -> dict:
    order = _order(w.users["jp-officer"], organization_name="株式会社 誤登録")
    return {"order": services.withdraw_order(order, w.users["jp-officer"], reason="Recorded twice.")}


def _api(path: str = ""):
    return lambda f: f"/api/v1/improvement-orders/{f.order.pk}/{path}"


def _page(path: str):
    return lambda f: f"/notices/orders/{f.order.pk}/{path}"


def _record_api_body(f) -> dict:
    return {
        **facts(organization_name="株式会社 東海精密工業", sector="industrial-products"),
        "issued_on": _ago(3),
    }


def _record_page_body(f) -> dict:
    from agencies.models import Sector

    body = {**facts(organization_name="株式会社 東海精密工業"), "issued_on": _ago(3), "prefecture": ""}
    body["sector"] = Sector.objects.get(code="industrial-products").pk
    return body


def _correction_page_body(f) -> dict:
    body = _record_page_body(f)
    body.update(
        measures="Pay the premiums owed and correct the wage ledger.", reason="The measures were abridged."
    )
    return body


def _ago(days: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days)).isoformat()


_order_row = _matrix.row_of("order")

for _action in [
    _matrix.Action(
        "api.order.record",
        "post",
        url=lambda f: "/api/v1/improvement-orders/",
        data=_record_api_body,
        expected={**_API_NO, **_each(_matrix.JP_WRITERS, 201), **_each(_matrix.TJ_WRITERS, 403)},
        audit=("record.created", "record.shared", "order.recorded"),
        outbox=_PUBLISHED,
        row=_matrix.count_of("notices.ImprovementOrder"),
    ),
    _matrix.Action(
        "api.order.correction",
        "post",
        url=_api("correction/"),
        data=lambda f: {"measures": "Pay the premiums owed.", "reason": "The measures were abridged."},
        setup=_japan_order,
        expected=_API_JAPAN,
        audit="order.corrected",
        outbox=_PUBLISHED,
        row=_order_row,
    ),
    _matrix.Action(
        "api.order.correction.withdrawn",
        "post",
        url=_api("correction/"),
        data=lambda f: {"measures": "Pay the premiums owed."},
        setup=_withdrawn_order,
        expected={**_API_JAPAN, **_each(_matrix.JP_WRITERS, 409)},
        audit="order.corrected",
        row=_order_row,
    ),
    _matrix.Action(
        "api.order.withdraw",
        "post",
        url=_api("withdraw/"),
        data=lambda f: {"reason": "Recorded for the wrong organization."},
        setup=_japan_order,
        expected=_API_JAPAN,
        audit="order.withdrawn",
        outbox=_PUBLISHED,
        row=_order_row,
    ),
    *_matrix.kit_actions(
        "order",
        url=_api,
        setup=_japan_order,
        receiving="tj",
        origin="jp",
        consenting={"jp-contact": 201, **_matrix.each({"jp-officer", "tj-officer", "tj-contact"}, 403)},
        row=_order_row,
        third_party="tj-embassy-jp",
    ),
    # The pages ---------------------------------------------------------------------------
    _matrix.Action(
        "order.record",
        "post",
        url=lambda f: "/notices/orders/new/",
        data=_record_page_body,
        expected=_PAGE_JAPAN,
        audit=("record.created", "record.shared", "order.recorded"),
        outbox=_PUBLISHED,
        row=_matrix.count_of("notices.ImprovementOrder"),
    ),
    _matrix.Action(
        "order.correct",
        "post",
        url=_page("correct/"),
        data=_correction_page_body,
        setup=_japan_order,
        expected=_PAGE_JAPAN,
        audit="order.corrected",
        outbox=_PUBLISHED,
        row=_order_row,
    ),
    _matrix.Action(
        "order.withdraw",
        "post",
        url=_page("withdraw/"),
        data=lambda f: {"reason": "Recorded for the wrong organization."},
        setup=_japan_order,
        expected=_PAGE_JAPAN,
        audit="order.withdrawn",
        outbox=_PUBLISHED,
        row=_order_row,
    ),
]:
    _matrix.register(_action)
