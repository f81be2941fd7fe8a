"""Shared look of every seqviz figure: fonts, colours, sizes, export settings (the export itself is
static_export.py's).

Figures are projected on classroom walls and pasted into slides, so text is large, the background is
white, and exports are 3x resolution. Labels may be Chinese, so the font list carries CJK fallbacks.
"""

from __future__ import annotations

import copy
import html
import json
import re
import threading
import unicodedata
from collections import OrderedDict
from functools import lru_cache, wraps
from typing import Any

import numpy as np
from plotly.basedatatypes import BaseTraceType
from plotly.subplots import make_subplots

from .lazy_figure import Figure, full_form

FONT_FAMILY = "Inter, 'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', 'Helvetica Neue', Arial, sans-serif"
TEXT_COLOR = "#222222"
FRAME_COLOR = "#b0b0b0"

# Attention weights: white at 0 (no attention looks empty), dark blue at 1.
WEIGHT_COLORSCALE = [
    [0.0, "#ffffff"],
    [0.15, "#deebf7"],
    [0.35, "#9ecae1"],
    [0.6, "#4292c6"],
    [0.8, "#2171b5"],
    [1.0, "#08306b"],
]
# Raw scores: purple below 0, white at 0, orange above (kept away from the weights' blue).
SCORE_COLORSCALE = [
    [0.0, "#542788"],
    [0.25, "#998ec3"],
    [0.5, "#f7f7f7"],
    [0.75, "#f1a340"],
    [1.0, "#b35806"],
]
# Blocked cells in weight/score heatmaps: a mid grey that no colour of either scale comes near.
MASKED_COLOR = "#8c8c8c"
# Mask figures: may attend = strong blue, blocked = light grey.
MASK_ALLOWED_COLOR = "#1f5fa8"
MASK_BLOCKED_COLOR = "#e3e3e3"
# What a figure singles out: the best beam path, the highlighted series.
HIGHLIGHT_COLOR = "#e6550d"

_FALLBACK_FILENAME = "seqviz_figure"

# Characters plotly would turn into line breaks, or that would be invisible as a tick label.
_VISIBLE_WHITESPACE = {"\n": "↵", "\r": "", "\t": "⇥"}


def font_sizes(presentation: bool) -> dict[str, int]:
    """Font sizes in px; presentation mode is ~1.5x for the back of a classroom."""
    if presentation:
        return {"base": 22, "title": 28, "tick": 20, "cell": 20}
    return {"base": 14, "title": 18, "tick": 13, "cell": 13}


def display_label(label: Any, max_chars: int | None = None) -> str:
    """A token as plain, visible text for plotly (which renders some HTML in labels).

    "<eos>" or "<script>" stays visible as text and is never markup; a space token becomes "␣";
    newlines and tabs become arrows so they do not break the line.
    """
    text = str(label)
    if text == "":
        return "∅"
    if text.strip() == "" and "\n" not in text and "\t" not in text:
        text = "␣" * len(text)
    for raw, shown in _VISIBLE_WHITESPACE.items():
        text = text.replace(raw, shown)
    if max_chars is not None and len(text) > max_chars:
        text = text[: max_chars - 1] + "…"
    # Plotly decodes entities inside text nodes, so &lt; shows as "<" but is never parsed as a tag.
    return html.escape(text, quote=False)


def plain_text(text: Any) -> str:
    """Title/annotation text shown literally (no markup); newlines kept as line breaks."""
    return html.escape(str(text), quote=False).replace("\n", "<br>")


def safe_filename(*parts: Any) -> str:
    """ASCII-only, lower-case file stem from the given parts, joined by "_" (max 80 chars)."""
    joined = "_".join(str(p) for p in parts if p is not None and str(p) != "")
    ascii_text = unicodedata.normalize("NFKD", joined).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^a-z0-9_-]+", "_", ascii_text.lower())
    stem = re.sub(r"_+", "_", stem).strip("_-")[:80].strip("_-")
    return stem or _FALLBACK_FILENAME


