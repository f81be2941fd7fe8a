"""Bar charts of token probabilities (top-k predictions, next-token distributions)."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from .style import display_label, font_sizes, make_figure, trace

GOOD_COLOR = "#1b7f3b"  # a prediction the toy-language checker accepts here
OTHER_COLOR = "#9aa5b1"
PLAIN_COLOR = "#1f5fa8"


def topk_bars(
    tokens: Sequence[str],
    probs: Sequence[float],
    title: str = "",
    *,
    accepted: Sequence[bool] | None = None,
    presentation: bool = False,
    x_title: str = "probability",
    legend: tuple[str, str] = ("✓ fits the sentence", "✗ does not fit"),
) -> go.Figure:
    """Horizontal bars, most probable on top, probability printed at the end of each bar. With
    `accepted`, bars are green and marked ✓ where the word fits the sentence, grey and marked ✗ where it does
    not (never colour alone)."""
    sizes = font_sizes(presentation)
    labels = [display_label(t) for t in tokens]
    colors = [PLAIN_COLOR] * len(labels) if accepted is None else [GOOD_COLOR if ok else OTHER_COLOR for ok in accepted]
    traces = [
        trace(
            "bar",
            x=list(probs),
            y=list(range(len(labels))),
            orientation="h",
            marker={"color": colors},
            text=[f"{p:.0%}" if p >= 0.01 else f"{p:.1%}" for p in probs]
            if accepted is None
            else [
                f"{p:.0%} {'✓' if ok else '✗'}" if p >= 0.01 else f"{p:.1%} {'✓' if ok else '✗'}"
                for p, ok in zip(probs, accepted, strict=True)
            ],
            textposition="outside",
            textfont={"size": sizes["cell"]},
            cliponaxis=False,
            hovertext=labels,
            hovertemplate="%{hovertext}: %{x:.3f}<extra></extra>",
            showlegend=False,
        )
    ]
    legend_layout, legend_room = {}, 0
    if accepted is not None:
        traces += [
            trace("bar", x=[None], y=[None], marker={"color": color}, name=display_label(name), orientation="h")
            for name, color in zip(legend, (GOOD_COLOR, OTHER_COLOR), strict=False)
        ]
        # the legend at the figure's foot, below the axis title: the bottom margin holds ticks, title and legend
        bottom = int(3.4 * sizes["tick"] + 1.4 * sizes["base"] + 12)
        legend_layout = {
            "legend": {
                "orientation": "h",
                "yref": "container",
                "y": 0,
                "yanchor": "bottom",
                "x": 0,
                "font": {"size": sizes["tick"]},
            },
            "margin": {"b": bottom},
        }
        legend_room = bottom
    right = min(1.18, max(list(probs) + [0.05]) * 1.25 + 0.04)  # room for the printed values
    row = 34 if presentation else 26
    return make_figure(
        traces,
        title,
        presentation,
        height=110 + row * len(labels) + legend_room,
        yaxis={
            "tickvals": list(range(len(labels))),
            "ticktext": labels,
            "autorange": "reversed",
            "tickfont": {"size": sizes["tick"] + 2},
        },
        xaxis={
            "range": [0, right],
            "tickformat": ".0%",
            "title": {"text": display_label(x_title)},
            "gridcolor": "#eeeeee",
        },
        **legend_layout,
    )
