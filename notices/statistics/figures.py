"""The officers' statistics (issue 13): per month and per originating side, what was
certified and revoked, investigated, reported, answered and ordered — every number
counted from the rows the reader may read (``restrict()``), in one grouped aggregate
per figure and date, whatever the number of months or records.

What each figure counts (a month is a calendar month on Japan's clock, the portal's
zone, for every reader, so that both sides and the API read the same numbers):

- ``agencies``: agency events of the memorandum's register moving an agency *to*
  "certified" (not a change of details while certified) and to "revoked", in the month
  of their effective date; the side is the partner side, whose register it is.
- ``investigations``: investigations shared (drafts and withdrawn records never count)
  in the month shared — opened —, and those whose result was sent, in the month it was
  sent — closed.
- ``investigation-time``: the median days from sharing to the result sent, of the
  investigations closed in the month.
- ``broker-reports``: shared broker misconduct reports, in the month shared, by category
  (a)–(e); a report of two categories counts in both, so the categories do not add up to
  the reports.
- ``broker-acknowledgement``: the median hours from sharing to acknowledgement, of the
  reports acknowledged in the month.
- ``inquiries``: shared inquiries answered, in the month answered, on time and late
  (late: answered after the due date on the answering side's clock, as the inquiries'
  service decides; an inquiry without a due date is answered on time).
- ``orders``: shared improvement orders in force (withdrawn ones, recorded in error,
  excluded), in the month of their date issued.

Times are medians (one late record does not drag the figure, as a mean would).

A third party reads a figure only from the records disclosed to it, and only the part
the consenting side gave (``portal.disclosure``): a count of records uses their
metadata (any disclosed record), a category or a date issued needs the originating
side's consent, an acknowledgement, a result or an answer the other side's. A figure
built from fewer than ``statistics_minimum`` records is shown to it as "fewer than N"
(zero included: an empty month is a figure from fewer than N records too), a median
from fewer than N durations likewise; a column's total is shown only when none of its
cells is suppressed ("not shown" otherwise), so that no suppressed cell can be recomputed
from it.
"""

from __future__ import annotations

import base64
import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.aggregates import Aggregate
from django.db.models.functions import TruncMonth
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.choices import RecordStatus
from portal.kept import KeptUntilChange
from portal.timezones import default_zone

COUNT = "records"
DAYS = "days"
HOURS = "hours"

#: The longest period asked at once: ten years of months.
MAX_MONTHS = 120


class Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5) WITHIN GROUP (ORDER BY …)``: the median of an
    interval is an interval, read back as a ``timedelta``."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _interval(end: str, start: str):
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def _medians(records, end: str, start: str) -> list[dict]:
    """``[{"month", "side", "n", "median"}]``: per month of ``end`` and originating side,
    how many records and the median of ``end - start``. One grouped query on
    PostgreSQL; elsewhere (SQLite, a fresh clone's ``make run``) the durations are read
    and the medians taken here."""
    grouped = records.values(month=_month(end), side=F("origin_side")).order_by()
    if connections[records.db].vendor == "postgresql":
        return list(grouped.annotate(n=Count("pk"), median=Median(_interval(end, start))))
    durations: dict[tuple, list] = defaultdict(list)
    for row in grouped.annotate(duration=_interval(end, start)).values("month", "side", "duration"):
        durations[(row["month"], row["side"])].append(row["duration"])
    return [
        {"month": month, "side": side, "n": len(values), "median": statistics.median(values)}
        for (month, side), values in durations.items()
    ]


