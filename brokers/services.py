"""Every change to brokers and misconduct reports (STYLE.md §4): one function an
action, one transaction each, on the kit's services (``portal.records.services``) for
drafts, sharing, acknowledgement, files and consent. Who may act is asked of
``brokers.policies``, the functions the pages ask too."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Aggregate, Count, DurationField, F
from django.db.models.functions import TruncMonth, Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit, notifications
from portal.choices import RecordStatus
from portal.exceptions import InvalidInput
from portal.models import Organization, User
from portal.records import services as kit
from portal.records.models import record_event
from portal.timezones import zone_for_country
from portal.uploads import check_upload

from . import policies
from .choices import Outcome, ReportStage
from .models import Broker, BrokerName, MisconductReport
from .names import THRESHOLD, latin_key, ranked

# --- Brokers ----------------------------------------------------------------------------


def _clean_names(names) -> list[str]:
    """Names as given, stripped, each once whatever its case; at least one."""
    seen, result = set(), []
    for name in names or ():
        name = " ".join(str(name).split())
        if name and name.upper() not in seen:
            seen.add(name.upper())
            result.append(name)
    return result


def _add_names(broker: Broker, names, *, merged_from: Broker | None = None) -> list[BrokerName]:
    existing = set(
        BrokerName.objects.filter(broker=broker).annotate(upper=Upper("name")).values_list("upper", flat=True)
    )
    added = []
    for name in _clean_names(names):
        if name.upper() in existing:
            continue
        if len(name) > 200:
            raise InvalidInput(_("A name is at most 200 characters."))
        if not latin_key(name):
            raise InvalidInput(_("“%(name)s” has no letters a name can be matched by.") % {"name": name[:40]})
        added.append(BrokerName.objects.create(broker=broker, name=name, merged_from=merged_from))
        existing.add(name.upper())
    return added


def record_broker(actor: User, *, name: str, aliases=(), agencies=(), investigations=(), **fields) -> Broker:
    """A draft broker of the actor's organization: its name, its aliases in any script,
    identifiers, addresses, and the agencies and investigations it is tied to."""
    policies.check_record_broker(actor)
    names = _clean_names([name, *aliases])
    if not names:
        raise InvalidInput(_("Give the broker's name."))
    with transaction.atomic():
        broker = kit.create_record(Broker, actor, name=names[0], **fields)
        kit.validate(broker)
        broker.save()
        _add_names(broker, names)
        broker.agencies.set(agencies)
        broker.investigations.set(investigations)
    return broker


def update_broker(broker: Broker, actor: User, *, aliases=None, agencies=None, investigations=None, **fields):
    """Change a draft broker (the kit refuses a shared one: it is kept as it was sent)."""
    with transaction.atomic():
        broker = kit.update_record(broker, actor, **fields)
        if "name" in fields:
            _add_names(broker, [fields["name"]])
        if aliases is not None:
            _add_names(broker, aliases)
        if agencies is not None:
            broker.agencies.set(agencies)
        if investigations is not None:
            broker.investigations.set(investigations)
    return broker


def share_broker(broker: Broker, actor: User) -> Broker:
    return kit.share_record(broker, actor, notify_kind="brokers.broker_shared")


def add_names(broker: Broker, actor: User, names) -> list[BrokerName]:
    """Names and aliases either side learns of a broker, recorded on its timeline."""
    with transaction.atomic():
        broker = kit._readable(broker, actor)
        policies.check_add_name(actor, broker)
        added = _add_names(broker, names)
        if added:
            record_event(broker, "names_added", actor=actor, changes={"names": [row.name for row in added]})
            audit.log("broker.names_added", actor=actor, obj=broker, after={"names": len(added)})
    return added


def merge_brokers(source: Broker, target: Broker, actor: User, *, reason: str = "") -> Broker:
    """``source`` and ``target`` are one broker: ``source``'s names, links and reports
    move to ``target``; ``source`` stays, marked merged, with its own history, and both
    timelines and the audit say so."""
    with transaction.atomic():
        # Both locked in one order (by id), whatever the caller's: two officers merging
        # the same pair both ways at once wait for each other instead of deadlocking.
        first, second = sorted([source, target], key=lambda broker: broker.pk)
        locked = {broker.pk: kit._readable(broker, actor) for broker in (first, second)}
        source, target = locked[source.pk], locked[target.pk]
        policies.check_merge(actor, source, target)
        _add_names(target, source.names.values_list("name", flat=True), merged_from=source)
        target.agencies.add(*source.agencies.all())
        target.investigations.add(*source.investigations.all())
        for report in MisconductReport.objects.filter(brokers=source):
            report.brokers.add(target)
        source.merged_into, source.merged_at = target, timezone.now()
        source.save(update_fields=["merged_into", "merged_at", "updated_at"])
        reason = (reason or "").strip()
        record_event(source, "merged_into", actor=actor, reason=reason, changes={"into": target.reference})
        record_event(target, "merged_from", actor=actor, reason=reason, changes={"from": source.reference})
        audit.log(
            "broker.merged",
            actor=actor,
            obj=target,
            before={"merged": source.pk},
            after={"into": target.pk},
        )
        if source.status == RecordStatus.SHARED:
            other = (
                policies.receiving_side_id(target)
                if actor.organization.side_id == target.origin.side_id
                else target.origin.side_id
            )
            notifications.notify(
                [Organization.objects.get(side_id=other, is_contact_point=True).pk],
                "brokers.merged",
                sender=actor.organization,
                url=target.get_absolute_url(),
                params={"reference": target.reference or "", "merged": source.reference or ""},
            )
    return target


@dataclass(frozen=True)
class Match:
    broker: Broker
    score: float
    name: str


#: Candidates a match returns at most.
MATCH_LIMIT = 10


def match(user: User, query: str, *, limit: int = MATCH_LIMIT, exclude: int | None = None) -> list[Match]:
    """Brokers the user may read whose name or alias is like ``query`` in any script,
    best first: each broker once, with its best-matching name. A merged record answers
    as the broker it was merged into."""
    query = " ".join((query or "").split())
    if not latin_key(query):
        return []
    readable = Broker.objects.restrict(user).filter(merged_into__isnull=True)
    if exclude is not None:
        readable = readable.exclude(pk=exclude)
    rows = ranked(
        BrokerName.objects.filter(broker__in=readable.values("pk")), "key", query, threshold=THRESHOLD
    ).values_list("broker_id", "name", "similarity")[: limit * 5]
    best: dict[int, tuple[float, str]] = {}
    for broker_id, name, score in rows:
        if broker_id not in best:
            best[broker_id] = (score, name)
        if len(best) == limit:
            break
    brokers = Broker.objects.in_bulk(list(best))
    return [Match(brokers[pk], round(score, 3), name) for pk, (score, name) in best.items()]


# --- Misconduct reports (4(1)) ------------------------------------------------------------

#: The facts a report keeps, besides its brokers and links.
REPORT_FIELDS = (
    "categories",
    "held_amount",
    "held_currency",
    "held_items",
    "contract_terms",
    "violence_nature",
    "forged_documents",
    "forged_procedure",
    "fee_amount",
    "fee_currency",
    "workers_affected",
    "period_from",
    "period_to",
    "places",
    "narrative",
)


def _brokers_named(actor: User, brokers) -> list[Broker]:
    """The brokers a report names: at least one, each one the actor may read, a merged
    record replaced by the broker it was merged into."""
    brokers = list(brokers or ())
    if not brokers:
        raise InvalidInput(_("Name at least one broker: find it, or record it first."))
    readable = Broker.objects.restrict(actor).filter(pk__in=[broker.pk for broker in brokers])
    found = {broker.pk: broker for broker in readable.select_related("merged_into")}
    if len(found) != len({broker.pk for broker in brokers}):
        raise InvalidInput(_("One of the brokers named does not exist or cannot be read."))
    return [found[pk].merged_into or found[pk] for pk in found]


def file_report(
    actor: User, *, brokers, files=(), agencies=(), investigations=(), **facts
) -> MisconductReport:
    """A draft report of the actor's organization, with its files; nothing is saved if
    a fact a category needs is missing or a file is refused."""
    policies.check_file_report(actor)
    unknown = set(facts) - set(REPORT_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    named = _brokers_named(actor, brokers)
    for file in files:
        check_upload(file)  # a refused file is refused before anything is written
    with transaction.atomic():
        report = MisconductReport(**facts)
        _validate_report_facts(report)
        report = kit.create_record(MisconductReport, actor, **{name: getattr(report, name) for name in facts})
        report.brokers.set(named)
        report.agencies.set(agencies)
        report.investigations.set(investigations)
        for file in files:
            kit.store_attachment(report, actor, file)
    return report


def _validate_report_facts(report: MisconductReport) -> None:
    """The model's rules that do not need the row saved (categories and their facts)."""
    from django.core.exceptions import ValidationError

    try:
        report.clean_fields(exclude={"memorandum", "origin", "created_by"})
        report.clean()
    except ValidationError as exc:
        raise InvalidInput(_named(report, exc)) from exc


