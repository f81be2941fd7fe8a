"""The recurrent models' figures: the gradient's reach on a log axis, agreement against distance."""

from __future__ import annotations

from seqviz.viz.recurrent import agreement_distance_figure, gradient_reach_figure


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
