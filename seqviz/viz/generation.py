"""Figures of autoregressive generation: the next-token distribution before and after the processors,
the beam-search tree, the KV cache's shapes and its measured latency."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from .style import apply_layout, display_label, font_sizes

BEFORE_COLOR, AFTER_COLOR = "#9ecae1", "#1f5fa8"
STATUS_COLORS = {"kept": "#1f5fa8", "pruned": "#c7c7c7", "finished": "#1b7f3b"}
CACHED_COLOR, RECOMPUTE_COLOR = "#1b7f3b", "#d95f02"


def distribution_before_after(
    tokens: Sequence[str], before: Sequence[float], after: Sequence[float], title: str = "", *,
    chosen: str | None = None, presentation: bool = False, before_label: str = "before temperature/top-k/top-p",
    after_label: str = "after (sampled from)", x_title: str = "probability",
) -> go.Figure:
    """Grouped horizontal bars per token, most probable on top; the chosen token is marked ▶ and tokens the
    processors removed (probability 0 after) are marked ✕."""
    sizes = font_sizes(presentation)
    labels = []
    for token, p_after in zip(tokens, after):
        label = display_label(token)
        if chosen is not None and token == chosen:
            label = f"<b>▶ {label}</b>"
        elif p_after == 0:
            label = f"✕ {label}"
        labels.append(label)
    y = list(range(len(labels)))
    fig = go.Figure()
    for name, values, color in ((before_label, before, BEFORE_COLOR), (after_label, after, AFTER_COLOR)):
        fig.add_trace(go.Bar(x=list(values), y=y, orientation="h", name=display_label(name), marker_color=color,
                             text=[f"{v:.0%}" if v else "" for v in values], textposition="outside", cliponaxis=False,
                             textfont={"size": sizes["tick"]}))
    top = max(list(before) + list(after) + [0.05])
    fig.update_layout(barmode="group", bargap=0.25, legend={"orientation": "h", "y": -0.2, "x": 0})
    fig.update_yaxes(tickvals=y, ticktext=labels, autorange="reversed", tickfont={"size": sizes["tick"] + 2})
    fig.update_xaxes(range=[0, min(1.2, top * 1.25 + 0.05)], tickformat=".0%", title=display_label(x_title), gridcolor="#eeeeee")
    return apply_layout(fig, title, presentation, height=150 + (44 if presentation else 34) * len(labels))


def _tree_rows(nodes) -> dict[int, float]:
    """A tidy vertical position per node: leaves in depth-first order, parents centred over children."""
    children: dict[int, list] = {}
    for node in nodes:
        if node.parent is not None:
            children.setdefault(node.parent, []).append(node)
    rows, next_row = {}, [0.0]

    def place(node) -> float:
        kids = sorted(children.get(node.node_id, []), key=lambda n: -n.score)
        if not kids:
            rows[node.node_id] = next_row[0]
            next_row[0] += 1
        else:
            rows[node.node_id] = sum(place(k) for k in kids) / len(kids)
        return rows[node.node_id]

    place(nodes[0])
    return rows


def beam_tree(
    nodes, labels: Sequence[str], title: str = "", *, presentation: bool = False, kept_label: str = "kept",
    pruned_label: str = "pruned", finished_label: str = "finished (<eos>)", best_path: Sequence[int] = (),
    x_title: str = "step",
) -> go.Figure:
    """Every hypothesis beam search considered: x = step, edges parent → child, colour = kept, pruned or
    finished; the best path is drawn thick. With many nodes only kept/finished ones carry text."""
    sizes = font_sizes(presentation)
    rows = _tree_rows(nodes)
    on_best = set(best_path)
    fig = go.Figure()
    for node in nodes[1:]:
        best = node.node_id in on_best and node.parent in on_best
        fig.add_trace(go.Scatter(
            x=[node.step - 1, node.step], y=[rows[node.parent], rows[node.node_id]], mode="lines", hoverinfo="skip",
            showlegend=False, line={"color": "#e6550d" if best else "#bbbbbb", "width": 5 if best else 1.2},
        ))
    crowded = len(nodes) > 60
    names = {"kept": kept_label, "pruned": pruned_label, "finished": finished_label}
    for status, color in STATUS_COLORS.items():
        group = [n for n in nodes if n.status == status]
        if not group:
            continue
        text = ["" if crowded and status == "pruned" else f"{display_label(labels[n.node_id])} {n.score:.2f}" for n in group]
        fig.add_trace(go.Scatter(
            x=[n.step for n in group], y=[rows[n.node_id] for n in group], mode="markers+text", name=display_label(names[status]),
            text=text, textposition="middle right", textfont={"size": sizes["tick"], "color": "#222222" if status != "pruned" else "#999999"},
            marker={"size": (14 if status != "pruned" else 9) * (1.4 if presentation else 1), "color": color},
            hovertext=[f"{display_label(labels[n.node_id])}: log p {n.log_prob:.3f}, score {n.score:.3f}" for n in group],
            hovertemplate="%{hovertext}<extra></extra>",
        ))
    fig.update_yaxes(visible=False, autorange="reversed")
    max_step = max(n.step for n in nodes)
    fig.update_xaxes(tickvals=list(range(max_step + 1)), range=[-0.3, max_step + 0.9], title=display_label(x_title),
                     gridcolor="#f0f0f0")
    fig.update_layout(legend={"orientation": "h", "y": -0.12, "x": 0})
    height = 160 + (26 if presentation else 20) * max(1, len([n for n in nodes if not _has_children(n, nodes)]))
    return apply_layout(fig, title, presentation, height=min(height, 1400))


def _has_children(node, nodes) -> bool:
    return any(n.parent == node.node_id for n in nodes)


def latency_chart(
    lengths: Sequence[int], cached_ms: Sequence[float], recompute_ms: Sequence[float], title: str = "", *,
    presentation: bool = False, cached_label: str = "with KV cache", recompute_label: str = "recompute every step",
    x_title: str = "generated tokens", y_title: str = "time per token (ms)",
) -> go.Figure:
    """Per-token latency against length, with the speed-up at the longest length written beside it."""
    sizes = font_sizes(presentation)
    fig = go.Figure()
    for name, values, color in ((recompute_label, recompute_ms, RECOMPUTE_COLOR), (cached_label, cached_ms, CACHED_COLOR)):
        fig.add_trace(go.Scatter(x=list(lengths), y=list(values), mode="lines+markers", name=display_label(name),
                                 line={"color": color, "width": 3}, marker={"size": 9}))
    ratio = recompute_ms[-1] / cached_ms[-1]
    fig.add_annotation(x=lengths[-1], y=recompute_ms[-1], text=f"<b>{ratio:.1f}×</b>", showarrow=False, xanchor="left",
                       xshift=10, font={"size": sizes["title"], "color": RECOMPUTE_COLOR})
    fig.update_xaxes(title=display_label(x_title), gridcolor="#eeeeee")
    fig.update_yaxes(title=display_label(y_title), gridcolor="#eeeeee", rangemode="tozero")
    fig.update_layout(legend={"orientation": "h", "y": -0.25, "x": 0})
    return apply_layout(fig, title, presentation, height=420 if presentation else 340)


def cache_shapes_figure(
    shapes: Sequence[tuple[int, ...]], title: str = "", *, presentation: bool = False, layer_label: str = "layer",
    x_title: str = "cached positions",
) -> go.Figure:
    """One bar per layer, as long as the number of cached positions, labelled with the K/V shape."""
    sizes = font_sizes(presentation)
    layers = [f"{display_label(layer_label)} {i + 1}" for i in range(len(shapes))]
    lengths = [shape[2] if len(shape) == 4 else 1 for shape in shapes]
    text = ["K,V: " + "×".join(str(d) for d in shape) for shape in shapes]
    fig = go.Figure(go.Bar(x=lengths, y=layers, orientation="h", text=text, textposition="outside", cliponaxis=False,
                           marker_color=CACHED_COLOR, textfont={"size": sizes["tick"]}))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title=display_label(x_title), range=[0, max(lengths + [1]) * 1.6], gridcolor="#eeeeee")
    return apply_layout(fig, title, presentation, height=110 + (40 if presentation else 30) * len(shapes))
