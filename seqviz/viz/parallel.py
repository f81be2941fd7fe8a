"""Figures of parallel decoding: mask-predict's iterations and decoding speed against target length."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .style import WEIGHT_COLORSCALE, as_array, display_label, font_sizes, make_figure, plain_text, text_width_px, trace

# Okabe and Ito's colours and black: the four stay apart for red-green colour blindness (test_colour_blind.py)
METHOD_COLORS = {"ar": "#d55e00", "nat": "#0072b2", "ctc": "#009e73", "mask_predict": "#000000"}
RING_COLOR = "#e6550d"


def mask_predict_figure(
    tokens: Sequence[Sequence[str]],
    confidence: np.ndarray,
    remasked: np.ndarray,
    title: str = "",
    *,
    presentation: bool = False,
    x_title: str = "target position",
    y_title: str = "iteration",
    colorbar_title: str = "confidence",
    row_labels: Sequence[str] | None = None,
    column_labels: Sequence[str] | None = None,
) -> go.Figure:
    """Rows = iterations (first at the top), columns = target positions; each cell shows the token and is
    coloured by its confidence; an orange frame marks the positions (re)predicted in that iteration.
    Rows and columns are numbered from 1 unless labelled."""
    conf = as_array(confidence, 2, "confidence")
    again = as_array(remasked, 2, "remasked", bool)
    n_iter, n_pos = conf.shape
    if again.shape != conf.shape or len(tokens) != n_iter or any(len(row) != n_pos for row in tokens):
        raise ValueError("tokens, confidence and remasked must all be (iterations, positions)")
    sizes = font_sizes(presentation)
    labels = [[display_label(t, 10) for t in row] for row in tokens]
    widest = max((text_width_px(t, sizes["cell"] + 2) for row in tokens for t in row), default=20)
    cell_w, cell_h = max(64.0, widest + 20), 54 if presentation else 42
    frames = [
        {
            "type": "rect",
            "x0": c - 0.46,
            "x1": c + 0.46,
            "y0": r - 0.44,
            "y1": r + 0.44,
            "line": {"color": RING_COLOR, "width": 3},
        }
        for r, c in zip(*np.nonzero(again), strict=True)
    ]
    heatmap = trace(
        "heatmap",
        z=conf,
        zmin=0,
        zmax=1,
        colorscale=WEIGHT_COLORSCALE,
        text=labels,
        texttemplate="%{text}",
        textfont={"size": sizes["cell"] + 2},
        xgap=3,
        ygap=3,
        hovertemplate="%{text}: %{z:.2f}<extra></extra>",
        colorbar={"title": {"text": plain_text(colorbar_title)}, "thickness": 16, "tickfont": {"size": sizes["tick"]}},
    )
    return make_figure(
        [heatmap],
        title,
        presentation,
        width=n_pos * cell_w + 200,
        height=n_iter * cell_h + sizes["base"] * 8,
        shapes=frames,
        xaxis={
            "tickvals": list(range(n_pos)),
            "ticktext": [display_label(x, 10) for x in column_labels]
            if column_labels
            else [str(i + 1) for i in range(n_pos)],
            "showgrid": False,
            "title": {"text": display_label(x_title)},
            "tickfont": {"size": sizes["tick"]},
        },
        yaxis={
            "tickvals": list(range(n_iter)),
            "ticktext": [display_label(y) for y in row_labels] if row_labels else [str(i + 1) for i in range(n_iter)],
            "autorange": "reversed",
            "showgrid": False,
            "title": {"text": display_label(y_title)},
            "tickfont": {"size": sizes["tick"]},
        },
    )


def log_ticks(values: Sequence[float]) -> list[float]:
    """1-2-5 ticks (…, 10, 20, 50, 100, …) spanning the positive values, for a log axis without crowded minor digits."""
    positive = [v for v in values if v > 0]
    if not positive:
        return []
    low, high = math.floor(math.log10(min(positive))), math.ceil(math.log10(max(positive)))
    ticks = [m * 10.0**e for e in range(low, high + 1) for m in (1, 2, 5)]
    inside = [t for t in ticks if min(positive) / 2 <= t <= max(positive) * 2]
    return [float(f"{t:.6g}") for t in inside]


def speed_chart(
    lengths: Sequence[int],
    times: dict[str, Sequence[float]],
    names: dict[str, str],
    title: str = "",
    *,
    presentation: bool = False,
    x_title: str = "target tokens",
    y_title: str = "ms",
) -> go.Figure:
    """One line per method (key of `times`, labelled by `names`): wall-clock against target length, log scale."""
    sizes = font_sizes(presentation)
    traces = [
        trace(
            "scatter",
            x=list(lengths),
            y=list(values),
            mode="lines+markers",
            name=display_label(names[method]),
            line={"color": METHOD_COLORS.get(method), "width": 4 if presentation else 3},
            marker={"size": 11 if presentation else 8},
            hovertemplate="%{x}: %{y:.1f} ms<extra></extra>",
        )
        for method, values in times.items()
    ]
    legend_px = int(sizes["tick"] * 2.6) * 2
    return make_figure(
        traces,
        title,
        presentation,
        height=(460 if presentation else 360) + legend_px,
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0.0,
            "yanchor": "bottom",
            "x": 0,
            "font": {"size": sizes["tick"]},
        },
        margin={"b": legend_px + 6},
        xaxis={
            "title": {"text": display_label(x_title)},
            "tickvals": list(lengths),
            "tickfont": {"size": sizes["tick"]},
        },
        yaxis={
            "title": {"text": display_label(y_title)},
            "type": "log",
            "tickfont": {"size": sizes["tick"]},
            "tickvals": log_ticks([v for values in times.values() for v in values]),
        },
    )


def logit_lens_figure(
    tokens: Sequence[Sequence[str]],
    final_probability: np.ndarray,
    title: str = "",
    *,
    column_labels: Sequence[str],
    embeddings_label: str = "0 (embeddings)",
    presentation: bool = False,
    x_title: str = "position (input)",
    y_title: str = "layer (0 = embeddings)",
    colorbar_title: str = "p(final answer)",
) -> go.Figure:
    """The logit lens: rows = layers (the embeddings first), columns = positions; each cell the layer's top
    token, coloured by the probability that layer gives the model's final answer."""
    probability = as_array(final_probability, 2, "final_probability")
    layers = [embeddings_label] + [str(layer) for layer in range(1, len(tokens))]
    return mask_predict_figure(
        tokens,
        probability,
        np.zeros(probability.shape, bool),
        title,
        presentation=presentation,
        x_title=x_title,
        y_title=y_title,
        colorbar_title=colorbar_title,
        row_labels=layers,
        column_labels=column_labels,
    )
