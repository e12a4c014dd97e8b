"""Helpers for the cooperation part's tests: how the canary crawl creates cooperation
requests (``portal.testing.canary``) and their write actions in the permission matrix
(``portal.testing.matrix``). Loaded by ``exams.testing``."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.testing import canary as _canary
from portal.testing import matrix as _matrix

from ..choices import Capability, CooperationKind
from . import policies, services

SUBJECT = "A session of the nursing-care Japanese test in Dushanbe"
REQUEST = "Please help find a venue for about 200 candidates."


def ministry(code: str = "jp-mhlw"):
    from portal.models import Organization

    return Organization.objects.get(code=code)


def request(officer, **more):
    facts = {
        "requesting_ministry": ministry(),
        "kind": CooperationKind.TEST_DELIVERY,
        "subject": SUBJECT,
        "request": REQUEST,
        **more,
    }
    return services.request(officer, **facts)


def answered(officer, partner, capability=Capability.FULL, **more):
    return services.answer(request(officer, **more), partner, capability=capability, answer="We can.")


# --- The canary crawl (portal/testing/canary.py) ---------------------------------------
#
# Every text field carries a marker with the audience the rules give it: the subject,
# what is asked, the place and the reason for cancelling are the requesting side's; the
# answer and what was done the partner side's. A request of the partner side's officer,
# and a draft, are states the services never make (Japan requests, shared at once): the
# kit makes them, so that the crawl proves what would show of them too.


class CanaryCooperationFactory(_canary.RecordFactory):
    def create(self, canary, model, officer, values, *, shared):
        from portal.records import services as kit

        values = dict(values)
        facts = {
            "subject": values.pop("subject", SUBJECT),
            "request": values.pop("request", REQUEST),
            "place": values.pop("place", ""),
        }
        if shared and policies.is_requesting_side(officer):
            record = services.request(
                officer, requesting_ministry=ministry(), kind=CooperationKind.TEST_DELIVERY, **facts
            )
        else:
            record = kit.create_record(
                model,
                officer,
                requesting_ministry=ministry(),
                kind=CooperationKind.TEST_DELIVERY,
                due_on=timezone.localdate() + dt.timedelta(days=30),
                **facts,
            )
            if shared:
                record = kit.share_record(record, officer)
        if values:  # the requesting side's text fields the services never take (the reason)
            model.objects.filter(pk=record.pk).update(**values)
        if shared and canary is not None:
            canary.add(kit.comment(record, officer, f"Also {facts['request']}"))
        return model.objects.get(pk=record.pk)

    def add_counterpart(self, canary, record, officer, values, plant):
        from portal.records import services as kit

        values = dict(values)
        canary.add(kit.comment(record, officer, f"Follow-up {plant('comments.text (partner side)')}"))
        answer = values.pop("answer", "We can.")
        note = values.pop("completion_note", "Done.")
        if policies.can(policies.check_answer, officer, record):
            record = services.answer(record, officer, capability=Capability.PARTIAL, answer=answer)
            record = services.complete(record, officer, note=note)
        else:
            type(record).objects.filter(pk=record.pk).update(
                stage="completed",
                capability=Capability.PARTIAL,
                answer=answer,
                answered_at=timezone.now(),
                answered_by=officer,
                completed_at=timezone.now(),
                completion_note=note,
            )
        if values:
            type(record).objects.filter(pk=record.pk).update(**values)


def _register_canary() -> None:
    from ..models import CooperationRequest

    _canary.RECORD_FACTORIES.setdefault(CooperationRequest, CanaryCooperationFactory())


_register_canary()


# --- The permission matrix of writes (portal/testing/matrix.py) -------------------------
#
# Who may change cooperation requests, written from the rules (5; DESIGN.md §2-3):
# Japan's writers (contact point and officers) request and cancel; Tajikistan's writers
# answer, acknowledge, are assigned and record the completion; either side's writers
# comment, add files and ask for consent; each side's contact point consents for its own
# part. Analysts, administrators and third parties never write (403 in the API); the
# superuser is refused by the services (403); the anonymous caller is 401. A page a role
# cannot use is not found.

_each = _matrix.each
_API_NO = _matrix.API_NO
_API_TAJIKISTAN = {**_API_NO, **_each(_matrix.TJ_WRITERS, 200), **_each(_matrix.JP_WRITERS, 403)}
_API_JAPAN = {**_API_NO, **_each(_matrix.JP_WRITERS, 200), **_each(_matrix.TJ_WRITERS, 403)}
_API_EITHER_SIDE = {**_API_NO, **_each(_matrix.WRITERS, 201)}
_LOGIN = {"anonymous": _matrix.LOGIN}


def _requested(w) -> dict:
    return {"cooperation": request(w.users["jp-officer"])}


def _answered(w) -> dict:
    return {"cooperation": answered(w.users["jp-officer"], w.users["tj-officer"])}


def _api(path: str = ""):
    return lambda f: f"/api/v1/cooperation-requests/{f.cooperation.pk}/{path}"


def _in(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


_row = _matrix.row_of("cooperation")


def _body(f) -> dict:
    return {
        "requesting_ministry": "jp-maff",
        "kind": CooperationKind.JAPANESE_EDUCATION.value,
        "subject": SUBJECT,
        "request": REQUEST,
        "due_on": _in(20),
    }


_ANSWER = {"capability": Capability.PARTIAL.value, "answer": "Courses can start in Khatlon in the spring."}
_COMPLETE = {"note": "The venue is booked."}
_CANCEL = {"reason": "The ministry postponed the session."}
_REQUESTED_AUDIT = ("record.created", "record.shared", "cooperation.requested")

for _action in [
    _matrix.Action(
        "api.cooperation.request",
        "post",
        url=lambda f: "/api/v1/cooperation-requests/",
        data=_body,
        expected={**_API_NO, **_each(_matrix.JP_WRITERS, 201), **_each(_matrix.TJ_WRITERS, 403)},
        audit=_REQUESTED_AUDIT,
        outbox={"notify"},
        row=_matrix.count_of("exams.CooperationRequest"),
    ),
    _matrix.Action(
        "api.cooperation.answer",
        "post",
        url=_api("answer/"),
        data=lambda f: _ANSWER,
        setup=_requested,
        expected=_API_TAJIKISTAN,
        audit="cooperation.answered",
        outbox={"notify"},
        row=_row,
    ),
    _matrix.Action(
        "api.cooperation.answer.answered",
        "post",
        url=_api("answer/"),
        data=lambda f: _ANSWER,
        setup=_answered,
        expected={**_API_TAJIKISTAN, **_each(_matrix.TJ_WRITERS, 409)},
        audit="cooperation.answered",
        row=_row,
    ),
    _matrix.Action(
        "api.cooperation.complete",
        "post",
        url=_api("complete/"),
        data=lambda f: _COMPLETE,
        setup=_answered,
        expected=_API_TAJIKISTAN,
        audit="cooperation.completed",
        outbox={"notify"},
        row=_row,
    ),
    _matrix.Action(
        "api.cooperation.cancel",
        "post",
        url=_api("cancel/"),
        data=lambda f: _CANCEL,
        setup=_requested,
        expected=_API_JAPAN,
        audit="cooperation.cancelled",
        outbox={"notify"},
        row=_row,
    ),
    _matrix.Action(
        "api.cooperation.comment",
        "post",
        url=_api("comments/"),
        data=lambda f: {"text": "We are asking the employment centres."},
        setup=_requested,
        expected=_API_EITHER_SIDE,
        audit="record.commented",
        outbox={"notify"},
        row=_matrix.count_of("records.Comment"),
    ),
    *_matrix.kit_actions(
        "cooperation",
        url=_api,
        setup=_requested,
        receiving="tj",
        origin="jp",
        consenting={
            **_matrix.each({"jp-contact", "tj-contact"}, 201),
            **_matrix.each({"jp-officer", "tj-officer"}, 403),
        },
        row=_row,
        third_party="tj-embassy-jp",
    ),
    # The pages ---------------------------------------------------------------------------
    _matrix.Action(
        "cooperation.request",
        "post",
        url=lambda f: "/exams/cooperation/new/",
        data=lambda f: {**_body(f), "requesting_ministry": ministry("jp-maff").pk},
        expected={**_each(_matrix.JP_WRITERS, 302), **_LOGIN, "*": 404},
        audit=_REQUESTED_AUDIT,
        outbox={"notify"},
        row=_matrix.count_of("exams.CooperationRequest"),
    ),
    _matrix.Action(
        "cooperation.answer",
        "post",
        url=lambda f: f"/exams/cooperation/{f.cooperation.pk}/answer/",
        data=lambda f: _ANSWER,
        setup=_requested,
        expected={**_each(_matrix.TJ_WRITERS, 302), **_LOGIN, "*": 404},
        audit="cooperation.answered",
        outbox={"notify"},
        row=_row,
    ),
    _matrix.Action(
        "cooperation.complete",
        "post",
        url=lambda f: f"/exams/cooperation/{f.cooperation.pk}/complete/",
        data=lambda f: _COMPLETE,
        setup=_answered,
        expected={**_each(_matrix.TJ_WRITERS, 302), **_LOGIN, "*": 404},
        audit="cooperation.completed",
        outbox={"notify"},
        row=_row,
    ),
    _matrix.Action(
        "cooperation.cancel",
        "post",
        url=lambda f: f"/exams/cooperation/{f.cooperation.pk}/cancel/",
        data=lambda f: _CANCEL,
        setup=_requested,
        expected={**_each(_matrix.JP_WRITERS, 302), **_LOGIN, "*": 404},
        audit="cooperation.cancelled",
        outbox={"notify"},
        row=_row,
    ),
]:
    _matrix.register(_action)
