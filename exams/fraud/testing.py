"""Helpers for the fraud part's tests: how the canary crawl creates fraud reports
through the services (``portal.testing.canary``), and the part's write actions in the
permission matrix (``portal.testing.matrix``)."""

from __future__ import annotations

import datetime as dt

from portal.testing import canary as _canary
from portal.testing import matrix as _matrix

from ..choices import FraudKind, FraudOutcome, PersonRole
from . import services

#: A valid JFT-Basic certificate number (``^[A-Z0-9]{8,16}$``).
CERTIFICATE = "JFT12345678"


def exam(code: str = "jft-basic"):
    from ..models import Exam

    return Exam.objects.get(code=code)


def persons(name: str = "Rakhimov Farrukh") -> list[dict]:
    return [
        {
            "role": PersonRole.HOLDER,
            "name": name,
            "date_of_birth": dt.date(1999, 3, 14),
            "certificate_number": CERTIFICATE,
        },
        {"role": PersonRole.IMPERSONATOR, "name": f"Impersonator of {name}"},
    ]


def new_report(officer, *, shared=True, brokers=(), narrative="Another man sat the test.", **facts):
    """A fraud report of ``officer``'s organization on JFT-Basic, naming a holder and
    the one who sat in their place."""
    facts.setdefault("kind", FraudKind.IMPERSONATION)
    facts.setdefault("exam", exam())
    record = services.report(
        officer,
        persons=facts.pop("persons", None) or persons(),
        brokers=brokers,
        narrative=narrative,
        **facts,
    )
    return services.share(record, officer) if shared else record


# --- The canary crawl (portal/testing/canary.py) ----------------------------------------
#
# The report's text fields carry the crawl's markers (the narrative the reporting side's,
# the outcome note the receiving side's); the persons named are the reporting side's
# part, so their names carry the narrative's marker, with its audience.


class CanaryFraudFactory(_canary.RecordFactory):
    """A report on JFT-Basic naming two persons whose names hold the narrative's marker;
    once shared, the reporting side comments (the narrative's marker), and the other
    side acknowledges it, comments and closes it with its own markers."""

    def create(self, canary, model, officer, values, *, shared):
        values = dict(values)
        values.pop("kind", None)
        narrative = values.get("narrative", "")
        record = services.report(
            officer,
            kind=FraudKind.IMPERSONATION,
            exam=exam(),
            persons=[
                {
                    "role": PersonRole.HOLDER,
                    "name": f"Holder {narrative}"[:200],
                    "certificate_number": CERTIFICATE,
                },
                {"role": PersonRole.IMPERSONATOR, "name": f"Sat in place {narrative}"[:200]},
            ],
            **values,
        )
        canary.add(*record.persons.all())
        if shared:
            record = services.share(record, officer)
            from portal.records import services as kit

            canary.add(kit.comment(record, officer, f"Also {narrative}"))
        return record

    def add_counterpart(self, canary, record, officer, values, plant):
        from portal.records import services as kit

        kit.acknowledge(record, officer)
        canary.add(kit.comment(record, officer, f"Follow-up {plant('comments.text (receiving side)')}"))
        services.close(
            record, officer, outcome=FraudOutcome.CONFIRMED, note=values.pop("outcome_note", "Closed")
        )
        if values:  # text fields of the receiving side added to the model since
            type(record).objects.filter(pk=record.pk).update(**values)


def _register_canary() -> None:
    from ..models import FraudReport

    _canary.RECORD_FACTORIES.setdefault(FraudReport, CanaryFraudFactory())


_register_canary()


# --- The permission matrix of writes (portal/testing/matrix.py) --------------------------
#
# Either side's writers report fraud; a draft is its organization's alone (anyone else:
# 404); once shared, either side adds files, comments and brokers, and asks for consent;
# the side that received the report acknowledges, assigns and closes it (once
# acknowledged); each side's contact point alone consents for its side's part. Analysts,
# administrators and third parties never write (403); the superuser is refused by the
# services (403); the anonymous caller is 401.

