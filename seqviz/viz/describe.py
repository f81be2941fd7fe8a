"""What a figure shows, in words and as tables: its text alternative for assistive technology and the data
behind "show as a table", both read from the figure's own numbers (a plotly figure or an altair chart).

A description names the figure, then says its main finding per panel: for a grid of 0/1 cells how many are
on in each row (a mask); for rows that are distributions (attention weights) where each row puts most of its
weight; for any other grid its largest and smallest cells; for a curve where it starts, ends and peaks; for
bars the largest and smallest. A builder that knows more says it itself (the page passes `alt=`).
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

MAX_ROWS_LISTED = 12  # a row-by-row finding is spelled out up to this many rows
MAX_PANELS = 6  # panels described one by one; the rest are counted
MAX_LABELS = 16  # a tree's or a text trace's words listed


def plain(text) -> str:
    """Figure text (plotly's small HTML subset) as plain words."""
    text = re.sub(r"<br\s*/?>", " ", "" if text is None else str(text))  # 0 is a coordinate, not nothing
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", text))).strip()


def number(value: float) -> str:
    """Three significant figures, no exponent for the sizes figures show."""
    if value is None or not np.isfinite(value):
        return "–"
    if value == int(value) and abs(value) < 1e6:
        return str(int(value))
    return f"{value:.3g}" if abs(value) >= 1e-3 else f"{value:.1e}"


def figure_spec(fig) -> dict:
    """The figure as plotly's plain dict, read without validating it (a builder's lazy figure keeps its dict;
    validation was half of a page's rerun: viz.lazy_figure)."""
    spec = fig.__dict__.get("_spec")
    return spec if spec is not None else fig.to_dict()


def _values(value) -> list | np.ndarray | None:
    """A trace property's values: a list, a numpy array (kept), or plotly's typed array {dtype, bdata}."""
    if value is None or isinstance(value, np.ndarray):
        return value
    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=TYPED_ARRAY_DTYPES[value["dtype"]])
        shape = value.get("shape")
        return array.reshape([int(n) for n in str(shape).split(",")]) if shape else array
    return [value] if isinstance(value, str) else list(value)


TYPED_ARRAY_DTYPES = {
    "f8": np.float64, "f4": np.float32, "i1": np.int8, "u1": np.uint8, "i2": np.int16,
    "u2": np.uint16, "i4": np.int32, "u4": np.uint32, "u1c": np.uint8,
}  # fmt: skip


def _text(value) -> str:
    """A title given as text or as {"text": ...}."""
    return plain(value.get("text") if isinstance(value, dict) else value)


def _axis(layout: dict, ref: str) -> dict:
    """The layout's axis for a trace's reference ("x", "y2" -> layout["xaxis"], layout["yaxis2"])."""
    return layout.get(f"{ref[0]}axis{ref[1:]}") or {}


def _labels(layout: dict, axis: str, values, n: int) -> list[str]:
    """A grid's row or column names: its axis' tick words where every position has one (token axes put
    words on integer positions), else the trace's own coordinates, else positions counted from 1."""
    ticks = _values(_axis(layout, axis).get("ticktext"))
    if ticks is not None and len(ticks) == n:
        return [plain(v) for v in ticks]
    values = _values(values)
    if values is not None and len(values) == n:
        return [_coordinate(v) for v in values]
    return [str(i + 1) for i in range(n)]


def _bars(layout: dict, trace: dict) -> tuple[list[str], np.ndarray]:
    """A bar trace's labels (its category axis' tick words where it has them) and values."""
    if trace.get("orientation") == "h":
        values = _floats(_values(trace.get("x")))
        return _labels(layout, trace.get("yaxis", "y"), trace.get("y"), len(values)), values
    values = _floats(_values(trace.get("y")))
    return _labels(layout, trace.get("xaxis", "x"), trace.get("x"), len(values)), values


