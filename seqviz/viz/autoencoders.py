"""Figures of the autoencoder family: ELECTRA's replaced-token detection, a VAE's posterior and latent map."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .style import as_array, display_label, font_sizes, legend_below, make_figure, trace

# Okabe and Ito's vermillion and blue: apart for red-green colour blindness (test_colour_blind.py)
REPLACED_COLOR, ORIGINAL_COLOR = "#d55e00", "#0072b2"


def detection_bars(
    words_read: Sequence[str],
    p_replaced: Sequence[float],
    replaced: Sequence[bool],
    title: str = "",
    *,
    originals: Sequence[str] | None = None,
    presentation: bool = False,
    y_title: str = "P(replaced)",
    legend: tuple[str, str] = ("replaced", "original"),
) -> go.Figure:
    """One bar per word the discriminator read: its probability that the word was replaced, coloured by the
    truth (vermillion replaced, blue original), ✓ or ✗ above it by whether the 0.5 threshold decides right
    (never colour alone). A replaced word's tick reads "original → read"."""
    p = as_array(p_replaced, 1, "p_replaced")
    truth = [bool(r) for r in replaced]
    if len(words_read) != len(p) or len(truth) != len(p):
        raise ValueError("words_read, p_replaced and replaced must have one entry per word")
    sizes = font_sizes(presentation)
    ticks = [
        f"{display_label(originals[i], 12)} → {display_label(w, 12)}"
        if originals and truth[i]
        else display_label(w, 12)
        for i, w in enumerate(words_read)
    ]
    marks = ["✓" if (value > 0.5) == was else "✗" for value, was in zip(p, truth, strict=True)]
    traces = [
        trace(
            "bar",
            x=list(range(len(p))),
            y=p.tolist(),
            marker={"color": [REPLACED_COLOR if was else ORIGINAL_COLOR for was in truth]},
            text=[f"{value:.0%} {mark}" for value, mark in zip(p, marks, strict=True)],
            textposition="outside",
            textfont={"size": sizes["cell"]},
            cliponaxis=False,
            hovertext=ticks,
            hovertemplate="%{hovertext}: %{y:.3f}<extra></extra>",
            showlegend=False,
        ),
        *(
            trace("bar", x=[None], y=[None], marker={"color": color}, name=display_label(name))
            for name, color in zip(legend, (REPLACED_COLOR, ORIGINAL_COLOR), strict=True)
        ),
    ]
    legend_layout, legend_room = legend_below(presentation)
    return make_figure(
        traces,
        title,
        presentation,
        height=(440 if presentation else 340) + legend_room,
        margin={"b": legend_room + 10},
        legend=legend_layout,
        bargap=0.25,
        xaxis={
            "tickmode": "array",
            "tickvals": list(range(len(p))),
            "ticktext": ticks,
            "tickfont": {"size": sizes["tick"]},
        },
        yaxis={"range": [0, 1.15], "tickformat": ".0%", "title": {"text": display_label(y_title)}},
        shapes=[
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": 0.5,
                "y1": 0.5,
                "line": {"dash": "dash", "color": "#4b5563", "width": 1.5},
            }
        ],
    )


# four of Okabe and Ito's colours that stay apart for red-green colour blindness, with black for marked points;
# each group has its own marker too (never colour alone). Four groups at most: the page's labels have ≤ 4.
GROUP_COLORS = ("#0072b2", "#d55e00", "#009e73", "#56b4e9")
GROUP_SYMBOLS = ("circle", "square", "diamond", "triangle-up")
MARK_COLOR = "#000000"
WHISKER_COLOR = "#374151"  # ±σ, dark on white


def posterior_bars(
    mu: Sequence[float],
    sigma: Sequence[float] | None,
    title: str = "",
    *,
    presentation: bool = False,
    x_title: str = "latent dimension",
    y_title: str = "μ ± σ",
) -> go.Figure:
    """One bar per latent dimension: the posterior mean μ, with ±σ whiskers (none for a plain autoencoder,
    whose code is a point). The prior N(0, I) would be bars at 0 with whiskers of 1: a collapsed posterior."""
    mean = as_array(mu, 1, "mu")
    sizes = font_sizes(presentation)
    bars = trace(
        "bar",
        x=[str(d + 1) for d in range(len(mean))],
        y=mean.tolist(),
        marker={"color": ORIGINAL_COLOR},
        hovertemplate="z%{x}: %{y:.2f}<extra></extra>",
        showlegend=False,
    )
    if sigma is not None:
        spread = as_array(sigma, 1, "sigma").tolist()
        bars["error_y"] = {"type": "data", "array": spread, "thickness": 2, "width": 4, "color": WHISKER_COLOR}
    return make_figure(
        [bars],
        title,
        presentation,
        height=380 if presentation else 300,
        xaxis={"title": {"text": display_label(x_title)}, "type": "category", "tickfont": {"size": sizes["tick"]}},
        yaxis={"title": {"text": display_label(y_title)}, "zeroline": True},
    )


def latent_scatter(
    coords: np.ndarray,
    groups: Sequence[str],
    title: str = "",
    *,
    hover: Sequence[str] | None = None,
    marked: Sequence[tuple[float, float, str]] = (),
    presentation: bool = False,
    x_title: str = "principal axis 1",
    y_title: str = "principal axis 2",
    legend_title: str = "",
) -> go.Figure:
    """Points (N, 2) of a latent space's principal plane, one colour and marker per group (in the order the
    groups first appear), and marked points (x, y, label) as black stars named beside them."""
    xy = as_array(coords, 2, "coords")
    if len(groups) != len(xy):
        raise ValueError("one group per point")
    sizes = font_sizes(presentation)
    names = list(dict.fromkeys(groups))
    traces = []
    for k, name in enumerate(names):
        rows = [i for i, g in enumerate(groups) if g == name]
        traces.append(
            trace(
                "scatter",
                x=xy[rows, 0].round(3).tolist(),
                y=xy[rows, 1].round(3).tolist(),
                mode="markers",
                name=display_label(name),
                marker={
                    "color": GROUP_COLORS[k % len(GROUP_COLORS)],
                    "symbol": GROUP_SYMBOLS[k % len(GROUP_SYMBOLS)],
                    "size": 9 if presentation else 7,
                    "opacity": 0.75,
                },
                hovertext=[display_label(hover[i], 60) for i in rows] if hover is not None else None,
                hovertemplate="%{hovertext}<extra></extra>" if hover is not None else None,
            )
        )
    if marked:
        traces.append(
            trace(
                "scatter",
                x=[round(float(x), 3) for x, _, _ in marked],
                y=[round(float(y), 3) for _, y, _ in marked],
                mode="markers+text",
                text=[display_label(label, 28) for _, _, label in marked],
                textposition="top center",
                textfont={"size": sizes["cell"]},
                marker={"color": MARK_COLOR, "symbol": "star", "size": 18 if presentation else 14},
                showlegend=False,
                hovertemplate="%{text}<extra></extra>",
            )
        )
    legend_layout, legend_room = legend_below(presentation)
    return make_figure(
        traces,
        title,
        presentation,
        height=(520 if presentation else 420) + legend_room,
        margin={"b": legend_room + 10},
        legend={**legend_layout, "title": {"text": display_label(legend_title)}},
        xaxis={"title": {"text": display_label(x_title)}, "zeroline": False},
        yaxis={"title": {"text": display_label(y_title)}, "zeroline": False},
    )
