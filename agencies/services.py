"""Every change to sending agencies (STYLE.md §4): one service a transition, one
transaction each, writing the status, an event row, an audit entry and the outbox
entries (publication, notification of the other side) together."""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit, inbox, notifications, timezones
from portal.exceptions import InvalidInput, TransitionError
from portal.i18n import renderings
from portal.models import Memorandum, User
from portal.records import services as kit
from portal.records import transitions
from portal.uploads import check_upload

from . import policies, publication
from .choices import (
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
    Screening,
    ScreeningCriterion,
    ScreeningResult,
    SendingAgency,
)

# --- Guards ---------------------------------------------------------------------------

#: Certification numbers appear in public URLs: letters (any script), digits, . and -.
CERTIFICATION_NUMBER = re.compile(r"^\w[\w.-]{0,63}$")


def _require_partner_writer(actor: User, memorandum: Memorandum) -> None:
    policies.check_keep_register(actor, memorandum)


def _lock(agency: SendingAgency) -> SendingAgency:
    return SendingAgency.objects.select_for_update().get(pk=agency.pk)


def _move(agency: SendingAgency, target: str, actor, **kwargs):
    """A status change of an agency (``portal.records.transitions``): its history row
    and its audit entry come with it."""
    return transitions.move(agency, target, actor=actor, audit_action="agency.transition", **kwargs)


def request_publication(agency: SendingAgency) -> None:
    """Promise a new version of both sides' lists showing this agency's change (no new
    version if nothing public changed). Called in the change's transaction."""
    publication.request(agency.memorandum_id, [agency.pk])


def sectors_changed() -> None:
    """The lists name every sector in four languages: a new or renamed sector publishes
    new versions of both sides' lists. No agency is named: only the sectors are read
    again."""
    for memorandum_id in Memorandum.objects.values_list("pk", flat=True):
        publication.request(memorandum_id, [])


def _notify_japan(agency: SendingAgency, kind: str, event: AgencyEvent) -> None:
    partner = agency.memorandum.sides.get(country=agency.memorandum.partner_country)
    japan_contact_point = partner.counterpart().contact_point()
    notifications.notify(
        [japan_contact_point.pk],
        kind,
        sender=partner.contact_point(),
        url=agency.get_absolute_url(),
        params={"agency": renderings(agency), "number": agency.certification_number or "", "event": event.pk},
    )


# --- The register ---------------------------------------------------------------------


