"""Recurrent models' figures: how far back a loss's gradient reaches (the vanishing gradient), and
long-range agreement against the distance from subject to verb, one line per model."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from .load import SERIES_COLORS
from .parallel import log_ticks
from .style import font_sizes, make_figure


def _model_line(name: str, x: list, y: list, color: str, presentation: bool) -> go.Scatter:
    return go.Scatter(
        x=x, y=y, mode="lines+markers", name=name, line={"color": color, "width": 3 if presentation else 2}
    )


def gradient_reach_figure(
    norms: Mapping[str, Sequence[float]],
    title: str = "",
    *,
    presentation: bool = False,
    x_title: str = "k: steps back from the loss",
    y_title: str = "‖∂ loss_t / ∂ h_(t−k)‖ (log scale)",
) -> go.Figure:
    """{model: [norm at k = 0, 1, ...]} on a log axis: a straight fall is a gradient that vanishes
    geometrically; a flat line, one that reaches back. Zero norms (nothing reached) are left out."""
    sizes = font_sizes(presentation)
    traces, shown = [], []
    for (name, values), color in zip(norms.items(), SERIES_COLORS, strict=False):
        points = [(k, v) for k, v in enumerate(values) if v > 0]
        shown += [v for _, v in points]
        traces.append(_model_line(name, [k for k, _ in points], [v for _, v in points], color, presentation))
    return make_figure(
        traces,
        title,
        presentation,
        width=760,
        height=440,
        xaxis={"title": {"text": x_title}, "dtick": 1 if max(map(len, norms.values()), default=0) <= 16 else 2},
        yaxis={
            "title": {"text": y_title},
            "type": "log",
            "tickvals": log_ticks(shown) if shown else None,
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
) -> go.Figure:
    """{model: {distance bucket label: accuracy}}, one line per model over the same buckets, with chance
    (0.5: two forms) dashed."""
    traces = []
    for (name, by_bucket), color in zip(accuracy.items(), SERIES_COLORS, strict=False):
        traces.append(_model_line(name, list(by_bucket), list(by_bucket.values()), color, presentation))
    chance = {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": 0.5, "y1": 0.5}
    chance["line"] = {"dash": "dash", "color": "#888", "width": 1.5}
    note = {"xref": "paper", "x": 0.99, "y": 0.5, "text": chance_label, "showarrow": False}
    note.update({"yanchor": "bottom", "xanchor": "right", "font": {"color": "#666"}})
    return make_figure(
        traces,
        title,
        presentation,
        width=760,
        height=440,
        shapes=[chance],
        annotations=[note],
        xaxis={"title": {"text": x_title}, "type": "category"},
        yaxis={"title": {"text": y_title}, "range": [0.4, 1.02], "tickformat": ".0%"},
    )
