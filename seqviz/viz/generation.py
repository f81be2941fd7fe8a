"""Figures of autoregressive generation: the next-token distribution before and after the processors, the
KV cache's shapes and its measured latency. The beam-search tree lives in beam.py."""

from __future__ import annotations

import html
from collections.abc import Sequence

import plotly.graph_objects as go

from .style import TEXT_COLOR, display_label, font_sizes, legend_below, make_figure, text_width_px, trace

BEFORE_COLOR, AFTER_COLOR = "#9ecae1", "#1f5fa8"
CACHED_COLOR, RECOMPUTE_COLOR = "#1f5fa8", "#d95f02"  # blue and orange: apart for red-green colour blindness too
CHOSEN_BAND = "#fde7d4"  # the chosen token's row
REMOVED_COLOR, REMOVED_MARK = "#9a9a9a", "#b2182b"  # a removed token's label, its ✕
GRID_COLOR = "#eeeeee"


def _percent(p: float) -> str:
    return f"{p:.0%}" if p >= 0.01 else f"{p:.1%}" if p > 0 else ""


def _percent_ticks(top: float) -> list[float]:
    """Ticks at round percentages, never past 100%."""
    step = 0.05 if top <= 0.25 else 0.1 if top <= 0.6 else 0.2
    return [i * step for i in range(int(min(top, 1.0) / step + 1e-9) + 1)]


def distribution_before_after(
    tokens: Sequence[str],
    before: Sequence[float],
    after: Sequence[float],
    title: str = "",
    *,
    chosen: str | None = None,
    presentation: bool = False,
    before_label: str = "before temperature/top-k/top-p",
    after_label: str = "after (sampled from)",
    x_title: str = "probability",
) -> go.Figure:
    """Grouped horizontal bars per token, most probable (before) on top. The chosen token's row is shaded
    and its label marked ▶; tokens the processors removed (probability 0 after) are greyed and marked ✕."""
    if not len(tokens) == len(before) == len(after):
        raise ValueError(f"{len(tokens)} tokens, {len(before)} before and {len(after)} after probabilities")
    sizes = font_sizes(presentation)
    order = sorted(range(len(tokens)), key=lambda i: -float(before[i]))
    tokens = [str(tokens[i]) for i in order]
    before, after = [float(before[i]) for i in order], [float(after[i]) for i in order]
    chosen_row = tokens.index(chosen) if chosen is not None and chosen in tokens else None
    labels = []
    for row, (token, p_after) in enumerate(zip(tokens, after, strict=False)):
        label = display_label(token, 16)
        if row == chosen_row:
            label = f"<b>▶ {label}</b>"
        elif p_after == 0:
            label = f'<span style="color:{REMOVED_COLOR}">✕ {label}</span>'
        labels.append(label)
    y = list(range(len(tokens)))
    traces = []
    for name, values, color in ((before_label, before, BEFORE_COLOR), (after_label, after, AFTER_COLOR)):
        removed = values is after
        traces.append(
            trace(
                "bar",
                x=values,
                y=y,
                orientation="h",
                name=display_label(name),
                marker={"color": color},
                text=[("✕" if removed and v == 0 else _percent(v)) for v in values],
                textposition="outside",
                constraintext="inside",
                cliponaxis=False,
                textfont={
                    "size": sizes["tick"],
                    "color": [REMOVED_MARK if removed and v == 0 else TEXT_COLOR for v in values],
                },
                hovertext=[display_label(t) for t in tokens],
                hovertemplate="%{hovertext}: %{x:.3f}<extra></extra>",
            )
        )
    band = (
        []
        if chosen_row is None
        else [
            {
                "type": "rect",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": chosen_row - 0.5,
                "y1": chosen_row + 0.5,
                "fillcolor": CHOSEN_BAND,
                "line": {"width": 0},
                "layer": "below",
            }
        ]
    )
    top = max(before + after + [0.05])
    legend, legend_px = legend_below(presentation)
    row = 58 if presentation else 40
    return make_figure(
        traces,
        title,
        presentation,
        height=row * len(tokens) + sizes["base"] * 5 + legend_px,
        barmode="group",
        bargap=0.22,
        bargroupgap=0.05,
        shapes=band,
        legend=legend,
        margin={"b": legend_px + 8},
        yaxis={"tickvals": y, "ticktext": labels, "autorange": "reversed", "tickfont": {"size": sizes["tick"] + 2}},
        xaxis={
            "range": [0, min(1.18, top * 1.22 + 0.04)],
            "tickvals": _percent_ticks(top),
            "tickformat": ".0%",
            "title": {"text": display_label(x_title)},
            "gridcolor": GRID_COLOR,
            "tickfont": {"size": sizes["tick"]},
        },
    )


