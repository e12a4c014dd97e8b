"""Exports of misconduct reports (clause 3): the filtered list as CSV and PDF, one report
as PDF. Each reads through ``restrict()`` and ``portal.disclosure`` exactly as the pages
do (the list takes the page's own filters), is audited (``report.exported``) and names
inside the file who exported it, for which organization and when, on that reader's
side's clock. PDFs are rendered in the request: a report is small and the list capped."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.generic import View

from portal import audit
from portal.disclosure import disclose, disclose_all
from portal.timezones import offset_label, zone_for
from portal.views.base import get_restricted_or_404

from .filters import ReportFilterSet
from .models import MisconductReport
from .services import REPORT_FIELDS
from .views import category_labels, report_facts, report_rows

#: The list PDF holds at most this many reports (the CSV holds them all); the file says so.
PDF_ROW_LIMIT = 500

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection), as the public lists and the
    audit export do: a cell that starts with = + - @ (or a tab/return) is prefixed with
    an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def stamp(user) -> dict:
    """Who exported, for whom and when: the reader's name, organization and the time on
    the reader's side's clock (Japan's for a third party), with its offset."""
    now = timezone.localtime(timezone.now(), zone_for(user))
    organization = getattr(user, "organization", None)
    return {
        "name": user.get_full_name() or user.get_username(),
        "username": user.get_username(),
        "organization": organization.name if organization is not None else "",
        "at": f"{now:%Y-%m-%d %H:%M} ({offset_label(now)})",
        "now": now,
    }


def _local(value: dt.datetime | None, zone) -> str:
    if not isinstance(value, dt.datetime):
        return ""
    return timezone.localtime(value, zone).isoformat(timespec="minutes")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def filtered_reports(request):
    """The reports of the list page for the same query string, newest first."""
    queryset = MisconductReport.objects.restrict(request.user)
    filterset = ReportFilterSet(request.GET or None, queryset=queryset, request=request)
    return filterset, report_rows(filterset.qs)


def _filters(filterset) -> dict:
    if not filterset.is_bound or not filterset.is_valid():
        return {}
    return {
        name: str(value) for name, value in filterset.form.cleaned_data.items() if value not in (None, "")
    }


def _log(user, *, fmt: str, report=None, rows: int | None = None, filters=None) -> None:
    with transaction.atomic():
        if report is not None:
            audit.log("report.exported", actor=user, obj=report, after={"format": fmt})
        else:
            audit.log(
                "report.exported",
                actor=user,
                model=MisconductReport,
                after={"format": fmt, "rows": rows, "filters": filters or {}},
            )


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _field_label(name: str):
    """A column named as the model names its field (one label for page, form and file)."""
    return lambda: capfirst(MisconductReport._meta.get_field(name).verbose_name)


CSV_COLUMNS = [
    ("reference", lambda: _("Reference")),
    ("side", lambda: _("Reporting side")),
    ("status", lambda: _("Status")),
    ("created_at", lambda: _("Created")),
    ("shared_at", lambda: _("Shared")),
    ("acknowledged_at", lambda: _("Acknowledged")),
    ("stage", lambda: _("Stage")),
    ("categories", lambda: _("Categories of misconduct")),
    ("brokers", lambda: _("Brokers named")),
    *(
        (name, _field_label(name))
        for name in (*(name for name in REPORT_FIELDS if name != "categories"), "outcome", "closed_at")
    ),
]


def csv_row(report, zone) -> list[str]:
    """One disclosed report as the CSV's cells: a withheld part is an empty cell."""
    values = {
        "reference": report.reference,
        "side": report.origin.side.name if report.origin.side_id else "",
        "status": report.get_status_display(),
        "created_at": _local(report.created_at, zone),
        "shared_at": _local(report.shared_at, zone),
        "acknowledged_at": _local(report.acknowledged_at, zone),
        "stage": report.get_stage_display(),
        "categories": " ".join(f"({letter})" for letter in (report.categories or "")),
        "brokers": "; ".join(broker.name for broker in report.brokers.all()),
        "outcome": report.get_outcome_display(),
        "closed_at": _local(report.closed_at, zone),
    }
    for name, _label in CSV_COLUMNS:
        if name not in values:
            values[name] = _text(getattr(report, name))
    return [csv_cell(values[name]) for name, _label in CSV_COLUMNS]


class ReportListCSVView(LoginRequiredMixin, View):
    """``/brokers/reports.csv?<the list's filters>``: every report of the filtered list."""

    http_method_names = ["get"]

    def get(self, request):
        user = request.user
        filterset, reports = filtered_reports(request)
        rows = disclose_all(reports, user)
        who = stamp(user)
        zone = who["now"].tzinfo
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(
            [
                csv_cell(_("Broker misconduct reports")),
                csv_cell(_("Exported by %(name)s (%(username)s), %(organization)s, %(at)s") % who),
                csv_cell(_("Confidential (clause 3 of the Memorandum of Cooperation)")),
            ]
        )
        writer.writerow([csv_cell(label()) for _name, label in CSV_COLUMNS])
        for report in rows:
            writer.writerow(csv_row(report, zone))
        _log(user, fmt="csv", rows=len(rows), filters=_filters(filterset))
        content = ("\ufeff" + out.getvalue()).encode("utf-8")  # a BOM: spreadsheets read UTF-8
        return _download(content, "text/csv; charset=utf-8", f"broker-reports-{who['now']:%Y%m%d-%H%M}.csv")


class ReportListPDFView(LoginRequiredMixin, View):
    """``/brokers/reports.pdf?<the list's filters>``: the first ``PDF_ROW_LIMIT`` reports
    of the filtered list; the file says when there are more."""

    http_method_names = ["get"]

    def get(self, request):
        user = request.user
        filterset, reports = filtered_reports(request)
        total = reports.count()
        rows = disclose_all(reports[:PDF_ROW_LIMIT], user)
        who = stamp(user)
        html = render_to_string(
            "brokers/pdf/report_list.html",
            {
                "who": who,
                "rows": [(report, category_labels(report.categories)) for report in rows],
                "total": total,
                "limit": PDF_ROW_LIMIT,
                "truncated": total > PDF_ROW_LIMIT,
                "filters": _filters(filterset),
            },
            request=request,
        )
        content = _pdf(html)
        _log(user, fmt="pdf", rows=len(rows), filters=_filters(filterset))
        return _download(content, "application/pdf", f"broker-reports-{who['now']:%Y%m%d-%H%M}.pdf")


class ReportPDFView(LoginRequiredMixin, View):
    """``/brokers/reports/<pk>/report.pdf``: one report as its reader may read it."""

    http_method_names = ["get"]

    def get(self, request, pk: int):
        user = request.user
        report = get_restricted_or_404(MisconductReport, user, pk)
        shown = disclose(report, user)
        who = stamp(user)
        html = render_to_string(
            "brokers/pdf/report.html",
            {
                "who": who,
                "report": shown,
                "categories": category_labels(shown.categories),
                "facts": report_facts(shown),
                "brokers": list(shown.brokers.all()),
                "time_to_share": shown.time_to_share if shown.shared_at else None,
                "time_to_acknowledge": shown.time_to_acknowledge if shown.acknowledged_at else None,
            },
            request=request,
        )
        content = _pdf(html)
        _log(user, fmt="pdf", report=report)
        name = (report.reference or f"draft-{report.pk}").replace("/", "-")
        return _download(content, "application/pdf", f"broker-report-{name}.pdf")
