"""The load report's chart: interaction latency against the number of students at once."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from .bars import PLAIN_COLOR
from .parallel import log_ticks
from .style import HIGHLIGHT_COLOR, font_sizes, make_figure, trace


@dataclass(frozen=True)
class LatencySeries:
    """One configuration's levels: students at once and the latency per interaction there."""

    name: str  # "one server", "two replicas behind nginx"
    sessions: Sequence[int]
    p50_ms: Sequence[float]
    p95_ms: Sequence[float]


SERIES_COLORS = (PLAIN_COLOR, HIGHLIGHT_COLOR, "#009e73", "#000000")  # apart for red-green colour blindness too


def latency_against_sessions(
    series: Sequence[LatencySeries],
    title: str = "",
    *,
    goal_ms: float | None = None,
    goal_label: str = "goal: p95 ≤ 1 s",
    x_title: str = "students at once",
    y_title: str = "latency per interaction (ms, log scale)",
) -> go.Figure:
    """p95 (solid) and p50 (dotted) latency per level of each configuration, on a log axis, with the goal
    as a dashed line when given."""
    sizes = font_sizes(False)
    traces = []
    for one, color in zip(series, SERIES_COLORS, strict=False):
        for share, dash in (("p95", "solid"), ("p50", "dot")):
            traces.append(
                trace(
                    "scatter",
                    x=list(one.sessions),
                    y=list(one.p95_ms if share == "p95" else one.p50_ms),
                    mode="lines+markers",
                    name=f"{one.name}: {share}",
                    line={"color": color, "dash": dash},
                )
            )
    everything = [v for one in series for v in (*one.p50_ms, *one.p95_ms)]
    levels = sorted({n for one in series for n in one.sessions})
    shapes, annotations = [], []
    if goal_ms is not None:
        annotations.append(
            {
                "xref": "paper",
                "x": 0.01,
                "y": math.log10(goal_ms),
                "text": goal_label,
                "showarrow": False,
                "yanchor": "bottom",
                "xanchor": "left",
                "font": {"size": sizes["tick"], "color": "#666"},
            }
        )
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": goal_ms,
                "y1": goal_ms,
                "line": {"dash": "dash", "color": "#888", "width": 1.5},
            }
        )
    return make_figure(
        traces,
        title,
        False,
        width=760,
        height=440,
        shapes=shapes,
        annotations=annotations,
        xaxis={"title": {"text": x_title}, "tickvals": levels, "tickfont": {"size": sizes["tick"]}},
        yaxis={
            "title": {"text": y_title},
            "type": "log",
            "tickvals": log_ticks([*everything, *([goal_ms] if goal_ms else [])]),
            "tickfont": {"size": sizes["tick"]},
        },
    )
