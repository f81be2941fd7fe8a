"""A teacher runs a lesson with the keyboard only, in presentation mode at 1920×1080: → moves on, space reveals
the model's answer (and then moves on; the revealed step fits the wall with its figure), ← goes back, and the
address follows each step; then saves the lesson as one file, which opens offline in Chinese with the page's
answer. A student follows one on a phone, by touch."""

from __future__ import annotations

import re

import pytest
import torch

from seqviz.export.deck import DEFAULT_SENTENCE, Deck
from seqviz.lessons import LESSONS
from seqviz.lessons.html_file import file_name
from seqviz.lessons.masks import causal_row
from tests.browser.conftest import serious_accessibility_findings
from tests.browser.test_lesson_files import current, open_offline
from tests.browser.test_pages_in_browser import _full_page_screenshot, _wait_for, _wait_until_idle

pytestmark = pytest.mark.browser


def _heading(page) -> str:
    return page.locator('[data-testid="stMain"] h2').first.inner_text()


def _press(page, key: str, until) -> None:
    page.keyboard.press(key)
    _wait_for(page, until)


def _at_step(title: list[str], n: int):
    return lambda page: f"step={n}" in page.url and title[n - 1] in _heading(page)


def _showing(answer: str):
    info = '[data-testid="stAlertContentInfo"]'
    return lambda page: page.locator(info).count() > 0 and answer in page.locator(info).first.inner_text()


@pytest.mark.parametrize("lang", ["zh"])  # English runs every step in AppTest; one walk keeps the suite short
def test_a_lesson_runs_from_the_keyboard_in_presentation_mode(server, browser, screenshot_dir, tmp_path, lang):
    steps = LESSONS["masks"].steps
    deck = Deck(lang, DEFAULT_SENTENCE.split(), torch.device("cpu"))
    title = [deck.t(step.title) for step in steps]
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{server}/Lessons?lesson=masks&step=1&lang={lang}&present=1")
    _wait_until_idle(page)
    assert title[0] in _heading(page)
    page.locator('[data-testid="stMain"] h2').first.click()  # the page has the focus, as after any click
    _press(page, "ArrowRight", _at_step(title, 2))
    assert title[1] in _heading(page) and "step=2" in page.url
    question = causal_row(deck)
    assert question.prompt in page.locator('[data-testid="stMain"]').inner_text()
    _press(page, "Space", _showing(question.choices[question.answer]))  # reveal
    answer = page.locator('[data-testid="stAlertContentInfo"]').first.inner_text()
    assert question.choices[question.answer] in answer, answer
    said = page.locator('[data-testid="stAlertContentInfo"] [data-testid="stMarkdownContainer"]').first.inner_text()
    page.screenshot(path=str(screenshot_dir / f"Lessons_wall_{lang}.png"))  # what the back of the room sees
    # the revealed step fits the wall: the answer and its figure are on screen together, nobody scrolls
    figure = page.locator(".st-key-les_answer_masks_1 .js-plotly-plot").bounding_box()
    answer = page.locator('[data-testid="stAlertContentInfo"]').first.bounding_box()
    assert figure and answer and figure["y"] >= 0 and figure["y"] + figure["height"] <= 1080, figure
    assert answer["y"] + answer["height"] <= 1080, answer
    _full_page_screenshot(page, screenshot_dir / f"Lessons_revealed_{lang}_present.png")
    _press(page, "Space", _at_step(title, 3))  # revealed: space moves on
    assert title[2] in _heading(page) and "step=3" in page.url
    _press(page, "ArrowLeft", _at_step(title, 2))
    assert title[1] in _heading(page) and "step=2" in page.url
    for n in range(3, len(steps) + 1):  # to the end, then once more: the last step stays
        _press(page, "ArrowRight", _at_step(title, n))
    _press(page, "ArrowRight", _at_step(title, len(steps)))
    assert title[-1] in _heading(page) and f"step={len(steps)}" in page.url
    assert page.locator('[data-testid="stException"]').count() == 0
    # the page saves the lesson, in its language and for its sentence, as one file that gives the page's answer
    page.get_by_text(deck.t("les_settings")).click()
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name=deck.t("les_download")).click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    page.close()
    assert saved.name == file_name(LESSONS["masks"], lang)
    context, page, requests, errors = open_offline(browser, saved, viewport={"width": 1280, "height": 900})
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    assert page.locator("h1").inner_text() == deck.t(LESSONS["masks"].title)
    page.keyboard.press("ArrowRight")
    page.get_by_role("button", name=deck.t("les_reveal")).click()
    assert " ".join(current(page).locator(".answer").inner_text().split()) == " ".join(said.split())
    assert re.search(r"[\u4e00-\u9fff]", current(page).locator(".narrative").inner_text())
    assert not requests and not errors, (requests, errors)
    context.close()


def test_a_student_follows_a_lesson_on_a_phone_by_touch(server, browser, screenshot_dir):
    """On a phone (390 px, touch): the step's figure is a phone's figure, Reveal and Next are tapped, each a
    target a thumb finds (at least 24 px high, the screen's width)."""
    steps = LESSONS["masks"].steps
    deck = Deck("en", DEFAULT_SENTENCE.split(), torch.device("cpu"))
    title = [deck.t(step.title) for step in steps]
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{server}/Lessons?lesson=masks&step=2")
    _wait_for(page, lambda p: p.evaluate("document.documentElement.dataset.seqvizWidth") == "phone")
    question = causal_row(deck)
    reveal = page.get_by_role("button", name=deck.t("les_reveal"))
    box = reveal.bounding_box()
    assert box["height"] >= 24 and box["width"] >= 300, box  # stacked full width under the question
    reveal.tap()
    _wait_for(page, _showing(question.choices[question.answer]))
    _full_page_screenshot(page, screenshot_dir / "Lessons_phone_revealed_en.png")
    figure = page.locator(".st-key-les_answer_masks_1 .js-plotly-plot").bounding_box()
    assert figure["width"] <= 390, figure  # drawn for the phone, not a slide squeezed into it
    page.get_by_role("button", name=deck.t("les_next")).first.tap()
    _wait_for(page, _at_step(title, 3))
    assert page.locator('[data-testid="stException"]').count() == 0
    assert not (found := serious_accessibility_findings(page)), f"axe-core on a phone: {found}"
    context.close()
