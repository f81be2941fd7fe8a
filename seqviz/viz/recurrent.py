"""Recurrent models' figures: how far back a loss's gradient reaches (the vanishing gradient), long-range
agreement against the distance from subject to verb, one line per model, and a recurrent layer's units over
a sentence (hidden state; the LSTM's cell state and gates)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from .load import SERIES_COLORS
from .parallel import log_ticks
from .style import (
    SCORE_COLORSCALE,
    WEIGHT_COLORSCALE,
    as_array,
    axis_suffix,
    check_labels,
    display_label,
    font_sizes,
    make_figure,
    plain_text,
    subplot_layout,
    trace,
)


def _model_line(name: str, x: list, y: list, color: str, presentation: bool) -> dict:
    return trace(
        "scatter", x=x, y=y, mode="lines+markers", name=name, line={"color": color, "width": 3 if presentation else 2}
    )


def _step_tick(steps: int) -> int:
    """Steps between the k axis's labels: every one up to 16 steps, then 2, 4, 8 … (about 16 labels at most)."""
    tick = 1
    while steps > 16 * tick:
        tick *= 2
    return tick


def _decade_ticks(values: Sequence[float]) -> list[float]:
    """1-2-5 ticks over a few decades; over more than four, the powers of ten only (readable on a slide)."""
    ticks = log_ticks(values)
    positive = [v for v in values if v > 0]
    if positive and np.log10(max(positive) / min(positive)) > 4:
        ticks = [t for t in ticks if f"{t:.0e}".startswith("1e")]
    return ticks


def gradient_reach_figure(
    norms: Mapping[str, Sequence[float]],
    title: str = "",
    *,
    presentation: bool = False,
    x_title: str = "k: steps back from the loss",
    y_title: str = "‖∂ loss_t / ∂ h_(t−k)‖ (log scale)",
    marker: tuple[int, str] | None = None,
    transformers: int = 0,
) -> go.Figure:
    """{model: [norm at k = 0, 1, ...]} on a log axis: a straight fall is a gradient that vanishes
    geometrically; a flat line, one that reaches back. Zero norms (nothing reached) are left out. marker
    (k, label) draws a dotted line at k (where the word that matters lies). transformers > 0: the recall
    models' styles (recall_style), the last `transformers` lines being Transformers; else up to four lines."""
    sizes = font_sizes(presentation)
    traces, shown = [], []
    for i, (name, values) in enumerate(norms.items()):
        points = [(k, v) for k, v in enumerate(values) if v > 0]
        shown += [v for _, v in points]
        x, y = [k for k, _ in points], [v for _, v in points]
        if transformers:  # the recall models: the recurrent ones in colour, the Transformers in black, dashed
            line, dot = recall_style(i, len(norms), transformers, presentation)
            traces.append(trace("scatter", x=x, y=y, mode="lines+markers", name=name, line=line, marker=dot))
        elif i < len(SERIES_COLORS):
            traces.append(_model_line(name, x, y, SERIES_COLORS[i], presentation))
    shapes, annotations = [], []
    if marker is not None:
        k, label = marker
        shapes.append({"type": "line", "x0": k, "x1": k, "yref": "paper", "y0": 0, "y1": 1})
        shapes[-1]["line"] = {"dash": "dot", "color": "#555", "width": 2}
        annotations.append({"x": k, "yref": "paper", "y": 1, "text": plain_text(label), "showarrow": False})
        annotations[-1].update({"yanchor": "bottom", "font": {"size": sizes["tick"], "color": "#333"}})
    return make_figure(
        traces,
        title,
        presentation,
        width=760,
        height=440,
        shapes=shapes,
        annotations=annotations,
        xaxis={"title": {"text": x_title}, "dtick": _step_tick(max(map(len, norms.values()), default=0))},
        yaxis={
            "title": {"text": y_title},
            "type": "log",
            "tickvals": _decade_ticks(shown) if shown else None,
            "tickformat": ".0e",  # 5e-4, not plotly's 500µ
            "tickfont": {"size": sizes["tick"]},
        },
    )


