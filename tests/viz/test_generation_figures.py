import json

from seqviz.decoding.autoregressive import BeamNode
from seqviz.viz.generation import STATUS_COLORS, beam_tree, cache_shapes_figure, distribution_before_after, latency_chart


def test_distribution_marks_chosen_and_removed_tokens_and_escapes():
    fig = distribution_before_after(["cat", "<script>", "dog"], [0.5, 0.3, 0.2], [0.7, 0.3, 0.0], chosen="cat")
    assert [list(t.x) for t in fig.data] == [[0.5, 0.3, 0.2], [0.7, 0.3, 0.0]]
    ticks = list(fig.layout.yaxis.ticktext)
    assert "▶" in ticks[0] and ticks[2].startswith("✕") and "<script>" not in json.dumps(ticks)


def _nodes():
    return [
        BeamNode(0, None, None, 0, 0.0, 0.0),
        BeamNode(1, 0, 5, 1, -0.1, -0.1), BeamNode(2, 0, 6, 1, -0.5, -0.5, "pruned"),
        BeamNode(3, 1, 7, 2, -0.3, -0.15, "finished"), BeamNode(4, 1, 8, 2, -0.9, -0.45, "pruned"),
    ]


def test_beam_tree_draws_every_node_and_edge_and_the_best_path():
    fig = beam_tree(_nodes(), ["the", "cat", "dog", "<eos>", "runs"], best_path=[0, 1, 3])
    markers = [t for t in fig.data if t.mode == "markers+text"]
    edges = [t for t in fig.data if t.mode == "lines"]
    assert sum(len(t.x) for t in markers) == 5 and len(edges) == 4
    assert {t.marker.color for t in markers} == set(STATUS_COLORS.values())
    assert sorted(e.line.width for e in edges)[-2:] == [5, 5]  # two edges on the best path
    assert len(beam_tree(_nodes()[:1], ["the"]).data) == 1


def test_latency_chart_writes_the_ratio_and_cache_bars_match_shapes():
    fig = latency_chart([128, 1024], [1.0, 1.2], [2.0, 9.6])
    assert "8.0×" in fig.layout.annotations[0].text
    bars = cache_shapes_figure([(1, 4, 12, 32), (1, 4, 12, 32)])
    assert list(bars.data[0].x) == [12, 12] and "1×4×12×32" in bars.data[0].text[0]
    assert cache_shapes_figure([(1, 4, 3, 8)], presentation=True).layout.height > cache_shapes_figure([(1, 4, 3, 8)]).layout.height