_each = _matrix.each
_API_NO = _matrix.API_NO
_API_TAJIK_DRAFT = {**_API_NO, **_each(_matrix.WRITERS, 404), "tj-officer": 200}
_API_EITHER_SIDE = {**_API_NO, **_each(_matrix.WRITERS, 200)}
_API_JAPAN_RECEIVES = {**_API_NO, **_each(_matrix.JP_WRITERS, 200), **_each(_matrix.TJ_WRITERS, 403)}


def _tajik_broker(officer):
    from brokers import services as brokers

    broker = brokers.record_broker(officer, name="Раҳимов Фаррух", kind="person", country="TJ")
    return brokers.share_broker(broker, officer)


def _tajik_draft(w) -> dict:
    return {"report": new_report(w.users["tj-officer"], shared=False)}


def _tajik_shared(w) -> dict:
    return {"report": new_report(w.users["tj-officer"]), "broker": _tajik_broker(w.users["tj-officer"])}


def _tajik_in_follow_up(w) -> dict:
    from portal.records import services as kit

    state = _tajik_shared(w)
    state["report"] = kit.acknowledge(state["report"], w.users["jp-contact"])
    return state


def _with_broker(w) -> dict:
    return {"broker": _tajik_broker(w.users["tj-officer"]), "exam": exam()}


def _api(path: str = ""):
    return lambda f: f"/api/v1/fraud-reports/{f.report.pk}/{path}"


def _api_body(f) -> dict:
    return {
        "kind": "impersonation",
        "exam": f.exam.pk,
        "narrative": "Another man sat the test in the candidate's place.",
        "persons": [{"role": "holder", "name": "Rakhimov Farrukh", "certificate_number": CERTIFICATE}],
        "brokers": [f.broker.pk],
    }


def _form(f) -> dict:
    return {
        "kind": "impersonation",
        "exam": exam().pk,
        "narrative": "Another man sat the test in the candidate's place.",
        "persons-TOTAL_FORMS": "1",
        "persons-INITIAL_FORMS": "0",
        "persons-MIN_NUM_FORMS": "0",
        "persons-MAX_NUM_FORMS": "20",
        "persons-0-role": "holder",
        "persons-0-name": "Rakhimov Farrukh",
        "persons-0-certificate_number": CERTIFICATE,
    }


_row = _matrix.row_of("report")

for _action in [
    _matrix.Action(
        "api.fraud.report",
        "post",
        url=lambda f: "/api/v1/fraud-reports/",
        data=_api_body,
        setup=_with_broker,
        expected={**_API_NO, **_each(_matrix.WRITERS, 201)},
        audit="record.created",
        row=_matrix.count_of("exams.FraudReport"),
    ),
    _matrix.Action(
        "api.fraud.edit",
        "patch",
        url=_api(),
        data=lambda f: {"narrative": "Two candidates swapped places."},
        setup=_tajik_draft,
        expected=_API_TAJIK_DRAFT,
        audit="record.updated",
        row=_row,
    ),
    _matrix.Action(
        "api.fraud.share",
        "post",
        url=_api("share/"),
        setup=_tajik_draft,
        expected=_API_TAJIK_DRAFT,
        audit="record.shared",
        outbox={"notify"},
        row=_row,
    ),
    _matrix.Action(
        "api.fraud.withdraw",
        "post",
        url=_api("withdraw/"),
        setup=_tajik_draft,
        expected=_API_TAJIK_DRAFT,
        audit="record.withdrawn",
        row=_row,
    ),
    *_matrix.kit_actions(
        "fraud",
        url=_api,
        setup=_tajik_shared,
        receiving="jp",
        origin="tj",
        consenting={
            **_matrix.each({"jp-contact", "tj-contact"}, 201),
            **_matrix.each({"jp-officer", "tj-officer"}, 403),
        },
        row=_row,
    ),
    _matrix.Action(
        "api.fraud.comment",
        "post",
        url=_api("comments/"),
        data=lambda f: {"text": "The seating plan shows another man at the desk."},
        setup=_tajik_in_follow_up,
        expected={**_API_NO, **_each(_matrix.WRITERS, 201)},
        audit="record.commented",
        outbox={"notify"},
        row=_matrix.count_of("records.Comment"),
    ),
    _matrix.Action(
        "api.fraud.link_brokers",
        "post",
        url=_api("link-brokers/"),
        data=lambda f: {"brokers": [f.broker.pk]},
        setup=_tajik_in_follow_up,
        expected=_API_EITHER_SIDE,
        audit="fraud.brokers_linked",
        row=_matrix.row_of("report", "brokers"),
    ),
    _matrix.Action(
        "api.fraud.close",
        "post",
        url=_api("close/"),
        data=lambda f: {"outcome": "confirmed", "note": "The certificate is void."},
        setup=_tajik_in_follow_up,
        expected=_API_JAPAN_RECEIVES,
        audit="fraud.closed",
        outbox={"notify"},
        row=_row,
    ),
    _matrix.Action(
        "api.fraud.close.unacknowledged",
        "post",
        url=_api("close/"),
        data=lambda f: {"outcome": "confirmed", "note": "The certificate is void."},
        setup=_tajik_shared,
        expected={**_API_JAPAN_RECEIVES, **_each(_matrix.JP_WRITERS, 409)},
        audit="fraud.closed",
        row=_row,
    ),
]:
    _matrix.register(_action)


