"""The Lessons page as a class and a student drive it: every step of every lesson, revealed, in both
languages, and the lesson file the page saves giving the same answers; deep links to a step; a bad link
answered by a message; the score kept in the session; and an answer that follows the sentence."""

from __future__ import annotations

import html
import re

import pytest

from seqviz.export.deck import DEFAULT_SENTENCE
from seqviz.lessons import LESSONS
from seqviz.lessons.masks import LESSON as MASKS
from seqviz.ui.lessons import lesson_file
from tests.pages.apptest_helpers import all_text, as_read, assert_figures_export, open_page

PAGE = "pages/1_Lessons.py"


def _lesson_page(lang: str, lesson: str, step: int = 1):
    at = open_page("app.py", lang)
    at.query_params["lesson"], at.query_params["step"] = lesson, str(step)
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    return at


def _step_title(at) -> str:
    return at.header[0].value


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("lesson", list(LESSONS))
def test_every_step_runs_and_reveals_in_both_languages(lang, lesson):
    at = _lesson_page(lang, lesson)
    steps = LESSONS[lesson].steps
    said = []  # each reveal's text, as a reader sees it
    for index, step in enumerate(steps):
        assert at.progress[0].proto.text.startswith(("Step", "第")), at.progress[0].proto.text
        if step.question is not None and at.button(key="les_reveal") is not None:
            at.button(key="les_reveal").click().run()
            assert not at.exception, (lesson, index, at.exception)
            assert at.info, f"{lesson} step {index + 1}: nothing revealed"
            said.append(as_read(at.info[0].value))
        assert at.query_params["step"] == [str(index + 1)] or at.query_params["step"] == str(index + 1)
        if index < len(steps) - 1:
            at.button(key="les_forward").click().run()
            assert not at.exception, (lesson, index, at.exception)
    assert at.button(key="les_forward").disabled  # the last step
    assert at.success, "the last step says the lesson is over"
    assert_figures_export(at, "lessons")
    # the file the page's button saves (from the steps this server built) gives every answer the page gave
    saved = lesson_file(lesson, tuple(DEFAULT_SENTENCE.split()), lang, "cpu").decode("utf-8")
    answers = [_text(a) for a in re.findall(r'<div class="answer" hidden>(.*?)</div>', saved, flags=re.S)]
    assert answers == said


def _text(markup: str) -> str:
    """An HTML reveal's text as a reader sees it."""
    return as_read(html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"</?(strong|em)>", "", markup))))


def test_a_deep_link_opens_the_stated_step_and_back_returns():
    at = _lesson_page("en", "ar", 4)
    assert _step_title(at) == "Sampling: the same prompt, different sentences"
    at.button(key="les_back").click().run()
    assert _step_title(at) == "Temperature"


@pytest.mark.parametrize(("lesson", "step", "said"), [("nope", "2", "no lesson"), ("ar", "99", "no step")])
def test_a_bad_link_is_answered_by_a_message_and_the_nearest_step(lesson, step, said):
    at = _lesson_page("en", lesson, step)
    assert any(said in w.value for w in at.warning), [w.value for w in at.warning]
    assert at.header, "a step is shown all the same"


def test_the_student_is_scored_on_the_answer_given_before_the_reveal():
    at = _lesson_page("en", "masks", 2)
    at.toggle(key="les_student").set_value(True).run()
    assert at.button(key="les_reveal").disabled  # no answer yet
    choices = at.radio(key="les_choice_masks_1")
    right = next(i for i, label in enumerate(choices.options) if label.endswith("«the black cat»"))
    choices.set_value(right).run()
    at.button(key="les_reveal").click().run()
    assert at.success and "Right" in at.success[0].value
    at.query_params["step"] = str(len(MASKS.steps))  # the last step
    at.run()
    assert "1 of 1" in all_text(at)


def test_the_answer_follows_the_sentence():
    at = _lesson_page("en", "masks", 2)
    at.button(key="les_reveal").click().run()
    assert "«the black cat»" in at.info[0].value
    at.text_input(key="les_sentence").input("a dog sees the cats").run()
    assert at.button(key="les_reveal") is not None  # a new sentence asks again
    at.button(key="les_reveal").click().run()
    assert "«a dog sees»" in at.info[0].value and "the black" not in at.info[0].value


def test_a_sentence_with_no_known_word_falls_back_with_a_message():
    at = _lesson_page("en", "ar", 2)
    at.text_input(key="les_sentence").input("zzz qqq").run()
    assert not at.exception
    assert any("toy-English" in w.value for w in at.warning)
    assert _step_title(at) == "The next word's distribution"
