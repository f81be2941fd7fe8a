"""The signals page's forecasting section as a user drives it, in English and Chinese: every family, a new
series, the horizon, the methods (none too), the per-family error curve and the speed measurement. Only the
section's own widgets (keys sig_fc_*) are touched; the speech section is another's."""

from __future__ import annotations

import json

import pytest

from seqviz.data.series import FAMILIES
from tests.pages.apptest_helpers import all_text, figure_descriptions, open_page

PAGE = "pages/12_Signals.py"
OWN_FIGURES = ("signals_forecast", "signals_mase_by_step", "signals_time_by_")


def own_figures(at) -> list[str]:
    """The forecasting section's figures: their PNG names (each 3× PNG under its own name)."""
    names = []
    for chart in at.get("plotly_chart"):
        options = json.loads(chart.proto.config)["toImageButtonOptions"]
        assert options["format"] == "png" and options["scale"] == 3, options
        if options["filename"].startswith(OWN_FIGURES):
            names.append(options["filename"])
    assert len(set(names)) == len(names), names
    return names


@pytest.fixture(scope="module")
def page():
    at = open_page(PAGE)
    assert not at.exception, at.exception
    return at


def test_the_section_shows_a_forecast_and_the_held_out_error_curve(page):
    names = own_figures(page)
    assert any(n.startswith("signals_forecast_seasonal") for n in names)
    assert any(n.startswith("signals_mase_by_step_all") for n in names)
    text = all_text(page)
    assert "seasonal-naive" in text and "MASE" in text and "exposure bias" in text
    assert "sampled paths" in text and "quantile" in text  # the intervals say which kind they are
    assert any("MASE" in d for d in figure_descriptions(page))


@pytest.mark.parametrize("family", list(FAMILIES))
def test_every_family_forecasts_and_a_new_series_and_a_horizon_redraw_it(page, family):
    page.segmented_control(key="sig_fc_family").set_value(family).run()
    assert not page.exception, page.exception
    before = [n for n in own_figures(page) if n.startswith("signals_forecast")]
    assert before and before[0].startswith(f"signals_forecast_{family}")
    page.button(key="sig_fc_draw").click().run()
    assert not page.exception
    page.slider(key="sig_fc_horizon").set_value(6).run()
    assert not page.exception
    after = [n for n in own_figures(page) if n.startswith("signals_forecast")]
    assert after != before and after[0].endswith("_6")
    page.toggle(key="sig_fc_only_family").set_value(True).run()
    assert not page.exception
    assert any(n == f"signals_mase_by_step_{family}" for n in own_figures(page))
    page.toggle(key="sig_fc_only_family").set_value(False).run()
    page.slider(key="sig_fc_horizon").set_value(24).run()


def test_no_method_chosen_is_answered_with_a_message(page):
    page.multiselect(key="sig_fc_methods").set_value([]).run()
    assert not page.exception
    assert any("at least one method" in i.value for i in page.info)
    page.multiselect(key="sig_fc_methods").set_value(["direct", "recursive"]).run()
    assert not page.exception and not any("at least one method" in i.value for i in page.info)


def test_the_speed_is_measured_on_a_click_only(page):
    assert not any(n.startswith("signals_time_by_") for n in own_figures(page))
    page.button(key="sig_fc_measure").click().run()
    assert not page.exception, page.exception
    names = own_figures(page)
    assert "signals_time_by_horizon" in names and "signals_time_by_series" in names
    assert "median of 5" in all_text(page) and "1000 series" in all_text(page)
    page.slider(key="sig_fc_horizon").set_value(12).run()  # the measurement stays through a rerun
    assert not page.exception and "signals_time_by_series" in own_figures(page)


def test_in_chinese_every_control_works():
    at = open_page(PAGE, lang="zh")
    assert not at.exception, at.exception
    assert "季节朴素法" in all_text(at)
    for family in ("trend", "regime"):
        at.segmented_control(key="sig_fc_family").set_value(family).run()
        assert not at.exception
    at.button(key="sig_fc_draw").click().run()
    at.slider(key="sig_fc_horizon").set_value(3).run()
    at.toggle(key="sig_fc_only_family").set_value(True).run()
    at.multiselect(key="sig_fc_methods").set_value([]).run()
    assert not at.exception
    assert any("至少选择一种方法" in i.value for i in at.info)
    at.button(key="sig_fc_measure").click().run()
    assert not at.exception, at.exception
    assert len(own_figures(at)) == 4
    described = figure_descriptions(at)
    assert described and all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in described)