def _two_months(records, start, end, *, first: str, second: str, second_when: Q, counts: dict[str, Q]):
    """What one record kind gives by two of its dates: per month of ``first`` (sharing)
    and originating side, the ``counts`` (``{name: condition}``, an empty condition for
    every record); and per month of ``second`` (the result, the acknowledgement) and
    side, for the records meeting ``second_when``, how many and the median of
    ``second - first``. Returns ``(by_first, by_second)``, lists of dicts with ``month``
    and ``side``.

    On PostgreSQL one scan with ``GROUPING SETS`` over the restricted rows: the join to
    the grants is most of each query's time at 100,000 records, so it is made once per
    kind, not once per date. Elsewhere, the two grouped queries of the ORM."""
    in_first = _period_filter(first, start, end)
    in_second = _period_filter(second, start, end) & Q(**{f"{second}__isnull": False}) & second_when
    if connections[records.db].vendor != "postgresql":
        by_first = (
            records.filter(in_first)
            .values(month=_month(first), side=F("origin_side"))
            .annotate(**{name: Count("pk", filter=q) if q else Count("pk") for name, q in counts.items()})
            .order_by()
        )
        return list(by_first), _medians(records.filter(in_second), second, first)
    flags = {
        f"counts_{name}": ExpressionWrapper(q, output_field=BooleanField()) if q else Value(True)
        for name, q in counts.items()
    }
    inner = (
        records.filter(in_first | in_second)
        .annotate(
            first_month=Case(When(in_first, then=_month(first)), output_field=DateTimeField()),
            second_month=Case(When(in_second, then=_month(second)), output_field=DateTimeField()),
            duration=_interval(second, first),
            **flags,
        )
        .values("first_month", "second_month", "origin_side", "duration", *flags)
        .order_by()
    )
    sql, params = inner.query.sql_with_params()
    filtered = "".join(f', COUNT(*) FILTER (WHERE "counts_{name}") AS "{name}"' for name in counts)
    query = (
        'SELECT GROUPING("first_month"), "first_month", "second_month", "origin_side", COUNT(*)'  # noqa: S608
        f'{filtered}, percentile_cont(0.5) WITHIN GROUP (ORDER BY "duration") '
        f"FROM ({sql}) AS rows "  # the ORM's own SQL of the restricted rows, with its parameters
        'GROUP BY GROUPING SETS (("first_month", "origin_side"), ("second_month", "origin_side"))'
    )
    by_first, by_second = [], []
    with connections[records.db].cursor() as cursor:
        cursor.execute(query, params)
        for by_second_month, first_month, second_month, side, n, *values in cursor.fetchall():
            *counted, median = values
            if by_second_month and second_month is not None:
                by_second.append({"month": second_month, "side": side, "n": n, "median": median})
            elif not by_second_month and first_month is not None:
                by_first.append(
                    {"month": first_month, "side": side, **dict(zip(counts, counted, strict=True))}
                )
    return by_first, by_second


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    first, last = month_start(start), month_start(end)
    months = []
    while first <= last:
        months.append(first)
        first = add_months(first, 1)
    return months


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last twelve months, the current one included."""
    end = month_start(today)
    return add_months(end, -11), end


# --- What the page, the API and the briefing pack render ---------------------------------


@dataclass
class Cell:
    """One number as the reader may see it: ``value`` (a count, or a median in the
    column's unit), or ``None`` with ``fewer_than`` set when it is suppressed."""

    value: int | float | None
    fewer_than: int | None = None
    #: A total not shown to a third party because a cell of its column is suppressed.
    withheld: bool = False

    @property
    def suppressed(self) -> bool:
        return self.fewer_than is not None or self.withheld

    def __str__(self) -> str:
        if self.withheld:
            return str(_("not shown"))
        if self.fewer_than is not None:
            return str(_("fewer than %(n)s") % {"n": self.fewer_than})
        if self.value is None:
            return "—"
        if isinstance(self.value, float):
            return f"{self.value:.1f}"
        return str(self.value)


@dataclass
class Column:
    key: str  # "<side code>.<measure>"
    side: str  # the side's code
    measure: str
    label: str
    unit: str = COUNT


@dataclass
class Row:
    month: dt.date
    cells: list[Cell]

    @property
    def label(self) -> str:
        return f"{self.month:%Y-%m}"


@dataclass
class Figure:
    key: str
    title: str
    counts: str  # what the figure counts, in a sentence
    columns: list[Column]
    rows: list[Row]
    totals: list[Cell] | None = None
    chart_kind: str = "bar"  # "bar" for counts, "line" for medians

    @property
    def unit(self) -> str:
        return self.columns[0].unit if self.columns else COUNT

    @property
    def alt(self) -> str:
        """What the chart shows, for its ``alt`` and title: the figure, the period, the
        series, and where the exact numbers are."""
        series = ", ".join(column.label for column in self.columns)
        text = _(
            "%(title)s, per month from %(start)s to %(end)s: %(series)s. The numbers are in the table below."
        )
        return str(text) % {
            "title": self.title,
            "start": self.rows[0].label if self.rows else "",
            "end": self.rows[-1].label if self.rows else "",
            "series": series,
        }

    @cached_property
    def svg(self) -> str:
        from .charts import render

        return render(self)

    @property
    def svg_data_uri(self) -> str:
        """The chart for an ``<img>``: no inline SVG, so no ``style`` under the CSP."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


@dataclass
class Statistics:
    start: dt.date
    end: dt.date
    figures: list[Figure] = field(default_factory=list)
    #: N when the reader is a third party (cells below it are "fewer than N").
    fewer_than: int | None = None

    @property
    def months(self) -> list[dt.date]:
        return months_between(self.start, self.end)

    def figure(self, key: str) -> Figure:
        return next(figure for figure in self.figures if figure.key == key)


# --- The counting -------------------------------------------------------------------------


class _Reader:
    """Who counts: the restricted querysets, and for a third party the consent filter and
    the suppression threshold."""

    def __init__(self, user, memorandum):
        from notices.models import terms_for
        from portal.models import Organization, Side

        self.user = user
        self.memorandum = memorandum
        organization = getattr(user, "organization", None) if getattr(user, "organization_id", None) else None
        self.third_party = (
            organization
            if organization is not None and organization.is_third_party and not user.is_superuser
            else None
        )
        self.minimum = terms_for(memorandum).statistics_minimum if self.third_party else None
        self.sides = list(Side.objects.filter(memorandum=memorandum).order_by("pk"))
        # The originating side as a CASE over the few organizations' ids rather than a
        # join to the organizations: at 100,000 rows the join was a fifth of each query.
        by_side: dict[int, list[int]] = defaultdict(list)
        for pk, side_id in Organization.objects.filter(side__memorandum=memorandum).values_list(
            "pk", "side_id"
        ):
            by_side[side_id].append(pk)
        self.origin_side = Case(
            *[When(origin_id__in=ids, then=Value(side_id)) for side_id, ids in sorted(by_side.items())],
            default=Value(None),
            output_field=IntegerField(),
        )

    def records(self, model):
        """The shared records of the memorandum the reader may read."""
        return (
            model.objects.restrict(self.user, "view")
            .filter(memorandum=self.memorandum, status=RecordStatus.SHARED)
            .annotate(origin_side=self.origin_side)
        )

    def part(self, model, part: str) -> Q:
        """For a third party, the records whose ``part`` ("origin" or "counterpart") a
        live written consent of that part's side discloses to it; everyone else: all."""
        if self.third_party is None:
            return Q()
        from portal.models import DisclosureConsent

        live = DisclosureConsent.objects.active().filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=OuterRef("pk"),
            third_party=self.third_party,
        )
        if part == "origin":
            live = live.filter(side_id=OuterRef("origin_side"))
        else:
            live = live.exclude(side_id=OuterRef("origin_side"))
        return Q(Exists(live))

    def cell(self, value, records: int) -> Cell:
        if self.minimum is not None and records < self.minimum:
            return Cell(None, self.minimum)
        return Cell(value)

    def side(self, side_id: int):
        return next((side for side in self.sides if side.pk == side_id), None)


