"""Every page runs in Streamlit's AppTest with no exception, in English and Chinese; bad input gets a
clear message, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from seqviz.ui.page import PAGES

SCRIPTS = [path for path, *_ in PAGES]
ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120  # the first run imports torch and loads a model


def _open(script: str, lang: str = "en") -> AppTest:
    """Start from app.py (the entry point) and switch to the page, as a user following a link would."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    at.run()
    if script != "app.py":
        at.switch_page(script)
        at.run()
    return at


def _all_text(at: AppTest) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.title]
    parts += [e.value for e in at.header] + [e.value for e in at.info] + [e.value for e in at.warning]
    parts += [e.value for e in at.success]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("script", SCRIPTS)
def test_page_runs_without_exception(script, lang):
    at = _open(script, lang)
    assert not at.exception, at.exception
    text = _all_text(at)
    assert ("页面" in at.sidebar.markdown[0].value) == (lang == "zh")
    if lang == "zh":
        assert "掩码" in text


def _masks(sentence: str | None = None, **inputs) -> AppTest:
    at = _open("pages/1_Masks.py")
    if sentence is not None:
        at.text_input(key="sentence").set_value(sentence).run()
    for key, value in inputs.items():
        at.text_input(key=key).set_value(value).run()
    assert not at.exception, at.exception
    return at


def test_masks_real_scores_for_known_words():
    at = _masks("the black cat sleeps .")
    assert any("Real scores" in s.value for s in at.success)


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("", "“Sentence” is empty"),
        ("   \t  ", "“Sentence” is empty"),
        ("word " * 2500, "the figures show the first 16"),
        ("我爱自然语言处理", "Seeded random scores"),
        ("😀 👍 🎉", "Seeded random scores"),
        ("مرحبا بالعالم שלום", "Seeded random scores"),
        ("<script>alert(1)</script>", "Seeded random scores"),
        ("the\x00 cat\x07 sleeps", "Invisible control characters were removed"),
        ("[MASK] [MASK] [MASK] [MASK] sleeps", "Seeded random scores"),
        ("the zebra sleeps", "zebra"),
        ("{0} %s {lang} }{", "Seeded random scores"),
    ],
)
def test_masks_bad_input_gets_a_clear_message(sentence, expected):
    at = _masks(sentence)
    assert expected in _all_text(at)


def test_masks_empty_target_and_second_sentence_are_named():
    at = _masks(target="")
    assert "“Target sentence (encoder-decoder)” is empty" in _all_text(at)


def test_masks_script_text_is_never_rendered_as_html():
    at = _masks("<script>alert(1)</script> <b>bold</b>")
    for element in at.markdown:
        assert "<script>" not in element.value or element.value.startswith("\n<style>")


@pytest.mark.parametrize("order, warned", [("2 1 3 4", False), ("1 1 2", True), ("banana", True), ("4 3 2 1", False), ("1 2 3 4 5", True)])
def test_masks_permutation_order(order, warned):
    at = _masks("the black cat sleeps.", order=order)  # four tokens: the final period is dropped
    assert ("is not an order of positions" in _all_text(at)) == warned


def test_masks_shuffle_and_example_buttons():
    at = _masks()
    at.button[0].click().run()
    assert not at.exception
    assert at.text_input(key="order").value.count(" ") >= 1
    at.selectbox(key="example").set_value(at.selectbox(key="example").options[2]).run()
    assert not at.exception
    assert at.text_input(key="sentence").value == at.selectbox(key="example").options[2]


def test_masks_every_pipeline_choice():
    at = _masks()
    pipeline = at.selectbox(key="pipeline_mask")
    for option in pipeline.options:
        pipeline.set_value(option).run()
        assert not at.exception
        assert any("every row of the weights sums to 1.0000…1.0000" in m.value for m in at.markdown)
