"""A figure's text alternative and its data as tables come from the figure's own numbers; a slide's figure
remade for a phone puts its panels one under another."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest

from seqviz.i18n import tr
from seqviz.viz.attention import attention_heatmap
from seqviz.viz.bars import topk_bars
from seqviz.viz.compose import figure_grid, for_phone
from seqviz.viz.curves import loss_curves
from seqviz.viz.describe import altair_table, describe_altair, describe_plotly, plotly_tables
from seqviz.viz.masks import mask_figure
from seqviz.viz.style import font_sizes, make_figure, trace

WORDS = ["the", "black", "cat", "sleeps"]
EN, ZH = partial(tr, "en"), partial(tr, "zh")


def test_a_mask_is_described_row_by_row():
    causal = np.tril(np.ones((4, 4), bool))
    text = describe_plotly(mask_figure(causal, WORDS, WORDS, "Causal", allowed_label="may attend"), EN)
    assert text.startswith("Causal.")
    assert "“may attend” in 10 of 16 cells" in text and "the: 1, black: 2, cat: 3, sleeps: 4" in text
    chinese = describe_plotly(mask_figure(causal, WORDS, WORDS, "因果", allowed_label="可以关注"), ZH)
    assert "16 个格子中有 10 个是“可以关注”" in chinese


def test_attention_says_where_each_row_looks_with_its_weight():
    weights = np.array([[1, 0, 0, 0], [0.1, 0.9, 0, 0], [0.2, 0.7, 0.1, 0], [0.05, 0.05, 0.3, 0.6]])
    text = describe_plotly(attention_heatmap(weights, WORDS, WORDS, "Layer 1 · head 2"), EN)
    assert "the → the (100%), black → black (90%), cat → black (70%), sleeps → sleeps (60%)" in text
    [(_, table)] = plotly_tables(attention_heatmap(weights, WORDS, WORDS, "t"))
    assert table[""] == WORDS and table["black"] == ["0", "0.9", "0.7", "0.05"]


def test_other_grids_name_their_extremes():
    scores = np.array([[0.5, -2.0], [3.5, 1.0]])
    fig = make_figure([trace("heatmap", z=scores, x=["a", "b"], y=["c", "d"])], "Scores", False)
    assert "highest 3.5 at d · a, lowest -2 at c · b" in describe_plotly(fig, EN)


def test_bars_name_the_largest_and_mark_the_checkers_verdict():
    fig = topk_bars(["cat", "dog", "runs"], [0.5, 0.3, 0.2], "Blank", accepted=[True, True, False])
    text = describe_plotly(fig, EN)
    assert "3 bars, the largest cat (0.5), the smallest runs (0.2)" in text
    assert [t.endswith("✓") for t in fig.data[0].text] == [True, True, False]  # never colour alone


def test_curves_say_where_they_start_end_and_peak():
    fig = make_figure([trace("scatter", x=[1, 2, 3], y=[0.2, 0.9, 0.5], name="LSTM", mode="lines")], "Acc", False)
    assert "LSTM: 3 points, from 0.2 at 1 to 0.5 at 3; highest 0.9 at 2." in describe_plotly(fig, EN)
    chart = loss_curves([{"step": s, "loss": 3.0 / s, "series": "GRU"} for s in (1, 2, 4)], "Loss")
    assert "GRU: 3 points, from 3 at 1 to 0.75 at 4" in describe_altair(chart, EN)
    assert altair_table(chart) == {"x": ["1", "2", "4"], "GRU": ["3", "1.5", "0.75"]}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_panel_of_a_composed_figure_is_described(lang):
    masks = [mask_figure(np.tril(np.ones((3, 3), bool)), WORDS[:3], WORDS[:3], f"P{i}") for i in range(3)]
    text = describe_plotly(figure_grid(masks, 3, "Three masks", presentation=True), partial(tr, lang))
    assert all(f"P{i}" in text for i in range(3)) and text.count(tr(lang, "alt_grid", rows=3, columns=3)) == 3


def test_a_slide_on_a_phone_stacks_its_panels_at_the_pages_font_size():
    masks = [mask_figure(np.tril(np.ones((4, 4), bool)), WORDS, WORDS, f"Panel {i}") for i in range(4)]
    slide = figure_grid(masks, 4, "Four masks", presentation=True)
    phone = for_phone(slide)
    x_domains = [phone.layout[f"xaxis{s}"].domain for s in ("", "2", "3", "4")]
    y_domains = [phone.layout[f"yaxis{s}"].domain for s in ("", "2", "3", "4")]
    assert all(tuple(d) == (0, 1) for d in x_domains)
    assert all(upper[0] > lower[1] for upper, lower in zip(y_domains, y_domains[1:], strict=False))  # one under another
    assert phone.layout.width is None and phone.layout.height > 4 * 300
    sizes = [note.font.size for note in phone.layout.annotations if note.font.size]
    assert sizes and max(sizes) <= font_sizes(False)["base"]


def test_a_builders_figure_is_described_without_validating_it_and_a_plotly_figure_as_well():
    """Describing reads the builder's plain dict (validation would cost half a rerun: viz.lazy_figure); a
    validated go.Figure, whose arrays plotly writes as typed arrays, reads the same."""
    import plotly.graph_objects as go

    weights = np.array([[0.9, 0.1], [0.2, 0.8]])
    lazy = attention_heatmap(weights, WORDS[:2], WORDS[:2], "t")
    text = describe_plotly(lazy, EN)
    assert "_spec" in lazy.__dict__, "describing validated the figure"
    assert describe_plotly(go.Figure(lazy.to_dict()), EN) == text
    assert "the → the (90%), black → black (80%)" in text
