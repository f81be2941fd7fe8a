"""The load report's chart: interaction latency against the number of students at once."""

from __future__ import annotations

import math
from collections.abc import Sequence

import plotly.graph_objects as go

from .bars import PLAIN_COLOR
from .generation import HIGHLIGHT_COLOR
from .parallel import log_ticks
from .style import font_sizes, make_figure


def latency_against_sessions(
    sessions: Sequence[int],
    p50_ms: Sequence[float],
    p95_ms: Sequence[float],
    title: str = "",
    *,
    goal_ms: float | None = None,
    goal_label: str = "goal: p95 ≤ 1 s",
    x_title: str = "students at once",
    y_title: str = "latency per interaction (ms, log scale)",
) -> go.Figure:
    """p50 and p95 latency per level, on a log axis, with the goal as a dashed line when given."""
    sizes = font_sizes(False)
    traces = [
        go.Scatter(x=list(sessions), y=list(p50_ms), mode="lines+markers", name="p50", line={"color": PLAIN_COLOR}),
        go.Scatter(x=list(sessions), y=list(p95_ms), mode="lines+markers", name="p95", line={"color": HIGHLIGHT_COLOR}),
    ]
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
        xaxis={"title": {"text": x_title}, "tickvals": list(sessions), "tickfont": {"size": sizes["tick"]}},
        yaxis={
            "title": {"text": y_title},
            "type": "log",
            "tickvals": log_ticks([*p50_ms, *p95_ms, *([goal_ms] if goal_ms else [])]),
            "tickfont": {"size": sizes["tick"]},
        },
    )
