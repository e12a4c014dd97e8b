"""Helpers for the brokers tests: how the canary crawl creates brokers and misconduct
reports through the services (``portal.testing.canary``), and the brokers' write
actions in the permission matrix (``portal.testing.matrix``)."""

from __future__ import annotations

from decimal import Decimal

from portal.testing import canary as _canary
from portal.testing import matrix as _matrix

from . import services
from .choices import Outcome

# --- The canary crawl (portal/testing/canary.py, issue 8) ------------------------------
#
# Every text field of a broker and of a report carries a marker, planted by the crawl
# (``plant_shared_records``) with the audience the rules give it; these factories only
# put the markers where the services keep them. What cannot hold a marker is given a
# plain value: a broker's country (two letters), a report's categories (letters a–e).


class CanaryBrokerFactory(_canary.RecordFactory):
    """A broker recorded and shared through the services, its name and an alias
    marked; identifiers hold markers as they are stored (masked for non-contact points
    when shown), written directly since a marker is no valid identifier."""

    IDENTIFIERS = ("corporate_number", "taxpayer_number", "passport_number")

    def create(self, canary, model, officer, values, *, shared):
        values = dict(values)
        values.pop("country", None)
        identifiers = {name: values.pop(name) for name in self.IDENTIFIERS if name in values}
        name = values.pop("name", "Canary broker")
        record = services.record_broker(
            officer, name=name, aliases=[f"Alias {name}"], kind="person", country="TJ", **values
        )
        if identifiers:
            model.objects.filter(pk=record.pk).update(**identifiers)
        canary.add(*record.names.all())
        return services.share_broker(record, officer) if shared else record


class CanaryReportFactory(_canary.RecordFactory):
    """A report of every category, each fact a marker, naming a broker of the same
    organization; once shared, the origin side comments (with the narrative's marker),
    and the other side acknowledges it, comments and closes it with its own markers."""

    def create(self, canary, model, officer, values, *, shared):
        values = dict(values)
        values.pop("categories", None)
        broker = services.record_broker(officer, name="Canary Broker", kind="person", country="TJ")
        if shared:
            services.share_broker(broker, officer)
        canary.add(broker)
        record = services.file_report(
            officer,
            brokers=[broker],
            categories="abcde",
            held_amount=Decimal("1000"),
            held_currency="USD",
            fee_amount=Decimal("500"),
            fee_currency="TJS",
            **values,
        )
        if shared:
            record = services.share_report(record, officer)
            from portal.records import services as kit

            # The origin side's comment: the narrative's marker, the origin's audience.
            canary.add(kit.comment(record, officer, f"Also {values.get('narrative', '')}"))
        return record

    def add_counterpart(self, canary, record, officer, values, plant):
        from portal.records import services as kit

        kit.acknowledge(record, officer)
        canary.add(kit.comment(record, officer, f"Follow-up {plant('comments.text (receiving side)')}"))
        services.close_report(
            record,
            officer,
            outcome=Outcome.MEASURES_TAKEN,
            note=values.pop("outcome_note", "Closed"),
        )
        if values:  # text fields of the receiving side added to the model since
            type(record).objects.filter(pk=record.pk).update(**values)


def _register_canary() -> None:
    from .models import Broker, MisconductReport

    _canary.RECORD_FACTORIES.setdefault(Broker, CanaryBrokerFactory())
    _canary.RECORD_FACTORIES.setdefault(MisconductReport, CanaryReportFactory())


_register_canary()


# --- The permission matrix of writes (portal/testing/matrix.py, issue 9) ---------------
#
# Who may change brokers and reports, written from the rules (4(1), DESIGN.md §2-3):
# either side's officers (contact-point officers and officers) record brokers and file
# reports; a draft is its organization's alone (anyone else: 404, it is not theirs to
# see); once shared, either side adds names, merges two records of one broker, adds
# files, comments and links, and asks for consent; the side that received a record
# acknowledges, assigns it and closes a report; each side's contact point alone records
# its side's written consent, for the part that came from its side. Analysts,
# administrators and third parties never write (403); the superuser administers in
# Django admin and is refused by the services (403); the anonymous caller is 401.

_each = _matrix.each
_API_NO = _matrix.API_NO
#: A draft of the Tajik officer's organization (tj-mlme): only it may change it.
_API_TAJIK_DRAFT = {**_API_NO, **_each(_matrix.WRITERS, 404), "tj-officer": 200}
_API_EITHER_SIDE = {**_API_NO, **_each(_matrix.WRITERS, 200)}
_API_JAPAN_RECEIVES = {**_API_NO, **_each(_matrix.JP_WRITERS, 200), **_each(_matrix.TJ_WRITERS, 403)}


