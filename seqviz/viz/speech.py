"""Figures of CTC on speech-like frames: the spectrogram, each frame's posteriors, the best path and its
collapse, the forward–backward posterior over alignments, and the error against the speaking rate."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .style import (
    HIGHLIGHT_COLOR,
    WEIGHT_COLORSCALE,
    as_array,
    display_label,
    font_sizes,
    legend_below,
    make_figure,
    plain_text,
    top_margin,
    trace,
)

BLANK_LABEL = "ε"  # how the blank is written in every figure
# letter and word error: Okabe and Ito's blue and vermillion, apart for red-green colour blindness
# (test_colour_blind.py); each line has its own marker and dash too (never colour alone)
ERROR_COLORS = {"letters": "#0072b2", "words": "#d55e00"}
SPAN_COLOR = "#374151"  # where each spoken symbol starts, dark on the spectrogram's light cells
TRAINING_SHADE = "rgba(0, 114, 178, 0.10)"  # the training range of speaking rates
FRAME_PX = 14  # a frame's width in the frame-by-frame figures (they scroll sideways on a phone)


def _frames_width(n_frames: int, label_px: int = 150) -> int:
    return n_frames * FRAME_PX + label_px


def _colorbar(title: str, sizes: dict) -> dict:
    return {"title": {"text": plain_text(title)}, "thickness": 14, "tickfont": {"size": sizes["tick"]}}


def _frame_axis(title: str, sizes: dict) -> dict:
    """The frames' axis, across every frame-by-frame figure."""
    return {"title": {"text": display_label(title)}, "showgrid": False, "tickfont": {"size": sizes["tick"]}}


def _row_axis(labels: Sequence[str], title: str | None, tick_size: int) -> dict:
    """A heatmap's rows named from the top down (symbols, path rows, alignment states)."""
    axis = {
        "tickmode": "array",
        "tickvals": list(range(len(labels))),
        "ticktext": [display_label(label) for label in labels],
        "autorange": "reversed",
        "showgrid": False,
        "tickfont": {"size": tick_size},
    }
    return axis if title is None else {"title": {"text": display_label(title)}, **axis}


def spectrogram_figure(
    frames: np.ndarray,
    spans: Sequence[tuple[str, int, int]] = (),
    title: str = "",
    *,
    presentation: bool = False,
    x_title: str = "frame",
    y_title: str = "frequency bin",
    colorbar_title: str = "energy",
) -> go.Figure:
    """frames (T, bins) as a heatmap, time across and the lowest bin at the bottom; each spoken symbol's
    span marked by a line where it starts and its letter above ("␣" for the space between words)."""
    z = as_array(frames, 2, "frames")
    T, n_bins = z.shape
    sizes = font_sizes(presentation)
    lines = [
        {
            "type": "line",
            "x0": start - 0.5,
            "x1": start - 0.5,
            "y0": -0.5,
            "y1": n_bins - 0.5,
            "line": {"color": SPAN_COLOR, "width": 1, "dash": "dot"},
        }
        for _, start, _ in spans
    ]
    notes = [
        {
            "x": (start + end - 1) / 2,
            "y": n_bins - 0.5,
            "yanchor": "bottom",
            "text": display_label(symbol),
            "showarrow": False,
            "font": {"size": sizes["cell"] + 2, "color": SPAN_COLOR},
        }
        for symbol, start, end in spans
    ]
    heatmap = trace(
        "heatmap",
        z=np.clip(z, 0, None).T.round(3),
        zmin=0,
        colorscale=WEIGHT_COLORSCALE,
        hovertemplate="%{x}, %{y}: %{z:.2f}<extra></extra>",
        colorbar=_colorbar(colorbar_title, sizes),
    )
    return make_figure(
        [heatmap],
        title,
        presentation,
        width=_frames_width(T),
        height=(420 if presentation else 330),
        shapes=lines,
        annotations=notes,
        margin={"t": top_margin(title, presentation) + sizes["cell"] + 12},  # the letters above the plot
        xaxis=_frame_axis(x_title, sizes),
        yaxis={"title": {"text": display_label(y_title)}, "showgrid": False, "tickfont": {"size": sizes["tick"]}},
    )


def posterior_figure(
    probs: np.ndarray,
    symbols: Sequence[str],
    title: str = "",
    *,
    presentation: bool = False,
    x_title: str = "frame",
    y_title: str = "symbol",
    colorbar_title: str = "posterior",
) -> go.Figure:
    """Each frame's posterior (T, V) over the symbols (`symbols[v]`, the blank written ε), as a heatmap:
    symbols down (the blank first, at the top), frames across. A trained CTC model's is peaky: the blank
    most of the time, one short spike per letter."""
    p = as_array(probs, 2, "probs")
    T, V = p.shape
    if len(symbols) != V:
        raise ValueError(f"one symbol per column of probs: {len(symbols)} for {V}")
    sizes = font_sizes(presentation)
    row_px = 20 if presentation else 15
    heatmap = trace(
        "heatmap",
        z=p.T.round(4),
        zmin=0,
        zmax=1,
        colorscale=WEIGHT_COLORSCALE,
        hovertemplate="%{x} · %{y}: %{z:.3f}<extra></extra>",
        colorbar=_colorbar(colorbar_title, sizes),
    )
    return make_figure(
        [heatmap],
        title,
        presentation,
        width=_frames_width(T),
        height=V * row_px + sizes["base"] * 8,
        xaxis=_frame_axis(x_title, sizes),
        yaxis=_row_axis(symbols, y_title, sizes["tick"]),
    )


