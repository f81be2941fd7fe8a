"""Figures of images drawn pixel by pixel: a grid of labelled pixel states (a masked kernel, a receptive
field), a drawing in progress beside each pixel's probability when it was drawn, and a grid of images."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .masks import legend_swatch
from .style import (
    WEIGHT_COLORSCALE,
    as_array,
    font_sizes,
    make_figure,
    plain_text,
    subplot_layout,
    text_width_px,
    top_margin,
    trace,
)

INK_COLOR, PAPER_COLOR, UNDRAWN_COLOR = "#111111", "#ffffff", "#d9d9d9"
GRID_COLOR = "#bdbdbd"  # the lines between pixels, and what shows where nothing is drawn
NEXT_COLOR = "#e6550d"  # the pixel drawn next (or the one whose reach is shown)
# a pixel grid's states: the one predicted, pixels it reads, earlier pixels it cannot read, later pixels
STATE_COLORS = (
    "#e6550d",
    "#1f5fa8",
    "#f0e442",
    "#e3e3e3",
)  # orange and yellow stay apart for red-green colour blindness
KERNEL_COLORS = (STATE_COLORS[0], STATE_COLORS[1], STATE_COLORS[3])  # predicted, read, not read


def _legend(presentation: bool) -> dict:
    return {
        "orientation": "h",
        "x": 0,
        "xanchor": "left",
        "y": 1.0,
        "yanchor": "bottom",
        "font": {"size": font_sizes(presentation)["base"]},
        "itemclick": False,
        "itemdoubleclick": False,
    }


def _pixel_axes(n_rows: int, n_cols: int, suffix: str = "") -> dict:
    """Square cells, row 0 at the top, no ticks: pixels need no axis."""
    bare = {"showticklabels": False, "showgrid": False, "zeroline": False, "ticks": "", "constrain": "domain"}
    return {
        f"xaxis{suffix}": {**bare, "range": [-0.5, n_cols - 0.5]},
        f"yaxis{suffix}": {
            **bare,
            "range": [n_rows - 0.5, -0.5],
            "scaleanchor": f"x{suffix}",
            "scaleratio": 1,
        },
    }


def pixel_states_figure(
    states: np.ndarray,
    state_labels: Sequence[str],
    title: str = "",
    *,
    colors: Sequence[str] = STATE_COLORS,
    presentation: bool = False,
    cell: float | None = None,
    legend_below: bool = False,
) -> go.Figure:
    """An (H, W) grid of integer states 0..K-1, each a colour with its label in the legend (a masked kernel:
    the pixel predicted / read / not read; a receptive field: the pixel / reaches it / blind spot / later)."""
    grid = as_array(states, 2, "states", int)
    if len(state_labels) > len(colors) or grid.min() < 0 or grid.max() >= len(state_labels):
        raise ValueError(f"states must be 0..{len(state_labels) - 1}, with a colour each")
    n_rows, n_cols = grid.shape
    k = len(state_labels)
    scale = [[edge, colors[i]] for i in range(k) for edge in (i / k, (i + 1) / k)]
    names = np.array([plain_text(label) for label in state_labels])[grid]
    sizes = font_sizes(presentation)
    cell = cell or (52 if presentation else 40) * 7 / max(7, n_rows, n_cols)
    heatmap = trace(
        "heatmap",
        z=grid + 0.5,
        zmin=0,
        zmax=k,
        colorscale=scale,
        showscale=False,
        xgap=2,
        ygap=2,
        customdata=names,
        hovertemplate="row %{y}, column %{x}: %{customdata}<extra></extra>",
    )
    swatches = [legend_swatch(label, colors[i], presentation) for i, label in enumerate(state_labels)]
    top = top_margin(title, presentation)
    grid_w, grid_h = n_cols * cell, n_rows * cell
    if legend_below:  # narrow columns: the legend's rows under the grid
        legend_h = k * sizes["base"] * 1.9 + 10
        return make_figure(
            [heatmap, *swatches],
            title,
            presentation,
            width=max(grid_w, max(text_width_px(plain_text(x), sizes["base"]) for x in state_labels) + 40) + 20,
            height=grid_h + top + legend_h + 10,
            margin={"t": int(top), "l": 10, "r": 10, "b": int(legend_h)},
            showlegend=True,
            legend={**_legend(presentation), "orientation": "v", "x": 0, "y": 0, "yanchor": "top"},
            **_pixel_axes(n_rows, n_cols),
        )
    legend_px = max(text_width_px(plain_text(label), sizes["base"]) for label in state_labels) + 60
    return make_figure(
        [heatmap, *swatches],
        title,
        presentation,
        width=grid_w + legend_px + 30,
        height=max(grid_h, k * sizes["base"] * 2.2) + top + 20,
        margin={"t": int(top), "l": 10, "r": int(legend_px), "b": 10},
        showlegend=True,
        legend={**_legend(presentation), "orientation": "v", "x": 1.02, "y": 1.0, "yanchor": "top"},
        **_pixel_axes(n_rows, n_cols),
    )


def drawing_figure(
    image: np.ndarray,
    probabilities: np.ndarray,
    drawn: int,
    title: str = "",
    *,
    presentation: bool = False,
    image_title: str = "the image so far",
    probability_title: str = "p(ink) when drawn",
    next_label: str = "next pixel",
) -> go.Figure:
    """Left: the pixels drawn so far (ink / paper; undrawn grey), the next one framed. Right: each drawn
    pixel's probability of ink at the moment it was drawn. `drawn` pixels are done, in raster order."""
    pixels = as_array(image, 2, "image", int)
    p = as_array(probabilities, 2, "probabilities")
    if p.shape != pixels.shape:
        raise ValueError("image and probabilities must have one shape")
    n_rows, n_cols = pixels.shape
    order = np.arange(n_rows * n_cols).reshape(n_rows, n_cols)
    done = order < drawn
    shown = np.where(done, pixels, 2)  # 0 paper, 1 ink, 2 undrawn
    sizes = font_sizes(presentation)
    cell = 30 if presentation else 22
    layout = subplot_layout(1, 2, subplot_titles=[image_title, probability_title], horizontal_spacing=0.08)
    for annotation in layout["annotations"]:
        annotation["font"] = {"size": sizes["base"]}
    hover = [[f"{v:.2f}" if d else "–" for v, d in zip(*row, strict=True)] for row in zip(p, done, strict=True)]
    traces = [
        trace(
            "heatmap",
            z=shown,
            zmin=0,
            zmax=2,
            colorscale=[
                [0, PAPER_COLOR],
                [0.33, PAPER_COLOR],
                [0.34, INK_COLOR],
                [0.66, INK_COLOR],
                [0.67, UNDRAWN_COLOR],
                [1, UNDRAWN_COLOR],
            ],  # fmt: skip
            showscale=False,
            xgap=1,
            ygap=1,
            customdata=hover,
            hovertemplate="row %{y}, column %{x}: p(ink) %{customdata}<extra></extra>",
            xaxis="x",
            yaxis="y",
        ),
        trace(
            "heatmap",
            z=np.where(done, p, np.nan),
            zmin=0,
            zmax=1,
            colorscale=WEIGHT_COLORSCALE,
            xgap=1,
            ygap=1,
            colorbar={"thickness": 14, "len": 0.8, "tickfont": {"size": sizes["tick"]}},
            hovertemplate="row %{y}, column %{x}: p(ink) %{z:.2f}<extra></extra>",
            xaxis="x2",
            yaxis="y2",
        ),
    ]
    shapes = []
    if drawn < n_rows * n_cols:
        row, col = divmod(drawn, n_cols)
        for suffix in ("", "2"):
            shapes.append(
                {
                    "type": "rect",
                    "xref": f"x{suffix}",
                    "yref": f"y{suffix}",
                    "x0": col - 0.5,
                    "x1": col + 0.5,
                    "y0": row - 0.5,
                    "y1": row + 0.5,
                    "line": {"color": NEXT_COLOR, "width": 3},
                }
            )
        traces.append(legend_swatch(next_label, NEXT_COLOR, presentation))
    for axis in ("xaxis", "xaxis2"):
        layout[axis].update(_pixel_axes(n_rows, n_cols)["xaxis"])
    for axis, anchor in (("yaxis", "x"), ("yaxis2", "x2")):
        layout[axis].update({**_pixel_axes(n_rows, n_cols)["yaxis"], "scaleanchor": anchor})
    top = top_margin(title, presentation) + sizes["base"] * 3.5
    return make_figure(
        traces,
        title,
        presentation,
        width=2 * n_cols * cell + 160,
        height=n_rows * cell + top + 20,
        margin={"t": int(top), "l": 10, "r": 10, "b": 10},
        shapes=shapes,
        plot_bgcolor=GRID_COLOR,
        showlegend=drawn < n_rows * n_cols,
        legend={**_legend(presentation), "y": 1.12},
        **layout,
    )