def latency_chart(
    lengths: Sequence[int],
    cached_ms: Sequence[float],
    recompute_ms: Sequence[float],
    title: str = "",
    *,
    presentation: bool = False,
    cached_label: str = "with KV cache",
    recompute_label: str = "recompute every step",
    x_title: str = "generated tokens",
    y_title: str = "time per token (ms)",
    speedup_text: str = "{ratio:.1f}×",
) -> go.Figure:
    """Per-token latency against length; a dashed bracket at the longest length carries the speed-up
    (`speedup_text` formatted with `ratio`, e.g. "{ratio:.1f}× faster")."""
    if not len(lengths) == len(cached_ms) == len(recompute_ms):
        raise ValueError("lengths, cached_ms and recompute_ms must have the same length")
    sizes = font_sizes(presentation)
    traces = [
        trace(
            "scatter",
            x=list(lengths),
            y=list(values),
            mode="lines+markers",
            name=display_label(name),
            line={"color": color, "width": 4 if presentation else 3},
            marker={"size": 12 if presentation else 9},
            hovertemplate="%{x}: %{y:.2f} ms<extra></extra>",
        )
        for name, values, color in (
            (recompute_label, recompute_ms, RECOMPUTE_COLOR),
            (cached_label, cached_ms, CACHED_COLOR),
        )
    ]
    margin_r, shapes, annotations = 10, [], []
    if len(lengths) and cached_ms[-1] > 0:
        ratio = recompute_ms[-1] / cached_ms[-1]
        label = display_label(speedup_text.format(ratio=ratio))
        x, low, high = lengths[-1], cached_ms[-1], recompute_ms[-1]
        shapes.append(
            {
                "type": "line",
                "x0": x,
                "x1": x,
                "y0": low,
                "y1": high,
                "line": {"color": "#555555", "width": 2, "dash": "dot"},
            }
        )
        annotations.append(
            {
                "x": x,
                "y": (low + high) / 2,
                "text": f"<b>{label}</b>",
                "showarrow": False,
                "xanchor": "left",
                "xshift": 12,
                "font": {"size": sizes["title"] + 4, "color": TEXT_COLOR},
            }
        )
        margin_r = int(text_width_px(html.unescape(label), sizes["title"] + 4) + 30)
    legend, legend_px = legend_below(presentation)
    return make_figure(
        traces,
        title,
        presentation,
        height=(480 if presentation else 360) + legend_px,
        shapes=shapes,
        annotations=annotations,
        legend=legend,
        margin={"r": margin_r, "b": legend_px + 6},
        xaxis={"title": {"text": display_label(x_title)}, "gridcolor": GRID_COLOR, "tickfont": {"size": sizes["tick"]}},
        yaxis={
            "title": {"text": display_label(y_title)},
            "gridcolor": GRID_COLOR,
            "rangemode": "tozero",
            "tickfont": {"size": sizes["tick"]},
        },
    )


def cache_shapes_figure(
    shapes: Sequence[tuple[int, int, int, int]],
    title: str = "",
    *,
    presentation: bool = False,
    layer_label: str = "layer",
    x_title: str = "cached positions",
) -> go.Figure:
    """One bar per layer, T cells long (one per cached position), labelled with the K/V shape (B, H, T, Dh)."""
    shapes = [tuple(int(d) for d in s) for s in shapes]
    if any(len(s) != 4 for s in shapes):
        raise ValueError(f"cache shapes must be (B, H, T, Dh), got {shapes}")
    sizes = font_sizes(presentation)
    y = list(range(len(shapes)))
    lengths = [s[2] for s in shapes]
    traces = [
        trace(
            "bar",
            x=lengths,
            y=y,
            orientation="h",
            marker={"color": CACHED_COLOR},
            width=0.7,
            cliponaxis=False,
            showlegend=False,
            text=["  K,V: " + "×".join(str(d) for d in s) for s in shapes],
            textposition="outside",
            constraintext="inside",
            textfont={"size": sizes["tick"]},
            hovertemplate="%{x}<extra></extra>",
        )
    ]
    if max(lengths + [0]) <= 80:  # thin white cuts make the positions countable
        xs, ys = [], []
        for row, t in zip(y, lengths, strict=False):
            for k in range(1, t):
                xs += [k, k, None]
                ys += [row - 0.35, row + 0.35, None]
        if xs:
            traces.append(
                trace(
                    "scatter",
                    x=xs,
                    y=ys,
                    mode="lines",
                    line={"color": "white", "width": 1.5},
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
    return make_figure(
        traces,
        title,
        presentation,
        height=(52 if presentation else 36) * len(shapes) + sizes["base"] * 5 + (40 if title else 0),
        yaxis={
            "tickvals": y,
            "ticktext": [f"{display_label(layer_label)} {i + 1}" for i in y],
            "autorange": "reversed",
            "tickfont": {"size": sizes["tick"] + 2},
        },
        xaxis={
            "title": {"text": display_label(x_title)},
            "range": [0, max(lengths + [1]) * 1.55],
            "gridcolor": GRID_COLOR,
            "tickfont": {"size": sizes["tick"]},
            "rangemode": "tozero",
        },
    )
