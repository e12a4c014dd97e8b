"""The statistics in the API (``GET /api/v1/statistics/?from=YYYY-MM&to=YYYY-MM``): the
same figures as the page (``figures.compute``), the same period rules (``PeriodForm``),
counted from what the caller may read. A cell suppressed for a third party is
``{"count": null, "fewer_than": N}`` (a median: ``{"median": null, "fewer_than": N}``)."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .figures import COUNT
from .forms import PeriodForm
from .views import memorandum_of


class CellSerializer(serializers.Serializer):
    """One number: ``count`` in a column of records, ``median`` in a column of days or
    hours; ``null`` with ``fewer_than`` when suppressed for a third party."""

    count = serializers.IntegerField(required=False, allow_null=True)
    median = serializers.FloatField(required=False, allow_null=True)
    fewer_than = serializers.IntegerField(allow_null=True)
    withheld = serializers.BooleanField(
        required=False, help_text="A total not shown to a third party: a cell of its column is suppressed."
    )


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="<side code>.<measure>")
    side = serializers.CharField(help_text="The originating side's code.")
    measure = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.ChoiceField(choices=["records", "days", "hours"])


class RowSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    cells = CellSerializer(many=True)


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    counts = serializers.CharField(help_text="What the figure counts.")
    columns = ColumnSerializer(many=True)
    rows = RowSerializer(many=True)
    totals = CellSerializer(
        many=True, allow_null=True, help_text="Per column over the period; null for medians."
    )


class StatisticsSerializer(serializers.Serializer):
    start = serializers.CharField(help_text="YYYY-MM")
    end = serializers.CharField(help_text="YYYY-MM")
    fewer_than = serializers.IntegerField(
        allow_null=True, help_text="For a third party: cells built from fewer records are suppressed."
    )
    figures = FigureSerializer(many=True)


def _cell(cell, unit: str) -> dict:
    shown = {("count" if unit == COUNT else "median"): cell.value, "fewer_than": cell.fewer_than}
    return {**shown, "withheld": True} if cell.withheld else shown


def as_data(statistics) -> dict:
    """The figures as JSON-ready data (the API's body)."""
    figures = []
    for figure in statistics.figures:
        units = [column.unit for column in figure.columns]
        figures.append(
            {
                "key": figure.key,
                "title": figure.title,
                "counts": figure.counts,
                "columns": [
                    {"key": c.key, "side": c.side, "measure": c.measure, "label": c.label, "unit": c.unit}
                    for c in figure.columns
                ],
                "rows": [
                    {
                        "month": row.label,
                        "cells": [_cell(cell, unit) for cell, unit in zip(row.cells, units, strict=True)],
                    }
                    for row in figure.rows
                ],
                "totals": [_cell(cell, unit) for cell, unit in zip(figure.totals, units, strict=True)]
                if figure.totals
                else None,
            }
        )
    return {
        "start": f"{statistics.start:%Y-%m}",
        "end": f"{statistics.end:%Y-%m}",
        "fewer_than": statistics.fewer_than,
        "figures": figures,
    }


class _OneObject(AutoSchema):
    """The route's ``list`` answers one object (the figures), not a list of them."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class StatisticsViewSet(viewsets.ViewSet):
    """Counted per month and per originating side from the records the caller may read."""

    schema = _OneObject()

    @extend_schema(
        summary="Statistics per month and side",
        parameters=[
            OpenApiParameter(
                "from", str, description="First month, YYYY-MM (default: 11 months before `to`)."
            ),
            OpenApiParameter("to", str, description="Last month, YYYY-MM (default: this month, JST)."),
        ],
        responses=StatisticsSerializer,
    )
    def list(self, request):
        from .figures import compute

        form = PeriodForm(request.query_params)
        if not form.is_valid():
            errors = {{"start": "from", "end": "to"}.get(k, k): v for k, v in form.errors.items()}
            raise ValidationError(errors)
        start, end = form.period()
        statistics = compute(request.user, memorandum=memorandum_of(request.user), start=start, end=end)
        return Response(as_data(statistics))


ROUTES = [("statistics", StatisticsViewSet, "statistics")]