def _broker(officer, name="Раҳимов Фаррух", *, shared=True):
    record = services.record_broker(
        officer, name=name, aliases=["Rakhimov Farrukh"], kind="person", country="TJ"
    )
    return services.share_broker(record, officer) if shared else record


def _report(officer, broker, *, shared=True):
    record = services.file_report(
        officer,
        brokers=[broker],
        categories="ae",
        held_amount=Decimal("2000"),
        held_currency="USD",
        held_items="Passports",
        fee_amount=Decimal("15000"),
        fee_currency="TJS",
        narrative="Workers paid a deposit and lost their passports.",
    )
    return services.share_report(record, officer) if shared else record


def _tajik_draft_broker(w) -> dict:
    return {"broker": _broker(w.users["tj-officer"], shared=False)}


def _tajik_broker(w) -> dict:
    return {"broker": _broker(w.users["tj-officer"])}


def _two_records_of_one_broker(w) -> dict:
    return {
        "broker": _broker(w.users["tj-officer"]),
        "target": _broker(w.users["jp-officer"], "ラヒモフ・ファルフ"),
    }


def _tajik_draft_report(w) -> dict:
    broker = _broker(w.users["tj-officer"])
    return {"broker": broker, "report": _report(w.users["tj-officer"], broker, shared=False)}


def _tajik_report(w) -> dict:
    broker = _broker(w.users["tj-officer"])
    return {"broker": broker, "report": _report(w.users["tj-officer"], broker)}


def _tajik_report_in_follow_up(w) -> dict:
    from agencies.testing import certified
    from portal.records import services as kit

    state = _tajik_report(w)
    state["report"] = kit.acknowledge(state["report"], w.users["jp-contact"])
    state["agency"] = certified(w.users["tj-officer"])
    return state


def _broker_api(path: str = ""):
    return lambda f: f"/api/v1/brokers/{f.broker.pk}/{path}"


def _report_api(path: str = ""):
    return lambda f: f"/api/v1/broker-reports/{f.report.pk}/{path}"


_broker_row = _matrix.row_of("broker")
_report_row = _matrix.row_of("report")

