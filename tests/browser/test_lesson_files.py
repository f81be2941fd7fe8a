"""A lesson taken anywhere: every lesson's file, as `python -m seqviz.export --html` makes it (half of them in
Chinese), opened in Chromium from file:// with every request blocked. Every step shows; every reveal shows the
answer the file was made with (the Lessons page's: tests/pages/test_lessons_page.py); no request leaves the
file; no console error; the size stays under the budget. One lesson walked by the keyboard on the wall and by
touch on a phone, with student mode's score. (The Lessons page's own button saving a Chinese lesson:
tests/browser/test_lessons_in_browser.py.)"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
import torch

from seqviz.export import __main__ as export_cli
from seqviz.export.deck import DEFAULT_SENTENCE, Deck
from seqviz.lessons import LESSONS
from seqviz.lessons.html_file import SIZE_BUDGET, file_name
from seqviz.lessons.steps import revealed_text
from tests.browser.conftest import serious_accessibility_findings
from tests.pages.apptest_helpers import as_read

pytestmark = pytest.mark.browser


LANGUAGE_OF = {lesson: ("en", "zh")[i % 2] for i, lesson in enumerate(LESSONS)}  # both languages, each file once


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Every lesson's file, made by the command line, half of them in English and half in Chinese; each step's
    question as the file was made with it (an answer that times the device now differs from one run to the
    next)."""
    out = tmp_path_factory.mktemp("lessons")
    questions: dict[tuple[str, int], object] = {}
    built = export_cli.built_parts

    def recording(lesson, deck):
        part = built(lesson, deck)

        def recorded(index, name):
            value = part(index, name)
            if name == "question":
                questions[lesson.id, index] = value
            return value

        return recorded

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(export_cli, "built_parts", recording)
        for lang in ("en", "zh"):
            chosen = [lesson for lesson, its in LANGUAGE_OF.items() if its == lang]
            assert export_cli.main(["--html", str(out), "--lang", lang, "--lessons", *chosen]) == 0
    return out, questions


def open_offline(browser, path, **context_options):
    """A page showing the file (or, without one, blank) with the network off: any request that is not the file
    itself is refused and recorded, and so is every console error."""
    context = browser.new_context(**context_options)
    context.set_offline(True)
    requests, errors = [], []

    def refuse(route):
        if urlparse(route.request.url).scheme == "file":
            route.continue_()
        else:
            requests.append(route.request.url)
            route.abort()

    context.route("**/*", refuse)
    page = context.new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    if path is not None:
        page.goto(path.as_uri())
        page.wait_for_selector(".step.current")
    return context, page, requests, errors


@pytest.fixture(scope="module")
def offline(browser):
    """One offline page for every file's walk (a browser context per file costs a second more each)."""
    context, page, requests, errors = open_offline(browser, None, viewport={"width": 1280, "height": 900})
    yield page, requests, errors
    context.close()


def current(page):
    return page.locator(".step.current")


def drawn_plots(page) -> int:
    return page.locator(".step.current .js-plotly-plot").count()


@pytest.mark.parametrize("lesson_id", list(LESSONS))
def test_every_step_of_a_lesson_file_shows_and_reveals_the_answer_it_was_made_with(made, offline, lesson_id):
    out, questions = made
    lang = LANGUAGE_OF[lesson_id]
    lesson, deck = LESSONS[lesson_id], Deck(lang, DEFAULT_SENTENCE.split(), torch.device("cpu"))
    path = out / file_name(lesson, lang)
    assert path.stat().st_size <= SIZE_BUDGET, f"{path.name}: {path.stat().st_size:,} bytes"
    page, requests, errors = offline
    requests.clear(), errors.clear()
    page.goto(path.as_uri())
    page.wait_for_selector(".step.current")
    assert page.evaluate("document.documentElement.lang") == {"en": "en", "zh": "zh-Hans"}[lang]
    for index, step in enumerate(lesson.steps):
        where = f"{lesson_id} step {index + 1}"
        assert current(page).locator("h2").inner_text() == deck.t(step.title), where
        assert page.locator("#step-of").inner_text() == deck.t("les_step_of", i=index + 1, n=len(lesson.steps))
        if step.figure is not None:
            assert drawn_plots(page) == 1, where
        question = questions[lesson_id, index]
        if question is not None:
            assert as_read(deck.t("les_question", question=question.prompt)) in as_read(current(page).inner_text())
            page.get_by_role("button", name=deck.t("les_reveal")).click()
            answer = current(page).locator(".answer")
            assert answer.is_visible(), where
            assert " ".join(answer.inner_text().split()) == as_read(revealed_text(deck.t, question)), where
            right = current(page).locator(".choices li.right")
            assert right.count() == 1 and question.choices[question.answer] in right.inner_text(), where
            if step.answer_figure is not None:
                assert current(page).locator(".answer-figure .js-plotly-plot").count() == 1, where
        if index < len(lesson.steps) - 1:
            page.get_by_role("button", name=deck.t("les_next")).click()
    assert page.locator("#finished").is_visible() and page.locator("#next").is_disabled()
    assert not requests, f"requests left the file: {requests[:5]}"
    assert not errors, f"console errors: {errors[:5]}"


