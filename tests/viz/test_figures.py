"""Figure builders in seqviz.viz: structure of the plotly figures, not their pixels."""

import json
import re

import numpy as np
import pytest

from seqviz.viz.attention import attention_heatmap, head_grid, mean_over_heads
from seqviz.viz.masks import mask_figure, scores_pipeline_figure, softmax_masked
from seqviz.viz.static_export import to_png_bytes, to_svg_bytes
from seqviz.viz.style import altair_chart_config, display_label, font_sizes, plotly_config, safe_filename

EN = ["the", "cat", "sees", "the", "dog"]


def causal(n):
    return np.tril(np.ones((n, n), dtype=bool))


def trace_named(fig, name):
    matches = [t for t in fig.data if t.name == name]
    assert len(matches) == 1, [t.name for t in fig.data]
    return matches[0]


def random_weights(n_q, n_k, seed=0, mask=None):
    scores = np.random.default_rng(seed).normal(size=(n_q, n_k))
    return softmax_masked(scores, np.ones((n_q, n_k), bool) if mask is None else mask)


# ---- attention_heatmap ---------------------------------------------------------------------------


def test_duplicate_labels_keep_separate_columns_and_rows():
    fig = attention_heatmap(random_weights(5, 5), EN, EN)
    weights = trace_named(fig, "weights")
    # Integer positions, never the (duplicate) strings: plotly would merge "the" and "the".
    assert weights.x is None and weights.y is None
    assert np.asarray(weights.z).shape == (5, 5)
    assert list(fig.layout.xaxis.tickvals) == [0, 1, 2, 3, 4]
    assert list(fig.layout.xaxis.ticktext) == EN
    assert list(fig.layout.yaxis.ticktext) == EN
    assert fig.layout.xaxis.type != "category"
    assert fig.layout.yaxis.autorange == "reversed"  # first query at the top


def test_html_like_labels_are_shown_as_text_never_markup():
    labels = ["<script>alert(1)</script>", "<eos>", "a&b", "中文"]
    figs = [
        attention_heatmap(random_weights(4, 4), labels, labels, "<b>title</b>"),
        mask_figure(causal(4), labels, labels, "<i>mask</i>"),
        head_grid(np.stack([random_weights(4, 4)] * 2)[None], labels, labels),
        scores_pipeline_figure(np.zeros((4, 4)), causal(4), labels, labels),
    ]
    for fig in figs:
        payload = fig.to_json()
        for raw in ("<script>", "<eos>", "<b>", "<i>"):
            assert raw not in payload
    ticks = list(figs[0].layout.xaxis.ticktext)
    assert ticks[1] == "&lt;eos&gt;"  # plotly decodes the entity: "<eos>" stays visible as text
    assert ticks[2] == "a&amp;b"
    assert ticks[3] == "中文"


def test_whitespace_tokens_stay_visible():
    assert display_label(" ") == "␣"
    assert display_label("\n") == "↵"
    assert display_label("") == "∅"
    assert "\n" not in display_label("a\nb")
    assert display_label("x" * 40, max_chars=10).endswith("…")


def test_masked_cells_leave_the_colour_scale_and_get_their_own_layer():
    blocked = ~causal(5)
    fig = attention_heatmap(random_weights(5, 5, mask=causal(5)), EN, EN, masked=blocked)
    z = np.asarray(trace_named(fig, "weights").z, dtype=float)
    assert np.isnan(z[blocked]).all()
    assert np.isfinite(z[~blocked]).all()
    grey = np.asarray(trace_named(fig, "masked").z, dtype=float)
    assert np.array_equal(~np.isnan(grey), blocked)
    assert trace_named(fig, "masked").showscale is False


def test_no_masked_layer_without_a_mask_and_zmax_defaults_to_one():
    fig = attention_heatmap(random_weights(3, 4), EN[:3], EN[:4])
    assert [t.name for t in fig.data] == ["weights"]
    assert (fig.data[0].zmin, fig.data[0].zmax) == (0.0, 1.0)
    assert "%{customdata}" in fig.data[0].hovertemplate
    assert np.asarray(fig.data[0].customdata)[2, 3] == "#2 sees → #3 the"


def test_values_in_cells_only_when_small():
    assert attention_heatmap(random_weights(12, 12), ["a"] * 12, ["b"] * 12).data[0].texttemplate
    assert attention_heatmap(random_weights(13, 13), ["a"] * 13, ["b"] * 13).data[0].texttemplate is None
    assert attention_heatmap(random_weights(3, 3), EN[:3], EN[:3], show_values=False).data[0].texttemplate is None


