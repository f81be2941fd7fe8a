"""The masked-diffusion page as a user drives it: every strategy and step count, clicking through the steps,
infill that keeps the given words, and bad input answered with a message."""

from __future__ import annotations

import pytest

from tests.pages.apptest_helpers import all_text, assert_figures_export, open_page

PAGE = "pages/10_Diffusion.py"


@pytest.fixture(scope="module")
def page():
    at = open_page(PAGE)
    assert not at.exception, at.exception
    return at


def written(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith(("**Written in", "**After step")))


def test_every_figure_exports(page):
    assert assert_figures_export(page, "diffusion") == 2  # the denoising grid and the quality curve


@pytest.mark.parametrize("strategy", ["random", "confidence", "blocks"])
def test_each_strategy_writes_a_sentence_of_the_chosen_length(page, strategy):
    page.segmented_control(key="dif_strategy").set_value(strategy).run()
    page.slider(key="dif_length").set_value(5).run()
    page.slider(key="dif_steps_5").set_value(5).run()
    assert not page.exception
    line = written(page)
    assert line.startswith("**Written in 5 steps:**") and "⟦MASK⟧" not in line
    page.slider(key="dif_steps_5").set_value(1).run()  # one step: every word at once
    assert written(page).startswith("**Written in 1 step:**") or strategy == "blocks"  # blocks: a step each


def test_the_step_slider_shows_the_sentence_half_written(page):
    page.segmented_control(key="dif_strategy").set_value("confidence").run()
    page.slider(key="dif_length").set_value(6).run()
    page.slider(key="dif_steps_6").set_value(6).run()
    page.slider(key="dif_step_6").set_value(2).run()
    line = written(page)
    assert line.startswith("**After step 2 of 6:**") and line.count("⟦MASK⟧") == 4
    assert "the toy checker" not in line  # no verdict on a half-written sentence


def test_the_quality_curve_and_the_timing_are_shown(page):
    text = all_text(page)
    assert "Measured at training time on 200 samples per point" in text
    assert "mask-predict" in text and "median of" in text


def test_infill_keeps_the_given_words_and_bad_input_gets_a_message():
    at = open_page(PAGE)
    at.segmented_control(key="dif_start").set_value("infill").run()
    at.text_input(key="dif_infill_text").set_value("the [MASK] sleeps on the [MASK]").run()
    line = written(at)
    assert line.startswith("**Written in 2 steps:** the ") and " sleeps on the " in line
    at.text_input(key="dif_infill_text").set_value("the cat sleeps").run()
    assert any("at least one [MASK]" in w.value for w in at.warning) and not at.exception
    at.text_input(key="dif_infill_text").set_value("the zebra [MASK]").run()
    assert any("does not know “zebra”" in w.value for w in at.warning) and not at.exception
    at.text_input(key="dif_infill_text").set_value("[MASK] " * 400).run()
    assert any("the model reads at most 20" in i.value for i in at.info) and not at.exception
    at.text_input(key="dif_infill_text").set_value("").run()
    assert not at.exception