def _month(name: str, *, is_date: bool = False):
    """The month of a date, or of a time on Japan's clock."""
    return TruncMonth(name) if is_date else TruncMonth(name, tzinfo=default_zone())


def _as_month(value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.astimezone(default_zone()).date() if value.tzinfo else value.date()
    return value


def _grid(reader: _Reader, months, columns, found) -> list[Row]:
    """Rows for every month, zero where nothing was found: ``found[(month, column key)]``
    is ``(value, records)``."""
    rows = []
    for month in months:
        cells = []
        for column in columns:
            value, records = found.get((month, column.key), (0 if column.unit == COUNT else None, 0))
            cells.append(reader.cell(value, records))
        rows.append(Row(month, cells))
    return rows


def _totals(reader: _Reader, columns, rows, found) -> list[Cell]:
    """Each count column's total over the period; a median column has none (a median of
    the period is not the sum of its months'). A third party gets a total only when no
    cell of its column is suppressed."""
    totals = []
    for index, column in enumerate(columns):
        if column.unit != COUNT:
            totals.append(Cell(None))
            continue
        if any(row.cells[index].suppressed for row in rows):
            totals.append(Cell(None, withheld=True))
            continue
        totals.append(Cell(sum(found.get((row.month, column.key), (0, 0))[0] for row in rows)))
    return totals


def _side_columns(reader: _Reader, measures, sides=None, unit=COUNT) -> list[Column]:
    return [
        Column(f"{side.code}.{key}", side.code, key, f"{capfirst(side.name)} — {label}", unit)
        for side in (sides if sides is not None else reader.sides)
        for key, label in measures
    ]


def _collect(found, reader, month_value, side_id, measures: dict) -> None:
    """Put one grouped row's measures into ``found``: ``{measure: (value, records)}``."""
    side = reader.side(side_id)
    if side is None:
        return
    month = _as_month(month_value)
    for key, pair in measures.items():
        found[(month, f"{side.code}.{key}")] = pair


def _period_filter(name: str, start: dt.date, end: dt.date, *, is_date: bool = False) -> Q:
    """``name`` within the months ``start``–``end`` on Japan's clock."""
    after = add_months(month_start(end), 1)
    if is_date:
        return Q(**{f"{name}__gte": month_start(start), f"{name}__lt": after})
    zone = default_zone()
    return Q(
        **{
            f"{name}__gte": dt.datetime.combine(month_start(start), dt.time(), zone),
            f"{name}__lt": dt.datetime.combine(after, dt.time(), zone),
        }
    )


def agencies_figure(reader: _Reader, start, end, months) -> Figure:
    from agencies.choices import AgencyStatus
    from agencies.models import AgencyEvent

    partner = [side for side in reader.sides if side.country == reader.memorandum.partner_country]
    columns = _side_columns(reader, [("certified", _("certified")), ("revoked", _("revoked"))], sides=partner)
    certified = Q(to_status=AgencyStatus.CERTIFIED) & ~Q(from_status=AgencyStatus.CERTIFIED)
    revoked = Q(to_status=AgencyStatus.REVOKED)
    rows = (
        AgencyEvent.objects.restrict(reader.user, "view")
        .filter(agency__memorandum=reader.memorandum)
        .filter(certified | revoked)
        .filter(_period_filter("effective_on", start, end, is_date=True))
        .values(month=_month("effective_on", is_date=True))
        .annotate(certified=Count("pk", filter=certified), revoked=Count("pk", filter=revoked))
        .order_by()
    )
    found = {}
    for row in rows:
        for side in partner:
            _collect(
                found,
                reader,
                row["month"],
                side.pk,
                {"certified": (row["certified"],) * 2, "revoked": (row["revoked"],) * 2},
            )
    grid = _grid(reader, months, columns, found)
    return Figure(
        "agencies",
        str(_("Sending agencies certified and revoked")),
        str(
            _(
                "Certifications and revocations of sending agencies, in the month they took effect. "
                "A change of an agency's details while certified is not counted."
            )
        ),
        columns,
        grid,
        _totals(reader, columns, grid, found),
    )


def investigation_figures(reader: _Reader, start, end, months) -> list[Figure]:
    from agencies.choices import InvestigationStatus
    from agencies.models import Investigation

    opened, closed = _two_months(
        reader.records(Investigation),
        start,
        end,
        first="shared_at",
        second="result_sent_at",
        second_when=Q(stage=InvestigationStatus.RESULT_SENT) & reader.part(Investigation, "counterpart"),
        counts={"n": Q()},
    )
    counts, times = {}, {}
    for row in opened:
        _collect(counts, reader, row["month"], row["side"], {"opened": (row["n"], row["n"])})
    for row in closed:
        _collect(counts, reader, row["month"], row["side"], {"closed": (row["n"], row["n"])})
        _collect(times, reader, row["month"], row["side"], {"median": (_days(row["median"]), row["n"])})
    count_columns = _side_columns(reader, [("opened", _("opened")), ("closed", _("closed"))])
    time_columns = _side_columns(reader, [("median", _("median days to result"))], unit=DAYS)
    count_rows = _grid(reader, months, count_columns, counts)
    time_rows = _grid(reader, months, time_columns, times)
    return [
        Figure(
            "investigations",
            str(_("Investigations opened and closed")),
            str(
                _(
                    "Investigations shared with the other side (opened), in the month shared, and those "
                    "whose result was sent (closed), in the month it was sent. Drafts and withdrawn "
                    "records are not counted."
                )
            ),
            count_columns,
            count_rows,
            _totals(reader, count_columns, count_rows, counts),
        ),
        Figure(
            "investigation-time",
            str(_("Time to the result of an investigation")),
            str(
                _(
                    "The median number of days from sharing an investigation to sending its result, "
                    "of the investigations closed in the month."
                )
            ),
            time_columns,
            time_rows,
            chart_kind="line",
        ),
    ]


def broker_figures(reader: _Reader, start, end, months) -> list[Figure]:
    from brokers.choices import Category
    from brokers.models import MisconductReport

    origin = reader.part(MisconductReport, "origin")
    by_category = {category.value: Q(categories__contains=category.value) & origin for category in Category}
    reported, acknowledged = _two_months(
        reader.records(MisconductReport),
        start,
        end,
        first="shared_at",
        second="acknowledged_at",
        second_when=reader.part(MisconductReport, "counterpart"),
        counts=by_category,
    )
    counts, times = {}, {}
    for row in reported:
        _collect(
            counts, reader, row["month"], row["side"], {key: (row[key], row[key]) for key in by_category}
        )
    for row in acknowledged:
        _collect(times, reader, row["month"], row["side"], {"median": (_hours(row["median"]), row["n"])})
    count_columns = _side_columns(reader, [(category.value, f"({category.value})") for category in Category])
    time_columns = _side_columns(reader, [("median", _("median hours to acknowledgement"))], unit=HOURS)
    count_rows = _grid(reader, months, count_columns, counts)
    time_rows = _grid(reader, months, time_columns, times)
    legend = "; ".join(str(category.label) for category in Category)
    return [
        Figure(
            "broker-reports",
            str(_("Broker misconduct reports by category")),
            str(
                _(
                    "Broker misconduct reports shared with the other side, in the month shared, by "
                    "category of 4(1): %(categories)s. A report of several categories counts in each."
                )
            )
            % {"categories": legend},
            count_columns,
            count_rows,
            _totals(reader, count_columns, count_rows, counts),
        ),
        Figure(
            "broker-acknowledgement",
            str(_("Time to the acknowledgement of a broker report")),
            str(
                _(
                    "The median number of hours from sharing a broker misconduct report to its "
                    "acknowledgement by the other side, of the reports acknowledged in the month."
                )
            ),
            time_columns,
            time_rows,
            chart_kind="line",
        ),
    ]


def inquiries_figure(reader: _Reader, start, end, months) -> Figure:
    from notices.models import Inquiry

    # An answer to an inquiry without a due date could not be late: on time.
    late, on_time = Q(answered_late=True), ~Q(answered_late=True)
    rows = (
        reader.records(Inquiry)
        .filter(reader.part(Inquiry, "counterpart"), answered_at__isnull=False)
        .filter(_period_filter("answered_at", start, end))
        .values(month=_month("answered_at"), side=F("origin_side"))
        .annotate(on_time=Count("pk", filter=on_time), late=Count("pk", filter=late))
        .order_by()
    )
    found = {}
    for row in rows:
        _collect(
            found,
            reader,
            row["month"],
            row["side"],
            {"on_time": (row["on_time"],) * 2, "late": (row["late"],) * 2},
        )
    columns = _side_columns(reader, [("on_time", _("answered on time")), ("late", _("answered late"))])
    grid = _grid(reader, months, columns, found)
    return Figure(
        "inquiries",
        str(_("Inquiries answered on time and late")),
        str(
            _(
                "Inquiries answered, in the month answered, by the side that asked them: on time (by "
                "the due date) or late."
            )
        ),
        columns,
        grid,
        _totals(reader, columns, grid, found),
    )


def orders_figure(reader: _Reader, start, end, months) -> Figure:
    from notices.models import ImprovementOrder
    from notices.orders.choices import OrderState

    rows = (
        reader.records(ImprovementOrder)
        .filter(reader.part(ImprovementOrder, "origin"), state=OrderState.IN_FORCE)
        .filter(_period_filter("issued_on", start, end, is_date=True))
        .values(month=_month("issued_on", is_date=True), side=F("origin_side"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = {}
    for row in rows:
        _collect(found, reader, row["month"], row["side"], {"issued": (row["n"], row["n"])})
    columns = _side_columns(reader, [("issued", _("improvement orders"))])
    grid = _grid(reader, months, columns, found)
    return Figure(
        "orders",
        str(_("Improvement orders")),
        str(
            _(
                "Improvement orders in force, in the month of their date issued. Orders withdrawn as "
                "recorded in error are not counted."
            )
        ),
        columns,
        grid,
        _totals(reader, columns, grid, found),
    )


def _days(value: dt.timedelta | None) -> float | None:
    return round(value.total_seconds() / 86400, 1) if value is not None else None


def _hours(value: dt.timedelta | None) -> float | None:
    return round(value.total_seconds() / 3600, 1) if value is not None else None


#: An organization's figures, kept until the next audited change (``portal.kept``): what
#: its officers read is what its group was granted, and every share, acknowledgement,
#: answer, result and certification is audited. At 100,000 records of each kind the
#: figures are ~0.5 s of grouped scans over the grants; read again, nothing.
_KEPT = KeptUntilChange(seconds=300, size=256)


def compute(user, *, memorandum, start: dt.date, end: dt.date) -> Statistics:
    """The figures ``user`` may read for the months from ``start`` to ``end`` (both
    included; any day of a month stands for the month): a constant number of queries,
    one grouped aggregate per figure and date. Charts are drawn when first asked for.

    The figures of a side's organization are kept for its officers (they read what
    its group was granted, ``restrict()``); a third party's are never kept — a consent
    that lapses changes them with no audited write."""
    start, end = month_start(start), month_start(end)
    if start > end:
        raise ValueError("start after end")
    organization = getattr(user, "organization", None) if getattr(user, "organization_id", None) else None
    if not user.is_active:
        return _compute(user, memorandum, start, end)
    if user.is_superuser:
        who = "superuser"
    elif organization is not None and not organization.is_third_party:
        who = organization.group_id
    else:
        return _compute(user, memorandum, start, end)
    key = (who, memorandum.pk, start, end, get_language())
    return _KEPT.get(key, lambda: _compute(user, memorandum, start, end))


def _compute(user, memorandum, start: dt.date, end: dt.date) -> Statistics:
    reader = _Reader(user, memorandum)
    months = months_between(start, end)
    figures = [
        agencies_figure(reader, start, end, months),
        *investigation_figures(reader, start, end, months),
        *broker_figures(reader, start, end, months),
        inquiries_figure(reader, start, end, months),
        orders_figure(reader, start, end, months),
    ]
    return Statistics(start, end, figures, reader.minimum)
