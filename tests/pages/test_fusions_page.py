"""The fusions page as a user drives it: UniLM's three masks on one module, XLNet's orders, T5's prefixes
and RETRO's editable datastore, each with the shipped models."""

from __future__ import annotations

import pytest

from seqviz.data.facts import PLACES, SUBJECTS, fact
from tests.pages.apptest_helpers import all_text, assert_figures_export, open_page

PAGE = "pages/9_Fusions.py"


@pytest.fixture(scope="module")
def page():
    at = open_page(PAGE)
    assert not at.exception, at.exception
    return at


def answers(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith(("**Answer:**", "**Written:**")) or " → **" in m.value]


def test_every_figure_exports(page):
    assert assert_figures_export(page, "fusions") >= 6


@pytest.mark.parametrize("mode", ["bidirectional", "causal", "seq2seq"])
def test_unilm_answers_in_every_mode_with_one_module(page, mode):
    page.segmented_control(key="fu_unilm_mode").set_value(mode).run()
    assert not page.exception
    text = all_text(page)
    assert "the three modes run on the same tensors" in text
    first = answers(page)[0]
    assert "the toy checker accepts it" in first, first  # the example of each mode is answered right


def test_unilm_records_the_wrong_mask_experiment(page):
    text = all_text(page)
    assert "under the causal mask" in text and "bidirectional mask" in text


def test_xlnet_steps_through_the_order_and_refuses_a_non_permutation(page):
    page.slider(key="fu_xlnet_step_7").set_value(7).run()
    assert "Step 7 of 7" in all_text(page)
    page.text_input(key="fu_order").set_value("1 1 2").run()
    assert any("is not an order of positions 1…7" in w.value for w in page.warning)
    page.text_input(key="fu_order").set_value("").run()
    assert not page.exception


def test_t5_answers_each_task_by_its_prefix_alone():
    at = open_page(PAGE)
    for task, text in (
        ("translate", "translate: the black cat sleeps"),
        ("sort", "sort: 31415"),  # a number typed whole is read digit by digit
        ("reverse", "reverse: 1 2 3 4"),
        ("fill", "fill: the <x> sleeps"),  # a sentinel in any case
        ("number", "number: the cats that the dog sees sleep"),
    ):
        at.text_input(key="fu_t5_text").set_value(text).run()
        assert not at.exception, task
        verdicts = [m.value for m in at.markdown if m.value.startswith("**Answer:**")]
        assert verdicts and "the toy checker accepts it" in verdicts[-1], (task, verdicts)
    assert "With the spans put back" not in all_text(at)  # only for fill, which is not the last task
    every = next(t.value for t in at.table if "what the model writes" in t.value.columns)
    assert list(every["task"]) == ["translate:", "reverse:", "sort:", "fill:", "number:"]
    by_task = dict(zip(every["task"], every["what the model writes"], strict=True))
    assert by_task["number:"] == "plural" and by_task["translate:"].startswith("les chats")  # one input, two jobs
    at.text_input(key="fu_t5_text").set_value("fill: the <X> sleeps on <Y> table").run()
    assert "With the spans put back" in all_text(at)


def test_t5_names_the_known_prefixes_for_a_wrong_or_missing_one():
    at = open_page(PAGE)
    at.text_input(key="fu_t5_text").set_value("paint: the cat").run()
    error = " ".join(e.value for e in at.error)
    assert "“paint:” is not a task" in error and all(f"**{t}:**" in error for t in ("translate", "fill", "number"))
    assert any("not an answer" in m.value for m in at.markdown)  # what it writes anyway, labelled
    at.text_input(key="fu_t5_text").set_value("the cat sleeps").run()
    assert any("Start with a task" in w.value for w in at.warning)
    at.text_input(key="fu_t5_text").set_value("sort:").run()
    assert any("after the task's colon" in i.value for i in at.info)
    at.text_input(key="fu_t5_text").set_value("translate: " + "the cat sleeps and " * 100).run()
    assert any("the model reads at most" in i.value for i in at.info) and not at.exception
    at.text_input(key="fu_t5_text").set_value("translate: the zebra sleeps").run()
    assert any("does not know “zebra”" in w.value for w in at.warning) and not at.exception


def test_retro_answer_follows_an_edited_fact_and_refuses_nonsense():
    at = open_page(PAGE)
    ask = 7  # the small dog
    at.selectbox(key="fu_retro_adjective").set_value(SUBJECTS[ask][1]).run()
    at.selectbox(key="fu_retro_noun").set_value(SUBJECTS[ask][2]).run()
    current = at.text_input(key=f"fu_retro_edit_{ask}").value
    new_place = next(p for p in PLACES if " ".join(p) not in current)
    edited = " ".join(fact(SUBJECTS[ask], new_place))
    at.text_input(key=f"fu_retro_edit_{ask}").set_value(edited).run()
    assert not at.exception
    assert any("Nothing was retrained" in s.value for s in at.success)
    answer = [m.value for m in at.markdown if " → **" in m.value][-1]
    assert f"→ **{' '.join(new_place)}**" in answer, answer
    at.text_input(key=f"fu_retro_edit_{ask}").set_value("<b>the moon</b> is cheese").run()
    assert any("is not a fact the datastore can hold" in w.value for w in at.warning)
    assert not at.exception
    at.button(key="fu_retro_reset").click().run()
    assert at.text_input(key=f"fu_retro_edit_{ask}").value == current  # the seeded world again
    at.segmented_control(key="fu_retro_reading").set_value("none").run()
    assert not at.exception