def plotly_config(filename: str) -> dict[str, Any]:
    """`config=` for st.plotly_chart: no logo; the toolbar keeps the camera (a 3x PNG with a safe name) and
    reset, so it stays short, at the corner (dragging still zooms). Touch screens do without it (page CSS)."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "scale": 3, "filename": safe_filename(filename)},
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "zoom2d", "pan2d", "zoomIn2d", "zoomOut2d"],
        "responsive": True,
    }


def top_margin(title: str, presentation: bool) -> int:
    """Room above the plot for the figure title."""
    return int(font_sizes(presentation)["title"] * 2.6) if title else 16


_AXIS = {
    "gridcolor": "#EBF0F8",
    "linecolor": "#EBF0F8",
    "ticks": "",
    "title": {"standoff": 15},
    "zerolinecolor": "#EBF0F8",
    "zerolinewidth": 2,
    "automargin": True,
}
# plotly_white's look, cut to what seqviz figures use: the full template carries defaults for every trace
# type and costs ~25 ms per figure to validate.
TEMPLATE = {
    "layout": {
        "xaxis": _AXIS,
        "yaxis": _AXIS,
        "hovermode": "closest",
        "autotypenumbers": "strict",
        "coloraxis": {"colorbar": {"outlinewidth": 0, "ticks": ""}},
        "colorway": ["#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3"],
    },
    "data": {
        "heatmap": [{"type": "heatmap", "colorbar": {"outlinewidth": 0, "ticks": ""}}],
        "bar": [{"type": "bar", "marker": {"line": {"color": "white", "width": 0.5}}}],
    },
}


def legend_below(presentation: bool) -> tuple[dict, int]:
    """A horizontal legend pinned to the figure's bottom edge, and the px it needs."""
    size = font_sizes(presentation)["tick"]
    return (
        {"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom", "x": 0, "font": {"size": size}},
        int(size * 2.6),
    )


def merged(base: dict, extra: dict) -> dict:
    """`base` updated by `extra`, nested dicts merged key by key; neither input is modified."""
    out = dict(base)
    for key, value in extra.items():
        out[key] = merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def base_layout(
    title: str = "", presentation: bool = False, width: float | None = None, height: float | None = None
) -> dict[str, Any]:
    """Common fonts, white background, margins, title and size of every figure."""
    sizes = font_sizes(presentation)
    layout = {
        "template": TEMPLATE,
        "font": {"family": FONT_FAMILY, "size": sizes["base"], "color": TEXT_COLOR},
        "title": {
            "text": plain_text(title) if title else None,
            "x": 0.01,
            "xanchor": "left",
            "yref": "container",
            "y": 1.0,
            "yanchor": "top",
            "pad": {"t": sizes["title"] * 0.6},
            "font": {"size": sizes["title"], "family": FONT_FAMILY},
        },
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": sizes["base"]}},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "margin": {"l": 10, "r": 10, "t": top_margin(title, presentation), "b": 10},
    }
    layout.update({k: int(v) for k, v in (("width", width), ("height", height)) if v is not None})
    return layout


def trace(kind: str, **properties) -> dict:
    """A trace as plotly's plain dict ({"type": "heatmap", ...}): make_figure takes it without building and
    validating a plotly object for it. Nested properties are dicts (marker={"color": ...}), never magic
    underscores."""
    return {"type": kind, **properties}


def make_figure(
    traces,
    title: str = "",
    presentation: bool = False,
    *,
    width: float | None = None,
    height: float | None = None,
    **layout,
) -> Figure:
    """A figure of the common layout with `layout` merged in, kept as a plain dict until more than showing it
    is asked (Figure). Traces may be plotly objects (validated as they were made) or plain dicts in full form.
    """
    data = [t.to_plotly_json() if isinstance(t, BaseTraceType) else full_form(t) for t in traces]
    layout = full_form(merged(base_layout(title, presentation, width, height), layout))
    return Figure({"data": data, "layout": layout})


def subplot_layout(rows: int, cols: int, **kwargs) -> dict[str, Any]:
    """Axis domains and subplot-title annotations of a `rows` x `cols` grid, as a layout dict (a fresh copy:
    callers fill it in)."""
    return copy.deepcopy(_subplot_layout(rows, cols, json.dumps(kwargs, sort_keys=True, default=list)))


