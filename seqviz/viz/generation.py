"""Figures of autoregressive generation: the next-token distribution before and after the processors,
the beam-search tree, the KV cache's shapes and its measured latency."""

from __future__ import annotations

import html
from collections.abc import Sequence

import plotly.graph_objects as go

from .style import TEXT_COLOR, display_label, font_sizes, make_figure, text_width_px

BEFORE_COLOR, AFTER_COLOR = "#9ecae1", "#1f5fa8"
STATUS_COLORS = {"kept": "#1f5fa8", "pruned": "#c7c7c7", "finished": "#1b7f3b"}
CACHED_COLOR, RECOMPUTE_COLOR = "#1b7f3b", "#d95f02"
HIGHLIGHT_COLOR = "#e6550d"  # the chosen token's row, the best beam path
CHOSEN_BAND = "#fde7d4"
REMOVED_COLOR, REMOVED_MARK = "#9a9a9a", "#b2182b"  # a removed token's label, its ✕
GRID_COLOR = "#eeeeee"
CROWDED_NODES = 60  # above this, pruned beam nodes lose their text (hover keeps it)


def _legend_below(presentation: bool) -> tuple[dict, int]:
    """A horizontal legend pinned to the figure's bottom edge, and the px it needs."""
    size = font_sizes(presentation)["tick"]
    return (
        {"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom", "x": 0, "font": {"size": size}},
        int(size * 2.6),
    )


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
            go.Bar(
                x=values,
                y=y,
                orientation="h",
                name=display_label(name),
                marker_color=color,
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
    legend, legend_px = _legend_below(presentation)
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


def _tree_rows(nodes, children: dict[int, list], unit) -> tuple[dict[int, float], float]:
    """Tidy vertical positions. Each node owns a band max(unit(node), its children's bands) tall; children
    stack inside it in the given order and a parent sits midway between its first and last child.
    Returns the rows and the total height. Steps order the tree, so no recursion is needed."""
    band: dict[int, float] = {}
    for node in sorted(nodes, key=lambda n: -n.step):
        band[node.node_id] = max(unit(node), sum(band[k.node_id] for k in children.get(node.node_id, [])))
    top, rows = {nodes[0].node_id: 0.0}, {}
    for node in sorted(nodes, key=lambda n: n.step):
        kids = children.get(node.node_id, [])
        cursor = top[node.node_id] + (band[node.node_id] - sum(band[k.node_id] for k in kids)) / 2
        for kid in kids:
            top[kid.node_id] = cursor
            cursor += band[kid.node_id]
    for node in sorted(nodes, key=lambda n: -n.step):
        kids = children.get(node.node_id, [])
        rows[node.node_id] = (
            (rows[kids[0].node_id] + rows[kids[-1].node_id]) / 2 if kids else top[node.node_id] + band[node.node_id] / 2
        )
    return rows, band[nodes[0].node_id]


def beam_tree(
    nodes,
    labels: Sequence[str],
    title: str = "",
    *,
    presentation: bool = False,
    kept_label: str = "kept",
    pruned_label: str = "pruned",
    finished_label: str = "finished (<eos>)",
    best_path: Sequence[int] = (),
    x_title: str = "step",
    score_label: str = "score",
    pruned_text: bool | None = None,
) -> go.Figure:
    """Every hypothesis beam search considered. x = step; each node is a marker coloured by status with its
    token and score to the right; a bracket after the label fans out to its children, so edges never cross
    text. The best path is drawn thick. Pruned nodes carry text if `pruned_text`, or by default while the tree
    has at most CROWDED_NODES nodes."""
    if not nodes:
        raise ValueError("beam_tree needs at least the root node")
    if len(labels) != len(nodes):
        raise ValueError(f"{len(labels)} labels for {len(nodes)} nodes")
    sizes = font_sizes(presentation)
    by_id = {n.node_id: n for n in nodes}
    root = next(n for n in nodes if n.parent is None)
    label_of = {n.node_id: labels[i] for i, n in enumerate(nodes)}
    children: dict[int, list] = {}
    for node in nodes:
        if node.parent is not None:
            children.setdefault(node.parent, []).append(node)
    for kids in children.values():
        kids.sort(key=lambda n: (n.status == "pruned", -n.score))
    if pruned_text is None:
        pruned_text = len(nodes) <= CROWDED_NODES
    texted = {n.node_id for n in nodes if n is not root and (pruned_text or n.status != "pruned")}
    on_best = set(best_path)
    token = {n.node_id: display_label(label_of[n.node_id], 12) for n in nodes}

    def text(node) -> str:  # token over score, two short lines keep the columns narrow
        shown = f"<b>{token[node.node_id]}</b>" if node.node_id in on_best else token[node.node_id]
        return f'{shown}<br><span style="color:#6b6b6b">{node.score:.2f}</span>'

    def text_px(node) -> float:  # rendered fonts run ~10% narrower than the estimate; bold ~8% wider
        bold = 1.08 if node.node_id in on_best else 1.0
        px = max(
            text_width_px(html.unescape(token[node.node_id]), sizes["base"]) * bold,
            text_width_px(f"{node.score:.2f}", sizes["base"]),
        )
        return px * (0.9 if node.status != "pruned" else 0.9 * sizes["tick"] / sizes["base"])

    scale = 1.4 if presentation else 1.0
    row_px = sizes["base"] * 1.25  # one unit of height = one line of text
    dot = {"pruned": 8 * scale, "kept": 15 * scale, "finished": 15 * scale}  # marker sizes in px
    rows, total = _tree_rows(
        [root] + [n for n in nodes if n is not root],
        children,
        lambda n: 2.0 if n.node_id in texted else (dot[n.status] + 3) / row_px,
    )
    # Columns: the widest label ends within label_frac of a column; the fan bracket stands at fan_at.
    label_frac, fan_at = 0.62, 0.72
    widest = max([text_px(by_id[i]) for i in texted] + [0.0])
    col_px = max(90 if presentation else 64, (widest + 16) / label_frac)
    root_text = display_label(label_of[root.node_id], 24)
    left = (text_width_px(html.unescape(root_text), sizes["base"]) * 0.9 + 30) / col_px
    max_step = max(n.step for n in nodes)
    right = (widest + 24) / col_px if texted else left  # a lone root sits centred

    traces = []
    edge_sets = {
        "pruned": ([], [], "#d6d6d6", 1.0),
        "kept": ([], [], "#8c8c8c", 1.6),
        "best": ([], [], HIGHLIGHT_COLOR, 7 if presentation else 5),
    }
    for node in nodes:
        if node.parent is None:
            continue
        parent = by_id[node.parent]
        # From the end of the parent's label (or its marker) to the bracket, then across to the child.
        start = parent.step + (0 if parent.node_id not in texted else (text_px(parent) + 16) / col_px)
        key = (
            "best"
            if node.node_id in on_best and parent.node_id in on_best
            else "pruned"
            if node.status == "pruned"
            else "kept"
        )
        xs, ys, _, _ = edge_sets[key]
        xs += [min(start, parent.step + fan_at), parent.step + fan_at, parent.step + fan_at, node.step, None]
        ys += [rows[parent.node_id], rows[parent.node_id], rows[node.node_id], rows[node.node_id], None]
    for key, (xs, ys, color, width) in edge_sets.items():
        if xs:
            traces.append(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    name=key,
                    hoverinfo="skip",
                    showlegend=False,
                    line={"color": color, "width": width},
                )
            )

    names = {"kept": kept_label, "pruned": pruned_label, "finished": finished_label}
    for status, color in STATUS_COLORS.items():
        group = [n for n in nodes if n.status == status and (n is not root)]
        if status == "kept":
            group = [root] + group
        if not group:
            continue
        small = status == "pruned"
        traces.append(
            go.Scatter(
                x=[n.step for n in group],
                y=[rows[n.node_id] for n in group],
                mode="markers+text",
                name=display_label(names[status]),
                text=[root_text if n is root else text(n) if n.node_id in texted else "" for n in group],
                textposition=["middle left" if n is root else "middle right" for n in group],
                textfont={
                    "size": sizes["tick"] if small else sizes["base"],
                    "color": "#8a8a8a" if small else color if status == "finished" else TEXT_COLOR,
                },
                marker={"size": dot[status], "color": color, "line": {"width": 1, "color": "white"}},
                hovertext=[
                    f"{display_label(label_of[n.node_id])}<br>log p {n.log_prob:.3f} · "
                    f"{display_label(score_label)} {n.score:.3f}"
                    for n in group
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )

    legend, legend_px = _legend_below(presentation)
    axis_px = sizes["tick"] * 1.8 + sizes["base"] * 2.2
    width = max(col_px * (max_step + left + right) + 30, 560 if presentation else 420)
    height = max(total, 2) * row_px + axis_px + legend_px + (sizes["title"] * 2.6 if title else 16)
    return make_figure(
        traces,
        title,
        presentation,
        width=width,
        height=height,
        legend=legend,
        margin={"b": legend_px + 6},
        yaxis={"visible": False, "range": [total + 0.2, -0.2]},
        xaxis={
            "tickvals": list(range(max_step + 1)),
            "range": [-left, max_step + right],
            "zeroline": False,
            "title": {"text": display_label(x_title)},
            "gridcolor": "#f3f3f3",
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
        go.Scatter(
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
    legend, legend_px = _legend_below(presentation)
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
        go.Bar(
            x=lengths,
            y=y,
            orientation="h",
            marker_color=CACHED_COLOR,
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
                go.Scatter(
                    x=xs, y=ys, mode="lines", line={"color": "white", "width": 1.5}, hoverinfo="skip", showlegend=False
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