def _grid(layout: dict, trace: dict) -> tuple[np.ndarray, list[str], list[str]] | None:
    """A heatmap trace's values and its row and column names."""
    if trace.get("z") is None:
        return None
    z = _floats(_values(trace["z"]))
    if z.ndim != 2:
        return None
    rows = _labels(layout, trace.get("yaxis", "y"), trace.get("y"), z.shape[0])
    return z, rows, _labels(layout, trace.get("xaxis", "x"), trace.get("x"), z.shape[1])


def _panel_titles(layout: dict) -> dict[str, str]:
    """A composed figure's panel titles (figure_grid writes each above its panel, tied to its x axis)."""
    titles = {}
    for note in layout.get("annotations") or ():
        ref = note.get("xref") or ""
        if ref.endswith(" domain") and note.get("text"):
            titles.setdefault(ref.removesuffix(" domain"), plain(note["text"]))
    return titles


class Say:
    """The sentences of one language: `t(key, **values)` from the translation catalogue."""

    def __init__(self, t: Callable[..., str]):
        self.t = t

    def heatmap(self, name: str, z: np.ndarray, rows: list[str], columns: list[str], on: str) -> str:
        n_rows, n_cols = z.shape
        name = name or self.t("alt_grid_name")
        shape = self.t("alt_grid", rows=n_rows, columns=n_cols)
        finite = z[np.isfinite(z)]
        if finite.size == 0:
            return f"{name} ({shape})."
        if np.isin(finite, (0, 1)).all():  # a mask, a glyph
            counts = [int(np.nansum(row == 1)) for row in z]
            per_row = self.t("list_separator").join(f"{r}: {c}" for r, c in zip(rows, counts, strict=True))
            key = "alt_binary" if n_rows <= MAX_ROWS_LISTED else "alt_binary_total"
            return self.t(key, name=name, shape=shape, on=on or "1", k=int(finite.sum()), n=z.size, rows=per_row)
        sums = np.nansum(np.where(np.isfinite(z), z, 0), axis=1)
        if (finite >= 0).all() and np.allclose(sums, 1, atol=0.02) and n_rows <= MAX_ROWS_LISTED:
            best = np.nanargmax(np.where(np.isfinite(z), z, -1), axis=1)
            per_row = self.t("list_separator").join(
                f"{r} → {columns[j]} ({z[i, j]:.0%})" for i, (r, j) in enumerate(zip(rows, best, strict=True))
            )
            return self.t("alt_rows", name=name, shape=shape, rows=per_row)
        safe = np.where(np.isfinite(z), z, np.nan)
        hi = np.unravel_index(np.nanargmax(safe), z.shape)
        lo = np.unravel_index(np.nanargmin(safe), z.shape)
        return self.t(
            "alt_extremes",
            name=name,
            shape=shape,
            high=number(z[hi]),
            high_at=f"{rows[hi[0]]} · {columns[hi[1]]}",
            low=number(z[lo]),
            low_at=f"{rows[lo[0]]} · {columns[lo[1]]}",
        )

    def curve(self, name: str, x: list, y: np.ndarray) -> str:
        finite = np.flatnonzero(np.isfinite(y))
        if finite.size == 0:
            return name
        first, last, top = finite[0], finite[-1], finite[np.argmax(y[finite])]
        return self.t(
            "alt_curve",
            name=name,
            n=int(finite.size),
            first=number(y[first]),
            first_at=_coordinate(x[first]),
            last=number(y[last]),
            last_at=_coordinate(x[last]),
            high=number(y[top]),
            high_at=_coordinate(x[top]),
        )

    def bars(self, name: str, labels: list[str], values: np.ndarray) -> str:
        if values.size == 0 or not np.isfinite(values).any():
            return name
        hi, lo = int(np.nanargmax(values)), int(np.nanargmin(values))
        return self.t(
            "alt_bars",
            name=name,
            n=int(values.size),
            high=number(values[hi]),
            high_at=labels[hi],
            low=number(values[lo]),
            low_at=labels[lo],
        )

    def words(self, words: list[str]) -> str:
        shown = words[:MAX_LABELS]
        more = self.t("alt_and_more", n=len(words) - len(shown)) if len(words) > len(shown) else ""
        return self.t("alt_words", n=len(words), words=self.t("list_separator").join(shown), more=more)