def image_grid_figure(
    images: np.ndarray,
    n_cols: int,
    title: str = "",
    *,
    column_labels: Sequence[str] | None = None,
    presentation: bool = False,
    probabilities: bool = False,
    pixel: float | None = None,
) -> go.Figure:
    """N images (N, H, W) in rows of n_cols, a pixel's gap between them: ink black on white, or (with
    `probabilities`) each pixel's probability of ink on the weights' scale. column_labels under the columns."""
    stack = as_array(images, 3, "images")
    n, h, w = stack.shape
    n_rows = -(-n // n_cols)
    canvas = np.full((n_rows * (h + 1) - 1, n_cols * (w + 1) - 1), np.nan)
    for i, image in enumerate(stack):
        r, c = divmod(i, n_cols)
        canvas[r * (h + 1) : r * (h + 1) + h, c * (w + 1) : c * (w + 1) + w] = image
    sizes = font_sizes(presentation)
    pixel = pixel or (7.0 if presentation else 4.0)
    heatmap = trace(
        "heatmap",
        z=canvas,
        zmin=0,
        zmax=1,
        colorscale=WEIGHT_COLORSCALE if probabilities else [[0, PAPER_COLOR], [1, INK_COLOR]],
        showscale=False,
        hoverinfo="skip",
    )
    axes = _pixel_axes(*canvas.shape)
    labels = list(column_labels or [])
    bottom = sizes["base"] * 2 if labels else 10
    if labels:
        axes["xaxis"].update(
            {
                "showticklabels": True,
                "tickmode": "array",
                "tickvals": [c * (w + 1) + (w - 1) / 2 for c in range(len(labels))],
                "ticktext": [plain_text(label) for label in labels],
                "tickfont": {"size": sizes["base"]},
            }
        )
    top = top_margin(title, presentation)
    return make_figure(
        [heatmap],
        title,
        presentation,
        width=canvas.shape[1] * pixel + 30,
        height=canvas.shape[0] * pixel + top + bottom,
        margin={"t": int(top), "l": 10, "r": 10, "b": int(bottom)},
        plot_bgcolor=GRID_COLOR,
        **axes,
    )


def kernel_states(mask: np.ndarray, kind: str) -> np.ndarray:
    """A masked kernel (k, k) as states: 0 the pixel predicted, 1 read, 2 not read. For type A the centre is
    the pixel predicted (hidden from itself); for type B it holds only earlier pixels, so it is read."""
    allowed = as_array(mask, 2, "mask", bool)
    states = np.where(allowed, 1, 2)
    centre = allowed.shape[0] // 2
    if kind == "A":
        states[centre, centre] = 0
    return states


def field_states(field: np.ndarray, row: int, col: int) -> np.ndarray:
    """A receptive field (H, W) bool of the pixel (row, col) as states: 0 the pixel, 1 reaches it, 2 earlier
    in raster order yet unseen (the blind spot), 3 later."""
    reach = as_array(field, 2, "field", bool)
    height, width = reach.shape
    earlier = np.arange(height * width).reshape(height, width) < row * width + col
    states = np.where(reach, 1, np.where(earlier, 2, 3))
    states[row, col] = 0
    return states
