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

#: Bump when the drawing changes, so that cached charts are drawn again (matplotlib's
#: own version is part of the key too).
VERSION = 3
CACHE_SECONDS = 24 * 3600
FONTS = ["DejaVu Sans", "IPAexGothic"]
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
    # A list of families, not "sans-serif": matplotlib then falls back glyph by glyph
    # (Latin and Cyrillic from DejaVu Sans, kana and kanji from IPAexGothic) when it
    # measures the labels, and the SVG names both for the reader's renderer.
    "font.family": FONTS,
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _shown(figure) -> dict:
    import matplotlib

    return {
        "v": [VERSION, matplotlib.__version__],
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
    """Bars (a ``PolyCollection`` per series: one artist, not one per bar, which is most
    of matplotlib's time) or lines with a marker shape per series; the legend names each
    series, and the table beside the chart gives every number in text."""
    import matplotlib
    from matplotlib.collections import PolyCollection
    from matplotlib.figure import Figure as Canvas
    from matplotlib.patches import Patch

    months, columns, values = shown["months"], shown["columns"], shown["values"]
    positions = range(len(months))
    with matplotlib.rc_context(RC):
        canvas = Canvas(figsize=(8, 3.4), dpi=72)
        axes = canvas.subplots()
        top = max((value for row in values for value in row if value is not None), default=0) or 1
        if figure.chart_kind == "line":
            for index, label in enumerate(columns):
                axes.plot(
                    list(positions),
                    [float("nan") if row[index] is None else row[index] for row in values],
                    marker=MARKERS[index % len(MARKERS)],
                    color=COLOURS[index % len(COLOURS)],
                    label=label,
                )
            handles = None
        else:
            width = 0.8 / max(len(columns), 1)
            handles = []
            for index, label in enumerate(columns):
                left = [p - 0.4 + width * index for p in positions]
                heights = [row[index] or 0 for row in values]  # a suppressed cell: no bar
                bars = [
                    [(x, 0), (x, h), (x + width, h), (x + width, 0)]
                    for x, h in zip(left, heights, strict=True)
                    if h
                ]
                colour = COLOURS[index % len(COLOURS)]
                axes.add_collection(
                    PolyCollection(bars, facecolors=colour, edgecolors="white", linewidths=0.3)
                )
                handles.append(Patch(facecolor=colour, label=label))
            axes.set_xlim(-0.6, len(months) - 0.4)
            axes.yaxis.get_major_locator().set_params(integer=True)
        axes.set_ylim(0, top * 1.1)
        axes.set_xticks(list(positions), months, rotation=45 if len(months) > 6 else 0, ha="right")
        axes.set_ylabel(_unit_label(shown["unit"]))
        axes.set_title(shown["title"])
        axes.legend(handles=handles, fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        out = io.StringIO()
        # "tight" takes in the legend beside the axes (one more layout pass, cheaper than
        # tight_layout's).
        canvas.savefig(out, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return out.getvalue()
