"""Every change to fraud reports (5, second paragraph; STYLE.md §4): one function an
action, one transaction each, on the kit's services (``portal.records.services``) for
drafts, sharing, acknowledgement, files and consent — as a broker misconduct report
(``brokers.services``). Who may act is asked of ``exams.fraud.policies``, the functions
the pages ask too."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brokers.models import Broker
from portal import audit
from portal.choices import RecordStatus
from portal.exceptions import InvalidInput
from portal.models import User
from portal.records import services as kit
from portal.records.models import record_event
from portal.uploads import check_upload

from ..choices import FraudKind, FraudOutcome, FraudStage, PersonRole
from ..models import Exam, ExamSession, FraudReport, FraudReportPerson
from . import policies

#: The facts a report keeps, besides its persons, brokers and files.
REPORT_FIELDS = ("kind", "exam", "session", "test_date", "narrative")


# --- What a report names -----------------------------------------------------------------


def _persons(exam: Exam, persons) -> list[FraudReportPerson]:
    """The persons a report names, checked (not saved): at least one, each with a name,
    a role, a date of birth not in the future and a certificate number of the test's
    form, in capitals. A refusal names the person's row ("Person 2: …")."""
    rows = []
    for number, person in enumerate(persons or (), start=1):
        person = dict(person or {})
        name = " ".join(str(person.get("name") or "").split())
        role = person.get("role") or PersonRole.HOLDER
        birth = person.get("date_of_birth") or None
        certificate = str(person.get("certificate_number") or "").strip().upper()
        row = _("Person %(number)s") % {"number": number}
        if not name:
            raise InvalidInput(_("%(row)s: give the person's name.") % {"row": row})
        if len(name) > 200:
            raise InvalidInput(_("%(row)s: a name is at most 200 characters.") % {"row": row})
        if role not in PersonRole.values:
            raise InvalidInput(_("%(row)s: choose the person's role.") % {"row": row})
        if isinstance(birth, str):
            try:
                birth = dt.date.fromisoformat(birth)
            except ValueError:
                raise InvalidInput(
                    _("%(row)s: give the date of birth as a date (YYYY-MM-DD).") % {"row": row}
                ) from None
        if birth is not None and birth > timezone.localdate():
            raise InvalidInput(_("%(row)s: the date of birth cannot be in the future.") % {"row": row})
        if certificate:
            if len(certificate) > 40:
                raise InvalidInput(
                    _("%(row)s: a certificate number is at most 40 characters.") % {"row": row}
                )
            if not exam.certificate_number_is_valid(certificate):
                message = _("%(row)s: the certificate number is not of the form of this test's numbers.")
                if exam.certificate_example:
                    message = _(
                        "%(row)s: the certificate number is not of the form of this test's numbers "
                        "(for example %(example)s)."
                    )
                raise InvalidInput(message % {"row": row, "example": exam.certificate_example})
        rows.append(
            FraudReportPerson(role=role, name=name, date_of_birth=birth, certificate_number=certificate)
        )
    if not rows:
        raise InvalidInput(_("Name at least one person: the holder, or who sat the test in their place."))
    return rows


def _brokers(actor: User, brokers) -> list[Broker]:
    """The brokers a report links: each one the actor may read (a hidden broker and a
    missing one are refused alike), a merged record replaced by the broker it was merged
    into. None is fine: fraud in the tests need not involve a broker."""
    wanted = {getattr(broker, "pk", broker) for broker in brokers or ()}
    if not wanted:
        return []
    if not all(isinstance(pk, int) for pk in wanted):
        raise InvalidInput(_("One of the brokers named does not exist or cannot be read."))
    found = Broker.objects.restrict(actor).filter(pk__in=wanted).select_related("merged_into")
    found = {broker.pk: broker for broker in found}
    if len(found) != len(wanted):
        raise InvalidInput(_("One of the brokers named does not exist or cannot be read."))
    return list(
        {
            (broker.merged_into or broker).pk: broker.merged_into or broker for broker in found.values()
        }.values()
    )


