"""Every change to inquiries (STYLE.md §4): ``ask`` (the kit's create and share in one
transaction) and ``answer``. Who may act is asked of ``notices.inquiries.policies``, as
the pages ask; the thread's comments, files, acknowledgement, assignment and consent
are the kit's services."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notices.models import Inquiry, terms_for
from portal import audit, inbox, notifications
from portal.exceptions import InvalidInput
from portal.models import User
from portal.records import services as kit
from portal.records.models import record_event
from portal.timezones import today_for, zone_for_country

from . import policies

#: What the asking side gives.
ASK_FIELDS = ("subject", "question", "due_on")
SUBJECT_MAX = Inquiry._meta.get_field("subject").max_length


def _text(value, label: str, *, limit: int | None = None) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if not value:
        raise InvalidInput(_("%(field)s: this field is required.") % {"field": label})
    if limit is not None and len(value) > limit:
        raise InvalidInput(_("%(field)s: at most %(limit)d characters.") % {"field": label, "limit": limit})
    return value


def default_due_on(actor: User) -> dt.date:
    """The memorandum's days to answer after today on the asking side's clock."""
    days = terms_for(actor.organization.side.memorandum_id).inquiry_answer_days
    return today_for(actor) + dt.timedelta(days=days)


def ask(actor: User, *, subject: str, question: str, due_on: dt.date | None = None, files=()) -> Inquiry:
    """Ask the other side: created and shared at once, with its files; the other side's
    contact point is told (inbox and e-mail, by the reference). The due date defaults to
    the memorandum's days to answer; one before today (the asking side's) is refused."""
    policies.check_ask(actor)
    subject = _text(subject, _("Subject"), limit=SUBJECT_MAX)
    question = _text(question, _("Question"))
    today = today_for(actor)
    if due_on is None:
        due_on = default_due_on(actor)
    elif due_on < today:
        raise InvalidInput(
            _("Due on: the due date cannot be in the past (today is %(today)s).")
            % {"today": today.isoformat()}
        )
    with transaction.atomic():
        inquiry = kit.create_record(Inquiry, actor, subject=subject, question=question, due_on=due_on)
        for file in files:
            kit.store_attachment(inquiry, actor, file)
        inquiry = kit.share_record(
            inquiry, actor, notify_kind="notices.inquiry_asked", notify_params={"due": due_on.isoformat()}
        )
        audit.log("inquiry.asked", actor=actor, obj=inquiry, after={"due_on": due_on.isoformat()})
    return inquiry


def answered_late(inquiry: Inquiry, at: dt.datetime, answering_country: str | None) -> bool | None:
    """Whether an answer given at ``at`` came after the due date: the date of the
    answer on the answering side's clock (Dushanbe's 23:00 on the due date is in time
    although Tokyo is already on the next day)."""
    if inquiry.due_on is None:
        return None
    return timezone.localdate(at, zone_for_country(answering_country)) > inquiry.due_on


def answer(inquiry: Inquiry, actor: User, *, answer: str, files=()) -> Inquiry:
    """The side asked answers, with files: when, by whom and whether late are kept (its
    part of the record), the inquiry closes (no more reminders), the items that asked
    for the answer are resolved and the asking side is told. Answering is also
    acknowledging receipt, if not done yet."""
    text = (answer or "").strip()
    with transaction.atomic():
        inquiry = kit._readable(inquiry, actor)
        policies.check_answer(actor, inquiry)
        if not text:
            raise InvalidInput(_("Answer: write the answer."))
        now = timezone.now()
        inquiry.answer, inquiry.answered_at, inquiry.answered_by = text, now, actor
        inquiry.answered_late = answered_late(inquiry, now, actor.organization.side.country)
        fields = ["answer", "answered_at", "answered_by", "answered_late", "updated_at"]
        if inquiry.acknowledged_at is None:
            inquiry.acknowledged_at, inquiry.acknowledged_by = now, actor
            fields += ["acknowledged_at", "acknowledged_by"]
            record_event(inquiry, "acknowledged", actor=actor)
            inbox.resolve_items(actor, "acknowledge", inquiry.get_absolute_url())
        inquiry.save(update_fields=fields)
        for file in files:
            kit.store_attachment(inquiry, actor, file, event=False)
        record_event(inquiry, "answered", actor=actor, changes={"late": bool(inquiry.answered_late)})
        audit.log(
            "inquiry.answered",
            actor=actor,
            obj=inquiry,
            after={"answered_at": now.isoformat(), "answered_late": inquiry.answered_late},
        )
        inbox.resolve_items(actor, "answer", inquiry.get_absolute_url())
        notifications.notify(
            [inquiry.origin_id],
            "notices.inquiry_answered",
            sender=actor.organization,
            url=inquiry.get_absolute_url(),
            params=kit._params(inquiry),
        )
    return inquiry