def agreement_distance_figure(
    accuracy: Mapping[str, Mapping[str, float]],
    title: str = "",
    *,
    presentation: bool = False,
    chance_label: str = "chance",
    x_title: str = "words from the subject to its verb",
    y_title: str = "right verb form preferred",
    zoom: bool = False,
) -> go.Figure:
    """{model: {distance bucket label: accuracy}}, one line per model over the same buckets, with chance
    (0.5: two forms) dashed. zoom: the axis starts just below the lowest point instead of at 40% (lines
    close to 100% part), and chance, then off the axis, is not drawn."""
    traces, values = [], []
    for (name, by_bucket), color in zip(accuracy.items(), SERIES_COLORS, strict=False):
        traces.append(_model_line(name, list(by_bucket), list(by_bucket.values()), color, presentation))
        values += list(by_bucket.values())
    low = min(0.4, *values) if not zoom else max(0.0, np.floor((min(values, default=1) - 0.01) * 50) / 50)
    shapes, annotations = [], []
    if low < 0.5:
        shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": 0.5, "y1": 0.5})
        shapes[-1]["line"] = {"dash": "dash", "color": "#888", "width": 1.5}
        annotations.append({"xref": "paper", "x": 0.99, "y": 0.5, "text": chance_label, "showarrow": False})
        annotations[-1].update({"yanchor": "bottom", "xanchor": "right", "font": {"color": "#666"}})
    top = 1 + (1 - low) * 0.03
    return make_figure(
        traces,
        title,
        presentation,
        width=760,
        height=440,
        shapes=shapes,
        annotations=annotations,
        xaxis={"title": {"text": x_title}, "type": "category"},
        yaxis={"title": {"text": y_title}, "range": [low, top], "tickformat": ".0%" if not zoom else ".1%"},
    )


def units_over_sentence(
    panels: Sequence[tuple[str, np.ndarray, bool]],
    words: Sequence[str],
    unit_labels: Sequence[str],
    title: str = "",
    *,
    presentation: bool = False,
    x_title: str = "after reading",
    y_title: str = "unit",
    marked: Sequence[int] = (),
) -> go.Figure:
    """One heatmap per panel (name, values (units, T), is_gate), stacked on the same words: a state in −1..1
    on the diverging scale, a gate in 0..1 on the weight scale. Columns `marked` (the subject, its verb) are
    framed in every panel."""
    sizes = font_sizes(presentation)
    n = len(panels)
    arrays = [as_array(values, 2, name) for name, values, _ in panels]
    n_units, n_steps = arrays[0].shape
    x_labels = [display_label(w, 12) for w in check_labels(words, n_steps, "words")]
    y_labels = check_labels(unit_labels, n_units, "unit_labels")
    cell = float(np.clip((1100 if presentation else 820) / n_steps, 26, 70))
    row_px = (26 if presentation else 18) * n_units
    height = n * (row_px + sizes["base"] * 2.6) + 150
    layout = subplot_layout(
        n, 1, subplot_titles=[plain_text(name) for name, *_ in panels], vertical_spacing=min(0.12, 70 / height)
    )
    traces = []
    for i, ((name, _, gate), values) in enumerate(zip(panels, arrays, strict=True), start=1):
        domain = layout[f"yaxis{axis_suffix(i)}"]["domain"]
        traces.append(
            trace(
                "heatmap",
                z=values,
                zmin=0 if gate else -1,
                zmax=1,
                colorscale=WEIGHT_COLORSCALE if gate else SCORE_COLORSCALE,
                xaxis=f"x{axis_suffix(i)}",
                yaxis=f"y{axis_suffix(i)}",
                hovertemplate=f"{plain_text(name)}: %{{z:.2f}}<extra></extra>",
                colorbar={"y": sum(domain) / 2, "len": domain[1] - domain[0], "tickfont": {"size": sizes["tick"]}},
            )
        )
        layout[f"xaxis{axis_suffix(i)}"].update(
            tickvals=list(range(n_steps)),
            ticktext=x_labels if i == n else [""] * n_steps,
            tickangle=-45,
            title={"text": plain_text(x_title) if i == n else ""},
        )
        layout[f"yaxis{axis_suffix(i)}"].update(
            tickvals=list(range(n_units)), ticktext=y_labels, autorange="reversed", title={"text": plain_text(y_title)}
        )
        for column in marked:
            frame = {"type": "rect", "x0": column - 0.5, "x1": column + 0.5, "y0": -0.5, "y1": n_units - 0.5}
            frame.update(xref=f"x{axis_suffix(i)}", yref=f"y{axis_suffix(i)}", line={"color": "#111", "width": 3})
            layout.setdefault("shapes", []).append(frame)
    return make_figure(traces, title, presentation, width=max(620, cell * n_steps + 220), height=height, **layout)


