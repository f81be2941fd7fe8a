"""Figures of induction heads and in-context learning: the loss on a stretch's first and second occurrence over
training (the phase change), each position's probability of the true next symbol with heads on or off, and
few-shot accuracy against the number of examples in the prompt. Head maps and attention use viz.attention."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .style import as_array, display_label, font_sizes, legend_below, make_figure, plain_text, trace

# Okabe and Ito's blue and vermillion (apart for red-green colour blindness); each line has its own dash and
# marker too, so no line is told apart by colour alone
FIRST_COLOR, SECOND_COLOR, ABLATED_COLOR, GUESS_COLOR = "#0072b2", "#d55e00", "#4b5563", "#009e73"
MARK_COLOR = "#6b7280"


def _vertical(x: float, label: str, size: int, dash: str = "dot", y: float = 0.98) -> tuple[dict, dict]:
    """A dotted vertical line at x with its label inside the plot, at its top, right of the line."""
    shape = {"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1}
    shape["line"] = {"dash": dash, "color": MARK_COLOR, "width": 1.5}
    note = {"x": x, "yref": "paper", "y": y, "text": plain_text(label), "showarrow": False, "xanchor": "left"}
    note.update(yanchor="top", font={"size": size, "color": "#333333"}, bgcolor="rgba(255,255,255,0.8)")
    return shape, note


def phase_change_figure(
    steps: Sequence[int],
    loss_first: Sequence[float],
    loss_second: Sequence[float],
    title: str = "",
    *,
    presentation: bool = False,
    phase_step: int | None = None,
    snapshot_steps: Sequence[int] = (),
    chosen_step: int | None = None,
    first_name: str = "first occurrence",
    second_name: str = "second occurrence (could be copied)",
    phase_label: str = "phase change",
    snapshot_name: str = "saved snapshots",
    x_title: str = "training step",
    y_title: str = "loss (nats)",
) -> object:
    """Both losses against the training step: the first occurrence flat at ln 60 (nothing predicts a random
    symbol), the second falling abruptly when induction heads form. The phase change is a dotted line; the
    snapshots are diamonds on the second line (the chosen one larger)."""
    sizes = font_sizes(presentation)
    x = [int(s) for s in steps]
    first, second = as_array(loss_first, 1, "loss_first"), as_array(loss_second, 1, "loss_second")
    width = 4 if presentation else 2.5
    traces = [
        trace("scatter", x=x, y=first.tolist(), mode="lines", name=display_label(first_name),
              line={"color": FIRST_COLOR, "width": width, "dash": "dash"},
              hovertemplate="%{x}: %{y:.3f}<extra></extra>"),
        trace("scatter", x=x, y=second.tolist(), mode="lines", name=display_label(second_name),
              line={"color": SECOND_COLOR, "width": width}, hovertemplate="%{x}: %{y:.3f}<extra></extra>"),
    ]  # fmt: skip
    if snapshot_steps:
        at = {s: v for s, v in zip(x, second.tolist(), strict=True)}
        shown = [s for s in snapshot_steps if s in at]
        big, small = (16, 11) if presentation else (13, 9)
        traces.append(
            trace("scatter", x=shown, y=[at[s] for s in shown], mode="markers", name=display_label(snapshot_name),
                  marker={"symbol": "diamond", "color": "#000000", "size": [big if s == chosen_step else small
                                                                            for s in shown]},
                  hovertemplate="%{x}: %{y:.3f}<extra></extra>")
        )  # fmt: skip
    shapes, annotations = [], []
    if phase_step is not None:
        shape, note = _vertical(phase_step, f"{phase_label}: {phase_step}", sizes["tick"])
        shapes.append(shape)
        annotations.append(note)
    legend, room = legend_below(presentation)
    return make_figure(
        traces,
        title,
        presentation,
        height=(480 if presentation else 380) + room * 2,
        legend=legend,
        margin={"b": room * 2 + 6},
        shapes=shapes,
        annotations=annotations,
        xaxis={"title": {"text": display_label(x_title)}, "tickfont": {"size": sizes["tick"]}},
        yaxis={
            "title": {"text": display_label(y_title)},
            "range": [0, max(float(first.max()), float(second.max())) * 1.08],
            "tickfont": {"size": sizes["tick"]},
        },
    )


def copying_figure(
    labels: Sequence[str],
    probabilities: Mapping[str, Sequence[float]],
    repeated: Sequence[int],
    title: str = "",
    *,
    presentation: bool = False,
    repeated_name: str = "could be copied",
    x_title: str = "next symbol",
    y_title: str = "probability of the true next symbol",
) -> object:
    """Per position (labelled by the symbol predicted), the probability each variant gives the true next
    symbol: {name: (T − 1,)}, the intact model first. `repeated`: indices (0-based over the predicted
    symbols) that could be copied from earlier, shaded; the intact line solid, the others dashed."""
    sizes = font_sizes(presentation)
    n = len(labels)
    x = list(range(n))
    styles = [(SECOND_COLOR, "solid", "circle"), (ABLATED_COLOR, "dash", "x"), (FIRST_COLOR, "dot", "square")]
    traces = []
    for (name, values), (color, dash, symbol) in zip(probabilities.items(), styles, strict=False):
        y = as_array(values, 1, name)
        traces.append(
            trace("scatter", x=x, y=y.tolist(), mode="lines+markers", name=display_label(name),
                  line={"color": color, "dash": dash, "width": 3 if presentation else 2},
                  marker={"symbol": symbol, "size": 7 if presentation else 5, "color": color},
                  customdata=[display_label(w) for w in labels],
                  hovertemplate=f"{display_label(name)} · %{{customdata}}: %{{y:.2f}}<extra></extra>")
        )  # fmt: skip
    shapes = [
        {"type": "rect", "xref": "x", "yref": "paper", "x0": i - 0.5, "x1": i + 0.5, "y0": 0, "y1": 1,
         "fillcolor": "#fde7d9", "line": {"width": 0}, "layer": "below"}
        for i in repeated
    ]  # fmt: skip
    if repeated:  # a legend entry for the shading
        traces.append(
            trace("scatter", x=[None], y=[None], mode="markers", name=display_label(repeated_name),
                  marker={"symbol": "square", "size": 14, "color": "#fde7d9", "line": {"color": "#d55e00", "width": 1}})
        )  # fmt: skip
    legend, room = legend_below(presentation)
    step = 1 if n <= 40 else 2
    return make_figure(
        traces,
        title,
        presentation,
        height=(440 if presentation else 360) + room * 2,
        legend=legend,
        margin={"b": room * 2 + 6},
        shapes=shapes,
        xaxis={
            "title": {"text": display_label(x_title)},
            "tickvals": x[::step],
            "ticktext": [display_label(w) for w in labels][::step],
            "tickangle": -90,
            "tickfont": {"size": sizes["tick"] - (2 if n > 40 else 0)},
            "range": [-0.6, n - 0.4],
        },
        yaxis={"title": {"text": display_label(y_title)}, "range": [0, 1.04], "tickformat": ".0%"},
    )


def few_shot_figure(
    k: Sequence[int],
    curves: Mapping[str, Sequence[float]],
    title: str = "",
    *,
    presentation: bool = False,
    chance: float = 1 / 60,
    chance_label: str = "chance (1/60)",
    guess: Sequence[float | None] | None = None,
    guess_name: str = "guessing one of the values shown (1/k)",
    x_title: str = "examples in the prompt (k)",
    y_title: str = "right value next",
) -> object:
    """Accuracy against k: one line per variant ({name: (K,)}, the intact model first), the 1/k guess dotted
    and chance dashed."""
    sizes = font_sizes(presentation)
    x = [int(v) for v in k]
    styles = [(SECOND_COLOR, "solid", "circle"), (ABLATED_COLOR, "dash", "x")]
    traces = []
    for (name, values), (color, dash, symbol) in zip(curves.items(), styles, strict=False):
        traces.append(
            trace("scatter", x=x, y=as_array(values, 1, name).tolist(), mode="lines+markers", name=display_label(name),
                  line={"color": color, "dash": dash, "width": 3 if presentation else 2},
                  marker={"symbol": symbol, "size": 11 if presentation else 8, "color": color},
                  hovertemplate=f"{display_label(name)} k=%{{x}}: %{{y:.1%}}<extra></extra>")
        )  # fmt: skip
    if guess is not None:
        points = [(kk, g) for kk, g in zip(x, guess, strict=True) if g is not None]
        traces.append(
            trace("scatter", x=[p[0] for p in points], y=[p[1] for p in points], mode="lines+markers",
                  name=display_label(guess_name), line={"color": GUESS_COLOR, "dash": "dot", "width": 2},
                  marker={"symbol": "triangle-up", "size": 8, "color": GUESS_COLOR},
                  hovertemplate="k=%{x}: %{y:.1%}<extra></extra>")
        )  # fmt: skip
    shapes = [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": chance, "y1": chance}]
    shapes[0]["line"] = {"dash": "dash", "color": "#767676", "width": 1.5}
    annotations = [{"xref": "paper", "x": 0.99, "y": chance, "text": plain_text(chance_label), "showarrow": False}]
    annotations[0].update({"yanchor": "bottom", "xanchor": "right", "font": {"color": "#555", "size": sizes["tick"]}})
    legend, room = legend_below(presentation)
    return make_figure(
        traces,
        title,
        presentation,
        height=(460 if presentation else 380) + room * 2,
        legend=legend,
        margin={"b": room * 2 + 6},
        shapes=shapes,
        annotations=annotations,
        xaxis={"title": {"text": display_label(x_title)}, "dtick": 1, "tickfont": {"size": sizes["tick"]}},
        yaxis={"title": {"text": display_label(y_title)}, "range": [0, 1.04], "tickformat": ".0%"},
    )


def head_labels(n: int, template: str = "H{h}") -> list[str]:
    return [template.format(h=h + 1) for h in range(n)]


def scores_array(scores) -> np.ndarray:
    return as_array(scores, 2, "scores")
