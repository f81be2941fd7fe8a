"""The forecasting figures: titled, axes named, every method its own colour and dash, bands only where a
method has an interval, and a text alternative that reads their numbers."""

import functools

import numpy as np

from seqviz.i18n import tr
from seqviz.viz.describe import describe_plotly, figure_spec
from seqviz.viz.forecasting import METHOD_DASHES, error_by_step_chart, forecast_figure, speed_lines

NAMES = {"direct": "direct MLP", "ar": "AR(p)", "recursive": "recursive GRU"}


def test_forecast_figure_draws_past_truth_forecasts_and_bands_where_given():
    past, truth = np.sin(np.arange(96) / 4), np.sin(np.arange(96, 108) / 4)
    forecasts = {"direct": (truth + 0.1, truth - 1, truth + 1), "ar": (truth * 0, None, None)}
    spec = figure_spec(forecast_figure(past, truth, forecasts, NAMES, "one series", x_title="step", y_title="v"))
    data, layout = spec["data"], spec["layout"]
    bands = [d for d in data if d.get("fill") == "toself"]
    assert len(bands) == 1 and len(bands[0]["x"]) == 2 * len(truth)  # the direct method's only
    lines = {d["name"]: d for d in data if d.get("fill") is None}
    assert lines["direct MLP"]["x"] == list(range(1, 13)) and lines["AR(p)"]["line"]["dash"] == METHOD_DASHES["ar"]
    assert lines["direct MLP"]["line"]["color"] != lines["AR(p)"]["line"]["color"]
    assert layout["xaxis"]["title"]["text"] == "step" and layout["title"]["text"] == "one series"
    text = describe_plotly(forecast_figure(past, truth, forecasts, NAMES, "one series"), functools.partial(tr, "en"))
    assert "one series" in text and "direct MLP" in text and " at ;" not in text


def test_error_chart_marks_the_crossover_and_the_floor():
    curves = {"direct": np.linspace(0.5, 1, 24), "recursive": np.linspace(0.45, 1.1, 24)}
    spec = figure_spec(error_by_step_chart(curves, NAMES, "MASE by step", crossover=7))
    shapes = spec["layout"]["shapes"]
    assert any(s["y0"] == 1 and s["xref"] == "paper" for s in shapes)  # MASE 1
    assert any(s.get("x0") == 6.5 for s in shapes) and spec["layout"]["annotations"]
    assert spec["layout"]["yaxis"]["type"] == "log"
    no_cross = figure_spec(error_by_step_chart(curves, NAMES, "MASE by step"))
    assert len(no_cross["layout"]["shapes"]) == 1


def test_speed_lines_are_log_scaled():
    spec = figure_spec(speed_lines([1, 10, 100], {"direct": [0.1, 0.2, 0.9]}, NAMES, "speed", log_x=True))
    assert spec["layout"]["xaxis"]["type"] == "log" and spec["layout"]["yaxis"]["type"] == "log"
    assert spec["data"][0]["name"] == "direct MLP"