def best_path_figure(
    path: Sequence[str],
    confidence: Sequence[float],
    blank: str = BLANK_LABEL,
    title: str = "",
    *,
    presentation: bool = False,
    row_titles: tuple[str, str, str] = ("best path", "repeats merged", "blanks dropped"),
    x_title: str = "frame",
    colorbar_title: str = "posterior",
) -> go.Figure:
    """The collapse, step by step: row 1 the best path (each frame's most probable symbol, `blank` for the
    blank), row 2 the first frame of every run (repeats merged), row 3 only those that are not blanks: read
    left to right, row 3 is the output. Cells are coloured by the frame's posterior of its symbol."""
    conf = as_array(confidence, 1, "confidence")
    T = len(path)
    if len(conf) != T:
        raise ValueError("one confidence per frame of the path")
    starts = [t == 0 or path[t] != path[t - 1] for t in range(T)]
    kept = [s and path[t] != blank for t, s in enumerate(starts)]
    text = [
        [display_label(s, 4) for s in path],
        [display_label(s, 4) if starts[t] else "" for t, s in enumerate(path)],
        [display_label(s, 4) if kept[t] else "" for t, s in enumerate(path)],
    ]
    z = np.array([conf, np.where(starts, conf, np.nan), np.where(kept, conf, np.nan)]).round(3)
    sizes = font_sizes(presentation)
    heatmap = trace(
        "heatmap",
        z=z,
        zmin=0,
        zmax=1,
        colorscale=WEIGHT_COLORSCALE,
        text=text,
        texttemplate="%{text}",
        textfont={"size": sizes["cell"]},
        xgap=1,
        ygap=3,
        hoverongaps=False,
        hovertemplate="%{x}: %{text} (%{z:.2f})<extra></extra>",
        colorbar=_colorbar(colorbar_title, sizes),
    )
    return make_figure(
        [heatmap],
        title,
        presentation,
        width=_frames_width(T, 190),
        height=3 * (44 if presentation else 34) + sizes["base"] * 8,
        xaxis=_frame_axis(x_title, sizes),
        yaxis=_row_axis(row_titles, None, sizes["tick"]),
    )


def alignment_figure(
    posterior: np.ndarray,
    states: Sequence[str],
    title: str = "",
    *,
    best: Sequence[int] | None = None,
    presentation: bool = False,
    x_title: str = "frame",
    y_title: str = "state (blank-interleaved labels)",
    colorbar_title: str = "P(state | labels, frames)",
) -> go.Figure:
    """The forward–backward posterior (S, T) over the extended labels ε l1 ε l2 … ε (first at the top):
    each column sums to 1, a band running from the top left to the bottom right. `best` (one state per
    frame, optional) draws the most probable state of each frame as an orange line."""
    gamma = as_array(posterior, 2, "posterior")
    S, T = gamma.shape
    if len(states) != S:
        raise ValueError(f"one state label per row of the posterior: {len(states)} for {S}")
    sizes = font_sizes(presentation)
    row_px = 18 if presentation else 13
    traces = [
        trace(
            "heatmap",
            z=gamma.round(4),
            zmin=0,
            zmax=1,
            colorscale=WEIGHT_COLORSCALE,
            hovertemplate="%{x} · %{y}: %{z:.3f}<extra></extra>",
            colorbar=_colorbar(colorbar_title, sizes),
        )
    ]
    if best is not None:
        traces.append(
            trace(
                "scatter",
                x=list(range(T)),
                y=[int(s) for s in best],
                mode="lines",
                line={"color": HIGHLIGHT_COLOR, "width": 2, "shape": "hv"},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    return make_figure(
        traces,
        title,
        presentation,
        width=_frames_width(T),
        height=max(260, S * row_px + sizes["base"] * 8),
        xaxis=_frame_axis(x_title, sizes),
        yaxis=_row_axis(states, y_title, max(9, sizes["tick"] - 2)),
    )


def rate_sweep_figure(
    rates: Sequence[float],
    letter_errors: Sequence[float],
    word_errors: Sequence[float],
    title: str = "",
    *,
    training_range: tuple[float, float] | None = None,
    presentation: bool = False,
    names: tuple[str, str] = ("letter error rate", "word error rate"),
    x_title: str = "speaking rate (1 = normal, 2 = twice as fast)",
    y_title: str = "error rate",
) -> go.Figure:
    """Greedy letter and word error rates on held-out utterances against the speaking rate, the training
    range shaded."""
    sizes = font_sizes(presentation)
    series = (("letters", letter_errors, "circle", "solid"), ("words", word_errors, "square", "dash"))
    traces = [
        trace(
            "scatter",
            x=[float(r) for r in rates],
            y=[float(v) for v in values],
            mode="lines+markers",
            name=display_label(name),
            line={"color": ERROR_COLORS[kind], "width": 4 if presentation else 3, "dash": dash},
            marker={"size": 11 if presentation else 8, "symbol": symbol},
            hovertemplate="%{x}: %{y:.1%}<extra></extra>",
        )
        for (kind, values, symbol, dash), name in zip(series, names, strict=True)
    ]
    shade = (
        [
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": training_range[0],
                "x1": training_range[1],
                "y0": 0,
                "y1": 1,
                "fillcolor": TRAINING_SHADE,
                "line": {"width": 0},
                "layer": "below",
            }
        ]
        if training_range
        else []
    )
    legend, legend_px = legend_below(presentation)
    return make_figure(
        traces,
        title,
        presentation,
        height=(440 if presentation else 340) + legend_px,
        legend=legend,
        margin={"b": legend_px + 10},
        shapes=shade,
        xaxis={
            "title": {"text": display_label(x_title)},
            "tickvals": [float(r) for r in rates],
            "tickfont": {"size": sizes["tick"]},
        },
        yaxis={"title": {"text": display_label(y_title)}, "tickformat": ".0%", "rangemode": "tozero"},
    )
