"""Finished figures as the panels of one figure: side-by-side comparisons and galleries for slides.

Each panel keeps its traces and axes (ticks, titles, square cells); its title moves above its panel. Only
the first panel's legend entries and the last panel's colour bar stay, so panels must share one scale.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .style import axis_suffix, font_sizes, make_figure, text_width_px


def _panel_traces(fig: go.Figure, suffix: str, first: bool, last: bool) -> list[dict]:
    traces = []
    for trace in fig.data:
        data = trace.to_plotly_json()
        data.update(xaxis=f"x{suffix}", yaxis=f"y{suffix}")
        if not first:
            data["showlegend"] = False
        if not last and data.get("type") == "heatmap":
            data["showscale"] = False
        traces.append(data)
    return traces


def wrapped(text: str, max_px: float, size: float) -> str:
    """Plotly title text (markup-escaped) broken into lines of at most ~max_px: at spaces, or anywhere
    between wide (CJK) characters."""
    lines, line = [], ""
    for piece in re.findall(r"\S+\s*|\s+", text):
        parts = [piece] if text_width_px(html.unescape(piece), size) <= max_px else list(piece)
        for part in parts:
            if line and text_width_px(html.unescape(line + part).rstrip(), size) > max_px:
                lines.append(line.rstrip())
                line = part.lstrip()
            else:
                line += part
    return "<br>".join(lines + [line.rstrip()])


def _moved(item: dict, suffix: str) -> dict:
    """A shape drawn on axes x/y, moved to the panel's axes."""
    return {**item, "xref": f"x{suffix}", "yref": f"y{suffix}"} if item.get("xref", "x") == "x" else item


