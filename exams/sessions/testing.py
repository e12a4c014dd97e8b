"""Helpers for the sessions part's tests: a session recorded through the service, and
the sessions' write actions in the permission matrix (``portal.testing.matrix``).
Loaded by ``exams.testing``.

A session is not a shared record: the canary crawl reads it as a plain register both
sides read, which no third party does (``ExamSessionQuerySet``): its city and venue
carry markers for both sides' organizations alone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.testing import canary as _canary
from portal.testing import matrix as _matrix

from . import services

CITY = "Dushanbe"
VENUE = "Testing centre, 45 Rudaki Avenue"


def exam(code: str = "jft-basic"):
    from ..models import Exam

    return Exam.objects.get(code=code)


def record(officer, **more):
    first = timezone.localdate() + dt.timedelta(days=20)
    facts = {
        "exam": exam(),
        "starts_on": first,
        "ends_on": first + dt.timedelta(days=1),
        "city": CITY,
        "venue": VENUE,
        "candidates": 120,
        **more,
    }
    return services.record_session(officer, **facts)


# --- The canary crawl (portal/testing/canary.py) ---------------------------------------


def canary_sessions(canary) -> None:
    """A session Tajikistan's officer records: both sides read it, no third party."""
    from ..models import ExamSession

    officer = canary.cast["tj_officer"]
    sides = {canary.cast["jp_officer"].organization.side_id, officer.organization.side_id}
    both = canary.audience(sides=sides, label="both sides' officers (a session)")
    city, venue = (
        canary.plant(kind="exams.ExamSession", field=field, record="?", situation="recorded", audience=both)
        for field in ("city", "venue")
    )
    session = record(officer, city=f"{CITY} {city}", venue=f"{VENUE} {venue}")
    canary.rename_record([city, venue], f"exams.ExamSession#{session.pk}")
    canary.add(ExamSession.objects.get(pk=session.pk))
    # A fraud report naming the session, which the Embassy reads by Tajikistan's written
    # consent: the report is disclosed to it, the session is not.
    from portal.models import Organization
    from portal.records import services as kit

    from ..fraud.testing import new_report

    report = new_report(officer, session=session, exam=session.exam)
    kit.grant_consent(
        report,
        canary.cast["tj_contact"],
        third_party=Organization.objects.get(code="tj-embassy-jp"),
        document_reference="MLME 7/2026",
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    canary.add(type(report).objects.get(pk=report.pk))


_canary.register_scenario(canary_sessions)


# --- The permission matrix of writes (portal/testing/matrix.py) -------------------------
#
# Who may record and change sessions, from the rules (5; DESIGN.md §2-3): either side's
# writers record; only the writers of the organization that recorded a session change
# it (tj-officer's ministry here: every other writer is refused, 403 in the API, and
# finds no form on the pages). Analysts, administrators and third parties never write
# (403 in the API); the superuser is refused by the services (403); the anonymous
# caller is 401.

_each = _matrix.each
_LOGIN = {"anonymous": _matrix.LOGIN}


def _tajik_session(w) -> dict:
    return {"session": record(w.users["tj-officer"])}


def _in(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _body(f) -> dict:
    return {
        "exam": exam().pk,
        "starts_on": _in(30),
        "ends_on": _in(31),
        "city": "Khujand",
        "venue": "Khujand State University",
        "candidates": 80,
    }


_session_row = _matrix.row_of("session")

for _action in [
    _matrix.Action(
        "api.exam-session.record",
        "post",
        url=lambda f: "/api/v1/exam-sessions/",
        data=_body,
        expected={**_matrix.API_NO, **_each(_matrix.WRITERS, 201)},
        audit="exam_session.recorded",
        outbox={"notify"},
        row=_matrix.count_of("exams.ExamSession"),
    ),
    _matrix.Action(
        "api.exam-session.change",
        "patch",
        url=lambda f: f"/api/v1/exam-sessions/{f.session.pk}/",
        data=lambda f: {"candidates": 150, "venue": "Testing centre, hall 2"},
        setup=_tajik_session,
        expected={
            **_matrix.API_NO,
            **_each(_matrix.WRITERS - {"tj-officer"}, 403),
            "tj-officer": 200,
        },
        audit="exam_session.changed",
        row=_session_row,
    ),
    # The pages ---------------------------------------------------------------------------
    _matrix.Action(
        "exam-session.record",
        "post",
        url=lambda f: "/exams/sessions/new/",
        data=_body,
        expected={**_each(_matrix.WRITERS, 302), **_LOGIN, "*": 404},
        audit="exam_session.recorded",
        outbox={"notify"},
        row=_matrix.count_of("exams.ExamSession"),
    ),
    _matrix.Action(
        "exam-session.change",
        "post",
        url=lambda f: f"/exams/sessions/{f.session.pk}/edit/",
        data=lambda f: {
            **_body(f),
            "starts_on": f.session.starts_on.isoformat(),
            "ends_on": f.session.ends_on.isoformat(),
        },
        setup=_tajik_session,
        expected={"tj-officer": 302, **_LOGIN, "*": 404},
        audit="exam_session.changed",
        row=_session_row,
    ),
]:
    _matrix.register(_action)
