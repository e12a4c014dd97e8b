"""Every change to acceptance suspensions (STYLE.md §4): record (the kit's create and
share in one transaction), correct, lift. Each tells Tajikistan through its inbox and,
in the same transaction, asks every published list of every side for a new version
(``notices.suspensions.publication.suspensions_changed``): a suspension in force is
shown with each of them. Who may act is asked of ``policies``, as the pages ask."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from agencies.models import Sector
from notices.models import AcceptanceSuspension
from portal import audit, notifications
from portal.exceptions import InvalidInput
from portal.models import Organization, User
from portal.records import policies as kit_policies
from portal.records import services as kit
from portal.records import transitions
from portal.records.models import record_event
from portal.timezones import today_in

from . import policies, publication
from .choices import SuspensionState

#: What an officer gives of a suspension (the API's fields, the form's, a correction's).
SUSPENSION_FIELDS = AcceptanceSuspension.fact_fields
REQUIRED_FIELDS = ("sector", "suspended_from", "reason", "those_in_japan")


def _label(name: str) -> str:
    label = str(AcceptanceSuspension._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def _named(exc: ValidationError) -> str:
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    return " ".join(
        f"{_label(name)}: {message}" if name != "__all__" else message
        for name, errors in exc.message_dict.items()
        for message in errors
    )


def _sector(value) -> Sector:
    """A sector given as the object, its id or its code; an unknown one is refused."""
    if isinstance(value, Sector):
        return value
    found = None
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit() and len(value) < 10):
        found = Sector.objects.filter(pk=int(value)).first()
    elif isinstance(value, str) and value.strip():
        found = Sector.objects.filter(code=value.strip()).first()
    if found is None:
        raise InvalidInput.about(_label("sector"), _("Choose one of the SSW sectors."))
    return found


def _date(name: str, value) -> dt.date:
    if isinstance(value, dt.date):
        return value
    parsed = parse_date(value) if isinstance(value, str) else None
    if parsed is None:
        raise InvalidInput.about(_label(name), _("Enter a date as YYYY-MM-DD."))
    return parsed


def _facts(fields: dict, *, partial: bool = False) -> dict:
    """``fields`` checked for names (unknown ones refused), required values present
    (naming each missing one), text stripped, the date read and the sector resolved."""
    unknown = set(fields) - set(SUSPENSION_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    facts = {name: value.strip() if isinstance(value, str) else value for name, value in fields.items()}
    names = [name for name in REQUIRED_FIELDS if name in facts] if partial else REQUIRED_FIELDS
    missing = [name for name in names if facts.get(name) in (None, "")]
    if missing:
        raise InvalidInput(
            _("Missing: %(fields)s.") % {"fields": ", ".join(_label(name) for name in missing)}
        )
    if "sector" in facts:
        facts["sector"] = _sector(facts["sector"])
    if "suspended_from" in facts:
        facts["suspended_from"] = _date("suspended_from", facts["suspended_from"])
    if facts.get("internal_notes") is None and "internal_notes" in facts:
        facts["internal_notes"] = ""
    return facts


def _validate(suspension: AcceptanceSuspension) -> None:
    try:
        suspension.clean_fields(exclude={"memorandum", "origin", "created_by", "reference"})
        suspension.clean()
    except ValidationError as exc:
        raise InvalidInput(_named(exc)) from exc


def _check_one_in_force(suspension: AcceptanceSuspension) -> None:
    """At most one suspension of a sector in force: a second is refused, naming the
    first by its reference (which every officer of both sides reads)."""
    other = (
        AcceptanceSuspension.objects.filter(
            memorandum_id=suspension.memorandum_id,
            sector_id=suspension.sector_id,
            state=SuspensionState.IN_FORCE,
            status="shared",
        )
        .exclude(pk=suspension.pk)
        .values_list("reference", flat=True)
        .first()
    )
    if other is not None:
        raise InvalidInput(_already_suspended(suspension.sector, other))


def _already_suspended(sector: Sector, reference: str) -> str:
    if not reference:  # recorded by another officer at the same moment
        return _(
            "The acceptance in the sector “%(sector)s” is already suspended: lift that suspension first, "
            "or correct it."
        ) % {"sector": sector.name}
    return _(
        "The acceptance in the sector “%(sector)s” is already suspended (%(reference)s): lift that "
        "suspension first, or correct it."
    ) % {"sector": sector.name, "reference": reference}


def _counterpart(suspension: AcceptanceSuspension) -> Organization:
    return Organization.objects.get(side_id=kit_policies.receiving_side_id(suspension), is_contact_point=True)


def _tell(suspension: AcceptanceSuspension, kind: str) -> None:
    notifications.notify(
        [_counterpart(suspension).pk],
        kind,
        sender=suspension.origin,
        url=suspension.get_absolute_url(),
        params=kit._params(suspension),
    )


def record_suspension(actor: User, **fields) -> AcceptanceSuspension:
    """Record a suspension Japan decided and share it with Tajikistan at once (its
    reference, inbox item and e-mail are the kit's); every public list is asked for a
    new version showing it, in the same transaction. A second suspension of a sector
    in force is refused."""
    policies.check_record_suspension(actor)
    facts = _facts(fields)
    organization = actor.organization
    checked = AcceptanceSuspension(origin=organization, memorandum=organization.side.memorandum, **facts)
    _validate(checked)
    try:
        with transaction.atomic():
            _check_one_in_force(checked)
            suspension = kit.create_record(AcceptanceSuspension, actor, **facts)
            suspension = kit.share_record(suspension, actor, notify_kind="notices.suspension_recorded")
            audit.log(
                "suspension.recorded",
                actor=actor,
                obj=suspension,
                after={"reference": suspension.reference, "sector": facts["sector"].code},
            )
            publication.suspensions_changed(suspension.memorandum, [suspension.pk])
    except IntegrityError as exc:  # two officers recorded the same sector at once
        if "one_suspension_in_force_per_sector" not in str(exc):
            raise
        raise InvalidInput(_already_suspended(facts["sector"], "")) from exc
    return suspension


def _value(suspension: AcceptanceSuspension, name: str):
    value = getattr(suspension, AcceptanceSuspension._meta.get_field(name).attname)
    return value.isoformat() if hasattr(value, "isoformat") else value


def correct_suspension(
    suspension: AcceptanceSuspension, actor: User, *, why: str = "", **fields
) -> AcceptanceSuspension:
    """Correct a suspension in force (``why``: what was corrected and why; ``reason``
    among the fields is the suspension's own): the timeline says which fields changed, the audit
    keeps before and after, the other side and the public lists are told. Nothing
    changed is refused."""
    facts = _facts(fields, partial=True)
    with transaction.atomic():
        suspension = kit._readable(suspension, actor)
        policies.check_correct_suspension(actor, suspension)
        before = {name: _value(suspension, name) for name in SUSPENSION_FIELDS}
        for name, value in facts.items():
            setattr(suspension, name, value)
        _validate(suspension)
        _check_one_in_force(suspension)
        after = {name: _value(suspension, name) for name in SUSPENSION_FIELDS}
        changed = [name for name in SUSPENSION_FIELDS if before[name] != after[name]]
        if not changed:
            raise InvalidInput(_("Nothing was changed: the suspension is as recorded."))
        suspension.corrected_at = timezone.now()
        suspension.save()
        record_event(
            suspension, "corrected", actor=actor, reason=(why or "").strip(), changes={"fields": changed}
        )
        audit.log(
            "suspension.corrected",
            actor=actor,
            obj=suspension,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
        _tell(suspension, "notices.suspension_corrected")
        publication.suspensions_changed(suspension.memorandum, [suspension.pk])
    return suspension


def lift_suspension(
    suspension: AcceptanceSuspension, actor: User, *, lifted_on, reason: str
) -> AcceptanceSuspension:
    """Lift a suspension in force, from a date (not before its start, not after today
    in Japan: a lifting is recorded once it has taken effect), with the reason; kept,
    the public lists show it no more, the other side is told."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput.about(_label("lifting_reason"), _("Say why the suspension is lifted."))
    if lifted_on in (None, ""):
        raise InvalidInput(_("Missing: %(fields)s.") % {"fields": _label("lifted_on")})
    lifted_on = _date("lifted_on", lifted_on)
    with transaction.atomic():
        suspension = kit._readable(suspension, actor)
        policies.check_lift_suspension(actor, suspension)
        if lifted_on < suspension.suspended_from:
            raise InvalidInput(
                f"{_label('lifted_on')}: "
                + _("The lifting date cannot be before the suspension's start (%(start)s).")
                % {"start": suspension.suspended_from.isoformat()}
            )
        today = today_in(suspension.origin.side.country)
        if lifted_on > today:
            raise InvalidInput(
                f"{_label('lifted_on')}: "
                + _(
                    "Record the lifting once it has taken effect: the date cannot be after today (%(today)s)."
                )
                % {"today": today.isoformat()}
            )
        with transitions.move(
            suspension,
            SuspensionState.LIFTED,
            actor=actor,
            field_name="state",
            audit_action="suspension.lifted",
            locked=True,
        ) as change:
            suspension.lifted_on = lifted_on
            suspension.lifting_reason = reason
            change.save_fields("lifted_on", "lifting_reason")
            change.event(reason=reason)
        _tell(suspension, "notices.suspension_lifted")
        publication.suspensions_changed(suspension.memorandum, [suspension.pk])
    return suspension
