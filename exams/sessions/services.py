"""Every change to test sessions (STYLE.md §4): ``record_session`` and
``change_session``, one transaction each with its audit entry; recording a session
tells the other side's contact point (inbox). Who may act is asked of
``exams.sessions.policies``, as the pages ask."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from portal import audit, notifications
from portal.exceptions import InvalidInput, PermissionDenied
from portal.i18n import renderings
from portal.models import Organization, User

from ..models import Exam, ExamSession
from . import policies

#: What a session holds, as the services take it.
SESSION_FIELDS = ("exam", "starts_on", "ends_on", "city", "venue", "body", "candidates")
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _label(name: str) -> str:
    return str(ExamSession._meta.get_field(name).verbose_name).capitalize()


def _date(value, name: str) -> dt.date:
    label = _label(name)
    if value in (None, ""):
        raise InvalidInput(_("%(field)s: this field is required.") % {"field": label})
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput(
                _("%(field)s: not a date that exists (write it as YYYY-MM-DD).") % {"field": label}
            ) from None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise InvalidInput(_("%(field)s: not a date.") % {"field": label})
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise InvalidInput(
            _("%(field)s: the year must be between %(first)d and %(last)d.")
            % {"field": label, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return value


def _text(value, name: str, *, required: bool = True) -> str:
    label = _label(name)
    value = " ".join(str(value or "").split())
    if required and not value:
        raise InvalidInput(_("%(field)s: this field is required.") % {"field": label})
    limit = ExamSession._meta.get_field(name).max_length
    if len(value) > limit:
        raise InvalidInput(_("%(field)s: at most %(limit)d characters.") % {"field": label, "limit": limit})
    return value


def _exam(value) -> Exam:
    if isinstance(value, Exam):
        return value
    found = Exam.objects.filter(pk=value).first() if isinstance(value, int) else None
    if found is None:
        raise InvalidInput(_("Test: choose one of the tests."))
    return found


def _candidates(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(_("Number of candidates: write a whole number.")) from None
    if number < 0:
        raise InvalidInput(_("Number of candidates: it cannot be negative."))
    if number > 2_000_000_000:
        raise InvalidInput(_("Number of candidates: this number is too large."))
    return number


def default_body(exam: Exam) -> str:
    """The administering body a session of ``exam`` is pre-filled with: the test's, in
    English (the portal's common language), else in Japanese."""
    return exam.body_en or exam.body_ja


def _facts(facts: dict, current: ExamSession | None = None) -> dict:
    """The session's facts as they will be saved, each refusal naming its field."""
    unknown = set(facts) - set(SESSION_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    merged = {name: getattr(current, name) for name in SESSION_FIELDS} if current is not None else {}
    merged.update(facts)
    clean = {
        "exam": _exam(merged.get("exam")),
        "starts_on": _date(merged.get("starts_on"), "starts_on"),
        "ends_on": _date(merged.get("ends_on"), "ends_on"),
        "city": _text(merged.get("city"), "city"),
        "venue": _text(merged.get("venue"), "venue"),
        "body": _text(merged.get("body"), "body", required=False),
        "candidates": _candidates(merged.get("candidates")),
    }
    if clean["ends_on"] < clean["starts_on"]:
        raise InvalidInput(_("Last day: the last day cannot be before the first day."))
    if not clean["body"]:
        clean["body"] = default_body(clean["exam"])[: ExamSession._meta.get_field("body").max_length]
    if not clean["body"]:
        raise InvalidInput(_("Administering body: this field is required (the test names none)."))
    return clean


def _snapshot(session: ExamSession) -> dict:
    return {
        "exam": session.exam_id,
        "starts_on": session.starts_on.isoformat(),
        "ends_on": session.ends_on.isoformat(),
        "city": session.city,
        "venue": session.venue,
        "body": session.body,
        "candidates": session.candidates,
    }


def record_session(actor: User, **facts) -> ExamSession:
    """Record a session held in the partner country for the actor's organization; the
    other side's contact point is told (inbox and e-mail), by the test and the dates."""
    policies.check_record(actor)
    clean = _facts(facts)
    organization = actor.organization
    with transaction.atomic():
        session = ExamSession.objects.create(
            memorandum_id=organization.side.memorandum_id,
            organization=organization,
            recorded_by=actor,
            **clean,
        )
        audit.log("exam_session.recorded", actor=actor, obj=session, after=_snapshot(session))
        other = Organization.objects.filter(
            side__memorandum_id=organization.side.memorandum_id, is_contact_point=True
        ).exclude(side_id=organization.side_id)
        notifications.notify(
            list(other.values_list("pk", flat=True)),
            "exams.session_recorded",
            sender=organization,
            url=session.get_absolute_url(),
            params={
                "exam": renderings(session.exam),
                "starts_on": session.starts_on.isoformat(),
                "ends_on": session.ends_on.isoformat(),
            },
        )
    return session


def change_session(session: ExamSession, actor: User, **facts) -> ExamSession:
    """Change a session: the recording organization's writers; what changed is audited."""
    policies.check_record(actor)
    with transaction.atomic():
        found = ExamSession.objects.restrict(actor).select_for_update().filter(pk=session.pk).first()
        if found is None:
            raise PermissionDenied(_("You cannot read this test session."))
        policies.check_change(actor, found)
        before = _snapshot(found)
        for name, value in _facts(facts, found).items():
            setattr(found, name, value)
        found.save()
        after = _snapshot(found)
        changed = {name for name in after if after[name] != before[name]}
        audit.log(
            "exam_session.changed",
            actor=actor,
            obj=found,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
    return found
