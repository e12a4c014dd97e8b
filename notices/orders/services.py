"""Every change to improvement orders (STYLE.md §4): record (the kit's create and share
in one transaction), correct, withdraw. Each tells the public list in the same
transaction (``notices.publishing.orders_changed``) and the other side through its
inbox; who may act is asked of ``notices.orders.policies``, as the pages ask."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Sector
from notices import publishing
from notices.models import ImprovementOrder
from portal import audit, notifications
from portal.exceptions import InvalidInput
from portal.models import Organization, User
from portal.records import policies as kit_policies
from portal.records import services as kit
from portal.records import transitions
from portal.records.models import record_event

from . import policies
from .choices import OrderState

#: What an officer gives of an order (the API's fields, the form's, a correction's).
ORDER_FIELDS = ImprovementOrder.fact_fields
#: The fields without which an order is refused, in the form's order.
REQUIRED_FIELDS = tuple(
    name
    for name in ORDER_FIELDS
    if not ImprovementOrder._meta.get_field(name).blank
    and not ImprovementOrder._meta.get_field(name).has_default()
)
#: Not on the public list: a small number of workers could point at persons.
UNPUBLISHED_FIELDS = ("tajik_workers",)


def _label(name: str) -> str:
    label = str(ImprovementOrder._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def _named(exc: ValidationError) -> str:
    """A model's refusal with each message after its field's label ("Date issued: …")."""
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    parts = []
    for name, errors in exc.message_dict.items():
        for message in errors:
            parts.append(f"{_label(name)}: {message}" if name in ORDER_FIELDS else message)
    return " ".join(parts)


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


def ascii_digits(value: str) -> str:
    """Digits as typed with a Japanese input method (full-width ４１８…) made ASCII,
    spaces dropped: what the check digit is computed on and what is stored."""
    return unicodedata.normalize("NFKC", value or "").replace(" ", "")


def _facts(fields: dict, *, partial: bool = False) -> dict:
    """``fields`` checked for names (unknown ones refused), required values present
    (naming each missing one), text stripped and the sector resolved."""
    unknown = set(fields) - set(ORDER_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    facts = {}
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        facts[name] = value
    names = [name for name in REQUIRED_FIELDS if name in facts] if partial else REQUIRED_FIELDS
    missing = [name for name in names if facts.get(name) in (None, "")]
    if missing:
        raise InvalidInput(
            _("Missing: %(fields)s.") % {"fields": ", ".join(_label(name) for name in missing)}
        )
    if isinstance(facts.get("corporate_number"), str):
        # Typed with a Japanese input method, digits come full-width (４１８…).
        facts["corporate_number"] = ascii_digits(facts["corporate_number"])
    if "sector" in facts:
        facts["sector"] = _sector(facts["sector"])
    if "prefecture" in facts and facts["prefecture"] is None:
        facts["prefecture"] = ""
    return facts


def _validate(order: ImprovementOrder) -> None:
    """The model's rules (field validators: the corporate number's check digit, a
    number of workers below zero; ``clean``: the prefecture, a date after today),
    before anything is written."""
    try:
        order.clean_fields(exclude={"memorandum", "origin", "created_by", "reference"})
        order.clean()
    except ValidationError as exc:
        raise InvalidInput(_named(exc)) from exc


def _counterpart(order: ImprovementOrder) -> Organization:
    return Organization.objects.get(side_id=kit_policies.receiving_side_id(order), is_contact_point=True)


def record_order(actor: User, **fields) -> ImprovementOrder:
    """Record an improvement order Japan issued, and share it with Tajikistan at once:
    its reference, the other side's inbox item and e-mail (to acknowledge receipt) are
    the kit's; the public list is told in the same transaction."""
    policies.check_record_order(actor)
    facts = _facts(fields)
    organization = actor.organization
    checked = ImprovementOrder(origin=organization, memorandum=organization.side.memorandum, **facts)
    _validate(checked)  # the prefecture, when left empty, is read from the address here
    facts = {name: getattr(checked, name) for name in ORDER_FIELDS}
    with transaction.atomic():
        order = kit.create_record(ImprovementOrder, actor, **facts)
        order = kit.share_record(order, actor, notify_kind="notices.order_recorded")
        audit.log("order.recorded", actor=actor, obj=order, after={"reference": order.reference})
        publishing.orders_changed(order.memorandum, [order.pk])
    return order


def correct_order(order: ImprovementOrder, actor: User, *, reason: str = "", **fields) -> ImprovementOrder:
    """Correct an order in force (its facts as given, the rules as when recorded): the
    timeline says which fields changed, the audit keeps before and after, the other
    side is told. Nothing changed is refused, so that no empty correction is sent."""
    facts = _facts(fields, partial=True)
    with transaction.atomic():
        order = kit._readable(order, actor)
        policies.check_correct_order(actor, order)
        before = {name: _value(order, name) for name in ORDER_FIELDS}
        for name, value in facts.items():
            setattr(order, name, value)
        if "address" in facts and not facts.get("prefecture"):
            order.prefecture = ""  # read again from the corrected address (``clean``)
        _validate(order)
        after = {name: _value(order, name) for name in ORDER_FIELDS}
        changed = [name for name in ORDER_FIELDS if before[name] != after[name]]
        if not changed:
            raise InvalidInput(_("Nothing was changed: the order is as recorded."))
        order.corrected_at = timezone.now()
        order.save()
        reason = (reason or "").strip()
        record_event(order, "corrected", actor=actor, reason=reason, changes={"fields": changed})
        audit.log(
            "order.corrected",
            actor=actor,
            obj=order,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
        notifications.notify(
            [_counterpart(order).pk],
            "notices.order_corrected",
            sender=order.origin,
            url=order.get_absolute_url(),
            params=kit._params(order),
        )
        publishing.orders_changed(order.memorandum, [order.pk])
    return order


def _value(order: ImprovementOrder, name: str):
    value = getattr(order, ImprovementOrder._meta.get_field(name).attname)
    return value.isoformat() if hasattr(value, "isoformat") else value


def withdraw_order(order: ImprovementOrder, actor: User, *, reason: str) -> ImprovementOrder:
    """Withdraw an order recorded in error: kept, marked withdrawn with its reason (the
    public list shows it no more), the other side told."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput.about(_label("withdrawal_reason"), _("Say why the order is withdrawn."))
    with transaction.atomic():
        order = kit._readable(order, actor)
        policies.check_withdraw_order(actor, order)
        with transitions.move(
            order,
            OrderState.WITHDRAWN,
            actor=actor,
            field_name="state",
            audit_action="order.withdrawn",
            locked=True,
        ) as change:
            order.withdrawn_at = timezone.now()
            order.withdrawal_reason = reason
            change.save_fields("withdrawn_at", "withdrawal_reason")
            change.event(reason=reason)
        notifications.notify(
            [_counterpart(order).pk],
            "notices.order_withdrawn",
            sender=order.origin,
            url=order.get_absolute_url(),
            params=kit._params(order),
        )
        publishing.orders_changed(order.memorandum, [order.pk])
    return order