def _coordinate(value) -> str:
    return number(value) if isinstance(value, float) else plain(value)


def _floats(values) -> np.ndarray:
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiub":
        return values.astype(float, copy=False)
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return np.full(len(values), np.nan)


def _is_curve(trace: dict, y: list | None) -> bool:
    """A line over an ordered x (a tree's edges or a drawn frame go back and forth: not a curve)."""
    if y is None or len(y) < 2 or "lines" not in (trace.get("mode") or "lines") or trace.get("hoverinfo") == "skip":
        return False
    given = _values(trace.get("x"))
    x = _floats(given) if given is not None else np.arange(len(y), dtype=float)
    x = x[np.isfinite(x)]
    return not x.size or bool(np.all(np.diff(x) >= 0))


@dataclass
class Part:
    """What one trace of a figure shows: a grid, bars, a curve, or words placed on it."""

    kind: str  # "grid" | "bars" | "curve" | "words"
    name: str
    values: np.ndarray | None = None
    rows: list[str] = field(default_factory=list)  # a grid's rows; the bars' or the curve's x labels
    columns: list[str] = field(default_factory=list)  # a grid's columns
    x_title: str = ""


def figure_parts(fig) -> tuple[str, list[Part], str]:
    """A plotly figure read as (title, what each trace shows, the legend's first entry), from its plain dict."""
    spec = figure_spec(fig)
    layout, traces = spec.get("layout") or {}, spec.get("data") or []
    titles = _panel_titles(layout)
    kind = [trace.get("type", "scatter") for trace in traces]
    legend = [plain(tr["name"]) for tr, k in zip(traces, kind, strict=True) if k == "scatter" and tr.get("name")]
    grids = {
        tr.get("xaxis", "x")
        for tr, k in zip(traces, kind, strict=True)
        if k == "heatmap" and tr.get("hoverinfo") != "skip"
    }
    parts, words = [], []
    for trace, kind_ in zip(traces, kind, strict=True):
        axis = trace.get("xaxis", "x")
        panel, name = titles.get(axis, ""), plain(trace.get("name"))
        overlay = trace.get("hoverinfo") == "skip" and axis in grids  # a layer over a grid (a mask's grey)
        if kind_ == "heatmap" and not overlay and (grid := _grid(layout, trace)) is not None:
            parts.append(Part("grid", panel, grid[0], grid[1], grid[2]))
        elif kind_ == "bar" and trace.get("x") is not None and trace.get("y") is not None:
            labels, values = _bars(layout, trace)
            parts.append(Part("bars", name or panel, values, labels))
        elif kind_ == "scatter" and _is_curve(trace, y := _values(trace.get("y"))):
            x = _values(trace.get("x"))
            x = list(range(1, len(y) + 1)) if x is None else x
            x_title = _text(_axis(layout, axis).get("title"))
            parts.append(Part("curve", name or panel, _floats(y), [_coordinate(v) for v in x], x_title=x_title))
        elif kind_ == "scatter" and trace.get("text") is not None and "text" in (trace.get("mode") or ""):
            words += [plain(w) for w in _values(trace["text"]) if plain(w)]
    if words:
        parts.append(Part("words", "", rows=list(dict.fromkeys(words))))
    return _text(layout.get("title")), parts, legend[0] if legend else ""


