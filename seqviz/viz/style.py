"""Shared look of every seqviz figure: fonts, colours, sizes, export settings (the export itself is
static_export.py's).

Figures are projected on classroom walls and pasted into slides, so text is large, the background is
white, and exports are 3x resolution. Labels may be Chinese, so the font list carries CJK fallbacks.
"""

from __future__ import annotations

import base64
import copy
import html
import json
import os
import re
import threading
import unicodedata
from collections import OrderedDict
from functools import lru_cache, wraps
from typing import Any

import numpy as np
import plotly.graph_objects as go
from _plotly_utils.utils import is_skipped_key, plotlyjsShortTypes
from plotly.basedatatypes import BaseTraceType
from plotly.subplots import make_subplots

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
    """`config=` for st.plotly_chart: no logo, camera button saves a 3x PNG with a safe name."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "scale": 3, "filename": safe_filename(filename)},
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
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


CHECK_FIGURES = "SEQVIZ_CHECK_FIGURES"  # set (the test suite sets it): every figure shown is compared with
# the figure plotly's validation makes of the same dict


_VALIDATING = threading.Lock()


class Figure(go.Figure):
    """A go.Figure that keeps the plain dict its builder made and runs plotly's validation only when asked.

    Showing a figure needs nothing but to_dict() (Streamlit turns that into JSON), so a figure on a page never
    goes through plotly's validation, which builds an object for every property (about half of a page's rerun
    on the server). Reading .data or .layout, updating the figure or exporting it validates it first, once:
    for those it is the figure go.Figure(spec) would be. make_figure writes titles and unset values in plotly's
    full form, and builders nest dicts rather than use magic underscores, so that both give the same JSON; with
    SEQVIZ_CHECK_FIGURES set, to_dict() checks that they do."""

    def __init__(self, spec: dict):  # go.Figure.__init__ runs when something more than to_dict() is asked
        self.__dict__["_spec"] = spec

    def __getattr__(self, name: str):  # only for names not found: the validated figure's attributes
        with _VALIDATING:  # a figure shared by sessions is validated once, by one of them; the others wait
            if "_spec" in self.__dict__:
                # from a copy: plotly pops each trace's "type" from the dict it is given and puts it back, and
                # other threads may be showing this one
                validated = go.Figure(copy.deepcopy(self.__dict__["_spec"]))
                # in one step, so that another thread sees the plain dict or the whole validated figure, never
                # half of it (its parts name `validated` as their parent: it shares this very __dict__)
                object.__setattr__(self, "__dict__", validated.__dict__)
        return object.__getattribute__(self, name)

    def to_dict(self) -> dict:
        spec = self.__dict__.get("_spec")
        if spec is None:
            return super().to_dict()
        out = _shown(spec)
        if os.environ.get(CHECK_FIGURES):
            validated = go.Figure(copy.deepcopy(spec)).to_dict()  # a copy: see __getattr__
            if _canonical_json(out) != _canonical_json(validated):
                difference = _first_difference(out, validated)
                raise AssertionError(f"a figure's dict is not what plotly's validation makes of it: {difference}")
        return out

    def __reduce__(self):  # pickled (st.cache_data) or deep-copied: as a plain dict again
        spec = self.__dict__.get("_spec")
        return (Figure, (spec if spec is not None else go.Figure.to_dict(self),))


LAYOUT_ARRAYS = ("annotations", "shapes", "images")  # plotly leaves these out when empty


def _full_form(value):
    """A copy of nested dicts (and lists of them) in plotly's full form, as validation leaves them: None values
    and empty layout arrays left out, a title given as a string written {"text": title}."""
    if isinstance(value, dict):
        return {
            name: {"text": item} if name == "title" and isinstance(item, str) else _full_form(item)
            for name, item in value.items()
            if item is not None and not (name in LAYOUT_ARRAYS and not item)
        }
    if isinstance(value, list | tuple) and any(isinstance(item, dict) for item in value):
        return [_full_form(item) for item in value]
    return value


def typed_array(array: np.ndarray):
    """A numpy array as a plotly.js typed array ({"dtype", "bdata", "shape"}), as plotly's own to_dict() writes
    it (_plotly_utils.utils.to_typed_array_spec, whose checks for data frame libraries cost more than the
    encoding): 64-bit integers in the smallest type that holds them; other dtypes left as they are."""
    if array.size == 0:
        return array
    if array.dtype.kind in "iu" and array.dtype.itemsize == 8:
        low, high = int(array.min()), int(array.max())
        for dtype in (np.int8, np.int16, np.int32) if array.dtype.kind == "i" else (np.uint8, np.uint16, np.uint32):
            if np.iinfo(dtype).min <= low and high <= np.iinfo(dtype).max:
                array = array.astype(dtype)
                break
    short = plotlyjsShortTypes.get(str(array.dtype))
    if short is None:
        return array
    spec = {"dtype": short, "bdata": base64.b64encode(np.ascontiguousarray(array)).decode("ascii")}
    if array.ndim > 1:
        spec["shape"] = str(array.shape)[1:-1]
    return spec


def _shown(value, key: str | None = None):
    """A copy of a figure's nested dicts and lists as go.Figure.to_dict() gives them: a numpy array that is a
    property's value (`key`; not one of the keys plotly skips) as a typed array."""
    if isinstance(value, dict):
        return {name: _shown(item, name) for name, item in value.items()}
    if isinstance(value, list | tuple):
        return [_shown(item) for item in value]
    if isinstance(value, np.ndarray) and key is not None and not is_skipped_key(key):
        return typed_array(value)
    return value


def _canonical_json(spec) -> str:
    return json.dumps(
        spec, sort_keys=True, default=lambda value: value.tolist() if hasattr(value, "tolist") else str(value)
    )


def _first_difference(a, b, path: str = "") -> str:
    """Where two figure dicts first differ, for the check's message."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                where = "only validated" if key not in a else "only ours"
                return f"{path}/{key}: {where} ({b.get(key, a.get(key))!r:.80})"
            if _canonical_json(a[key]) != _canonical_json(b[key]):
                return _first_difference(a[key], b[key], f"{path}/{key}")
    if isinstance(a, list | tuple) and isinstance(b, list | tuple) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if _canonical_json(x) != _canonical_json(y):
                return _first_difference(x, y, f"{path}/{i}")
    return f"{path}: ours {a!r:.80}, validated {b!r:.80}"


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
    data = [t.to_plotly_json() if isinstance(t, BaseTraceType) else _full_form(t) for t in traces]
    layout = _full_form(merged(base_layout(title, presentation, width, height), layout))
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
