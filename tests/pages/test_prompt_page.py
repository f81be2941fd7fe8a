"""The "Learning from the prompt" page as a user drives it, in English and Chinese: a new sequence, a typed one
(unknown words, too short, too long, no repeat), every head switched off, the snapshots, and few-shot prompts
for every k with the induction heads on and off."""

from __future__ import annotations

import json

import pytest

from seqviz.data.induction import LENGTH, MAX_SHOTS
from seqviz.models.checkpoint import load_builtin
from tests.pages.apptest_helpers import all_text, open_page

PAGE = "pages/14_Prompt.py"


def figures(at) -> list[str]:
    return [json.loads(c.proto.config)["toImageButtonOptions"]["filename"] for c in at.get("plotly_chart")]


@pytest.fixture(scope="module")
def page():
    at = open_page(PAGE)
    assert not at.exception, at.exception
    return at


def test_the_page_shows_the_heads_the_phase_change_the_scores_and_few_shot(page):
    names = figures(page)
    for name in ("prompt_previous_token_head", "prompt_induction_head", "prompt_copying", "prompt_phase_change",
                 "prompt_induction_scores", "prompt_previous_token_scores", "prompt_few_shot"):  # fmt: skip
        assert name in names, (name, names)
    text = all_text(page)
    metrics = load_builtin("induction_lm").metrics
    assert f"step {metrics['phase_change_step']}" in text.replace("**", "")
    assert "induction head" in text and "previous-token head" in text and "chance" in text


def test_a_new_sequence_is_drawn_and_the_copying_measured(page):
    before = page.text_area(key="icl_text").value
    page.button(key="icl_new").click().run()
    assert not page.exception, page.exception
    after = page.text_area(key="icl_text").value
    assert after != before and len(after.split()) == LENGTH
    assert "could be copied" in all_text(page)


def test_every_head_switched_off_and_on(page):
    metrics = load_builtin("induction_lm").metrics
    for layer, heads in enumerate(metrics["head_scores"]["induction"]):
        for h in range(len(heads)):
            page.checkbox(key=f"icl_off_{layer}_{h}").check().run()
            assert not page.exception, page.exception
            assert "switched off" in all_text(page) or "With the head switched off" in all_text(page)
            page.checkbox(key=f"icl_off_{layer}_{h}").uncheck().run()
    for layer, h in metrics["induction_heads"]:  # both induction heads off: copying gone on this sequence
        page.checkbox(key=f"icl_off_{layer}_{h}").check().run()
    assert not page.exception
    assert "copying from the prompt is gone" in all_text(page)
    for layer, h in metrics["induction_heads"]:
        page.checkbox(key=f"icl_off_{layer}_{h}").uncheck().run()


def test_every_snapshot_shows_its_heads(page):
    steps = load_builtin("induction_lm").metrics["snapshot_steps"]
    for step in steps:
        page.select_slider(key="icl_snapshot").set_value(step).run()
        assert not page.exception, page.exception
        assert f"prompt_induction_head_step_{step}" in figures(page)
        assert f"Step {step}:" in all_text(page).replace("**", "")


def test_few_shot_for_every_k_with_and_without_the_induction_heads(page):
    for off in (False, True):
        page.toggle(key="icl_fs_off").set_value(off).run()
        for k in range(MAX_SHOTS + 1):
            page.slider(key="icl_k").set_value(k).run()
            assert not page.exception, page.exception
            text = all_text(page)
            assert "The model answers" in text and ("→ ?" in text)
            assert ("k = 0: the key's value is in no example" in text) == (k == 0)
        page.button(key="icl_prompt_new").click().run()
        assert not page.exception
    page.toggle(key="icl_fs_off").set_value(False).run()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ka mi so", "known syllables: give at least 8"),
        ("", "known syllables: give at least 8"),
        ("ka mi so du ka mi so du zzz <script>alert(1)</script> 😀", "Left out, not among the model's 60 syllables"),
        ("ka " * 200, "Only the first 64 syllables are read"),
        ("ba be bi bo bu da de di do du", "No pair of neighbouring syllables appears twice"),
        ("{0} %s {lang} }{ ** ` ka mi so du fe ka mi so du", "Left out"),
    ],
)
def test_hostile_sequences_get_a_clear_message(text, expected):
    at = open_page(PAGE)
    at.text_area(key="icl_text").set_value(text).run()
    assert not at.exception, at.exception
    assert expected in all_text(at), all_text(at)[:2000]


def test_the_page_in_chinese():
    at = open_page(PAGE, lang="zh")
    assert not at.exception, at.exception
    at.button(key="icl_new").click().run()
    at.checkbox(key="icl_off_1_1").check().run()
    at.slider(key="icl_k").set_value(0).run()
    assert not at.exception, at.exception
    text = all_text(at)
    assert "归纳头" in text and "相变" in text and "随机水平" in text
    at.text_area(key="icl_text").set_value("ka mi").run()
    assert "请至少给出 8 个" in all_text(at)