def describe_plotly(fig, t: Callable[..., str]) -> str:
    """One or two sentences per panel: the figure's title, then each panel's finding."""
    say = Say(t)
    title, parts, on = figure_parts(fig)
    found = []
    for part in parts:
        if part.kind == "grid":
            found.append(say.heatmap(part.name, part.values, part.rows, part.columns, on))
        elif part.kind == "bars":
            found.append(say.bars(part.name, part.rows, part.values))
        elif part.kind == "curve":
            found.append(say.curve(part.name, part.rows, part.values))
        else:
            found.append(say.words(part.rows))
    if len(found) > MAX_PANELS:
        found = [*found[:MAX_PANELS], t("alt_more_panels", n=len(found) - MAX_PANELS)]
    return " ".join(part for part in [title and f"{title}.", *found] if part)


def describe_altair(chart, t: Callable[..., str]) -> str:
    """A long-form line chart (a row per step and series, as seqviz's curves are): each series' curve."""
    title = chart.title if isinstance(chart.title, str) else getattr(chart.title, "text", "")
    found = [Say(t).curve(plain(name), x, np.asarray(y, dtype=float)) for name, (x, y) in altair_series(chart).items()]
    return " ".join(part for part in [plain(title) and f"{plain(title)}.", *found] if part)


def altair_series(chart) -> dict[str, tuple[list, list]]:
    """{series: (x values, y values)} of a chart whose data is a frame and whose encoding names x, y and
    colour fields (a layered chart: its first layer's)."""
    layer = chart.layer[0] if getattr(chart, "layer", None) else chart
    frame = chart.data if hasattr(chart.data, "columns") else getattr(layer, "data", None)
    fields = [_field(layer.encoding, channel) for channel in ("x", "y", "color")]
    if not hasattr(frame, "columns") or None in fields[:2]:
        return {}
    series: dict[str, tuple[list, list]] = {}
    for row in frame.to_dict("records"):
        x, y = series.setdefault(str(row.get(fields[2], "")) if fields[2] else "", ([], []))
        x.append(row[fields[0]])
        y.append(row[fields[1]])
    return series


def _field(encoding, channel: str) -> str | None:
    """The data field an altair encoding channel reads ("step:Q" -> "step")."""
    spec = getattr(encoding, channel, None)
    for value in (getattr(spec, "field", None), getattr(spec, "shorthand", None)):
        if isinstance(value, str) and value:
            return value.split(":")[0]
    return None


def plotly_tables(fig) -> list[tuple[str, dict[str, list]]]:
    """The figure's data as tables, {column: values}: a grid as rows × columns, curves sharing their x as one
    table (a column per curve), bars as label and value."""
    tables, curves = [], {}
    for part in figure_parts(fig)[1]:
        if part.kind == "grid":
            columns = {
                _unique(c, i, part.columns): [number(v) for v in part.values[:, i]] for i, c in enumerate(part.columns)
            }
            tables.append((part.name, {"": part.rows} | columns))
        elif part.kind == "bars":
            tables.append((part.name, {"": part.rows, part.name or "value": [number(v) for v in part.values]}))
        elif part.kind == "curve":
            by_x = curves.setdefault((part.x_title, tuple(part.rows)), {})
            by_x[part.name or str(len(by_x) + 1)] = [number(v) for v in part.values]
    for (x_title, x), columns in curves.items():
        tables.append(("", {x_title or "x": list(x), **columns}))
    return tables


def _unique(column: str, i: int, columns: list[str]) -> str:
    """A column name, numbered when the same word heads two columns (a sentence repeats a word)."""
    return column if columns.count(column) == 1 else f"{column} ({i + 1})"


def altair_table(chart) -> dict[str, list]:
    """A line chart's data as one table: x, then a column per series."""
    series = altair_series(chart)
    xs = list(dict.fromkeys(x for xs, _ in series.values() for x in xs))
    table = {"x": [plain(x) for x in xs]}
    for name, (x, y) in series.items():
        at = dict(zip(x, y, strict=True))
        table[plain(name) or "y"] = [number(at[v]) if v in at else "" for v in xs]
    return table
