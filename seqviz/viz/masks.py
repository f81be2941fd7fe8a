"""Mask figures: which query may attend to which key, and scores → masked → softmax side by side."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .attention import AUTO_VALUES_MAX_CELLS, compact, hover_names, hover_template, masked_layer
from .heatmap_axes import category_axis, cell_px, max_label_px, x_labels_height
from .style import (
    MASK_ALLOWED_COLOR,
    MASK_BLOCKED_COLOR,
    SCORE_COLORSCALE,
    WEIGHT_COLORSCALE,
    as_array,
    axis_suffix,
    check_labels,
    font_sizes,
    make_figure,
    plain_text,
    subplot_layout,
    top_margin,
    trace,
)


def softmax_masked(scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Row-wise softmax over keys where `mask` is True (may attend); blocked keys get exactly 0.

    A row with no allowed key is all zeros (not NaN). Works on any leading batch dimensions.
    """
    s = np.asarray(scores, dtype=float)
    allowed = np.broadcast_to(np.asarray(mask, dtype=bool), s.shape)
    s = np.where(allowed, s, -np.inf)
    row_max = s.max(axis=-1, keepdims=True)
    row_max = np.where(np.isfinite(row_max), row_max, 0.0)
    e = np.where(allowed, np.exp(s - row_max), 0.0)
    total = e.sum(axis=-1, keepdims=True)
    return np.divide(e, total, out=np.zeros_like(e), where=total > 0)


def legend_swatch(name: str, color: str, presentation: bool) -> dict:
    """An invisible trace whose only job is a coloured square in the legend."""
    return trace(
        "scatter",
        x=[None],
        y=[None],
        mode="markers",
        name=plain_text(name),
        hoverinfo="skip",
        marker={"symbol": "square", "size": 22 if presentation else 15, "color": color},
    )


def mask_figure(
    mask: np.ndarray,
    query_labels: Sequence[str],
    key_labels: Sequence[str],
    title: str = "",
    *,
    presentation: bool = False,
    small: bool = False,
    x_title: str = "key (attended to)",
    y_title: str = "query (attending)",
    allowed_label: str = "may attend",
    blocked_label: str = "blocked",
) -> go.Figure:
    """Boolean (Tq, Tk) mask, True = may attend: strong colour vs light grey, one visible cell each.

    `small=True` is a ~180 px thumbnail: no tick labels, no legend, tiny margins.
    """
    allowed = as_array(mask, 2, "mask", bool)
    n_q, n_k = allowed.shape
    q_labels = check_labels(query_labels, n_q, "query_labels")
    k_labels = check_labels(key_labels, n_k, "key_labels")
    sizes = font_sizes(presentation)
    cell = 170 / max(n_q, n_k) if small else cell_px(n_q, n_k, presentation)
    gap = 2 if cell >= 14 else (1 if cell >= 4 else 0)
    names = None if small else hover_names(q_labels, k_labels)
    state = np.where(allowed, plain_text(allowed_label), plain_text(blocked_label))
    customdata = None if names is None else np.stack([names, state], axis=-1)

    traces = [
        trace(
            "heatmap",
            z=allowed.astype(np.uint8),
            zmin=0,
            zmax=1,
            showscale=False,
            xgap=gap,
            ygap=gap,
            colorscale=[
                [0, MASK_BLOCKED_COLOR],
                [0.5, MASK_BLOCKED_COLOR],
                [0.5, MASK_ALLOWED_COLOR],
                [1, MASK_ALLOWED_COLOR],
            ],
            customdata=customdata,
            name="mask",
            hovertemplate=(
                "%{customdata[0]}: %{customdata[1]}<extra></extra>"
                if customdata is not None
                else hover_template(None, "%{z}")
            ),
        )
    ]
    axes = {
        "xaxis": category_axis(k_labels, cell, presentation, x_title, show_labels=not small, horizontal=True),
        "yaxis": {
            **category_axis(q_labels, cell, presentation, y_title, show_labels=not small),
            "autorange": "reversed",
            "scaleanchor": "x",
            "scaleratio": 1,
        },
    }
    if small:
        return make_figure(
            traces,
            "",
            presentation,
            width=180,
            height=180,
            showlegend=False,
            margin={"l": 4, "r": 4, "t": 4, "b": 4},
            **axes,
        )
    traces += [
        legend_swatch(allowed_label, MASK_ALLOWED_COLOR, presentation),
        legend_swatch(blocked_label, MASK_BLOCKED_COLOR, presentation),
    ]
    left = max_label_px(q_labels, presentation) + sizes["base"] * 3
    bottom = x_labels_height(k_labels, cell, presentation) + 10
    top = top_margin(title, presentation) + sizes["base"] * 2.4  # title, then the legend row
    return make_figure(
        traces,
        title,
        presentation,
        width=max(n_k * cell + left + 40, 360),
        height=n_q * cell + bottom + top,
        margin={"t": int(top)},
        showlegend=True,
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 1.01,
            "yanchor": "bottom",
            "bgcolor": "rgba(0,0,0,0)",
            "font": {"size": sizes["base"]},
            "itemclick": False,
            "itemdoubleclick": False,
        },
        **axes,
    )


def gallery_figures(gallery: dict, titles: dict[str, str], names: Sequence[str] | None = None, **options) -> dict:
    """{name: mask_figure} for the MaskViews of `gallery` (all, or those in `names`), titled by titles[name];
    `options` are mask_figure's (presentation, axis titles, legend labels)."""
    return {
        name: mask_figure(
            gallery[name].mask.numpy(), gallery[name].query_labels, gallery[name].key_labels, titles[name], **options
        )
        for name in (names or gallery)
    }


