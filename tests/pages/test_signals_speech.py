"""The signals page's speech section as a user drives it, in English and Chinese: every control, the printed
output against the best path's collapse, the figures' exports, and bad input answered with a message."""

from __future__ import annotations

import re

import pytest

from seqviz.data.speech import render, speech_vocab
from seqviz.decoding.ctc import best_path, ctc_collapse, utterance_log_probs
from seqviz.models.checkpoint import load_builtin
from seqviz.ui.signals.speech import EXAMPLE, RATE_RANGE
from tests.pages.apptest_helpers import all_text, assert_figures_export, figure_descriptions, open_page

PAGE = "pages/12_Signals.py"
SPEECH_FIGURES = ("spectrogram", "posteriors", "best_path", "alignment", "sweep")


@pytest.fixture(scope="module")
def page():
    at = open_page(PAGE)
    assert not at.exception, at.exception
    return at


def collapsed_line(at) -> str:
    """The output the page prints under the best path (in either language)."""
    line = next(m.value for m in at.markdown if m.value.startswith(("Collapses to:", "合并为：")))
    return re.search(r"\*\*(.*?)\*\*", line).group(1)


def test_every_figure_exports_and_is_described(page):
    assert assert_figures_export(page, "signals") >= len(SPEECH_FIGURES)  # the forecasting section's too
    text = all_text(page)
    for heading in ("The spectrogram", "Each frame's posterior", "Forward–backward", "Measured on held-out"):
        assert heading in text


def test_the_printed_output_is_the_best_path_collapsed(page):
    """What the page prints is the collapse of the best path of the same utterance, computed here apart."""
    model, vocab = load_builtin("speech_ctc").model, speech_vocab()
    utterance = render(EXAMPLE.split(), 1.0, 0.15, seed=0)  # the page's defaults
    path = best_path(utterance_log_probs(model, utterance.frames))
    expected = "".join(vocab.decode(ctc_collapse(path, vocab.blank_id)))
    assert collapsed_line(page) == expected
    assert expected == EXAMPLE  # the default utterance reads right


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_control_in_both_languages(lang):
    at = open_page(PAGE, lang)
    assert not at.exception, at.exception
    at.text_input(key="sig_sp_words").set_value("the cats sleep").run()
    for rate in (*RATE_RANGE, 1.0):
        at.slider(key="sig_sp_rate").set_value(rate).run()
        assert not at.exception, (rate, at.exception)
    for noise in (0.0, 0.8, 0.15):
        at.slider(key="sig_sp_noise").set_value(noise).run()
        assert not at.exception, (noise, at.exception)
    before = collapsed_line(at)
    for _ in range(2):
        at.button(key="sig_sp_draw").click().run()
        assert not at.exception, at.exception
    assert at.session_state["sig_sp_seed"] == 2
    assert collapsed_line(at) and before
    text = all_text(at)
    if lang == "zh":
        assert "频谱图" in text and "前向–后向" in text and "留出语音" in text
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in d) for d in figure_descriptions(at))
    else:
        assert "Greedy against prefix beam search" in text
    assert any(link.proto.page == "Parallel" and "CTC" in link.proto.label for link in at.get("page_link"))


def test_a_speaker_too_fast_or_outside_training_gets_a_message():
    at = open_page(PAGE)
    at.text_input(key="sig_sp_words").set_value("see the small ball").run()
    at.slider(key="sig_sp_rate").set_value(RATE_RANGE[1]).run()
    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    assert "Outside what the model was trained on" in infos
    # at 2.5× some letter has one frame; "ll" then has no room for the blank between its halves
    assert "too few for the words" in infos or "Alignment posterior" in " ".join(figure_descriptions(at))


def test_bad_input_gets_a_message_and_the_page_goes_on():
    at = open_page(PAGE)
    at.text_input(key="sig_sp_words").set_value("the zebra <script> sleeps").run()
    assert not at.exception
    assert "zebra" in " ".join(w.value for w in at.warning)
    at.text_input(key="sig_sp_words").set_value("").run()
    assert not at.exception and "empty" in " ".join(w.value for w in at.warning)
    at.text_input(key="sig_sp_words").set_value("the cat " * 40).run()
    assert not at.exception and "the rest was left out" in " ".join(i.value for i in at.info)
    at.text_input(key="sig_sp_words").set_value("猫 🐱 [MASK]").run()
    assert not at.exception and "empty" in " ".join(w.value for w in at.warning)