def test_a_lesson_file_by_keyboard_on_the_wall_and_by_touch_on_a_phone(made, browser, screenshot_dir):
    """→ moves on, space reveals and then moves on, ← goes back, the address keeps the step; presentation
    mode puts a revealed step beside its figure within 1920 × 1080; student mode scores the answer given before
    the reveal; on a phone the buttons are the screen's width and the figures a phone's."""
    out, questions = made
    lesson, deck = LESSONS["masks"], Deck("en", DEFAULT_SENTENCE.split(), torch.device("cpu"))
    path = out / file_name(lesson, "en")
    context, page, requests, errors = open_offline(browser, path, viewport={"width": 1920, "height": 1080})
    page.get_by_label(deck.t("presentation")).check()
    page.locator("h1").click()  # the page has the focus, not the box
    titles = [deck.t(step.title) for step in lesson.steps]

    def at(n: int) -> bool:
        return current(page).locator("h2").inner_text() == titles[n - 1] and page.url.endswith(f"#step-{n}")

    page.keyboard.press("ArrowRight")
    assert at(2)
    page.keyboard.press("Space")  # reveals
    question = questions["masks", 1]
    assert question.choices[question.answer] in current(page).locator(".answer").inner_text()
    for box in (current(page).locator(".answer"), current(page).locator(".answer-figure .js-plotly-plot")):
        bounds = box.bounding_box()
        assert bounds and 0 <= bounds["y"] and bounds["y"] + bounds["height"] <= 1080, bounds  # nobody scrolls
    assert current(page).locator(".main-figure").is_hidden()  # the answer's figure took its place
    drawn = current(page).locator(".answer-figure .js-plotly-plot")
    height = drawn.bounding_box()["height"]
    page.set_viewport_size({"width": 1600, "height": 1000})  # a window made smaller: the figure keeps its height
    page.wait_for_timeout(300)  # plotly.js redraws a responsive figure after the resize event
    assert drawn.bounding_box()["height"] == height
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.screenshot(path=str(screenshot_dir / "Lesson_file_wall_en.png"))
    page.keyboard.press("Space")  # revealed: moves on
    assert at(3)
    page.keyboard.press("ArrowLeft")
    assert at(2) and current(page).locator(".answer").is_visible()  # a revealed step stays revealed
    assert not (found := serious_accessibility_findings(page)), f"axe-core on the wall: {found}"

    page.get_by_label(deck.t("presentation")).uncheck()
    page.get_by_label(deck.t("les_student")).check()
    page.keyboard.press("ArrowRight")
    assert at(3) and page.get_by_role("button", name=deck.t("les_reveal")).is_disabled()  # choose first
    wrong = next(i for i in range(len(questions["masks", 2].choices)) if i != questions["masks", 2].answer)
    current(page).locator(f'input[value="{wrong}"]').check()
    page.get_by_role("button", name=deck.t("les_reveal")).click()
    assert current(page).locator(".verdict").inner_text().startswith("✗")  # not the colour alone
    for n in range(4, len(lesson.steps) + 1):
        page.keyboard.press("ArrowRight")
        assert at(n)
    assert page.locator("#score").inner_text() == deck.t("les_score", right=0, asked=1)
    assert not requests and not errors, (requests, errors)
    context.close()

    context, page, requests, errors = open_offline(
        browser, path, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page.goto(f"{path.as_uri()}#step-2")
    page.reload()
    page.wait_for_selector(".step.current")
    assert current(page).locator("h2").inner_text() == titles[1]
    reveal = page.get_by_role("button", name=deck.t("les_reveal"))
    box = reveal.bounding_box()
    assert box["height"] >= 24 and box["width"] >= 300, box  # a thumb's target, the screen's width
    reveal.tap()
    figure = current(page).locator(".answer-figure .js-plotly-plot").bounding_box()
    assert figure["width"] <= 390, figure  # the phone's figure, not a slide squeezed into it
    page.screenshot(path=str(screenshot_dir / "Lesson_file_phone_en.png"), full_page=True)
    assert not (found := serious_accessibility_findings(page)), f"axe-core on a phone: {found}"
    assert not requests and not errors, (requests, errors)
    context.close()
