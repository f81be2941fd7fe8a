"""The beam-search tree: every hypothesis beam search considered, step by step, coloured by what became of
it (kept, pruned, finished), with the best path drawn thick."""

from __future__ import annotations

import html
from collections.abc import Sequence

import plotly.graph_objects as go

from .style import (
    HIGHLIGHT_COLOR,
    TEXT_COLOR,
    display_label,
    font_sizes,
    legend_below,
    make_figure,
    text_width_px,
    trace,
)

STATUS_COLORS = {"kept": "#1f5fa8", "pruned": "#c7c7c7", "finished": "#1b7f3b"}
CROWDED_NODES = 60  # above this, pruned beam nodes lose their text (hover keeps it)


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
                trace(
                    "scatter",
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
            trace(
                "scatter",
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

    legend, legend_px = legend_below(presentation)
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