def _session(actor: User, exam: Exam, session) -> ExamSession | None:
    """The session, if given: one the actor may read (hidden and missing alike
    refused), of the report's test."""
    if session in (None, ""):
        return None
    pk = getattr(session, "pk", session)
    found = ExamSession.objects.restrict(actor).filter(pk=pk).first() if isinstance(pk, int) else None
    if found is None:
        raise InvalidInput(_("Test session: it does not exist or cannot be read."))
    if found.exam_id != exam.pk:
        raise InvalidInput(_("Test session: this session was of another test."))
    return found


def _facts(actor: User, facts: dict, current: FraudReport | None = None) -> dict:
    """The report's facts as they will be saved, checked by the model's rules, each
    refusal after its field's label."""
    unknown = set(facts) - set(REPORT_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    facts = dict(facts)
    exam = facts.get("exam", current.exam if current else None)
    if exam is None:
        raise InvalidInput(_("Test: choose the test."))
    if not isinstance(exam, Exam):
        exam = Exam.objects.filter(pk=exam).first() if isinstance(exam, int) else None
        if exam is None:
            raise InvalidInput(_("Test: it does not exist."))
    facts["exam"] = exam
    if "session" in facts or "exam" in facts:
        facts["session"] = _session(actor, exam, facts.get("session", current.session if current else None))
    if "kind" in facts and facts["kind"] not in FraudKind.values:
        raise InvalidInput(_("Kind of fraud: choose one."))
    if "narrative" in facts:
        facts["narrative"] = (facts["narrative"] or "").strip()
    test_date = facts.get("test_date")
    if test_date and test_date > timezone.localdate():
        raise InvalidInput(_("Test date: it cannot be in the future."))
    probe = FraudReport()
    if current is not None:
        for field in FraudReport._meta.concrete_fields:
            setattr(probe, field.attname, getattr(current, field.attname))
    for name, value in facts.items():
        setattr(probe, name, value)
    try:
        probe.clean_fields(exclude={"memorandum", "origin", "created_by", "reference"})
        probe.clean()
    except ValidationError as exc:
        raise InvalidInput(_named(exc)) from exc
    return facts


def _named(exc: ValidationError) -> str:
    """A model's refusal with each message after the label of its field."""
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    parts = []
    for name, errors in exc.message_dict.items():
        try:
            label = str(FraudReport._meta.get_field(name).verbose_name)
        except Exception:
            label = ""
        for message in errors:
            parts.append(f"{label[:1].upper()}{label[1:]}: {message}" if label else message)
    return " ".join(parts)


def _share_draft_brokers(report: FraudReport, actor: User) -> None:
    """The brokers linked that are still drafts of the report's organization are shared
    with it: the other side could not read the report's brokers otherwise."""
    for broker in report.brokers.filter(status=RecordStatus.DRAFT, origin=report.origin_id):
        kit.share_record(broker, actor, notify_kind=None)


# --- Drafts and sharing ------------------------------------------------------------------


def report(actor: User, *, persons, brokers=(), files=(), **facts) -> FraudReport:
    """A draft fraud report of the actor's organization: the test (and session), what
    happened, the persons named, the brokers involved and the evidence files; nothing
    is saved if anything is refused."""
    policies.check_report(actor)
    missing = [name for name in ("kind", "exam", "narrative") if name not in facts]
    if missing:
        labels = [str(FraudReport._meta.get_field(name).verbose_name) for name in missing]
        raise InvalidInput(_("Give: %(fields)s.") % {"fields": ", ".join(labels)})
    facts = _facts(actor, facts)
    rows = _persons(facts["exam"], persons)
    linked = _brokers(actor, brokers)
    for file in files or ():
        check_upload(file)  # a refused file is refused before anything is written
    with transaction.atomic():
        record = kit.create_record(FraudReport, actor, **facts)
        for row in rows:
            row.report = record
        FraudReportPerson.objects.bulk_create(rows)
        record.brokers.set(linked)
        for file in files or ():
            kit.store_attachment(record, actor, file)
    return record


def update(report: FraudReport, actor: User, *, persons=None, brokers=None, **facts) -> FraudReport:
    """Change a draft (a shared report is kept as it was sent; add to it by comments).
    ``persons``, when given, replace the ones named."""
    facts = _facts(actor, facts, current=report)
    rows = _persons(facts["exam"], persons) if persons is not None else None
    if rows is None and "exam" in facts and facts["exam"].pk != report.exam_id:
        # Another test: the numbers named are checked against its form.
        rows = _persons(facts["exam"], list(report.persons.values()))
    linked = _brokers(actor, brokers) if brokers is not None else None
    with transaction.atomic():
        report = kit.update_record(report, actor, **facts)
        if rows is not None:
            report.persons.all().delete()
            for row in rows:
                row.report = report
            FraudReportPerson.objects.bulk_create(rows)
        if linked is not None:
            report.brokers.set(linked)
    return report


def share(report: FraudReport, actor: User) -> FraudReport:
    """Share a draft with the other side (promptly, as 4(1)): its contact point is asked
    to acknowledge it, told only its reference; creation → sharing is measured."""
    with transaction.atomic():
        record = kit._readable(report, actor)
        policies.check_share(actor, record)
        _share_draft_brokers(record, actor)
        record = kit.share_record(record, actor, notify_kind="exams.fraud_reported")
    return record


def withdraw(report: FraudReport, actor: User) -> FraudReport:
    return kit.withdraw_draft(report, actor)


# --- Follow-up ---------------------------------------------------------------------------


def link_brokers(report: FraudReport, actor: User, *, brokers) -> FraudReport:
    """Either side links more brokers to an open shared report (each one it may read)."""
    linked = _brokers(actor, brokers)
    if not linked:
        raise InvalidInput(_("Brokers involved: choose at least one broker to link."))
    with transaction.atomic():
        report = kit._readable(report, actor)
        policies.check_link_brokers(actor, report)
        for broker in linked:
            if broker.status == RecordStatus.DRAFT and broker.origin_id == actor.organization.pk:
                kit.share_record(broker, actor, notify_kind=None)
        report.brokers.add(*linked)
        changes = {"brokers": [broker.pk for broker in linked]}
        record_event(report, "brokers_linked", actor=actor, changes=changes)
        audit.log("fraud.brokers_linked", actor=actor, obj=report, after=changes)
    return report


def close(report: FraudReport, actor: User, *, outcome: str, note: str) -> FraudReport:
    """The receiving side closes the report with what it did; the reporting side is told
    (the kit's ``close_with_outcome``, as a broker misconduct report is closed)."""
    return kit.close_with_outcome(
        report,
        actor,
        outcome=outcome,
        note=note,
        outcomes=FraudOutcome.values,
        closed=FraudStage.CLOSED,
        check=policies.check_close,
        audit_action="fraud.closed",
        notify_kind="exams.fraud_closed",
    )


# --- Pre-filled from a certificate check -------------------------------------------------


def prefill_from_check(user: User, check_id) -> dict:
    """What a report starts with when a certificate check of the user's organization did
    not match or found nothing: the test, the kind, the holder as entered and a sentence
    saying what the check found. Another organization's check, a missing or malformed
    id, or a check that matched: nothing."""
    from ..choices import CheckedField, CheckOutcome
    from ..models import CertificateCheck

    value = str(check_id or "").strip()
    if not value.isdigit() or len(value) > 18:
        return {}
    check = CertificateCheck.objects.restrict(user).filter(pk=int(value)).select_related("exam").first()
    if check is None or check.outcome not in (CheckOutcome.DOES_NOT_MATCH, CheckOutcome.NOT_FOUND):
        return {}
    day = timezone.localtime(check.checked_at).date().isoformat()
    if check.outcome == CheckOutcome.NOT_FOUND:
        narrative = _("The certificate check of %(date)s found this certificate “not found”.") % {"date": day}
    else:
        labels = dict(CheckedField.choices)
        fields = ", ".join(str(labels.get(name, name)) for name in check.differing_fields)
        narrative = _("The certificate check of %(date)s found that it “does not match” (%(fields)s).") % {
            "date": day,
            "fields": fields,
        }
    return {
        "exam": check.exam,
        "kind": FraudKind.FORGED_CERTIFICATE,
        "narrative": narrative,
        "persons": [
            {
                "role": PersonRole.HOLDER,
                "name": check.name,
                "date_of_birth": check.date_of_birth,
                "certificate_number": check.certificate_number,
            }
        ],
    }