def figure_grid(
    figures: Sequence[go.Figure],
    columns: int,
    title: str = "",
    *,
    presentation: bool = False,
    width: int = 1280,
    height: int = 720,
    h_gap: float = 0.08,
    v_gap: float = 0.16,
    legend: dict | None = None,
) -> go.Figure:
    """`figures` laid out row by row, `columns` per row, each panel titled by its figure's own title.

    `h_gap` and `v_gap` are fractions of the plot area between panels (room for the next panel's y tick
    labels and for the panel titles).
    """
    if not figures:
        raise ValueError("figure_grid needs at least one figure")
    rows = -(-len(figures) // columns)
    panel_w = (1 - h_gap * (columns - 1)) / columns
    panel_h = (1 - v_gap * (rows - 1)) / rows - v_gap * 0.35  # title room above each row
    title_size = font_sizes(presentation)["base"]
    title_px = panel_w * width * 0.95
    traces, shapes, annotations, axes = [], [], [], {}
    for i, fig in enumerate(figures):
        row, col = divmod(i, columns)
        suffix = axis_suffix(i + 1)
        x0 = col * (panel_w + h_gap)
        y1 = 1 - row * (panel_h + v_gap + v_gap * 0.35) - v_gap * 0.35
        traces += _panel_traces(fig, suffix, first=i == 0, last=i == len(figures) - 1)
        shapes += [_moved(shape.to_plotly_json(), suffix) for shape in fig.layout.shapes or ()]
        x_axis = fig.layout.xaxis.to_plotly_json()
        y_axis = fig.layout.yaxis.to_plotly_json()
        x_axis.update(domain=[x0, x0 + panel_w], anchor=f"y{suffix}")
        y_axis.update(domain=[y1 - panel_h, y1], anchor=f"x{suffix}")
        if "scaleanchor" in y_axis:  # square cells: the matrix shrinks to the middle of its panel
            y_axis.update(scaleanchor=f"x{suffix}", constraintoward="middle")
        axes[f"xaxis{suffix}"], axes[f"yaxis{suffix}"] = x_axis, y_axis
        if fig.layout.title.text:
            annotations.append(
                {
                    "text": wrapped(fig.layout.title.text, title_px, title_size),
                    "x": 0,
                    "xanchor": "left",
                    "xref": f"x{suffix} domain",
                    "y": 1,
                    "yanchor": "bottom",
                    "yref": f"y{suffix} domain",
                    "yshift": 6,
                    "showarrow": False,
                    "font": {"size": title_size},
                    "align": "left",
                }
            )
    extra = {"legend": legend} if legend else {}
    return make_figure(
        traces,
        title,
        presentation,
        width=width,
        height=height,
        shapes=shapes,
        annotations=annotations,
        showlegend=bool(legend) or None,
        **axes,
        **extra,
    )


PHONE_PANEL_PX = 300  # a panel's height on a phone, where it gets the screen's whole width
PHONE_TITLE_PX = 90  # room between panels: the tick labels of one, the title of the next
PHONE_TEXT_PX = 330  # the width a title wraps to


def for_phone(fig: go.Figure) -> go.Figure:
    """A slide's figure remade for a phone's width: its panels one under another, each the screen's width,
    and the page's font sizes instead of the projector's (a slide shrunk to 360 px piles its labels up).
    Changes `fig` and returns it."""
    scale = font_sizes(False)["tick"] / font_sizes(True)["tick"]
    layout = _scaled_fonts(fig.layout.to_plotly_json(), scale)
    panels = _panels(layout)
    size = font_sizes(False)["base"]
    title = layout.get("title", {})
    if title.get("text"):
        title["text"] = wrapped(title["text"].replace("<br>", " "), PHONE_TEXT_PX, size)
        title.update(x=0, xanchor="left", xref="paper")
    for note in layout.get("annotations", []):
        if str(note.get("xref", "")).endswith(" domain") and note.get("text"):  # a panel's title
            note["text"] = wrapped(note["text"].replace("<br>", " "), PHONE_TEXT_PX, size)
    lines = title.get("text", "").count("<br>") + 1 if title.get("text") else 0
    top = lines * int(size * 1.5) + 30
    bottom = int(layout.get("margin", {}).get("b", 40) * scale) + 24
    height = len(panels) * (PHONE_PANEL_PX + PHONE_TITLE_PX)
    for i, (x_name, y_name) in enumerate(panels):
        y1 = 1 - (i * (PHONE_PANEL_PX + PHONE_TITLE_PX) + PHONE_TITLE_PX * (i > 0)) / height
        layout[x_name]["domain"] = [0, 1]
        layout[y_name]["domain"] = [max(y1 - PHONE_PANEL_PX / height, 0), y1]
    if layout.get("showlegend") is not False:
        layout["legend"] = {**layout.get("legend", {}), **_PHONE_LEGEND}
    layout.update(width=None, autosize=True, height=height + top + bottom)
    layout["margin"] = {**layout.get("margin", {}), "t": top, "b": bottom, "l": 10, "r": 10}
    fig.layout = layout
    for trace in fig.data:
        if getattr(trace, "textfont", None) is not None and trace.textfont.size:
            trace.textfont.size = round(trace.textfont.size * scale)
        if trace.type == "scatter" and trace.marker.size is not None and np.isscalar(trace.marker.size):
            trace.marker.size = max(round(trace.marker.size * scale), 4)
    return fig


_PHONE_LEGEND = {"orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yanchor": "bottom", "yref": "container"}


def _panels(layout: dict) -> list[tuple[str, str]]:
    """The (x axis, y axis) names of each panel, in reading order: rows from the top, left to right."""
    found = []
    for name, axis in layout.items():
        if re.fullmatch(r"xaxis\d*", name) and "domain" in axis and not axis.get("overlaying"):
            y_name = "yaxis" + (axis.get("anchor", "y")[1:] if axis.get("anchor", "y") != "free" else "")
            if y_name in layout and "domain" in layout[y_name]:
                found.append((name, y_name))
    return sorted(found, key=lambda p: (-layout[p[1]]["domain"][1], layout[p[0]]["domain"][0]))


def _scaled_fonts(item, scale: float):
    """A layout (as plotly's JSON) with every font's size times `scale`."""
    if isinstance(item, dict):
        return {key: _scaled_fonts_in(key, value, scale) for key, value in item.items()}
    if isinstance(item, list):
        return [_scaled_fonts(value, scale) for value in item]
    return item


def _scaled_fonts_in(key: str, value, scale: float):
    if key.endswith("font") and isinstance(value, dict) and isinstance(value.get("size"), int | float):
        return {**_scaled_fonts(value, scale), "size": max(round(value["size"] * scale), 9)}
    return _scaled_fonts(value, scale)
