"""Code as a figure, for the slides and the lesson files: two sides' lines aligned row by row, in a monospace
font, the rows that differ shaded and flagged with ▶ (never colour alone)."""

from __future__ import annotations

from collections.abc import Sequence

from .style import display_label, font_sizes, make_figure

MARKED_FILL = "rgba(230, 159, 0, 0.22)"  # Okabe and Ito's orange, faint: a line that differs
CODE_FONT = "DejaVu Sans Mono, Menlo, Consolas, monospace"
MAX_CHARS = 66  # a longer line is cut with … (the page shows it whole): what a column holds at these sizes


def _shown(line: str | None) -> str:
    if line is None:
        return ""
    line = line.rstrip()
    return line if len(line) <= MAX_CHARS else line[: MAX_CHARS - 1] + "…"


def code_comparison_figure(
    left: Sequence[str | None],
    right: Sequence[str | None],
    marked: Sequence[bool],
    titles: tuple[str, str],
    title: str = "",
    *,
    presentation: bool = False,
) -> object:
    """Two columns of code, one row per aligned line pair (None: no line on that side), marked rows shaded and
    flagged ▶ on the side that has a line. `titles` name the two sides."""
    if not len(left) == len(right) == len(marked):
        raise ValueError(f"one mark per row: {len(left)}, {len(right)}, {len(marked)}")
    sizes = font_sizes(presentation)
    code_size = 14 if presentation else 11
    rows = len(left)
    row_px = int(code_size * 1.6)
    top = 1.0
    step = 1.0 / (rows + 1)  # the first row holds the two sides' names
    annotations, shapes = [], []
    for side, (x, lines) in enumerate(((0.0, left), (0.515, right))):
        annotations.append(
            {
                "x": x,
                "y": top - step / 2,
                "xref": "paper",
                "yref": "paper",
                "text": f"<b>{display_label(titles[side])}</b>",
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "middle",
                "font": {"size": sizes["base"]},
            }
        )
        for i, line in enumerate(lines):
            y = top - (i + 1.5) * step
            flag = "▶ " if marked[i] and line is not None and line.strip() else "  "
            text = (flag + _shown(line)).replace(" ", "\u00a0") or "\u00a0"  # keep the indentation
            annotations.append(
                {
                    "x": x,
                    "y": y,
                    "xref": "paper",
                    "yref": "paper",
                    "text": text,
                    "showarrow": False,
                    "xanchor": "left",
                    "yanchor": "middle",
                    "font": {"size": code_size, "family": CODE_FONT},
                }
            )
            if marked[i] and line is not None:
                shapes.append(
                    {
                        "type": "rect",
                        "xref": "paper",
                        "yref": "paper",
                        "x0": x,
                        "x1": x + 0.485,
                        "y0": y - step / 2,
                        "y1": y + step / 2,
                        "fillcolor": MARKED_FILL,
                        "line": {"width": 0},
                        "layer": "below",
                    }
                )
    hidden = {"visible": False, "range": [0, 1]}
    return make_figure(
        [{"type": "scatter", "x": [], "y": [], "hoverinfo": "skip", "showlegend": False}],
        title,
        presentation,
        height=(rows + 2) * row_px + 120,
        annotations=annotations,
        shapes=shapes,
        xaxis=hidden,
        yaxis=hidden,
        showlegend=False,
    )
