"""seqviz.viz.lazy_figure.Figure: a figure is shown from its plain dict, never run through plotly's validation, and
gives exactly the JSON the validated figure gives; anything more asked of it validates it, once."""

import copy
import json
import pickle

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from seqviz.viz.attention import attention_heatmap, head_grid
from seqviz.viz.lazy_figure import CHECK_FIGURES, Figure
from seqviz.viz.style import make_figure, trace

TOKENS = ["the", "cat", "sleeps"]


def as_json(spec: dict) -> dict:
    """A figure's dict as the browser receives it (numpy arrays encoded), for comparing two."""
    return json.loads(pio.to_json(spec, validate=False))


def figures():
    weights = np.full((2, 2, 3, 3), 1 / 3)
    return [
        attention_heatmap(weights[0, 0], TOKENS, TOKENS, "one head", x_title="key", y_title="query"),
        head_grid(weights, TOKENS, TOKENS, "every head", presentation=True),
        make_figure([trace("bar", x=[0.5, None], y=[0, 1], marker={"color": "red"})], "", xaxis={"title": "p"}),
    ]


@pytest.mark.parametrize("fig", figures(), ids=["heatmap", "grid", "bars"])
def test_shown_dict_is_the_validated_figures_dict(fig, monkeypatch):
    monkeypatch.delenv(CHECK_FIGURES, raising=False)
    assert isinstance(fig, go.Figure) and "_spec" in fig.__dict__
    shown = fig.to_dict()
    assert "_spec" in fig.__dict__  # showing it validated nothing
    validated = go.Figure(fig.__dict__["_spec"]).to_dict()
    assert as_json(shown) == as_json(validated)
    assert shown["layout"]["xaxis"]["title"] == validated["layout"]["xaxis"]["title"]  # {"text": ...}, not a str


def test_the_check_catches_a_dict_plotly_would_change(monkeypatch):
    monkeypatch.setenv(CHECK_FIGURES, "1")
    spec = make_figure([], "fine").__dict__["_spec"]
    Figure(spec).to_dict()
    spec["layout"]["title"] = "a bare string, which plotly.js 3 no longer reads"
    with pytest.raises(AssertionError, match="/layout/title"):
        Figure(spec).to_dict()


def test_reading_it_validates_it_once_and_showing_leaves_it_unchanged():
    fig = figures()[0]
    before = copy.deepcopy(fig.__dict__["_spec"])
    shown = fig.to_dict()
    shown["layout"]["title"]["text"] = "changed by whoever got the copy"
    assert as_json(fig.__dict__["_spec"]) == as_json(
        before
    )  # a figure shared between sessions is never changed by showing it
    assert fig.layout.title.text == "one head" and "_spec" not in fig.__dict__
    assert fig.data[0].type == "heatmap" and fig.to_dict()["layout"]["title"]["text"] == "one head"


def test_pickled_and_copied_figures_stay_plain_dicts():
    for fig in (figures()[1], copy.deepcopy(figures()[1])):
        again = pickle.loads(pickle.dumps(fig))
        assert "_spec" in again.__dict__ and as_json(again.to_dict()) == as_json(fig.to_dict())
    validated = figures()[2]
    assert validated.layout.xaxis.title.text == "p"  # now a validated go.Figure
    again = pickle.loads(pickle.dumps(validated))
    assert again.layout.xaxis.title.text == "p" and again.data[0].marker.color == "red"


def test_a_shared_figure_read_by_many_sessions_at_once_is_validated_once():
    import sys
    from concurrent.futures import ThreadPoolExecutor

    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch as often as they can: they meet inside plotly's validation
    try:
        for _ in range(6):
            fig = figures()[1]
            with ThreadPoolExecutor(8) as pool:
                reads = list(pool.map(lambda i, f=fig: f.layout.title.text if i % 2 else f.to_dict(), range(16)))
            assert all(r == "every head" for r in reads[1::2]), reads[1::2]
            assert all(r["layout"]["title"]["text"] == "every head" for r in reads[::2])
    finally:
        sys.setswitchinterval(before)


def test_the_check_validates_each_shape_of_figure_once(monkeypatch):
    """The suite's check runs plotly's validation once per shape of dict (its keys and kinds of value): another
    sentence's figure of the same kind is not validated again, a figure of another shape is."""
    import seqviz.viz.lazy_figure as lazy

    monkeypatch.setenv(CHECK_FIGURES, "1")
    monkeypatch.setattr(lazy, "_checked_shapes", set())
    validated, plotly_figure = [], go.Figure
    monkeypatch.setattr(lazy.go, "Figure", lambda spec: validated.append(spec) or plotly_figure(spec))
    for title in ("one", "two"):
        Figure(make_figure([trace("bar", x=[0.5, 1.5], y=[0, 1])], title).__dict__["_spec"]).to_dict()
    assert len(validated) == 1
    Figure(make_figure([trace("bar", x=["a"], y=[0])], "three").__dict__["_spec"]).to_dict()  # labels, not numbers
    assert len(validated) == 2