# --- The same writes through the pages ---------------------------------------------------

_LOGIN = {"anonymous": _matrix.LOGIN}
_PAGE_WRITERS = {**_each(_matrix.WRITERS, 302), **_LOGIN, "*": 404}
_PAGE_TAJIK_DRAFT = {"tj-officer": 302, "superuser": _matrix.Refused(302), **_LOGIN, "*": 404}
_PAGE_TAJIK_DRAFT_FORM = {"tj-officer": 302, **_LOGIN, "*": 404}
_READERS = _matrix.JP_READERS | _matrix.TJ_READERS | {"superuser"}

for _action in [
    _matrix.Action(
        "fraud.report",
        "post",
        url=lambda f: "/exams/fraud/new/",
        data=_form,
        setup=_with_broker,
        expected=_PAGE_WRITERS,
        audit="record.created",
        row=_matrix.count_of("exams.FraudReport"),
    ),
    _matrix.Action(
        "fraud.edit",
        "post",
        url=lambda f: f"/exams/fraud/{f.report.pk}/edit/",
        data=_form,
        setup=_tajik_draft,
        expected=_PAGE_TAJIK_DRAFT_FORM,
        audit="record.updated",
        row=_row,
    ),
    _matrix.Action(
        "fraud.share",
        "post",
        url=lambda f: f"/exams/fraud/{f.report.pk}/share/",
        setup=_tajik_draft,
        expected=_PAGE_TAJIK_DRAFT,
        audit="record.shared",
        outbox={"notify"},
        row=_row,
    ),
    _matrix.Action(
        "fraud.withdraw",
        "post",
        url=lambda f: f"/exams/fraud/{f.report.pk}/withdraw/",
        setup=_tajik_draft,
        expected=_PAGE_TAJIK_DRAFT,
        audit="record.withdrawn",
        row=_row,
    ),
    _matrix.Action(
        "fraud.link_brokers",
        "post",
        url=lambda f: f"/exams/fraud/{f.report.pk}/link/",
        data=lambda f: {"brokers": [f.broker.pk]},
        setup=_tajik_in_follow_up,
        expected=_PAGE_WRITERS,
        audit="fraud.brokers_linked",
        row=_matrix.row_of("report", "brokers"),
    ),
    _matrix.Action(
        "fraud.close",
        "post",
        url=lambda f: f"/exams/fraud/{f.report.pk}/close/",
        data=lambda f: {"outcome": "confirmed", "note": "The certificate is void."},
        setup=_tajik_in_follow_up,
        expected={**_each(_matrix.JP_WRITERS, 302), **_LOGIN, "*": 404},
        audit="fraud.closed",
        outbox={"notify"},
        row=_row,
    ),
    _matrix.Action(
        "fraud.comment",
        "post",
        url=lambda f: f"/records/exams/fraudreport/{f.report.pk}/comment/",
        data=lambda f: {"text": "The seating plan shows another man at the desk."},
        setup=_tajik_in_follow_up,
        expected={**_each(_matrix.WRITERS, 302), **_each(_READERS, _matrix.Refused(200)), **_LOGIN, "*": 404},
        audit="record.commented",
        outbox={"notify"},
        row=_matrix.count_of("records.Comment"),
    ),
]:
    _matrix.register(_action)