for _action in [
    # Brokers ----------------------------------------------------------------------------
    _matrix.Action(
        "api.broker.record",
        "post",
        url=lambda f: "/api/v1/brokers/",
        data=lambda f: {
            "kind": "company",
            "name": "ООО «Роҳи Ҷопон»",
            "aliases": ["Rohi Jopon LLC"],
            "country": "TJ",
        },
        expected={**_API_NO, **_each(_matrix.WRITERS, 201)},
        audit="record.created",
        row=_matrix.count_of("brokers.Broker"),
    ),
    _matrix.Action(
        "api.broker.edit",
        "patch",
        url=_broker_api(),
        data=lambda f: {"addresses": "Khujand, 12 Lenin St."},
        setup=_tajik_draft_broker,
        expected=_API_TAJIK_DRAFT,
        audit="record.updated",
        row=_broker_row,
    ),
    _matrix.Action(
        "api.broker.edit.shared",
        "patch",
        url=_broker_api(),
        data=lambda f: {"addresses": "Dushanbe"},
        setup=_tajik_broker,
        # Kept as it was sent: its organization is told so, the other writers too.
        expected={**_API_NO, **_each(_matrix.JP_WRITERS | {"tj-contact"}, 403), "tj-officer": 409},
        audit="record.updated",
        row=_broker_row,
    ),
    _matrix.Action(
        "api.broker.share",
        "post",
        url=_broker_api("share/"),
        setup=_tajik_draft_broker,
        expected=_API_TAJIK_DRAFT,
        audit="record.shared",
        outbox={"notify"},
        row=_broker_row,
    ),
    _matrix.Action(
        "api.broker.withdraw",
        "post",
        url=_broker_api("withdraw/"),
        setup=_tajik_draft_broker,
        expected=_API_TAJIK_DRAFT,
        audit="record.withdrawn",
        row=_broker_row,
    ),
    _matrix.Action(
        "api.broker.names",
        "post",
        url=_broker_api("names/"),
        data=lambda f: {"names": ["Rahimov F.", "ラヒモフ"]},
        setup=_tajik_broker,
        expected=_API_EITHER_SIDE,
        audit="broker.names_added",
        row=_matrix.count_of("brokers.BrokerName"),
    ),
    _matrix.Action(
        "api.broker.merge",
        "post",
        url=_broker_api("merge/"),
        data=lambda f: {"into": f.target.pk, "reason": "Same passport number"},
        setup=_two_records_of_one_broker,
        expected=_API_EITHER_SIDE,
        audit="broker.merged",
        outbox={"notify"},
        row=_broker_row,
    ),
    _matrix.Action(
        "api.broker.merge.itself",
        "post",
        url=_broker_api("merge/"),
        data=lambda f: {"into": f.broker.pk},
        setup=_tajik_broker,
        expected={**_API_NO, **_each(_matrix.WRITERS, 400)},
        audit="broker.merged",
        row=_broker_row,
    ),
    *_matrix.kit_actions(
        "broker",
        url=_broker_api,
        setup=_tajik_broker,
        receiving="jp",
        origin="tj",
        consenting={"tj-contact": 201, **_matrix.each(_matrix.JP_WRITERS | {"tj-officer"}, 403)},
        row=_broker_row,
    ),
    # Misconduct reports -----------------------------------------------------------------
    _matrix.Action(
        "api.report.file",
        "post",
        url=lambda f: "/api/v1/broker-reports/",
        data=lambda f: {
            "brokers": [f.broker.pk],
            "categories": ["c"],
            "violence_nature": "Threats to the workers' families.",
            "narrative": "Workers were threatened when they asked for their passports.",
        },
        setup=_tajik_broker,
        expected={**_API_NO, **_each(_matrix.WRITERS, 201)},
        audit="record.created",
        row=_matrix.count_of("brokers.MisconductReport"),
    ),
    _matrix.Action(
        "api.report.edit",
        "patch",
        url=_report_api(),
        data=lambda f: {"places": "Khujand"},
        setup=_tajik_draft_report,
        expected=_API_TAJIK_DRAFT,
        audit="record.updated",
        row=_report_row,
    ),
    _matrix.Action(
        "api.report.share",
        "post",
        url=_report_api("share/"),
        setup=_tajik_draft_report,
        expected=_API_TAJIK_DRAFT,
        audit="record.shared",
        outbox={"notify"},
        row=_report_row,
    ),
    _matrix.Action(
        "api.report.withdraw",
        "post",
        url=_report_api("withdraw/"),
        setup=_tajik_draft_report,
        expected=_API_TAJIK_DRAFT,
        audit="record.withdrawn",
        row=_report_row,
    ),
    *_matrix.kit_actions(
        "report",
        url=_report_api,
        setup=_tajik_report,
        receiving="jp",
        origin="tj",
        consenting={
            **_matrix.each({"jp-contact", "tj-contact"}, 201),
            **_matrix.each({"jp-officer", "tj-officer"}, 403),
        },
        row=_report_row,
    ),
    _matrix.Action(
        "api.report.comment",
        "post",
        url=_report_api("comments/"),
        data=lambda f: {"text": "Two more workers came forward."},
        setup=_tajik_report_in_follow_up,
        expected={**_API_NO, **_each(_matrix.WRITERS, 201)},
        audit="record.commented",
        outbox={"notify"},
        row=_matrix.count_of("records.Comment"),
    ),
    _matrix.Action(
        "api.report.link",
        "post",
        url=_report_api("link/"),
        data=lambda f: {"agencies": [f.agency.pk]},
        setup=_tajik_report_in_follow_up,
        expected=_API_EITHER_SIDE,
        audit="report.linked",
        row=_matrix.row_of("report", "agencies"),
    ),
    _matrix.Action(
        "api.report.close",
        "post",
        url=_report_api("close/"),
        data=lambda f: {"outcome": "referred", "note": "Referred to the prosecutors."},
        setup=_tajik_report_in_follow_up,
        expected=_API_JAPAN_RECEIVES,
        audit="report.closed",
        outbox={"notify"},
        row=_report_row,
    ),
    _matrix.Action(
        "api.report.close.unacknowledged",
        "post",
        url=_report_api("close/"),
        data=lambda f: {"outcome": "referred", "note": "Referred to the prosecutors."},
        setup=_tajik_report,
        expected={**_API_JAPAN_RECEIVES, **_each(_matrix.JP_WRITERS, 409)},
        audit="report.closed",
        row=_report_row,
    ),
]:
    _matrix.register(_action)


# --- The same writes through the pages ---------------------------------------------------
#
# A page a role cannot use at all is not found (``ServiceFormView.allowed``, or the
# record is not theirs to read); a one-click action of a reader who may read the record
# is refused with a message and a redirect; a form the policy leaves open to a reader
# (a comment on a record they read) is refused above the form.

_LOGIN = {"anonymous": _matrix.LOGIN}
_PAGE_WRITERS = {**_each(_matrix.WRITERS, 302), **_LOGIN, "*": 404}
_PAGE_TAJIK_DRAFT = {"tj-officer": 302, "superuser": _matrix.Refused(302), **_LOGIN, "*": 404}
_PAGE_TAJIK_DRAFT_FORM = {"tj-officer": 302, **_LOGIN, "*": 404}
_READERS = _matrix.JP_READERS | _matrix.TJ_READERS | {"superuser"}


