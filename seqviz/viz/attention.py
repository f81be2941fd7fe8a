"""Attention-weight heatmaps: one matrix, or a layers x heads grid.

Queries run down the y axis (first token at the top), keys along x. Cells are placed at integer
positions and labelled through tick text, so repeated tokens stay separate columns.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .heatmap_axes import category_axis, cell_px, max_label_px, x_labels_height
from .style import (
    MASKED_COLOR,
    WEIGHT_COLORSCALE,
    as_array,
    axis_suffix,
    check_labels,
    display_label,
    font_sizes,
    make_figure,
    plain_text,
    subplot_layout,
    top_margin,
    trace,
)

AUTO_VALUES_MAX_CELLS = 144  # show numbers in cells up to 12 x 12
HOVER_LABELS_MAX_CELLS = 40_000  # above this, hover names positions instead of tokens (payload size)


def mean_over_heads(attn: np.ndarray) -> np.ndarray:
    """(..., H, Tq, Tk) -> (..., Tq, Tk)."""
    return as_array(attn, (3, 4, 5), "attn").mean(axis=-3)


def compact(z: np.ndarray) -> np.ndarray:
    """Large matrices travel to the browser as float32: half the payload, more than any colour shows."""
    return z.astype(np.float32) if z.size > 10_000 else z


def hover_names(query_labels: Sequence[str], key_labels: Sequence[str]) -> np.ndarray | None:
    """Per-cell "query → key" strings for hover, or None when the matrix is too big to carry them."""
    if len(query_labels) * len(key_labels) > HOVER_LABELS_MAX_CELLS:
        return None
    q = [f"#{i} {display_label(s)}" for i, s in enumerate(query_labels)]
    k = [f"#{j} {display_label(s)}" for j, s in enumerate(key_labels)]
    return np.array([[f"{qi} → {kj}" for kj in k] for qi in q], dtype=object)


def hover_template(names: np.ndarray | None, value: str) -> str:
    """ "query → key: value" from per-cell names, or from positions when there are none."""
    where = "%{customdata}" if names is not None else "query %{y} → key %{x}"
    return f"{where}: {value}<extra></extra>"


def masked_layer(masked: np.ndarray, names: np.ndarray | None, text: str = "", hover: str = "masked", **kw) -> dict:
    """Grey cells where `masked` is True, transparent elsewhere; kept out of any colour scale."""
    return trace(
        "heatmap",
        z=compact(np.where(masked, 1.0, np.nan)),
        colorscale=[[0, MASKED_COLOR], [1, MASKED_COLOR]],
        zmin=0,
        zmax=1,
        showscale=False,
        hoverongaps=False,
        name="masked",
        customdata=names,
        hovertemplate=hover_template(names, plain_text(hover)),
        text=np.where(masked, text, "") if text else None,
        texttemplate="%{text}" if text else None,
        **kw,
    )


def attention_heatmap(
    weights: np.ndarray,
    query_labels: Sequence[str],
    key_labels: Sequence[str],
    title: str = "",
    *,
    masked: np.ndarray | None = None,
    zmin: float = 0.0,
    zmax: float | None = None,
    colorscale=None,
    show_values: bool | None = None,
    value_format: str = ".2f",
    presentation: bool = False,
    x_title: str = "key (attended to)",
    y_title: str = "query (attending)",
    colorbar_title: str = "weight",
    masked_label: str = "masked",
) -> go.Figure:
    """Heatmap of a (Tq, Tk) weight matrix; `masked` (True = blocked) cells are drawn grey.

    Values are written in the cells when the matrix is small (`show_values=None`); hover names the
    query and key tokens. Pass translated axis/colour-bar/masked labels for other languages.
    """
    w = as_array(weights, 2, "weights")
    n_q, n_k = w.shape
    q_labels = check_labels(query_labels, n_q, "query_labels")
    k_labels = check_labels(key_labels, n_k, "key_labels")
    blocked = np.zeros(w.shape, bool) if masked is None else as_array(masked, 2, "masked", bool)
    if blocked.shape != w.shape:
        raise ValueError(f"masked has shape {blocked.shape}, weights {w.shape}")

    sizes = font_sizes(presentation)
    cell = cell_px(n_q, n_k, presentation)
    value_font = min(sizes["cell"], int(cell * 0.36))
    if show_values is None:
        show_values = n_q * n_k <= AUTO_VALUES_MAX_CELLS and value_font >= 9
    names = hover_names(q_labels, k_labels)
    gap = 1 if cell >= 16 else 0
    z = compact(np.where(blocked, np.nan, w))

    traces = [masked_layer(blocked, names, hover=masked_label, xgap=gap, ygap=gap)] if blocked.any() else []
    traces.append(
        trace(
            "heatmap",
            z=z,
            zmin=zmin,
            zmax=1.0 if zmax is None else zmax,
            colorscale=colorscale or WEIGHT_COLORSCALE,
            hoverongaps=False,
            name="weights",
            xgap=gap,
            ygap=gap,
            customdata=names,
            hovertemplate=hover_template(names, "%{z:.3f}"),
            texttemplate=f"%{{z:{value_format}}}" if show_values else None,
            textfont={"size": max(value_font, 1)} if show_values else None,
            colorbar={
                "title": {"text": plain_text(colorbar_title), "side": "right"},
                "thickness": 24 if presentation else 16,
                "tickfont": {"size": sizes["tick"]},
            },
        )
    )
    left = max_label_px(q_labels, presentation) + sizes["base"] * 3
    bottom = x_labels_height(k_labels, cell, presentation) + 10
    return make_figure(
        traces,
        title,
        presentation,
        width=n_k * cell + left + sizes["tick"] * 7,
        height=n_q * cell + bottom + top_margin(title, presentation),
        xaxis=category_axis(k_labels, cell, presentation, x_title, horizontal=True),
        yaxis={
            **category_axis(q_labels, cell, presentation, y_title),
            "autorange": "reversed",
            "scaleanchor": "x",
            "scaleratio": 1,
        },
    )


def head_score_heatmap(
    scores: np.ndarray,
    layer_labels: Sequence[str],
    head_labels: Sequence[str],
    title: str = "",
    *,
    presentation: bool = False,
    x_title: str = "head",
    y_title: str = "layer",
    colorbar_title: str = "accuracy",
    zmin: float = 0.0,
    zmax: float = 1.0,
) -> go.Figure:
    """A (layers, heads) map of one share per head (e.g. its alignment accuracy), printed as %."""
    return attention_heatmap(
        scores,
        layer_labels,
        head_labels,
        title,
        presentation=presentation,
        x_title=x_title,
        y_title=y_title,
        colorbar_title=colorbar_title,
        zmin=zmin,
        zmax=zmax,
        show_values=True,
        value_format=".0%",
    )


def head_drop_heatmap(drops: np.ndarray, layer_labels, head_labels, title: str = "", **options) -> go.Figure:
    """What switching off each head costs (a share; negative = it helped), on a scale from the drops' own
    range (at least 0 to 5%)."""
    low, high = min(0.0, float(drops.min())), max(0.05, float(drops.max()))
    return head_score_heatmap(drops, layer_labels, head_labels, title, zmin=low, zmax=high, **options)


def head_grid(
    attn: np.ndarray,
    query_labels: Sequence[str],
    key_labels: Sequence[str],
    title: str = "",
    *,
    presentation: bool = False,
    layer_names: Sequence[str] | None = None,
    head_names: Sequence[str] | None = None,
    masked: np.ndarray | None = None,
    colorbar_title: str = "weight",
) -> go.Figure:
    """Grid of heatmaps for (L, H, Tq, Tk) attention: rows = layers, columns = heads, one 0..1 scale."""
    a = as_array(attn, (3, 4), "attn")
    a = a[None] if a.ndim == 3 else a  # (H, Tq, Tk): a single layer
    n_layers, n_heads, n_q, n_k = a.shape
    q_labels = check_labels(query_labels, n_q, "query_labels")
    k_labels = check_labels(key_labels, n_k, "key_labels")
    layer_names = list(layer_names or [f"L{i + 1}" for i in range(n_layers)])
    head_names = list(head_names or [f"H{i + 1}" for i in range(n_heads)])
    blocked = None if masked is None else as_array(masked, 2, "masked", bool)

    sizes = font_sizes(presentation)
    panel = float(np.clip((1300 if presentation else 1000) / n_heads, 110, 300 if presentation else 240))
    cell = panel / max(n_q, n_k)
    crowded = n_layers * n_heads > 4 or max(n_q, n_k) > 12
    label_w = max_label_px(q_labels, presentation) + 12
    label_h = x_labels_height(k_labels, cell, presentation, with_title=False) + 4
    title_h = sizes["base"] * 2.2
    width = n_heads * panel + label_w + 130 + (n_heads - 1) * (18 if crowded else label_w + 12)
    height = n_layers * (panel + title_h) + label_h + top_margin(title, presentation) + 10
    height += 0 if crowded else (n_layers - 1) * label_h

    layout = subplot_layout(
        n_layers,
        n_heads,
        subplot_titles=[plain_text(f"{lay} {head}") for lay in layer_names for head in head_names],
        horizontal_spacing=min(0.2, (18 if crowded else label_w + 12) / width),
        vertical_spacing=min(0.3, (title_h + (0 if crowded else label_h)) / height),
    )
    names = hover_names(q_labels, k_labels)
    x_axis = category_axis(k_labels, cell, presentation, horizontal=True)
    y_axis = category_axis(q_labels, cell, presentation)
    traces = []
    for layer in range(n_layers):
        for head in range(n_heads):
            n = axis_suffix(layer * n_heads + head + 1)
            on_axes = {"xaxis": f"x{n}", "yaxis": f"y{n}"}
            name = plain_text(f"{layer_names[layer]} {head_names[head]}")
            z = a[layer, head] if blocked is None else np.where(blocked, np.nan, a[layer, head])
            if blocked is not None and blocked.any():
                traces.append(masked_layer(blocked, names, **on_axes))
            traces.append(
                trace(
                    "heatmap",
                    z=z,
                    coloraxis="coloraxis",
                    hoverongaps=False,
                    customdata=names,
                    name=name,
                    hovertemplate=f"{name} · " + hover_template(names, "%{z:.3f}"),
                    **on_axes,
                )
            )
            # Crowded grids label only the outer edge: x under the bottom row, y left of column 1.
            layout[f"xaxis{n}"].update(x_axis, showticklabels=not crowded or layer == n_layers - 1)
            layout[f"yaxis{n}"].update(
                y_axis, showticklabels=not crowded or head == 0, autorange="reversed", scaleanchor=f"x{n}", scaleratio=1
            )
    for annotation in layout["annotations"]:
        annotation["font"] = {"size": sizes["base"]}
    return make_figure(
        traces,
        title,
        presentation,
        width=width,
        height=height,
        **layout,
        coloraxis={
            "colorscale": WEIGHT_COLORSCALE,
            "cmin": 0.0,
            "cmax": 1.0,
            "colorbar": {
                "title": {"text": plain_text(colorbar_title)},
                "thickness": 24 if presentation else 16,
                "tickfont": {"size": sizes["tick"]},
                "len": min(1.0, 500 / height),
            },
        },
        margin={"t": int(top_margin(title, presentation) + title_h * 0.6)},
    )