def test_512_tokens_carry_their_weights_and_nothing_per_cell():
    n = 512
    labels = list("the quick brown fox jumps over the lazy dog " * 12)[:n]
    fig = attention_heatmap(random_weights(n, n, mask=causal(n)), labels, labels, masked=~causal(n))
    payload = fig.to_json()
    assert len(payload) < 16 * n * n  # the weights as packed numbers (about 13 bytes a cell), nothing per cell
    for trace in json.loads(payload)["data"]:
        assert not trace.get("texttemplate") and not trace.get("text")
        assert "customdata" not in trace
    assert len(payload) < 3_500_000  # float32, base64
    ticks = fig.layout.xaxis.tickvals
    assert 5 <= len(ticks) <= 40 and len(set(ticks)) == len(ticks)


def test_label_count_must_match_the_matrix():
    with pytest.raises(ValueError, match="key_labels"):
        attention_heatmap(random_weights(3, 3), EN[:3], EN[:2])


def test_accepts_tensors_that_require_grad():
    torch = pytest.importorskip("torch")
    weights = torch.softmax(torch.randn(3, 3, requires_grad=True), dim=-1)
    fig = attention_heatmap(weights, EN[:3], EN[:3])
    assert np.allclose(np.asarray(fig.data[0].z, float), weights.detach().numpy(), atol=1e-6)


# ---- head_grid -----------------------------------------------------------------------------------


def test_head_grid_has_one_heatmap_per_layer_and_head_on_a_shared_scale():
    n_layers, n_heads, n = 2, 3, 5
    attn = np.stack(
        [np.stack([random_weights(n, n, seed=10 * layer + h) for h in range(n_heads)]) for layer in range(n_layers)]
    )
    fig = head_grid(attn, EN, EN, "grid")
    heatmaps = [t for t in fig.data if t.type == "heatmap"]
    assert len(heatmaps) == n_layers * n_heads
    assert {t.coloraxis for t in heatmaps} == {"coloraxis"}
    assert (fig.layout.coloraxis.cmin, fig.layout.coloraxis.cmax) == (0.0, 1.0)
    assert len({(t.xaxis, t.yaxis) for t in heatmaps}) == n_layers * n_heads
    titles = [a.text for a in fig.layout.annotations]
    assert titles[0] == "L1 H1" and titles[-1] == "L2 H3"
    assert np.allclose(np.asarray(heatmaps[4].z, float), attn[1, 1])
    assert np.allclose(mean_over_heads(attn)[0], attn[0].mean(axis=0))


def test_head_grid_masked_cells_and_single_layer_input():
    fig = head_grid(np.stack([random_weights(5, 5)] * 2), EN, EN, masked=~causal(5))
    weights = [t for t in fig.data if t.name != "masked"]
    assert len(weights) == 2 and len([t for t in fig.data if t.name == "masked"]) == 2
    assert np.isnan(np.asarray(weights[0].z, float)[~causal(5)]).all()


# ---- masks ---------------------------------------------------------------------------------------


def test_softmax_masked_matches_a_hand_computation():
    scores = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [1000.0, 999.0, -5.0]])
    mask = np.array([[True, True, False], [False, False, False], [True, True, True]])
    w = softmax_masked(scores, mask)
    e = np.e
    assert np.allclose(w[0], [1 / (1 + e), e / (1 + e), 0.0])
    assert w[0, 2] == 0.0
    assert np.array_equal(w[1], [0.0, 0.0, 0.0])  # no allowed key: zeros, not NaN
    assert np.isfinite(w).all() and np.isclose(w[2].sum(), 1.0)
    batched = softmax_masked(np.stack([scores, scores]), mask)
    assert np.allclose(batched[1], w)


def test_scores_pipeline_panels():
    rng = np.random.default_rng(3)
    scores = rng.normal(size=(5, 5)) * 2
    mask = causal(5)
    mask[2] = False  # a query that may attend to nothing
    fig = scores_pipeline_figure(scores, mask, EN, EN)
    weights = [t for t in fig.data if t.xaxis == "x3"]
    assert len(weights) == 1
    w = np.asarray(weights[0].z, dtype=float)
    has_key = mask.any(axis=1)
    assert np.allclose(w[has_key].sum(axis=1), 1.0)
    assert np.all(w[~mask] == 0.0)
    row = scores[4]
    assert np.allclose(w[4], np.exp(row - row.max()) / np.exp(row - row.max()).sum())
    assert np.allclose(w[0], [1, 0, 0, 0, 0])

    masked_scores = trace_named(fig, "masked scores")
    assert np.isnan(np.asarray(masked_scores.z, float)[~mask]).all()
    infinity = trace_named(fig, "masked")
    assert infinity.xaxis == "x2"
    assert set(np.asarray(infinity.text)[~mask]) == {"−∞"}
    assert fig.layout.coloraxis.cmin == -fig.layout.coloraxis.cmax  # diverging, centred at 0
    assert (fig.layout.coloraxis2.cmin, fig.layout.coloraxis2.cmax) == (0.0, 1.0)
    assert [a.text for a in fig.layout.annotations][:3] == ["1. scores q·k/√d", "2. masked", "3. softmax weights"]