@lru_cache(maxsize=128)
def _subplot_layout(rows: int, cols: int, kwargs_json: str) -> dict[str, Any]:
    # make_subplots builds and validates a whole figure (~30 ms); the same grid recurs on every rerun
    layout = make_subplots(rows=rows, cols=cols, **json.loads(kwargs_json)).layout.to_plotly_json()
    layout.pop("template", None)  # plotly's default; make_figure sets seqviz's
    return layout


def axis_suffix(index: int) -> str:
    """Suffix of the index-th subplot's axes: "" for the first ("x", "xaxis"), then "2" ("x2", "xaxis2")."""
    return "" if index == 1 else str(index)


# Vega-embed (used by st.altair_chart) reads these: 3x PNG export, SVG export also offered.
ALTAIR_USERMETA = {
    "embedOptions": {
        "scaleFactor": 3,
        "actions": {"export": True, "source": False, "compiled": False, "editor": False},
    }
}


def memoized(builder):
    """A chart builder that returns the same chart for the same arguments (JSON-like: rows, titles, flags), up to
    256 of them: the charts of recorded measurements are built once per server. The chart is shared, so no
    caller may change it (altair's .properties() and .configure() return new charts)."""
    charts: OrderedDict[str, Any] = OrderedDict()
    lock = threading.Lock()

    @wraps(builder)
    def cached(*args, **kwargs):
        key = json.dumps([args, kwargs], sort_keys=True, default=str)
        with lock:
            if key in charts:
                charts.move_to_end(key)
                return charts[key]
        chart = builder(*args, **kwargs)
        with lock:
            charts[key] = chart
            if len(charts) > 256:
                charts.popitem(last=False)
        return chart

    return cached


def altair_download_name(chart, name: str):
    """The chart with its PNG/SVG downloads named `name` (vega-embed's downloadFileName); a new chart."""
    usermeta = merged(ALTAIR_USERMETA, {"embedOptions": {"downloadFileName": safe_filename(name)}})
    return chart.properties(usermeta=usermeta)


def altair_chart_config(chart, presentation: bool = False):
    """Fonts, sizes and 3x export for a top-level altair chart; returns a new chart."""
    sizes = font_sizes(presentation)
    return (
        chart.properties(usermeta=ALTAIR_USERMETA)
        .configure(font=FONT_FAMILY, background="white")
        .configure_axis(
            labelFont=FONT_FAMILY,
            titleFont=FONT_FAMILY,
            labelFontSize=sizes["tick"],
            titleFontSize=sizes["base"],
            labelLimit=200,
        )
        .configure_legend(
            labelFont=FONT_FAMILY,
            titleFont=FONT_FAMILY,
            labelLimit=400,
            labelFontSize=sizes["tick"],
            titleFontSize=sizes["base"],
        )
        .configure_title(font=FONT_FAMILY, fontSize=sizes["title"], anchor="start")
        .configure_view(strokeWidth=0)
    )


# ---- input checks and text measures shared by the builders ---------------------------------------


def as_array(values, ndim: int | tuple[int, ...], name: str, dtype=float) -> np.ndarray:
    """numpy copy/view of an array or tensor, checked to have `ndim` dimensions."""
    if hasattr(values, "detach"):
        values = values.detach().cpu().numpy()
    arr = np.asarray(values, dtype=dtype)
    if arr.ndim not in ((ndim,) if isinstance(ndim, int) else ndim):
        raise ValueError(f"{name} must have {ndim} dimensions, got shape {arr.shape}")
    return arr


def check_labels(labels, n: int, name: str) -> list[str]:
    """Labels as strings, one per position of the matching array axis."""
    labels = [str(x) for x in labels]
    if len(labels) != n:
        raise ValueError(f"{name} has {len(labels)} labels but the array has {n} positions")
    return labels


def text_width_px(text: str, size: float) -> float:
    """Rough rendered width: CJK and other wide characters ~1 em, the rest ~0.6 em."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6 for ch in text) * size