def _report_form(f) -> dict:
    return {
        "brokers": f.broker.reference,
        "categories": ["a"],
        "held_amount": "2000",
        "held_currency": "USD",
        "held_items": "Passports",
        "narrative": "Workers paid a deposit.",
    }


for _action in [
    _matrix.Action(
        "broker.record",
        "post",
        url=lambda f: "/brokers/brokers/new/",
        # A name no broker resembles: saved at the first post, without candidates.
        data=lambda f: {"kind": "company", "name": "Zyxwvut Qrstu", "country": "TJ", "confirm_new": "on"},
        expected=_PAGE_WRITERS,
        audit="record.created",
        row=_matrix.count_of("brokers.Broker"),
    ),
    _matrix.Action(
        "broker.share",
        "post",
        url=lambda f: f"/brokers/{f.broker.pk}/share/",
        setup=_tajik_draft_broker,
        expected=_PAGE_TAJIK_DRAFT,
        audit="record.shared",
        outbox={"notify"},
        row=_broker_row,
    ),
    _matrix.Action(
        "broker.names",
        "post",
        url=lambda f: f"/brokers/{f.broker.pk}/names/",
        data=lambda f: {"names": "Rahimov F.\nラヒモフ"},
        setup=_tajik_broker,
        expected=_PAGE_WRITERS,
        audit="broker.names_added",
        row=_matrix.count_of("brokers.BrokerName"),
    ),
    _matrix.Action(
        "broker.merge",
        "post",
        url=lambda f: f"/brokers/{f.broker.pk}/merge/",
        data=lambda f: {"target": f.target.reference, "reason": "Same passport number"},
        setup=_two_records_of_one_broker,
        expected=_PAGE_WRITERS,
        audit="broker.merged",
        outbox={"notify"},
        row=_broker_row,
    ),
    _matrix.Action(
        "report.file",
        "post",
        url=lambda f: "/brokers/reports/new/",
        data=_report_form,
        setup=_tajik_broker,
        expected=_PAGE_WRITERS,
        audit="record.created",
        row=_matrix.count_of("brokers.MisconductReport"),
    ),
    _matrix.Action(
        "report.edit",
        "post",
        url=lambda f: f"/brokers/reports/{f.report.pk}/edit/",
        data=_report_form,
        setup=_tajik_draft_report,
        expected=_PAGE_TAJIK_DRAFT_FORM,
        audit="record.updated",
        row=_report_row,
    ),
    _matrix.Action(
        "report.share",
        "post",
        url=lambda f: f"/brokers/reports/{f.report.pk}/share/",
        setup=_tajik_draft_report,
        expected=_PAGE_TAJIK_DRAFT,
        audit="record.shared",
        outbox={"notify"},
        row=_report_row,
    ),
    _matrix.Action(
        "report.withdraw",
        "post",
        url=lambda f: f"/brokers/reports/{f.report.pk}/withdraw/",
        setup=_tajik_draft_report,
        expected=_PAGE_TAJIK_DRAFT,
        audit="record.withdrawn",
        row=_report_row,
    ),
    _matrix.Action(
        "report.link",
        "post",
        url=lambda f: f"/brokers/reports/{f.report.pk}/link/",
        data=lambda f: {"agencies": [f.agency.pk]},
        setup=_tajik_report_in_follow_up,
        expected=_PAGE_WRITERS,
        audit="report.linked",
        row=_matrix.row_of("report", "agencies"),
    ),
    _matrix.Action(
        "report.close",
        "post",
        url=lambda f: f"/brokers/reports/{f.report.pk}/close/",
        data=lambda f: {"outcome": "referred", "note": "Referred to the prosecutors."},
        setup=_tajik_report_in_follow_up,
        expected={**_each(_matrix.JP_WRITERS, 302), **_LOGIN, "*": 404},
        audit="report.closed",
        outbox={"notify"},
        row=_report_row,
    ),
    _matrix.Action(
        "report.comment",
        "post",
        url=lambda f: f"/records/brokers/misconductreport/{f.report.pk}/comment/",
        data=lambda f: {"text": "Two more workers came forward."},
        setup=_tajik_report_in_follow_up,
        expected={**_each(_matrix.WRITERS, 302), **_each(_READERS, _matrix.Refused(200)), **_LOGIN, "*": 404},
        audit="record.commented",
        outbox={"notify"},
        row=_matrix.count_of("records.Comment"),
    ),
]:
    _matrix.register(_action)