def test_mask_figure_cells_and_legend():
    mask = causal(5)
    fig = mask_figure(mask, EN, EN, "因果掩码", allowed_label="可以关注", blocked_label="被屏蔽")
    heat = trace_named(fig, "mask")
    assert np.array_equal(np.asarray(heat.z).astype(bool), mask)
    assert heat.xgap > 0 and heat.ygap > 0
    assert {t.name for t in fig.data if t.type == "scatter"} == {"可以关注", "被屏蔽"}
    assert fig.layout.showlegend is True
    assert list(fig.layout.xaxis.ticktext) == EN


def test_mask_thumbnail_is_small_and_bare():
    fig = mask_figure(causal(5), EN, EN, small=True)
    assert (fig.layout.width, fig.layout.height) == (180, 180)
    assert fig.layout.xaxis.showticklabels is False and fig.layout.yaxis.showticklabels is False
    assert fig.layout.showlegend is False
    assert all(t.type == "heatmap" for t in fig.data)


# ---- style / export ------------------------------------------------------------------------------


def test_presentation_mode_has_larger_fonts():
    small, big = font_sizes(False), font_sizes(True)
    assert all(big[k] >= 1.4 * small[k] for k in small)
    builders = [
        lambda p: attention_heatmap(random_weights(5, 5), EN, EN, "t", presentation=p),
        lambda p: mask_figure(causal(5), EN, EN, "t", presentation=p),
        lambda p: scores_pipeline_figure(np.ones((5, 5)), causal(5), EN, EN, presentation=p),
        lambda p: head_grid(np.stack([random_weights(5, 5)] * 2)[None], EN, EN, "t", presentation=p),
    ]
    for build in builders:
        normal, projected = build(False), build(True)
        assert projected.layout.font.size > normal.layout.font.size
        assert projected.layout.xaxis.tickfont.size > normal.layout.xaxis.tickfont.size
        assert projected.layout.height > normal.layout.height


def test_plotly_config_exports_3x_png():
    config = plotly_config("Attention: layer 1 / head 2")
    assert config["displaylogo"] is False
    assert config["toImageButtonOptions"]["format"] == "png"
    assert config["toImageButtonOptions"]["scale"] == 3
    assert config["toImageButtonOptions"]["filename"] == "attention_layer_1_head_2"


@pytest.mark.parametrize(
    "parts", [("注意力热图",), ("🙂🙂",), ("",), ("../../etc/passwd",), ("Café", "L1", 2), ("x" * 200,)]
)
def test_safe_filename_is_ascii_and_never_empty(parts):
    name = safe_filename(*parts)
    assert re.fullmatch(r"[a-z0-9_-]{1,80}", name)
    assert not name.startswith(("_", "-")) and "/" not in name and ".." not in name


def test_safe_filename_keeps_ascii_content():
    assert safe_filename("Café", "L1", 2) == "cafe_l1_2"
    assert safe_filename("注意力") == "seqviz_figure"


def test_export_without_kaleido_raises_a_clear_error(monkeypatch):
    fig = attention_heatmap(random_weights(2, 2), ["a", "b"], ["a", "b"])

    def missing(*args, **kwargs):
        raise ImportError("No module named 'kaleido'")

    monkeypatch.setattr(type(fig), "to_image", missing)
    for export in (to_png_bytes, to_svg_bytes):
        with pytest.raises(RuntimeError, match="kaleido.*Chromium"):
            export(fig)


def test_altair_config_sets_fonts_and_3x_export():
    alt = pytest.importorskip("altair")
    import pandas as pd

    chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_line().encode(x="x", y="y")
    spec = altair_chart_config(chart, presentation=True).to_dict()
    assert spec["usermeta"]["embedOptions"]["scaleFactor"] == 3
    assert spec["usermeta"]["embedOptions"]["actions"]["export"] is True
    assert "Noto Sans CJK SC" in spec["config"]["font"]
    assert spec["config"]["axis"]["labelFontSize"] == font_sizes(True)["tick"]
