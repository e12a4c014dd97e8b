"""Every change to sending agencies (STYLE.md §4): one service a transition, one
transaction each, writing the status, an event row, an audit entry and the outbox
entries (publication, notification of the other side) together."""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit, notifications, outbox
from portal import services as core
from portal.exceptions import InvalidInput, PermissionDenied, TransitionError
from portal.models import Memorandum, User
from portal.uploads import check_upload

from .choices import (
    AGENCY_TRANSITIONS,
    INVESTIGATION_TRANSITIONS,
    AgencyStatus,
    CriterionResult,
    InvestigationOutcome,
    InvestigationStatus,
    RevocationReason,
)
from .models import (
    PUBLISHED_FIELDS,
    AgencyEvent,
    Guidance,
    Investigation,
    InvestigationAttachment,
    Screening,
    ScreeningCriterion,
    ScreeningEvidence,
    ScreeningResult,
    SendingAgency,
)
from .querysets import is_partner_officer

# --- Guards ---------------------------------------------------------------------------

#: Certification numbers appear in public URLs: letters (any script), digits, . and -.
CERTIFICATION_NUMBER = re.compile(r"^\w[\w.-]{0,63}$")


def _require_partner_writer(actor: User, memorandum: Memorandum) -> None:
    if not actor.can_write or not is_partner_officer(actor, memorandum):
        raise PermissionDenied(_("Only officers of the ministry that keeps the register can do this."))


def _lock(agency: SendingAgency) -> SendingAgency:
    return SendingAgency.objects.select_for_update().get(pk=agency.pk)


def _move(agency: SendingAgency, target: str) -> str:
    if target not in AGENCY_TRANSITIONS.get(agency.status, frozenset()):
        raise TransitionError(
            _("An agency that is “%(current)s” cannot become “%(target)s”.")
            % {"current": AgencyStatus(agency.status).label, "target": AgencyStatus(target).label}
        )
    previous, agency.status = agency.status, target
    return previous