def register_agency(actor: User, *, sectors=(), **fields) -> SendingAgency:
    """Record an application for certification (7(1))."""
    policies.check_register(actor)
    memorandum = actor.organization.side.memorandum
    with transaction.atomic():
        agency = SendingAgency(memorandum=memorandum, **fields)
        agency.full_clean(exclude=["sectors"])
        agency.save()
        agency.sectors.set(sectors)
        AgencyEvent.objects.create(
            agency=agency, to_status=agency.status, effective_on=timezones.today_for(actor), actor=actor
        )
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
            AgencyEvent.objects.create(
                agency=agency,
                from_status=agency.status,
                to_status=agency.status,
                effective_on=timezones.today_for(actor),
                actor=actor,
                certification_number=agency.certification_number or "",
                changes=changes,
            )
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
    with _move(agency, AgencyStatus.UNDER_SCREENING, actor) as change:
        screening = Screening.objects.create(agency=change.obj, started_by=actor)
        ScreeningResult.objects.bulk_create(
            ScreeningResult(screening=screening, criterion=criterion)
            for criterion in ScreeningCriterion.objects.filter(active=True)
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
        policies.check_record_screening(actor, screening)
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


def add_evidence(result: ScreeningResult, actor: User, file, description: str = ""):
    """A document supporting one criterion's result (a kit attachment of the result)."""
    check_upload(file)
    _require_partner_writer(actor, result.screening.agency.memorandum)
    with transaction.atomic():
        evidence = kit.store_attachment(result, actor, file, description=description)
        audit.log(
            "agency.screening_recorded",
            actor=actor,
            obj=result.screening,
            after={"evidence": evidence.pk},
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
    try:
        with _move(agency, AgencyStatus.CERTIFIED, actor) as change:
            agency = change.obj
            policies.check_screening_met(agency)
            if (
                SendingAgency.objects.filter(certification_number=certification_number)
                .exclude(pk=agency.pk)
                .exists()
            ):
                raise IntegrityError("certification number in use")
            agency.certification_number = certification_number
            agency.certified_on = certified_on
            agency.valid_until = valid_until
            change.save_fields("certification_number", "certified_on", "valid_until")
            change.event(effective_on=certified_on)
            change.audit(certification_number=certification_number)
            change.then(lambda change: _published(change, "agency.certified"))
    except IntegrityError as exc:  # in use, or taken by a concurrent certification
        raise InvalidInput(
            _("The certification number %(number)s is already in use.") % {"number": certification_number}
        ) from exc
    return agency


def _published(change, kind: str) -> None:
    """A certification or revocation: both lists publish it, Japan is told (7(2), 7(4))."""
    request_publication(change.obj)
    _notify_japan(change.obj, kind, change.event_row)


def _simple_transition(agency: SendingAgency, actor: User, target: str, **event) -> SendingAgency:
    """A transition with no side effect beyond its event and audit entry."""
    _require_partner_writer(actor, agency.memorandum)
    with _move(agency, target, actor) as change:
        change.event(**event)
    return change.obj


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
    # Two officers revoking at once: the second one waits for the lock, then is refused.
    with _move(agency, AgencyStatus.REVOKED, actor) as change:
        change.event(reason=reason, public_reason=public_reason)
        if effective_on:
            change.event(effective_on=effective_on)
        change.audit(public_reason=public_reason)
        change.then(lambda change: _published(change, "agency.revoked"))
    return change.obj


def reapply(agency: SendingAgency, actor: User) -> SendingAgency:
    """A rejected, revoked or expired agency applies again."""
    return _simple_transition(agency, actor, AgencyStatus.APPLICATION_RECEIVED)


def expire_certifications(today: dt.date | None = None) -> int:
    """Daily: a certification past its validity becomes expired (not revoked).

    "Past" on the certifying side's clock: the beat runs at 00:15 in Tokyo, which is
    still the evening of the last valid day in Dushanbe; ``today`` (a test's, a
    command's) applies to every memorandum alike."""
    expired = 0
    for memorandum_id, country in Memorandum.objects.values_list("pk", "partner_country"):
        expired += _expire_certifications(memorandum_id, today or timezones.today_in(country))
    return expired


def _expire_certifications(memorandum_id: int, today: dt.date) -> int:
    expired = 0
    due = SendingAgency.objects.filter(memorandum_id=memorandum_id).due_to_expire(today)
    for agency_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            agency = (
                SendingAgency.objects.select_for_update().filter(pk=agency_id).due_to_expire(today).first()
            )
            if agency is None:
                continue
            with _move(agency, AgencyStatus.EXPIRED, None, locked=True) as change:
                change.event(effective_on=agency.valid_until + dt.timedelta(days=1))
                change.then(lambda change: request_publication(change.obj))
            expired += 1
    return expired


def acknowledge(event: AgencyEvent, actor: User) -> AgencyEvent:
    """Japan records that it received a certification or revocation."""
    with transaction.atomic():
        event = AgencyEvent.objects.select_for_update().get(pk=event.pk)
        policies.check_acknowledge(actor, event)
        event.acknowledged_at = timezone.now()
        event.acknowledged_by = actor
        event.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit.log("agency.acknowledged", actor=actor, obj=event.agency, after={"event": event.pk})
        inbox.resolve_items(actor, "acknowledge", event.agency.get_absolute_url(), params={"event": event.pk})
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
    policies.check_report(actor, agency)
    if due_on <= timezones.today_for(actor):
        raise InvalidInput(_("The due date must be in the future."))
    with transaction.atomic():
        investigation = kit.create_record(
            Investigation,
            actor,
            agency=agency,
            facts=facts,
            due_on=due_on,
            related_references=related_references,
        )
        for file in attachments:
            kit.store_attachment(investigation, actor, file)
        kit.share_record(
            investigation,
            actor,
            notify_kind="investigation.reported",
            notify_params={"agency": renderings(agency)},
        )
        audit.log("investigation.reported", actor=actor, obj=investigation)
    return investigation


def assign_investigation(investigation: Investigation, actor: User, *, assignee: User) -> Investigation:
    """The partner ministry puts an officer in charge (the kit's assignment: they are
    told; a newly reported investigation is then under investigation)."""
    _require_partner_writer(actor, investigation.memorandum)
    return kit.assign(investigation, actor, assignee=assignee)


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
    with transitions.move(
        investigation,
        InvestigationStatus.RESULT_SENT,
        actor=actor,
        field_name="stage",
        audit_action="investigation.result_sent",
    ) as change:
        investigation = change.obj
        if outcome == InvestigationOutcome.REVOKED and investigation.agency.status == AgencyStatus.CERTIFIED:
            revoke(
                investigation.agency, actor, reason=revocation_reason or findings, public_reason=public_reason
            )
        investigation.findings = findings
        investigation.measures = measures
        investigation.outcome = outcome
        investigation.result_sent_at = timezone.now()
        change.save_fields("findings", "measures", "outcome", "result_sent_at")
        change.audit(outcome=outcome)
        notifications.notify(
            [investigation.origin.side.contact_point().pk],
            "investigation.result",
            sender=actor.organization.side.contact_point(),
            url=investigation.get_absolute_url(),
            params={"agency": renderings(investigation.agency), "reference": investigation.reference or ""},
        )
    return investigation
