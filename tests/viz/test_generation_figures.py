import json

import pytest

from seqviz.decoding.autoregressive import BeamNode
from seqviz.viz.beam import CROWDED_NODES, STATUS_COLORS, beam_tree
from seqviz.viz.generation import (
    AFTER_COLOR,
    BEFORE_COLOR,
    cache_shapes_figure,
    distribution_before_after,
    latency_chart,
)
from seqviz.viz.style import HIGHLIGHT_COLOR


def _segments(trace) -> int:
    """Edges in a lines trace: polylines separated by None."""
    return sum(1 for x in trace.x if x is None)


def _markers(fig):
    return [t for t in fig.data if t.mode == "markers+text"]


def _edges(fig):
    return [t for t in fig.data if t.mode == "lines"]


# ---- distribution before/after -------------------------------------------------------------------


def test_distribution_values_match_inputs_most_probable_on_top():
    tokens, before, after = ["dog", "cat", "<script>"], [0.2, 0.5, 0.3], [0.0, 0.7, 0.3]
    fig = distribution_before_after(tokens, before, after, chosen="cat")
    assert [t.marker.color for t in fig.data] == [BEFORE_COLOR, AFTER_COLOR]
    assert list(fig.data[0].x) == [0.5, 0.3, 0.2] and list(fig.data[1].x) == [0.7, 0.3, 0.0]  # sorted by before
    assert list(fig.layout.yaxis.ticktext)[0] == "<b>▶ cat</b>" and fig.layout.yaxis.autorange == "reversed"


def test_distribution_escapes_tokens_and_flags_removed_ones():
    fig = distribution_before_after(["cat", "<script>", "dog"], [0.5, 0.3, 0.2], [0.7, 0.3, 0.0], chosen="cat")
    ticks = list(fig.layout.yaxis.ticktext)
    assert "<script>" not in json.dumps(fig.to_plotly_json()) and "&lt;script&gt;" in ticks[1]
    assert "✕" in ticks[2] and "✕" not in ticks[0] + ticks[1]  # only the token with p_after == 0
    assert list(fig.data[1].text) == ["70%", "30%", "✕"]
    band = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(band) == 1 and band[0].y0 == -0.5 and band[0].y1 == 0.5  # the chosen row is shaded
    assert max(fig.layout.xaxis.tickvals) <= 1.0


def test_distribution_rejects_mismatched_lengths():
    with pytest.raises(ValueError):
        distribution_before_after(["a", "b"], [0.5, 0.5], [1.0])


# ---- beam tree -----------------------------------------------------------------------------------


def _nodes():
    return [
        BeamNode(0, None, None, 0, 0.0, 0.0),
        BeamNode(1, 0, 5, 1, -0.1, -0.1),
        BeamNode(2, 0, 6, 1, -0.5, -0.5, "pruned"),
        BeamNode(3, 1, 7, 2, -0.3, -0.15, "finished"),
        BeamNode(4, 1, 8, 2, -0.9, -0.45, "pruned"),
    ]


def _wide_tree(width=4, steps=8):
    """A width x steps search: every kept node gets `width` children, the best `width` are kept."""
    nodes, frontier = [BeamNode(0, None, None, 0, 0.0, 0.0)], [0]
    for step in range(1, steps + 1):
        born = []
        for parent in frontier:
            for k in range(width):
                born.append(
                    BeamNode(
                        len(nodes),
                        parent,
                        k,
                        step,
                        -0.1 * step - 0.01 * k - 0.001 * parent,
                        -0.1 - 0.01 * k - 0.001 * parent,
                        "pruned",
                    )
                )
                nodes.append(born[-1])
        for node in sorted(born, key=lambda n: -n.score)[:width]:
            node.status = "kept"
        frontier = [n.node_id for n in born if n.status == "kept"]
    return nodes


def test_beam_tree_one_marker_per_node_one_edge_per_child_statuses_coloured():
    nodes = _nodes()
    fig = beam_tree(nodes, ["the", "cat", "dog", "<eos>", "<script>"])
    assert sum(len(t.x) for t in _markers(fig)) == len(nodes)
    assert sum(_segments(t) for t in _edges(fig)) == len(nodes) - 1
    assert {t.name: t.marker.color for t in _markers(fig)} == {
        "kept": STATUS_COLORS["kept"],
        "pruned": STATUS_COLORS["pruned"],
        "finished (&lt;eos&gt;)": STATUS_COLORS["finished"],
    }
    by_colour = {t.marker.color: t for t in _markers(fig)}
    assert len(by_colour) == 3  # three statuses, three distinct colours
    assert sorted(by_colour[STATUS_COLORS["pruned"]].x) == [1, 2]  # nodes 2 and 4
    assert list(by_colour[STATUS_COLORS["finished"]].x) == [2]
    assert by_colour[STATUS_COLORS["finished"]].name == "finished (&lt;eos&gt;)"
    dumped = json.dumps(fig.to_plotly_json())
    assert "<script>" not in dumped and "<eos>" not in dumped and "&lt;eos&gt;" in dumped


