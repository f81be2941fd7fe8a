import json

from seqviz.viz.bars import GOOD_COLOR, OTHER_COLOR, topk_bars
from seqviz.viz.curves import accuracy_curves


def test_topk_bars_order_colours_and_escaping():
    fig = topk_bars(["cats", "<b>x</b>", "dogs"], [0.5, 0.3, 0.2], "Blank 1", accepted=[True, False, True])
    bars = fig.data[0]
    assert list(bars.x) == [0.5, 0.3, 0.2]
    assert list(bars.marker.color) == [GOOD_COLOR, OTHER_COLOR, GOOD_COLOR]
    assert "<b>" not in json.dumps(list(fig.layout.yaxis.ticktext))
    assert fig.layout.yaxis.autorange == "reversed"  # most probable on top
    assert len(fig.data) == 3  # the bars and two legend swatches


def test_topk_bars_plain_and_presentation_is_larger():
    small, big = topk_bars(["a"], [1.0]), topk_bars(["a"], [1.0], presentation=True)
    assert len(small.data) == 1
    assert big.layout.height > small.layout.height


def test_accuracy_curves_carry_3x_png_export():
    rows = [{"step": s, "accuracy": a, "series": n} for n in ("预训练的", "random") for s, a in ((0, 0.5), (5, 0.9))]
    spec = accuracy_curves(rows, "t").to_dict()
    assert spec["usermeta"]["embedOptions"]["scaleFactor"] == 3
    assert spec["encoding"]["y"]["scale"]["domain"] == [0, 1]
    assert {r["series"] for r in spec["datasets"][next(iter(spec["datasets"]))]} == {"预训练的", "random"}
