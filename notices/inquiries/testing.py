"""Helpers for the inquiries' tests: how the canary crawl creates inquiries
(``portal.testing.canary``) and the inquiries' write actions in the permission matrix
(``portal.testing.matrix``). Loaded by ``notices.testing``."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.testing import canary as _canary
from portal.testing import matrix as _matrix

from . import services

SUBJECT = "Workers moved between receiving organizations"
QUESTION = "Were the three workers named in our letter moved to another receiving organization?"


def ask(officer, **more):
    return services.ask(officer, **{"subject": SUBJECT, "question": QUESTION, **more})


# --- The canary crawl (portal/testing/canary.py) ---------------------------------------
#
# Every text field carries a marker with the audience the rules give it: the subject and
# the question are the asking side's, the answer the side asked's. The thread's comments
# carry markers too: the asking side's comment repeats the question's (its audience), the
# answering side's comment gets a marker of its own part, planted before it answers.


class CanaryInquiryFactory(_canary.RecordFactory):
    """An inquiry asked through the service (shared at once); a draft is a state the
    service never makes, so the kit makes it, and the crawl proves what would show of
    it too. Once shared, the asking side comments; the other side comments and answers."""

    def create(self, canary, model, officer, values, *, shared):
        from portal.records import services as kit

        values = dict(values)
        subject = values.pop("subject", SUBJECT)
        question = values.pop("question", QUESTION)
        if not shared:
            record = kit.create_record(
                model,
                officer,
                subject=subject,
                question=question,
                due_on=timezone.localdate() + dt.timedelta(days=30),
                **values,
            )
            return record
        record = services.ask(officer, subject=subject, question=question)
        if values:
            model.objects.filter(pk=record.pk).update(**values)
        if canary is not None:
            canary.add(kit.comment(record, officer, f"Also {question}"))
        return model.objects.get(pk=record.pk)

    def add_counterpart(self, canary, record, officer, values, plant):
        from portal.records import services as kit

        values = dict(values)
        canary.add(kit.comment(record, officer, f"Follow-up {plant('comments.text (side asked)')}"))
        services.answer(record, officer, answer=values.pop("answer", "Answered."))
        if values:  # text fields of the side asked added to the model since
            type(record).objects.filter(pk=record.pk).update(**values)


def _register_canary() -> None:
    from notices.models import Inquiry

    _canary.RECORD_FACTORIES.setdefault(Inquiry, CanaryInquiryFactory())


_register_canary()


# --- The permission matrix of writes (portal/testing/matrix.py) -------------------------
#
# Who may change inquiries, written from the rules (6(4), 7(6), DESIGN.md §2-3): either
# side's writers (contact point and officers) ask; the side asked answers (its contact
# point, or its officers), acknowledges and assigns; either side's writers comment, add
# files and ask for consent; each side's contact point consents for its own part (the
# question is the asking side's, the answer the side asked's). Analysts, administrators
# and third parties never write (403 in the API); the superuser is refused by the
# services (403); the anonymous caller is 401. A page a role cannot use is not found.

_each = _matrix.each
_API_NO = _matrix.API_NO
#: An inquiry Tajikistan asked: Japan's writers answer, acknowledge and assign it.
_API_JAPAN_ANSWERS = {**_API_NO, **_each(_matrix.JP_WRITERS, 200), **_each(_matrix.TJ_WRITERS, 403)}
_API_EITHER_SIDE = {**_API_NO, **_each(_matrix.WRITERS, 201)}
_LOGIN = {"anonymous": _matrix.LOGIN}


def _tajik_inquiry(w) -> dict:
    return {"inquiry": ask(w.users["tj-officer"])}


def _answered_inquiry(w) -> dict:
    inquiry = ask(w.users["tj-officer"])
    return {"inquiry": services.answer(inquiry, w.users["jp-officer"], answer="Two of them were moved.")}


def _api(path: str = ""):
    return lambda f: f"/api/v1/inquiries/{f.inquiry.pk}/{path}"


def _in(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


_inquiry_row = _matrix.row_of("inquiry")
_ASK_BODY = {"subject": SUBJECT, "question": QUESTION}

for _action in [
    _matrix.Action(
        "api.inquiry.ask",
        "post",
        url=lambda f: "/api/v1/inquiries/",
        data=lambda f: {**_ASK_BODY, "due_on": _in(20)},
        expected=_API_EITHER_SIDE,
        audit=("record.created", "record.shared", "inquiry.asked"),
        outbox={"notify"},
        row=_matrix.count_of("notices.Inquiry"),
    ),
    _matrix.Action(
        "api.inquiry.answer",
        "post",
        url=_api("answer/"),
        data=lambda f: {"answer": "Two of the three were moved in September."},
        setup=_tajik_inquiry,
        expected=_API_JAPAN_ANSWERS,
        audit="inquiry.answered",
        outbox={"notify"},
        row=_inquiry_row,
    ),
    _matrix.Action(
        "api.inquiry.answer.answered",
        "post",
        url=_api("answer/"),
        data=lambda f: {"answer": "Once more."},
        setup=_answered_inquiry,
        expected={**_API_JAPAN_ANSWERS, **_each(_matrix.JP_WRITERS, 409)},
        audit="inquiry.answered",
        row=_inquiry_row,
    ),
    _matrix.Action(
        "api.inquiry.comment",
        "post",
        url=_api("comments/"),
        data=lambda f: {"text": "We are collecting the figures."},
        setup=_tajik_inquiry,
        expected=_API_EITHER_SIDE,
        audit="record.commented",
        outbox={"notify"},
        row=_matrix.count_of("records.Comment"),
    ),
    *_matrix.kit_actions(
        "inquiry",
        url=_api,
        setup=_tajik_inquiry,
        receiving="jp",
        origin="tj",
        consenting={
            **_matrix.each({"jp-contact", "tj-contact"}, 201),
            **_matrix.each({"jp-officer", "tj-officer"}, 403),
        },
        row=_inquiry_row,
        third_party="tj-embassy-jp",
    ),
    # The pages ---------------------------------------------------------------------------
    _matrix.Action(
        "inquiry.ask",
        "post",
        url=lambda f: "/notices/inquiries/new/",
        data=lambda f: {**_ASK_BODY, "due_on": _in(20)},
        expected={**_each(_matrix.WRITERS, 302), **_LOGIN, "*": 404},
        audit=("record.created", "record.shared", "inquiry.asked"),
        outbox={"notify"},
        row=_matrix.count_of("notices.Inquiry"),
    ),
    _matrix.Action(
        "inquiry.answer",
        "post",
        url=lambda f: f"/notices/inquiries/{f.inquiry.pk}/answer/",
        data=lambda f: {"answer": "Two of the three were moved in September."},
        setup=_tajik_inquiry,
        expected={**_each(_matrix.JP_WRITERS, 302), **_LOGIN, "*": 404},
        audit="inquiry.answered",
        outbox={"notify"},
        row=_inquiry_row,
    ),
]:
    _matrix.register(_action)