def scores_pipeline_figure(
    scores: np.ndarray,
    mask: np.ndarray,
    query_labels: Sequence[str],
    key_labels: Sequence[str],
    *,
    titles: Sequence[str] = ("1. scores q·k/√d", "2. masked", "3. softmax weights"),
    title: str = "",
    presentation: bool = False,
    x_title: str = "key",
    y_title: str = "query",
    show_values: bool | None = None,
    colorbar_titles: Sequence[str] = ("score", "weight"),
) -> go.Figure:
    """Three panels: raw scores → blocked set to −∞ → softmax weights (blocked become exactly 0)."""
    s = as_array(scores, 2, "scores")
    allowed = as_array(mask, 2, "mask", bool)
    if allowed.shape != s.shape:
        raise ValueError(f"mask has shape {allowed.shape}, scores {s.shape}")
    n_q, n_k = s.shape
    q_labels = check_labels(query_labels, n_q, "query_labels")
    k_labels = check_labels(key_labels, n_k, "key_labels")
    weights = softmax_masked(s, allowed)

    sizes = font_sizes(presentation)
    cell = cell_px(n_q, n_k, presentation, target=420 if presentation else 330)
    value_font = min(sizes["cell"], int(cell * 0.34))
    if show_values is None:
        show_values = n_q * n_k <= AUTO_VALUES_MAX_CELLS and value_font >= 9
    gap = 1 if cell >= 16 else 0
    names = hover_names(q_labels, k_labels)
    text = dict(texttemplate="%{z:.2f}", textfont={"size": value_font}) if show_values else {}
    finite = np.abs(s[np.isfinite(s)])
    bound = float(finite.max()) if finite.size and finite.max() > 0 else 1.0  # symmetric around 0

    # Pixel budget: plot area = three panels + two gaps; labels, titles and colour bars in the margins.
    panel_w, panel_h = n_k * cell, n_q * cell
    spacing = sizes["tick"] * 4
    x_labels_h = x_labels_height(k_labels, cell, presentation) + 6
    bar_block = sizes["tick"] * 2.6 + sizes["base"] * 1.8
    margin = {
        "l": int(max_label_px(q_labels, presentation) + sizes["base"] * 2.5),
        "r": 20,
        "t": int(top_margin(title, presentation) + sizes["title"] * 1.6),
        "b": int(x_labels_h + bar_block + 10),
    }
    plot_w = 3 * panel_w + 2 * spacing
    layout = subplot_layout(1, 3, subplot_titles=[plain_text(t) for t in titles], horizontal_spacing=spacing / plot_w)

    def panel(z: np.ndarray, name: str, coloraxis: str, axes: str) -> dict:
        return trace(
            "heatmap",
            z=compact(z),
            name=name,
            coloraxis=coloraxis,
            xgap=gap,
            ygap=gap,
            hoverongaps=False,
            customdata=names,
            xaxis=f"x{axes}",
            yaxis=f"y{axes}",
            hovertemplate=hover_template(names, "%{z:.3f}"),
            **text,
        )

    traces = [
        panel(s, "scores", "coloraxis", ""),
        masked_layer(
            ~allowed,
            names,
            text="−∞" if show_values else "",
            xaxis="x2",
            yaxis="y2",
            textfont={"size": value_font, "color": "white"},
            xgap=gap,
            ygap=gap,
        ),
        panel(np.where(allowed, s, np.nan), "masked scores", "coloraxis", "2"),
        panel(weights, "weights", "coloraxis2", "3"),
    ]
    x_axis = category_axis(k_labels, cell, presentation, x_title, horizontal=True)
    for col in (1, 2, 3):
        n = axis_suffix(col)
        layout[f"xaxis{n}"].update(x_axis)
        layout[f"yaxis{n}"].update(
            category_axis(q_labels, cell, presentation, y_title, show_labels=col == 1),
            autorange="reversed",
            scaleanchor=f"x{n}",
            scaleratio=1,
        )
    for annotation in layout["annotations"]:
        annotation["font"] = {"size": sizes["title"] * 0.85}
    # Horizontal colour bars below the x labels: scores under panels 1–2, weights under panel 3.
    bar = dict(
        orientation="h",
        y=-x_labels_h / panel_h,
        yanchor="top",
        thickness=sizes["tick"],
        tickfont={"size": sizes["tick"]},
        xanchor="center",
    )
    d1, d2, d3 = (layout[f"xaxis{axis_suffix(i)}"]["domain"] for i in (1, 2, 3))
    return make_figure(
        traces,
        title,
        presentation,
        width=plot_w + margin["l"] + margin["r"],
        height=panel_h + margin["t"] + margin["b"],
        **layout,
        margin=margin,
        coloraxis={
            "colorscale": SCORE_COLORSCALE,
            "cmin": -bound,
            "cmax": bound,
            "colorbar": {
                **bar,
                "x": (d1[0] + d2[1]) / 2,
                "len": (d2[1] - d1[0]) * 0.8,
                "title": {"text": plain_text(colorbar_titles[0]), "side": "top"},
            },
        },
        coloraxis2={
            "colorscale": WEIGHT_COLORSCALE,
            "cmin": 0.0,
            "cmax": 1.0,
            "colorbar": {
                **bar,
                "x": (d3[0] + d3[1]) / 2,
                "len": (d3[1] - d3[0]) * 0.8,
                "title": {"text": plain_text(colorbar_titles[1]), "side": "top"},
            },
        },
    )
