"""Figures of the positions page: the sinusoidal table as a heatmap and as curves, dot products over
offsets, and RoPE's rotating feature pairs. Pure builders: arrays in, plotly figures out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from .style import SCORE_COLORSCALE, as_array, font_sizes, make_figure, plain_text, trace

LINE_COLORS = ("#1f5fa8", "#e08214", "#2ca02c", "#b2182b", "#6a3d9a", "#8c564b")  # distinct in print and projected
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")  # overlapping curves stay visible, and
# each curve is told apart without its colour


def encoding_heatmap(
    table: np.ndarray,
    title: str = "",
    *,
    presentation: bool = False,
    x_title: str = "dimension",
    y_title: str = "position",
    colorbar_title: str = "value",
) -> go.Figure:
    """A (positions, dimensions) table of values in −1..1: rows are positions, columns features."""
    values = as_array(table, 2, "table")
    positions, dims = values.shape
    sizes = font_sizes(presentation)
    heatmap = trace(
        "heatmap",
        z=values,
        zmin=-1,
        zmax=1,
        colorscale=SCORE_COLORSCALE,
        hovertemplate=f"{plain_text(y_title)} %{{y}}, {plain_text(x_title)} %{{x}}: %{{z:.3f}}<extra></extra>",
        colorbar={"title": {"text": plain_text(colorbar_title), "side": "right"}, "tickfont": {"size": sizes["tick"]}},
    )
    return make_figure(
        [heatmap],
        title,
        presentation,
        height=560 if presentation else 440,
        xaxis={"title": plain_text(x_title), "range": [-0.5, dims - 0.5]},
        yaxis={"title": plain_text(y_title), "autorange": "reversed", "range": [positions - 0.5, -0.5]},
    )


def line_figure(
    series: Mapping[str, tuple[Sequence[float], Sequence[float]]],
    title: str = "",
    *,
    presentation: bool = False,
    x_title: str = "",
    y_title: str = "",
    markers: bool = False,
) -> go.Figure:
    """One line per named series {name: (x, y)}, each its own colour and dash, so that curves lying exactly
    on one another (the lesson of the offset plot) still show that there are several."""
    sizes = font_sizes(presentation)
    traces = [
        trace(
            "scatter",
            x=list(x),
            y=list(y),
            name=plain_text(name),
            mode="lines+markers" if markers else "lines",
            line={
                "color": LINE_COLORS[i % len(LINE_COLORS)],
                "dash": DASHES[i % len(DASHES)],
                "width": 4 if presentation else 2.5,
            },
            marker={"size": 9 if presentation else 6},
        )
        for i, (name, (x, y)) in enumerate(series.items())
    ]
    return make_figure(
        traces,
        title,
        presentation,
        height=480 if presentation else 360,
        xaxis={"title": plain_text(x_title)},
        yaxis={"title": plain_text(y_title)},
        legend={"orientation": "h", "y": -0.22, "font": {"size": sizes["base"]}},
    )


def rotation_figure(
    paths: np.ndarray,
    pair_names: Sequence[str],
    title: str = "",
    *,
    presentation: bool = False,
    position_label: str = "position",
) -> go.Figure:
    """RoPE's feature pairs (pairs, positions, 2) drawn in their plane: one arrow per position from the
    origin, numbered, so the turn per position is visible (fast pairs spin, slow pairs barely move)."""
    path = as_array(paths, 3, "paths")
    sizes = font_sizes(presentation)
    traces = []
    for i, (points, name) in enumerate(zip(path, pair_names, strict=False)):
        color = LINE_COLORS[i % len(LINE_COLORS)]
        xs = [v for x, _ in points for v in (0.0, float(x), None)]
        ys = [v for _, y in points for v in (0.0, float(y), None)]
        traces.append(
            trace(
                "scatter",
                x=xs,
                y=ys,
                mode="lines",
                line={"color": color, "width": 1.5},
                opacity=0.45,
                hoverinfo="skip",
                showlegend=False,
                legendgroup=name,
            )
        )
        traces.append(
            trace(
                "scatter",
                x=points[:, 0],
                y=points[:, 1],
                mode="markers+text",
                name=plain_text(name),
                legendgroup=name,
                text=[str(p) for p in range(len(points))],
                textposition="top center",
                textfont={"size": sizes["tick"], "color": color},
                marker={"size": 11 if presentation else 8, "color": color},
                hovertemplate=f"{plain_text(name)}, {plain_text(position_label)} %{{text}}<extra></extra>",
            )
        )
    reach = float(np.abs(path).max()) * 1.25 or 1.0
    side = 620 if presentation else 480
    return make_figure(
        traces,
        title,
        presentation,
        width=side + 200,
        height=side,
        xaxis={"range": [-reach, reach], "zeroline": True, "zerolinecolor": "#999999", "title": "x₂ᵢ"},
        yaxis={
            "range": [-reach, reach],
            "zeroline": True,
            "zerolinecolor": "#999999",
            "title": "x₂ᵢ₊₁",
            "scaleanchor": "x",
            "scaleratio": 1,
        },
        legend={"font": {"size": sizes["base"]}},
    )