def test_beam_tree_highlights_the_best_path_only():
    fig = beam_tree(_nodes(), ["the", "cat", "dog", "<eos>", "runs"], best_path=[0, 1, 3])
    best = [t for t in _edges(fig) if t.line.color == HIGHLIGHT_COLOR]
    assert len(best) == 1 and _segments(best[0]) == 2  # root→cat, cat→<eos>
    assert best[0].line.width > max(t.line.width for t in _edges(fig) if t is not best[0])
    texts = [s for t in _markers(fig) for s in t.text]
    assert sum("<b>" in s for s in texts) == 2  # the two tokens on the path are bold
    plain = beam_tree(_nodes(), ["the", "cat", "dog", "<eos>", "runs"])
    assert not [t for t in _edges(plain) if t.line.color == HIGHLIGHT_COLOR]


def test_beam_tree_children_sit_beside_their_parent_and_labels_show_scores():
    fig = beam_tree(_nodes(), ["the", "cat", "dog", "<eos>", "runs"])
    y = {(x, round(v, 6)) for t in _markers(fig) for x, v in zip(t.x, t.y, strict=True)}
    assert len(y) == 5  # no two nodes drawn on the same spot
    texts = [s for t in _markers(fig) for s in t.text]
    assert any("cat" in s and "-0.10" in s for s in texts) and any("-0.45" in s for s in texts)


def test_beam_tree_single_node_and_bad_input():
    fig = beam_tree(_nodes()[:1], ["the prompt"])
    assert len(fig.data) == 1 and list(fig.data[0].x) == [0] and not _edges(fig)
    with pytest.raises(ValueError):
        beam_tree(_nodes(), ["too", "few"])


def test_crowded_beam_tree_labels_only_kept_and_finished_but_hovers_all():
    nodes = _wide_tree()
    assert len(nodes) > CROWDED_NODES
    fig = beam_tree(nodes, [f"w{n.node_id}" for n in nodes])
    assert sum(len(t.x) for t in _markers(fig)) == len(nodes)
    assert sum(_segments(t) for t in _edges(fig)) == len(nodes) - 1
    pruned = next(t for t in _markers(fig) if t.marker.color == STATUS_COLORS["pruned"])
    kept = next(t for t in _markers(fig) if t.marker.color == STATUS_COLORS["kept"])
    assert all(s == "" for s in pruned.text) and len(pruned.hovertext) == len(pruned.x)
    assert all(s for s in kept.text)
    assert 300 < fig.layout.height < 2000 and fig.layout.width < 1400  # fits a page, scrolls at most a little


def test_small_beam_tree_labels_pruned_nodes_too():
    fig = beam_tree(_nodes(), ["the", "cat", "dog", "<eos>", "runs"])
    pruned = next(t for t in _markers(fig) if t.marker.color == STATUS_COLORS["pruned"])
    assert all(s for s in pruned.text)


# ---- latency and cache ---------------------------------------------------------------------------


def test_latency_chart_lines_and_ratio():
    fig = latency_chart([128, 1024], [1.0, 1.2], [2.0, 9.6], cached_label="缓存", recompute_label="<重算>")
    assert [list(t.y) for t in fig.data] == [[2.0, 9.6], [1.0, 1.2]]
    assert all(t.mode == "lines+markers" for t in fig.data)
    assert "8.0×" in fig.layout.annotations[0].text and fig.layout.annotations[0].x == 1024
    assert [t.name for t in fig.data] == ["&lt;重算&gt;", "缓存"]
    custom = latency_chart([10, 20], [1.0, 2.0], [3.0, 12.2], speedup_text="{ratio:.1f}× faster")
    assert custom.layout.annotations[0].text == "<b>6.1× faster</b>"
    assert not latency_chart([10], [0.0], [1.0]).layout.annotations  # no ratio from a zero time


def test_cache_figure_bar_lengths_equal_cached_positions():
    bars = cache_shapes_figure([(1, 4, 12, 32), (1, 4, 12, 32), (1, 4, 7, 32)], layer_label="层")
    assert list(bars.data[0].x) == [12, 12, 7] and "1×4×12×32" in bars.data[0].text[0]
    assert list(bars.layout.yaxis.ticktext) == ["层 1", "层 2", "层 3"]
    with pytest.raises(ValueError):
        cache_shapes_figure([(1, 4, 12)])


# ---- presentation mode ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda p: distribution_before_after(["a", "b"], [0.6, 0.4], [1.0, 0.0], "t", chosen="a", presentation=p),
        lambda p: beam_tree(_nodes(), ["the", "cat", "dog", "<eos>", "runs"], "t", presentation=p),
        lambda p: latency_chart([1, 2], [1.0, 1.0], [1.0, 2.0], "t", presentation=p),
        lambda p: cache_shapes_figure([(1, 4, 3, 8)], "t", presentation=p),
    ],
)
def test_presentation_mode_has_larger_fonts(build):
    small, large = build(False), build(True)
    assert large.layout.font.size >= 1.4 * small.layout.font.size
    assert large.layout.title.font.size > small.layout.title.font.size
    assert large.layout.height > small.layout.height


def test_presentation_beam_tree_has_larger_markers_and_labels():
    small, large = (beam_tree(_nodes(), ["the", "cat", "dog", "<eos>", "runs"], presentation=p) for p in (False, True))
    assert all(
        b.marker.size > a.marker.size and b.textfont.size > a.textfont.size
        for a, b in zip(_markers(small), _markers(large), strict=True)
    )