# recall over distance: the recurrent models in the page's three colours, the Transformers in black, told apart
# by their dash and marker too (never by colour alone)
RECALL_DASHES = ("solid", "dash", "dot", "dashdot")
RECALL_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star")


def recall_style(i: int, n: int, transformers: int, presentation: bool) -> tuple[dict, dict]:
    """Line i of n (the last `transformers` are Transformers): its line and marker."""
    is_transformer = i >= n - transformers
    color = "#000000" if is_transformer else SERIES_COLORS[i % 3]
    dash = RECALL_DASHES[(i - (n - transformers)) % len(RECALL_DASHES)] if is_transformer else "solid"
    line = {"color": color, "width": 3 if presentation else 2, "dash": dash}
    return line, {"symbol": RECALL_SYMBOLS[i % len(RECALL_SYMBOLS)], "size": 11 if presentation else 8}


def recall_distance_figure(
    accuracy: Mapping[str, Mapping[int, float]],
    title: str = "",
    *,
    presentation: bool = False,
    chance: float = 0.1,
    chance_label: str = "chance",
    trained: tuple[int, int] | None = None,
    trained_label: str = "trained on",
    x_title: str = "L: tokens back from the question to the value",
    y_title: str = "right value recalled",
    transformers: int = 0,
) -> go.Figure:
    """{model: {L: accuracy}} on a log-2 axis of L, one line per model: the first len − transformers in the
    series colours (solid), the last `transformers` in black (dashed differently); chance dashed grey, the
    training range shaded."""
    sizes = font_sizes(presentation)
    traces, lengths = [], set()
    n = len(accuracy)
    for i, (name, by_length) in enumerate(accuracy.items()):
        x = [int(L) for L in by_length]
        lengths.update(x)
        line, marker = recall_style(i, n, transformers, presentation)
        traces.append(
            trace("scatter", x=x, y=list(by_length.values()), mode="lines+markers", name=name, line=line, marker=marker)
        )
    ticks = sorted(lengths)
    low_x, high_x = (ticks[0], ticks[-1]) if ticks else (1, 2)
    # every shape and note on the data axes (a log x: notes in log10 units), so a slide's grid moves them along
    shapes = [{"type": "line", "x0": low_x, "x1": high_x, "y0": chance, "y1": chance}]
    shapes[0]["line"] = {"dash": "dash", "color": "#767676", "width": 1.5}
    annotations = [{"x": float(np.log10(low_x)), "y": chance, "text": plain_text(chance_label), "showarrow": False}]
    annotations[0].update({"yanchor": "bottom", "xanchor": "left", "font": {"color": "#555", "size": sizes["tick"]}})
    if trained is not None:
        low, high = trained
        shapes.append({"type": "rect", "x0": low, "x1": high, "y0": 0, "y1": 1.04, "layer": "below"})
        shapes[-1].update(fillcolor="#e8eef7", line={"width": 0})
        annotations.append({"x": float(np.log10(high)), "y": 0.02, "text": plain_text(trained_label)})
        annotations[-1].update(showarrow=False, xanchor="right", yanchor="bottom", font={"size": sizes["tick"]})
    return make_figure(
        traces,
        title,
        presentation,
        width=760,
        height=460,
        shapes=shapes,
        annotations=annotations,
        xaxis={"title": {"text": x_title}, "type": "log", "tickvals": ticks, "ticktext": [str(L) for L in ticks]},
        yaxis={"title": {"text": y_title}, "range": [0, 1.04], "tickformat": ".0%"},
    )
