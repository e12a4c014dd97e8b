"""Charts of the statistics, drawn on the server as SVG with matplotlib.

matplotlib rather than pygal: its SVG backend keeps text as text (``svg.fonttype =
"none"``, so Japanese, Russian and Tajik labels are set by the reader's fonts and stay
searchable in a PDF), and with a fixed ``svg.hashsalt`` and no date metadata the same
figure gives the same bytes — which is what lets a chart be cached by its content. The
chart goes into an ``<img>`` as a ``data:`` URI, so neither the page's CSP nor
WeasyPrint meets a script or a style attribute of the page's own.

A chart draws only what its table shows: a cell suppressed for a third party ("fewer
than N") is drawn as nothing, never as its value. The cache key is a digest of what is
drawn (the figure's labels and shown numbers, the language): two readers share a chart
only when they would see the very same chart, so one reader's figures are never served
to another.
"""

from __future__ import annotations

import hashlib
import io
import json

from django.core.cache import cache
from django.utils import translation

#: Bump when the drawing changes, so that cached charts are drawn again.
VERSION = 1
CACHE_SECONDS = 24 * 3600
FONTS = ["DejaVu Sans", "IPAexGothic"]
#: Hatches tell the series apart without colour (WCAG 1.4.1).
HATCHES = ["", "//", "..", "xx", "\\\\", "oo", "--", "++", "**", "||"]
MARKERS = ["o", "s", "^", "D", "v", "P"]
COLOURS = [
    "#1f5fa8",
    "#c2571a",
    "#2e7d32",
    "#6a3d9a",
    "#8c6d00",
    "#0f7c8c",
    "#b0306a",
    "#555555",
    "#7b5a2a",
    "#3b6e3b",
]

RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "moc-portal-statistics",
    "font.family": "sans-serif",
    "font.sans-serif": FONTS,
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _shown(figure) -> dict:
    return {
        "v": VERSION,
        "lang": translation.get_language(),
        "kind": figure.chart_kind,
        "title": figure.title,
        "unit": figure.unit,
        "columns": [column.label for column in figure.columns],
        "months": [row.label for row in figure.rows],
        "values": [[None if cell.suppressed else cell.value for cell in row.cells] for row in figure.rows],
    }


def render(figure) -> str:
    """The figure's chart as SVG text, from the cache when the same chart was drawn."""
    shown = _shown(figure)
    key = "statistics-chart:" + hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = draw(figure, shown)
        cache.set(key, svg, CACHE_SECONDS)
    return svg


def _unit_label(unit: str) -> str:
    from django.utils.translation import gettext

    return {"records": gettext("records"), "days": gettext("days"), "hours": gettext("hours")}.get(unit, unit)


def draw(figure, shown: dict) -> str:
    import matplotlib
    from matplotlib.figure import Figure as Canvas

    months = shown["months"]
    columns = shown["columns"]
    values = shown["values"]
    with matplotlib.rc_context(RC):
        canvas = Canvas(figsize=(8, 3.4), dpi=72)
        axes = canvas.subplots()
        positions = list(range(len(months)))
        if figure.chart_kind == "line":
            for index, label in enumerate(columns):
                series = [row[index] for row in values]
                axes.plot(
                    positions,
                    [float("nan") if value is None else value for value in series],
                    marker=MARKERS[index % len(MARKERS)],
                    color=COLOURS[index % len(COLOURS)],
                    label=label,
                )
        else:
            width = 0.8 / max(len(columns), 1)
            for index, label in enumerate(columns):
                series = [row[index] for row in values]
                axes.bar(
                    [p - 0.4 + width * (index + 0.5) for p in positions],
                    [0 if value is None else value for value in series],
                    width,
                    label=label,
                    color=COLOURS[index % len(COLOURS)],
                    hatch=HATCHES[index % len(HATCHES)],
                    edgecolor="white",
                    linewidth=0.3,
                )
            axes.yaxis.get_major_locator().set_params(integer=True)
        axes.set_xticks(positions, months, rotation=45 if len(months) > 6 else 0, ha="right")
        axes.set_ylabel(_unit_label(shown["unit"]))
        axes.set_ylim(bottom=0)
        axes.set_title(shown["title"])
        axes.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        canvas.tight_layout()
        out = io.StringIO()
        canvas.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()