def _named(obj, exc) -> str:
    """A model's refusal with each message after the label of its field: "what
    happened: This field cannot be blank." says what to fix."""
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    parts = []
    for name, errors in exc.message_dict.items():
        try:
            label = str(obj._meta.get_field(name).verbose_name)
        except Exception:
            label = ""
        for message in errors:
            parts.append(f"{label[:1].upper()}{label[1:]}: {message}" if label else message)
    return " ".join(parts)


def update_report(
    report: MisconductReport, actor: User, *, brokers=None, agencies=None, investigations=None, **facts
) -> MisconductReport:
    """Change a draft (a shared report is kept as it was sent; add to it by comments)."""
    unknown = set(facts) - set(REPORT_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    with transaction.atomic():
        report = kit.update_record(report, actor, **facts)
        if brokers is not None:
            report.brokers.set(_brokers_named(actor, brokers))
        if agencies is not None:
            report.agencies.set(agencies)
        if investigations is not None:
            report.investigations.set(investigations)
    return report


def share_report(report: MisconductReport, actor: User) -> MisconductReport:
    """Share a draft report with the other side (4(1): promptly): its contact point is
    told by the report's reference, and creation → sharing is measured. The brokers it
    names that are still drafts of the same organization are shared with it: the other
    side could not read the report's brokers otherwise."""
    with transaction.atomic():
        for broker in report.brokers.filter(status=RecordStatus.DRAFT, origin=report.origin_id):
            kit.share_record(broker, actor, notify_kind=None)
        report = kit.share_record(report, actor, notify_kind="brokers.reported")
    return report


def link_report(report: MisconductReport, actor: User, *, agencies=(), investigations=()) -> MisconductReport:
    """Follow-up: link the report to the sending agencies and investigations it concerns."""
    with transaction.atomic():
        report = kit._readable(report, actor)
        policies.check_link(actor, report)
        report.agencies.add(*agencies)
        report.investigations.add(*investigations)
        changes = {
            "agencies": [agency.pk for agency in agencies],
            "investigations": [investigation.pk for investigation in investigations],
        }
        record_event(report, "linked", actor=actor, changes=changes)
        audit.log("report.linked", actor=actor, obj=report, after=changes)
    return report


def close_report(report: MisconductReport, actor: User, *, outcome: str, note: str) -> MisconductReport:
    """The receiving side closes the report with what it did about it (the kit's
    ``close_with_outcome``, as a test fraud report is closed)."""
    return kit.close_with_outcome(
        report,
        actor,
        outcome=outcome,
        note=note,
        outcomes=Outcome.values,
        closed=ReportStage.CLOSED,
        check=policies.check_close,
        audit_action="report.closed",
        notify_kind="brokers.report_closed",
    )


# --- Promptly (4(1)): reminders and medians ---------------------------------------------


def remind_unacknowledged(now: dt.datetime | None = None) -> int:
    """Daily: the receiving side's contact point is reminded of each shared report that
    has waited for acknowledgement longer than ``BROKERS_ACKNOWLEDGE_WITHIN_DAYS``, once
    a day on its own clock."""
    now = now or timezone.now()
    days = settings.BROKERS_ACKNOWLEDGE_WITHIN_DAYS
    waiting = MisconductReport.objects.filter(
        status=RecordStatus.SHARED,
        acknowledged_at__isnull=True,
        shared_at__lte=now - dt.timedelta(days=days),
    ).values_list("pk", flat=True)
    reminded = 0
    for pk in list(waiting):
        with transaction.atomic():
            report = MisconductReport.objects.select_for_update().get(pk=pk)
            receiving = report.origin.side.counterpart()
            today = timezone.localtime(now, zone_for_country(receiving.country)).date()
            if report.acknowledged_at is not None or report.acknowledgement_reminded_on == today:
                continue
            report.acknowledgement_reminded_on = today
            report.save(update_fields=["acknowledgement_reminded_on"])
            notifications.notify(
                [receiving.contact_point().pk],
                "brokers.acknowledge_reminder",
                sender=report.origin,
                url=report.get_absolute_url(),
                params={"reference": report.reference or "", "days": (now - report.shared_at).days},
            )
            reminded += 1
    return reminded


class _Median(Aggregate):
    """PostgreSQL's median of an interval (``NULL`` rows left out, as ``statistics.median``
    over the values there are; two middle values are averaged the same way)."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


@dataclass
class MonthFigures:
    month: str
    #: The reporting side's country code (JP, TJ).
    side: str
    reports: int
    median_to_share: dt.timedelta | None
    median_to_acknowledge: dt.timedelta | None


def promptness(user: User, *, months: int = 12, now: dt.datetime | None = None) -> list[MonthFigures]:
    """The median time from creation to sharing and from sharing to acknowledgement, per
    reporting side and month of sharing, over the reports the user may read."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=31 * months)
    readable = MisconductReport.objects.restrict(user).filter(
        status=RecordStatus.SHARED, shared_at__gte=since
    )
    if connections[readable.db].vendor == "postgresql":
        # The medians in the database: 100,000 reports read into Python took 1-3 s on
        # every home page (bench/brokers_at_scale.py), this takes 0.15 s.
        rows = (
            readable.annotate(month=TruncMonth("shared_at", tzinfo=timezone.get_current_timezone()))
            .values_list("month", "origin__side__country")
            .annotate(
                reports=Count("pk"),
                to_share=_Median(F("shared_at") - F("created_at")),
                to_acknowledge=_Median(F("acknowledged_at") - F("shared_at")),
            )
            .order_by("-month", "-origin__side__country")
        )
        return [MonthFigures(month.strftime("%Y-%m"), *figures) for month, *figures in rows]
    rows = readable.values_list("origin__side__country", "created_at", "shared_at", "acknowledged_at")
    grouped: dict[tuple[str, str], list] = defaultdict(list)
    for side, created, shared, acknowledged in rows:
        month = timezone.localtime(shared).strftime("%Y-%m")
        grouped[(month, side)].append((shared - created, acknowledged - shared if acknowledged else None))
    figures = []
    for (month, side), pairs in sorted(grouped.items(), reverse=True):
        to_share = [pair[0] for pair in pairs]
        to_ack = [pair[1] for pair in pairs if pair[1] is not None]
        figures.append(
            MonthFigures(
                month=month,
                side=side,
                reports=len(pairs),
                median_to_share=statistics.median(to_share) if to_share else None,
                median_to_acknowledge=statistics.median(to_ack) if to_ack else None,
            )
        )
    return figures


def reports_naming(user: User, broker: Broker):
    """Every report the user may read that names ``broker`` or a record merged into it,
    from either side."""
    ids = [broker.pk, *Broker.objects.filter(merged_into=broker).values_list("pk", flat=True)]
    return MisconductReport.objects.restrict(user).filter(brokers__in=ids).distinct()
