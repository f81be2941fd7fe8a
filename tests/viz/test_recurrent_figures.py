"""The recurrent models' figures: the gradient's reach on a log axis, agreement against distance."""

from __future__ import annotations

import numpy as np
import pytest

from seqviz.viz.recurrent import agreement_distance_figure, gradient_reach_figure, units_over_sentence


def test_the_gradient_reach_is_one_line_per_model_on_a_log_axis_without_zeros():
    figure = gradient_reach_figure({"RNN": [1.0, 0.1, 0.01, 0.0], "LSTM": [1.0, 0.9, 0.8, 0.7]}, "reach")
    assert [trace.name for trace in figure.data] == ["RNN", "LSTM"]
    assert list(figure.data[0].x) == [0, 1, 2] and list(figure.data[0].y) == [1.0, 0.1, 0.01]  # 0 left out
    assert figure.layout.yaxis.type == "log"


def test_agreement_against_distance_shares_the_buckets_and_marks_chance():
    accuracy = {"RNN": {"1": 0.99, "5–7": 0.62}, "Transformer": {"1": 1.0, "5–7": 0.97}}
    figure = agreement_distance_figure(accuracy, "agreement", presentation=True, chance_label="coin")
    assert [list(t.x) for t in figure.data] == [["1", "5–7"], ["1", "5–7"]]
    assert list(figure.data[1].y) == [1.0, 0.97]
    assert figure.layout.shapes[0].y0 == 0.5 and figure.layout.annotations[-1].text == "coin"


def test_a_zoomed_agreement_axis_starts_below_the_lowest_point_and_drops_chance():
    accuracy = {"RNN": {"1": 0.999, "8+": 0.956}, "LSTM": {"1": 0.999, "8+": 0.976}}
    figure = agreement_distance_figure(accuracy, "agreement", zoom=True)
    low, high = figure.layout.yaxis.range
    assert 0.9 <= low < 0.956 and high > 0.999
    assert not figure.layout.shapes and all(a.text != "chance" for a in figure.layout.annotations)
    assert agreement_distance_figure(accuracy).layout.yaxis.range[0] == 0.4  # unzoomed: chance in view


def test_the_gradient_reach_marks_the_word_that_matters():
    figure = gradient_reach_figure({"RNN": [1.0, 0.5, 0.25]}, marker=(2, "“girl”"))
    assert figure.layout.shapes[0].x0 == 2 and figure.layout.annotations[-1].text == "“girl”"


def test_units_over_sentence_stacks_one_panel_per_array_on_the_same_words():
    rng = np.random.default_rng(0)
    words = ["<bos>", "the", "girl", "sings"]
    panels = [("hidden state h", rng.uniform(-1, 1, (3, 4)), False), ("forget gate", rng.uniform(0, 1, (3, 4)), True)]
    figure = units_over_sentence(panels, words, ["#1", "#7", "#9"], "inside", marked=[2])
    assert [t.zmin for t in figure.data] == [-1, 0]  # a state on the diverging scale, a gate from 0
    assert figure.data[1].yaxis == "y2" and list(figure.layout.xaxis2.ticktext) == ["&lt;bos&gt;", *words[1:]]
    assert list(figure.layout.xaxis.ticktext) == ["", "", "", ""]  # words under the last panel only
    assert len(figure.layout.shapes) == 2 and figure.layout.shapes[1].x0 == 1.5  # the framed column, per panel
    with pytest.raises(ValueError):
        units_over_sentence(panels, words[:3], ["#1", "#7", "#9"])
