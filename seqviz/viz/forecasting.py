"""Figures of forecasting: the forecasts against the truth with their intervals, the error against the
horizon step, and the time against the horizon or the number of series."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .parallel import log_ticks
from .style import as_array, display_label, font_sizes, legend_below, make_figure, trace

TRUTH_COLOR = "#000000"
# five colours and black that stay apart for red-green colour blindness (test_colour_blind.py; Okabe and Ito's
# sky blue and vermillion, Tol's teal, indigo and wine); each method also has its own dash (never colour alone)
METHOD_COLORS = {
    "seasonal_naive": "#56b4e9",
    "ar": "#44aa99",
    "recursive": "#332288",
    "recursive_free": "#882255",
    "direct": "#d55e00",
}
METHOD_DASHES = {
    "seasonal_naive": "dot",
    "ar": "dashdot",
    "recursive": "solid",
    "recursive_free": "dash",
    "direct": "longdash",
}
PAST_COLOR = "#4b5563"  # the context: dark grey, the truth after it black


def _rgba(color: str, alpha: float) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _line(method: str, presentation: bool, width: float | None = None) -> dict:
    return {
        "color": METHOD_COLORS.get(method, TRUTH_COLOR),
        "dash": METHOD_DASHES.get(method, "solid"),
        "width": width or (4 if presentation else 2.5),
    }


def forecast_figure(
    past: Sequence[float],
    truth: Sequence[float],
    forecasts: Mapping[str, tuple[Sequence[float], Sequence[float] | None, Sequence[float] | None]],
    names: Mapping[str, str],
    title: str = "",
    *,
    presentation: bool = False,
    x_title: str = "step (0 = the last value read)",
    y_title: str = "value",
    past_name: str = "past (read)",
    truth_name: str = "truth (hidden from the models)",
    interval_name: str = "{method}: 80% interval",
) -> object:
    """The past (steps −C+1 … 0), the true future (1 … H, dashed black) and each method's forecast (its
    colour and dash), with a translucent band from its 10% to its 90% quantile where it has one.
    forecasts: method -> (point (H,), lower (H,) or None, upper (H,) or None)."""
    past_y, truth_y = as_array(past, 1, "past"), as_array(truth, 1, "truth")
    horizon = len(truth_y)
    past_x = list(range(-len(past_y) + 1, 1))
    future_x = list(range(1, horizon + 1))
    sizes = font_sizes(presentation)
    traces = []
    for method, (_, lower, upper) in forecasts.items():  # bands first, under every line
        if lower is None or upper is None:
            continue
        low, high = as_array(lower, 1, "lower")[:horizon], as_array(upper, 1, "upper")[:horizon]
        traces.append(
            trace(
                "scatter",
                x=future_x + future_x[::-1],
                y=high.tolist() + low[::-1].tolist(),
                fill="toself",
                fillcolor=_rgba(METHOD_COLORS.get(method, TRUTH_COLOR), 0.16),
                line={"width": 0},
                hoverinfo="skip",
                name=display_label(interval_name.format(method=names.get(method, method))),
                legendgroup=method,
                showlegend=False,
            )
        )
    traces.append(
        trace(
            "scatter",
            x=past_x,
            y=past_y.tolist(),
            mode="lines",
            name=display_label(past_name),
            line={"color": PAST_COLOR, "width": 2 if presentation else 1.5},
            hovertemplate="%{x}: %{y:.2f}<extra></extra>",
        )
    )
    traces.append(
        trace(
            "scatter",
            x=[0, *future_x],
            y=[float(past_y[-1]), *truth_y.tolist()],
            mode="lines+markers",
            name=display_label(truth_name),
            line={"color": TRUTH_COLOR, "width": 3 if presentation else 2},
            marker={"size": 6 if presentation else 4, "color": TRUTH_COLOR},
            hovertemplate="%{x}: %{y:.2f}<extra></extra>",
        )
    )
    for method, (point, _, _) in forecasts.items():
        y = as_array(point, 1, "point")[:horizon]
        traces.append(
            trace(
                "scatter",
                x=future_x,
                y=y.tolist(),
                mode="lines",
                name=display_label(names.get(method, method)),
                legendgroup=method,
                line=_line(method, presentation),
                hovertemplate=f"{display_label(names.get(method, method))} %{{x}}: %{{y:.2f}}<extra></extra>",
            )
        )
    legend, room = legend_below(presentation)
    rows = 1 + (len(forecasts) + 2) // 3  # the legend wraps on a narrow screen
    return make_figure(
        traces,
        title,
        presentation,
        height=(480 if presentation else 380) + room * rows,
        legend=legend,
        margin={"b": room * rows + 6},
        xaxis={"title": {"text": display_label(x_title)}, "tickfont": {"size": sizes["tick"]}, "zeroline": True},
        yaxis={"title": {"text": display_label(y_title)}, "tickfont": {"size": sizes["tick"]}},
        shapes=[
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": 0.5,
                "x1": 0.5,
                "y0": 0,
                "y1": 1,
                "line": {"dash": "dot", "color": "#6b7280", "width": 1.5},
            }
        ],
    )


def error_by_step_chart(
    curves: Mapping[str, Sequence[float]],
    names: Mapping[str, str],
    title: str = "",
    *,
    presentation: bool = False,
    x_title: str = "horizon step",
    y_title: str = "MASE (held-out)",
    crossover: int | None = None,
    crossover_label: str = "direct ahead from here",
    log_y: bool = True,
) -> object:
    """One line per method (its colour and dash): the error at each horizon step 1 … H. A dotted line at 1
    (as wrong as seasonal-naive is in-sample) and, when given, a vertical line at the crossover step."""
    sizes = font_sizes(presentation)
    traces = []
    horizon = 0
    for method, values in curves.items():
        y = as_array(values, 1, method)
        horizon = max(horizon, len(y))
        traces.append(
            trace(
                "scatter",
                x=list(range(1, len(y) + 1)),
                y=y.tolist(),
                mode="lines+markers",
                name=display_label(names.get(method, method)),
                line=_line(method, presentation),
                marker={"size": 7 if presentation else 5, "color": METHOD_COLORS.get(method, TRUTH_COLOR)},
                hovertemplate=f"{display_label(names.get(method, method))} h=%{{x}}: %{{y:.3f}}<extra></extra>",
            )
        )
    shapes = [
        {
            "type": "line",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "y0": 1,
            "y1": 1,
            "line": {"dash": "dot", "color": "#6b7280", "width": 1.5},
        }
    ]
    annotations = []
    if crossover is not None:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": crossover - 0.5,
                "x1": crossover - 0.5,
                "y0": 0,
                "y1": 1,
                "line": {"dash": "dash", "color": METHOD_COLORS["direct"], "width": 2},
            }
        )
        annotations.append(
            {
                "x": crossover - 0.5,
                "xref": "x",
                "y": 1.0,
                "yref": "paper",
                "text": display_label(crossover_label),
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "top",  # inside the plot, under its top edge: a title or subtitle above it stays clear
                "xshift": 4,
                "bgcolor": "rgba(255, 255, 255, 0.85)",
                "font": {"size": sizes["tick"], "color": TRUTH_COLOR},
            }
        )
    every = [v for values in curves.values() for v in values]
    legend, room = legend_below(presentation)
    rows = 1 + (len(curves) + 1) // 3
    yaxis = {"title": {"text": display_label(y_title)}, "tickfont": {"size": sizes["tick"]}}
    if log_y:
        yaxis |= {"type": "log", "tickvals": log_ticks(every + [1.0])}
    return make_figure(
        traces,
        title,
        presentation,
        height=(460 if presentation else 360) + room * rows,
        legend=legend,
        margin={"b": room * rows + 6},
        shapes=shapes,
        annotations=annotations,
        xaxis={
            "title": {"text": display_label(x_title)},
            "tickvals": [h for h in range(1, horizon + 1) if h == 1 or h % 6 == 0],
            "tickfont": {"size": sizes["tick"]},
        },
        yaxis=yaxis,
    )


def speed_lines(
    xs: Sequence[int],
    times: Mapping[str, Sequence[float]],
    names: Mapping[str, str],
    title: str = "",
    *,
    presentation: bool = False,
    x_title: str = "horizon (steps)",
    y_title: str = "ms (median)",
    log_x: bool = False,
) -> object:
    """One line per method: wall-clock (log scale) against the horizon or the number of series."""
    sizes = font_sizes(presentation)
    traces = [
        trace(
            "scatter",
            x=list(xs),
            y=list(values),
            mode="lines+markers",
            name=display_label(names.get(method, method)),
            line=_line(method, presentation),
            marker={"size": 10 if presentation else 7, "color": METHOD_COLORS.get(method, TRUTH_COLOR)},
            hovertemplate="%{x}: %{y:.2f} ms<extra></extra>",
        )
        for method, values in times.items()
    ]
    legend, room = legend_below(presentation)
    rows = 1 + (len(times) + 1) // 3
    every = [float(v) for values in times.values() for v in values if np.isfinite(v)]
    return make_figure(
        traces,
        title,
        presentation,
        height=(440 if presentation else 340) + room * rows,
        legend=legend,
        margin={"b": room * rows + 6},
        xaxis={
            "title": {"text": display_label(x_title)},
            "type": "log" if log_x else "linear",
            "tickvals": list(xs),
            "tickfont": {"size": sizes["tick"]},
        },
        yaxis={
            "title": {"text": display_label(y_title)},
            "type": "log",
            "tickvals": log_ticks(every),
            "tickfont": {"size": sizes["tick"]},
        },
    )
