"""The token axes of a heatmap (attention weights, masks): the side of one cell, which positions get a tick
label, and the room the labels take. Shared by attention.py and masks.py."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

from .style import FONT_FAMILY, FRAME_COLOR, display_label, font_sizes, plain_text, text_width_px

MAX_TICK_LABEL_CHARS = 14


def cell_px(n_rows: int, n_cols: int, presentation: bool, target: float | None = None) -> float:
    """Side of one square cell so the matrix is ~`target` px at its longest side."""
    target = target or (720 if presentation else 560)
    largest = 80 if presentation else 56
    return float(min(largest, max(1.0, target / max(n_rows, n_cols, 1))))


def tick_step(n: int, cell: float, presentation: bool, horizontal: bool = False) -> int:
    """Label every `step`-th position so labels never overlap; a round number once thinned.

    Thinned ticks show position numbers; on a horizontal axis they must fit side by side unrotated.
    """
    tick = font_sizes(presentation)["tick"]
    needed = math.ceil(tick * 1.5 / max(cell, 1e-6))
    if needed <= 2 or n <= 2:
        return max(1, needed)
    if horizontal:
        needed = max(needed, math.ceil((text_width_px(str(n), tick) + tick) / max(cell, 1e-6)))
    return next((s for s in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000) if s >= needed), needed)


def category_axis(
    labels: Sequence[str],
    cell: float,
    presentation: bool,
    title: str = "",
    show_labels: bool = True,
    horizontal: bool = False,
) -> dict[str, Any]:
    """Axis over integer positions 0..n-1 with the labels as tick text.

    Integer positions keep duplicate tokens ("the", "the") as separate rows/columns. When cells are
    too small for every label, ticks are thinned to round positions and show the position number
    (scattered tokens of a long text read as noise; hover still names each token).
    """
    sizes = font_sizes(presentation)
    step = tick_step(len(labels), cell, presentation, horizontal)
    positions = list(range(0, len(labels), step))
    text = (
        [display_label(labels[i], MAX_TICK_LABEL_CHARS) for i in positions]
        if step <= 2
        else [str(i) for i in positions]
    )
    return {
        "tickmode": "array",
        "tickvals": positions,
        "ticktext": text,
        "showticklabels": show_labels,
        "tickfont": {"size": sizes["tick"], "family": FONT_FAMILY},
        "title": {"text": plain_text(title) if (title and show_labels) else None, "font": {"size": sizes["base"]}},
        "showgrid": False,
        "zeroline": False,
        "ticks": "",
        "automargin": True,
        "constrain": "domain",
        # A thin frame, so that a matrix of near-zero (white) weights still shows its extent.
        "showline": True,
        "mirror": True,
        "linecolor": FRAME_COLOR,
        "linewidth": 1,
    }


def x_labels_height(labels: Sequence[str], cell: float, presentation: bool, with_title: bool = True) -> float:
    """Rough height in px of an x axis' tick labels (rotated when they would overlap) and title."""
    sizes = font_sizes(presentation)
    step = tick_step(len(labels), cell, presentation, horizontal=True)
    widest = max_label_px(labels if step <= 2 else [str(len(labels))], presentation)
    ticks = sizes["tick"] * 1.6 if widest <= cell * step * 0.9 else widest * 0.55 + sizes["tick"]
    return ticks + (sizes["base"] * 2.2 if with_title else 0)


def max_label_px(labels: Sequence[str], presentation: bool) -> float:
    """Rough width in px of the widest tick label."""
    size = font_sizes(presentation)["tick"]
    shown = [display_label(x, MAX_TICK_LABEL_CHARS) for x in labels] or [""]
    return max(text_width_px(html.unescape(s), size) for s in shown)
