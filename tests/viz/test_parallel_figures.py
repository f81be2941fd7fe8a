import numpy as np
import pytest

from seqviz.viz.parallel import mask_predict_figure, speed_chart

TOKENS = [["le", "chat", "chat", "<eos>"], ["le", "chat", "noir", "dort"]]
CONF = np.array([[0.9, 0.8, 0.3, 0.7], [0.9, 0.8, 0.6, 0.7]])
AGAIN = np.array([[1, 1, 1, 1], [0, 0, 1, 0]], bool)


def test_mask_predict_figure_frames_exactly_the_repredicted_cells():
    fig = mask_predict_figure(TOKENS, CONF, AGAIN, "t")
    frames = {(round((s.x0 + s.x1) / 2), round((s.y0 + s.y1) / 2)) for s in fig.layout.shapes}
    assert frames == {(c, r) for r, c in zip(*np.nonzero(AGAIN), strict=True)}
    assert fig.data[0].text[0][3] == "&lt;eos&gt;"  # shown as text, never as markup
    assert fig.layout.yaxis.autorange == "reversed"  # first iteration on top


def test_mask_predict_figure_rejects_mismatched_shapes():
    with pytest.raises(ValueError):
        mask_predict_figure(TOKENS[:1], CONF, AGAIN)


def test_speed_chart_has_one_line_per_method_on_a_log_axis():
    fig = speed_chart([8, 16], {"ar": [10, 20], "nat": [2, 2.5]}, {"ar": "AR", "nat": "NAT"}, presentation=True)
    assert [t.name for t in fig.data] == ["AR", "NAT"] and fig.layout.yaxis.type == "log"