def _event(
    agency, actor, previous, *, effective_on=None, reason="", public_reason="", changes=None
) -> AgencyEvent:
    return AgencyEvent.objects.create(
        agency=agency,
        from_status=previous,
        to_status=agency.status,
        effective_on=effective_on or timezone.localdate(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason,
        public_reason=public_reason,
        certification_number=agency.certification_number or "",
        changes=changes or {},
    )


def request_publication(agency: SendingAgency) -> None:
    """Promise a new version of both sides' lists showing this agency's change (no new
    version if nothing public changed). Called in the change's transaction."""
    outbox.enqueue("agencies.publish", {"memorandum": agency.memorandum_id, "agencies": [agency.pk]})


def sectors_changed() -> None:
    """The lists name every sector in four languages: a new or renamed sector publishes
    new versions of both sides' lists. No agency is named: only the sectors are read
    again."""
    for memorandum_id in Memorandum.objects.values_list("pk", flat=True):
        outbox.enqueue("agencies.publish", {"memorandum": memorandum_id, "agencies": []})


def _notify_japan(agency: SendingAgency, kind: str, event: AgencyEvent) -> None:
    partner = agency.memorandum.sides.get(country=agency.memorandum.partner_country)
    japan_contact_point = partner.counterpart().contact_point()
    notifications.notify(
        [japan_contact_point.pk],
        kind,
        sender=partner.contact_point(),
        url=agency.get_absolute_url(),
        params={"agency": agency.name_tg, "number": agency.certification_number or "", "event": event.pk},
    )


# --- The register ---------------------------------------------------------------------


def register_agency(actor: User, *, sectors=(), **fields) -> SendingAgency:
    """Record an application for certification (7(1))."""
    memorandum = actor.organization.side.memorandum if actor.side_id else None
    if memorandum is None:
        raise PermissionDenied(_("Only officers of the ministry that keeps the register can do this."))
    _require_partner_writer(actor, memorandum)
    with transaction.atomic():
        agency = SendingAgency(memorandum=memorandum, **fields)
        agency.full_clean(exclude=["sectors"])
        agency.save()
        agency.sectors.set(sectors)
        _event(agency, actor, "")
        audit.log("agency.registered", actor=actor, obj=agency, after=_published_values(agency))
    return agency


def update_agency(agency: SendingAgency, actor: User, *, sectors=None, **fields) -> SendingAgency:
    """Change an agency's details; a change to a published field of a published agency
    publishes a new version of the lists."""
    _require_partner_writer(actor, agency.memorandum)
    unknown = set(fields) - set(PUBLISHED_FIELDS) - {"tax_number"}
    if unknown:
        raise InvalidInput(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        agency = _lock(agency)
        before = _published_values(agency)
        for name, value in fields.items():
            setattr(agency, name, value)
        agency.full_clean(exclude=["sectors"])
        agency.save()
        if sectors is not None:
            agency.sectors.set(sectors)
        after = _published_values(agency)
        changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
        if changes:
            _event(agency, actor, agency.status, changes=changes)
            audit.log("agency.updated", actor=actor, obj=agency, before=before, after=after)
            if agency.certification_number:
                request_publication(agency)
    return agency


def _published_values(agency: SendingAgency) -> dict:
    values = {name: getattr(agency, name) for name in PUBLISHED_FIELDS}
    values["sectors"] = sorted(agency.sectors.values_list("code", flat=True)) if agency.pk else []
    return values


# --- Screening (7(1)) -----------------------------------------------------------------


def start_screening(agency: SendingAgency, actor: User) -> Screening:
    _require_partner_writer(actor, agency.memorandum)
    with transaction.atomic():
        agency = _lock(agency)
        previous = _move(agency, AgencyStatus.UNDER_SCREENING)
        agency.save(update_fields=["status", "updated_at"])
        screening = Screening.objects.create(agency=agency, started_by=actor)
        ScreeningResult.objects.bulk_create(
            ScreeningResult(screening=screening, criterion=criterion)
            for criterion in ScreeningCriterion.objects.filter(active=True)
        )
        _event(agency, actor, previous)
        audit.log(
            "agency.transition",
            actor=actor,
            obj=agency,
            before={"status": previous},
            after={"status": agency.status},
        )
    return screening


def record_screening(
    screening: Screening, actor: User, results: dict[int, tuple[str, str]], note: str = ""
) -> Screening:
    """Record ``{criterion_id: (result, note)}`` for a screening in progress."""
    _require_partner_writer(actor, screening.agency.memorandum)
    with transaction.atomic():
        agency = _lock(screening.agency)
        if agency.status != AgencyStatus.UNDER_SCREENING or agency.screenings.first() != screening:
            raise TransitionError(
                _("Only the current screening of an agency under screening can be changed.")
            )
        rows = {row.criterion_id: row for row in screening.results.select_for_update()}
        for criterion_id, (result, result_note) in results.items():
            if criterion_id not in rows or result not in CriterionResult.values:
                raise InvalidInput(_("Unknown criterion or result."))
            rows[criterion_id].result = result
            rows[criterion_id].note = result_note
        ScreeningResult.objects.bulk_update(rows.values(), ["result", "note"])
        screening.note = note
        screening.save(update_fields=["note"])
        audit.log(
            "agency.screening_recorded",
            actor=actor,
            obj=screening,
            after={str(k): v[0] for k, v in results.items()},
        )
    return screening


def add_evidence(result: ScreeningResult, actor: User, file, description: str = "") -> ScreeningEvidence:
    check_upload(file)
    _require_partner_writer(actor, result.screening.agency.memorandum)
    with transaction.atomic():
        evidence = ScreeningEvidence.objects.create(
            result=result, file=file, description=description, uploaded_by=actor
        )
        audit.log(
            "agency.screening_recorded",
            actor=actor,
            obj=result.screening,
            after={"evidence": evidence.file.name},
        )
    return evidence


# --- Certification, rejection, revocation, expiry, re-application ---------------------


def certify(
    agency: SendingAgency,
    actor: User,
    *,
    certification_number: str,
    certified_on: dt.date,
    valid_until: dt.date,
) -> SendingAgency:
    """Certify an agency that meets every mandatory criterion (7(1)); provide it to
    Japan (7(2)) and publish both lists (7(2), 6(1))."""
    _require_partner_writer(actor, agency.memorandum)
    certification_number = (certification_number or "").strip()
    if not CERTIFICATION_NUMBER.match(certification_number):
        raise InvalidInput(
            _("A certification number is required: letters, digits, dots and hyphens, up to 64 characters.")
        )
    if valid_until <= certified_on:
        raise InvalidInput(_("The validity must end after the certification date."))
    with transaction.atomic():
        agency = _lock(agency)
        previous = _move(agency, AgencyStatus.CERTIFIED)
        screening = agency.screenings.first()
        failing = screening.failing_mandatory() if screening else ["—"]
        if failing:
            raise TransitionError(
                _("Certification is refused while a mandatory criterion is not met: %(criteria)s")
                % {"criteria": ", ".join(str(getattr(c, "number", c)) for c in failing)}
            )
        if (
            SendingAgency.objects.filter(certification_number=certification_number)
            .exclude(pk=agency.pk)
            .exists()
        ):
            raise InvalidInput(
                _("The certification number %(number)s is already in use.") % {"number": certification_number}
            )
        agency.certification_number = certification_number
        agency.certified_on = certified_on
        agency.valid_until = valid_until
        try:
            with transaction.atomic():
                agency.save(
                    update_fields=[
                        "status",
                        "certification_number",
                        "certified_on",
                        "valid_until",
                        "updated_at",
                    ]
                )
        except IntegrityError as exc:  # a concurrent certification took the number
            raise InvalidInput(
                _("The certification number %(number)s is already in use.") % {"number": certification_number}
            ) from exc
        event = _event(agency, actor, previous, effective_on=certified_on)
        audit.log(
            "agency.transition",
            actor=actor,
            obj=agency,
            before={"status": previous},
            after={"status": agency.status, "certification_number": certification_number},
        )
        request_publication(agency)
        _notify_japan(agency, "agency.certified", event)
    return agency


def _simple_transition(agency: SendingAgency, actor: User, target: str, **event) -> SendingAgency:
    """A transition with no side effect beyond its event and audit entry."""
    _require_partner_writer(actor, agency.memorandum)
    with transaction.atomic():
        agency = _lock(agency)
        previous = _move(agency, target)
        agency.save(update_fields=["status", "updated_at"])
        _event(agency, actor, previous, **event)
        audit.log(
            "agency.transition",
            actor=actor,
            obj=agency,
            before={"status": previous},
            after={"status": agency.status},
        )
    return agency


def reject(agency: SendingAgency, actor: User, *, reason: str) -> SendingAgency:
    if not reason.strip():
        raise InvalidInput(_("Give the reason for the rejection."))
    return _simple_transition(agency, actor, AgencyStatus.REJECTED, reason=reason)


def revoke(
    agency: SendingAgency,
    actor: User,
    *,
    reason: str,
    public_reason: str,
    effective_on: dt.date | None = None,
) -> SendingAgency:
    """Revoke a certification (7(4)); notify Japan and publish both lists (6(2))."""
    _require_partner_writer(actor, agency.memorandum)
    if public_reason not in RevocationReason.values:
        raise InvalidInput(_("Choose the public reason category."))
    if not reason.strip():
        raise InvalidInput(_("Give the reason for the revocation."))
    with transaction.atomic():
        agency = _lock(agency)  # two officers revoking at once: the second one waits, then is refused
        previous = _move(agency, AgencyStatus.REVOKED)
        agency.save(update_fields=["status", "updated_at"])
        event = _event(
            agency, actor, previous, effective_on=effective_on, reason=reason, public_reason=public_reason
        )
        audit.log(
            "agency.transition",
            actor=actor,
            obj=agency,
            before={"status": previous},
            after={"status": agency.status, "public_reason": public_reason},
        )
        request_publication(agency)
        _notify_japan(agency, "agency.revoked", event)
    return agency


def reapply(agency: SendingAgency, actor: User) -> SendingAgency:
    """A rejected, revoked or expired agency applies again."""
    return _simple_transition(agency, actor, AgencyStatus.APPLICATION_RECEIVED)


def expire_certifications(today: dt.date | None = None) -> int:
    """Daily: a certification past its validity becomes expired (not revoked)."""
    today = today or timezone.localdate()
    expired = 0
    for agency_id in SendingAgency.objects.due_to_expire(today).values_list("pk", flat=True):
        with transaction.atomic():
            agency = (
                SendingAgency.objects.select_for_update().filter(pk=agency_id).due_to_expire(today).first()
            )
            if agency is None:
                continue
            previous = _move(agency, AgencyStatus.EXPIRED)
            agency.save(update_fields=["status", "updated_at"])
            _event(agency, None, previous, effective_on=agency.valid_until + dt.timedelta(days=1))
            audit.log("agency.transition", obj=agency, username="system", after={"status": agency.status})
            request_publication(agency)
            expired += 1
    return expired


def acknowledge(event: AgencyEvent, actor: User) -> AgencyEvent:
    """Japan records that it received a certification or revocation."""
    side = actor.organization.side if actor.side_id else None
    memorandum = event.agency.memorandum
    if side is None or side.memorandum_id != memorandum.pk or side.country == memorandum.partner_country:
        raise PermissionDenied(_("Acknowledgements are recorded by Japan's side."))
    if actor.role not in {"contact_point_officer", "officer"}:
        raise PermissionDenied(_("Your role cannot create or share records."))
    with transaction.atomic():
        event = AgencyEvent.objects.select_for_update().get(pk=event.pk)
        if event.to_status not in {AgencyStatus.CERTIFIED, AgencyStatus.REVOKED}:
            raise InvalidInput(_("Only certifications and revocations are acknowledged."))
        if event.acknowledged_at is not None:
            raise TransitionError(_("This has already been acknowledged."))
        event.acknowledged_at = timezone.now()
        event.acknowledged_by = actor
        event.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit.log("agency.acknowledged", actor=actor, obj=event.agency, after={"event": event.pk})
    return event


# --- Guidance (7(4)) and investigation (7(3)) -----------------------------------------


def give_guidance(
    agency: SendingAgency,
    actor: User,
    *,
    given_on: dt.date,
    subject: str,
    outcome: str = "",
    investigation=None,
) -> Guidance:
    _require_partner_writer(actor, agency.memorandum)
    with transaction.atomic():
        guidance = Guidance.objects.create(
            agency=agency,
            given_on=given_on,
            subject=subject,
            outcome=outcome,
            given_by=actor,
            investigation=investigation,
        )
        audit.log("agency.guidance_given", actor=actor, obj=agency, after={"subject": subject})
    return guidance


def report_for_investigation(
    actor: User,
    agency: SendingAgency,
    *,
    facts: str,
    due_on: dt.date,
    related_references: str = "",
    attachments=(),
) -> Investigation:
    """Japan reports that a certified agency seems to breach the criteria or act
    improperly (7(3)); the partner's contact point receives it in its inbox."""
    for file in attachments:
        check_upload(file)
    memorandum = agency.memorandum
    side = actor.organization.side if actor.side_id else None
    if side is None or side.memorandum_id != memorandum.pk or side.country == memorandum.partner_country:
        raise PermissionDenied(_("Investigations are requested by Japan's side."))
    if agency.status != AgencyStatus.CERTIFIED:
        raise TransitionError(_("Only a certified agency can be reported for investigation."))
    if due_on <= timezone.localdate():
        raise InvalidInput(_("The due date must be in the future."))
    with transaction.atomic():
        investigation = core.create_record(
            Investigation,
            actor,
            agency=agency,
            facts=facts,
            due_on=due_on,
            related_references=related_references,
        )
        for file in attachments:
            InvestigationAttachment.objects.create(investigation=investigation, file=file, uploaded_by=actor)
        core.share_record(
            investigation,
            actor,
            notify_kind="investigation.reported",
            notify_params={"agency": agency.name_tg},
        )
        audit.log("investigation.reported", actor=actor, obj=investigation)
    return investigation


def _move_investigation(investigation: Investigation, target: str) -> None:
    if target not in INVESTIGATION_TRANSITIONS.get(investigation.stage, frozenset()):
        raise TransitionError(
            _("An investigation that is “%(current)s” cannot become “%(target)s”.")
            % {
                "current": InvestigationStatus(investigation.stage).label,
                "target": InvestigationStatus(target).label,
            }
        )
    investigation.stage = target


def assign_investigation(investigation: Investigation, actor: User, *, assignee: User) -> Investigation:
    _require_partner_writer(actor, investigation.memorandum)
    if not is_partner_officer(assignee, investigation.memorandum) or not assignee.can_write:
        raise InvalidInput(
            _("Assign the investigation to an officer of the ministry that keeps the register.")
        )
    with transaction.atomic():
        investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
        _move_investigation(investigation, InvestigationStatus.UNDER_INVESTIGATION)
        investigation.assigned_to = assignee
        investigation.save(update_fields=["stage", "assigned_to", "updated_at"])
        audit.log(
            "investigation.assigned", actor=actor, obj=investigation, after={"assigned_to": assignee.username}
        )
    return investigation


def send_investigation_result(
    investigation: Investigation,
    actor: User,
    *,
    findings: str,
    measures: str,
    outcome: str,
    revocation_reason: str = "",
    public_reason: str = "",
) -> Investigation:
    """Provide the result to Japan (7(3)); an investigation may end in a revocation,
    carried out in the same transaction."""
    _require_partner_writer(actor, investigation.memorandum)
    if outcome not in InvestigationOutcome.values or not findings.strip():
        raise InvalidInput(_("Give the findings and the outcome."))
    with transaction.atomic():
        investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
        _move_investigation(investigation, InvestigationStatus.RESULT_SENT)
        if outcome == InvestigationOutcome.REVOKED and investigation.agency.status == AgencyStatus.CERTIFIED:
            revoke(
                investigation.agency, actor, reason=revocation_reason or findings, public_reason=public_reason
            )
        investigation.findings = findings
        investigation.measures = measures
        investigation.outcome = outcome
        investigation.result_sent_at = timezone.now()
        investigation.save(
            update_fields=["stage", "findings", "measures", "outcome", "result_sent_at", "updated_at"]
        )
        audit.log("investigation.result_sent", actor=actor, obj=investigation, after={"outcome": outcome})
        japan = investigation.origin.side.contact_point()
        notifications.notify(
            [japan.pk],
            "investigation.result",
            sender=actor.organization.side.contact_point(),
            url=investigation.get_absolute_url(),
            params={"agency": investigation.agency.name_tg},
        )
    return investigation


REMIND_DAYS_BEFORE = 3


def remind_due_investigations(today: dt.date | None = None) -> int:
    """Daily: remind the partner's contact point of results due within three days or
    overdue; once a day per investigation."""
    today = today or timezone.localdate()
    reminded = 0
    due = Investigation.objects.exclude(stage=InvestigationStatus.RESULT_SENT).filter(
        due_on__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE)
    )
    for investigation_id in due.exclude(last_reminded_on=today).values_list("pk", flat=True):
        with transaction.atomic():
            investigation = Investigation.objects.select_for_update().get(pk=investigation_id)
            if investigation.last_reminded_on == today:
                continue
            investigation.last_reminded_on = today
            investigation.save(update_fields=["last_reminded_on"])
            partner = investigation.agency.memorandum.sides.get(
                country=investigation.agency.memorandum.partner_country
            )
            notifications.notify(
                [partner.contact_point().pk],
                "investigation.reminder",
                url=investigation.get_absolute_url(),
                params={"agency": investigation.agency.name_tg, "due": investigation.due_on.isoformat()},
            )
            reminded += 1
    return reminded
