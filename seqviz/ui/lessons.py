"""The Lessons page: one step at a time, each a short narrative, a live figure and a question the class
answers before the model's answer is revealed. The position lives in the session and in the URL
(?lesson=ar&step=4), so a step can be bookmarked; → ← and space drive it from the keyboard."""

from __future__ import annotations

import time
from functools import partial

import streamlit as st
import torch

from ..data.text import MASK_TOKEN
from ..device import describe
from ..export.deck import DEFAULT_SENTENCE, MAX_WORDS, Deck
from ..i18n import tr
from ..lessons import LESSONS, Lesson, Question, Step
from ..lessons.html_file import WALL_FIGURE_PX, built_parts, file_name, lesson_html, phone_figure
from ..lessons.steps import LETTERS, lettered, revealed_text
from .figures import show_plotly
from .inputs import toy_words
from .models import builtin_model, page_deck
from .page import PageContext, page_intro

LESSON_KEY, STEP_KEY = "_les_lesson", "_les_step"
REVEALED_KEY, SCORE_KEY = "_les_revealed", "_les_score"  # this session's reveals and answers; never the server's


def position(ctx: PageContext) -> tuple[Lesson, int]:
    """The lesson and the step (0-based) this run shows: the URL's when the page is opened by its address,
    else this session's. A lesson or step the URL gets wrong is said, and the nearest one shown."""
    asked_lesson, asked_step = st.query_params.get("lesson"), st.query_params.get("step")
    if asked_lesson is not None:
        if asked_lesson in LESSONS:
            st.session_state[LESSON_KEY] = asked_lesson
        else:
            st.warning(ctx.t("les_no_such_lesson", lesson=asked_lesson[:40]), icon=":material/link_off:")
    lesson = LESSONS[st.session_state.get(LESSON_KEY, next(iter(LESSONS)))]
    if asked_step is not None:
        step = int(asked_step) - 1 if asked_step.isdigit() else -1
        if not 0 <= step < len(lesson.steps):
            st.warning(ctx.t("les_no_such_step", step=asked_step[:12], n=len(lesson.steps)), icon=":material/link_off:")
            step = min(max(step, 0), len(lesson.steps) - 1)
        st.session_state[STEP_KEY] = step
    step = min(st.session_state.get(STEP_KEY, 0), len(lesson.steps) - 1)
    _go_to(lesson.id, step)
    return lesson, step


def _go_to(lesson_id: str, step: int) -> None:
    st.session_state[LESSON_KEY], st.session_state[STEP_KEY] = lesson_id, step
    st.query_params["lesson"], st.query_params["step"] = lesson_id, str(step + 1)


def _choose_lesson() -> None:
    _go_to(st.session_state["les_lesson"], 0)


def opening(ctx: PageContext, lesson: Lesson) -> Deck:
    """The page's title and settings: on a projector the title alone, the settings folded away, so the step
    starts at the top of the wall. -> the lesson's deck"""
    if ctx.presentation:
        st.title(ctx.t(lesson.title))
        with st.expander(ctx.t("les_settings"), icon=":material/tune:"):
            return _settings(ctx, lesson)
    page_intro(ctx, "les_title", "les_intro", "les_look")
    return _settings(ctx, lesson)


def _settings(ctx: PageContext, lesson: Lesson) -> Deck:
    """The lesson list, the sentence every figure and answer is computed for, and student mode."""
    left, right = st.columns([1, 1])
    st.session_state["les_lesson"] = lesson.id
    left.selectbox(
        ctx.t("les_choose"),
        list(LESSONS),
        format_func=lambda i: ctx.t(LESSONS[i].title),
        key="les_lesson",
        on_change=_choose_lesson,
    )
    with right:
        text = st.text_input(
            ctx.t("les_sentence"), DEFAULT_SENTENCE, key="les_sentence", max_chars=500, help=ctx.t("les_sentence_help")
        )
        words = [w for w in toy_words(ctx, text, MAX_WORDS) if w != MASK_TOKEN]
        if not words:
            st.warning(ctx.t("les_sentence_empty", fallback=DEFAULT_SENTENCE), icon=":material/edit_note:")
            words = DEFAULT_SENTENCE.split()
    st.caption(ctx.t(lesson.summary))
    st.toggle(ctx.t("les_student"), key="les_student", help=ctx.t("les_student_help"))
    if ctx.presentation:
        st.caption(ctx.t("les_keys"))
    _download(ctx, lesson, words)
    return page_deck(ctx, words)


def _download(ctx: PageContext, lesson: Lesson, words: list[str]) -> None:
    """The lesson, its sentence and language as one HTML file that needs no server (made when clicked, from
    the steps this server has built: the file's figures and answers are the page's)."""
    made = partial(lesson_file, lesson.id, tuple(words), ctx.lang, str(ctx.device))
    st.download_button(
        ctx.t("les_download"),
        data=made,
        file_name=file_name(lesson, ctx.lang),
        mime="text/html",
        on_click="ignore",
        icon=":material/download:",
        help=ctx.t("les_download_help"),
        key="les_download",
    )


@st.cache_data(show_spinner=False, max_entries=8)  # about 5 MB each, plotly.js inside
def lesson_file(lesson_id: str, words: tuple[str, ...], lang: str, device: str) -> bytes:
    """A lesson as one self-contained HTML file, built from the page's own cached steps: the file's figures
    and answers are the ones this page shows for the sentence."""

    def part(index: int, name: str):
        return step_part(lesson_id, index, name, words, lang, device)

    with torch.no_grad():  # made in a thread of the server's, where gradients are on by default
        page = lesson_html(
            LESSONS[lesson_id],
            part,
            partial(tr, lang),
            lang,
            " ".join(words),
            time.strftime("%Y-%m-%d"),
            describe(torch.device(device)),
        )
    return page.encode("utf-8")


def _step_by(lesson_id: str, delta: int) -> None:
    lesson = LESSONS[lesson_id]
    _go_to(lesson_id, min(max(st.session_state.get(STEP_KEY, 0) + delta, 0), len(lesson.steps) - 1))


def _reveal(lesson_id: str, reveal: tuple, answer: int) -> None:
    """Space and the Reveal button: reveal the answer (scoring the student's choice), or, once revealed, go on."""
    revealed = st.session_state.setdefault(REVEALED_KEY, set())
    if reveal in revealed:
        _step_by(lesson_id, 1)
        return
    revealed.add(reveal)
    choice = st.session_state.get(f"les_choice_{reveal[0]}_{reveal[1]}")
    if st.session_state.get("les_student") and choice is not None:
        st.session_state.setdefault(SCORE_KEY, {})[reveal[:2]] = choice == answer


def step_part(
    lesson_id: str, index: int, part: str, words: tuple[str, ...], lang: str, device: str, narrow=False, wall=False
):
    """A step's part as this server built it: the one way to ask (the cache's key depends on how its arguments
    are passed, and the page, its phone and wall versions and a lesson's file must find the same entry)."""
    return _built(lesson_id, index, part, words, lang, device, narrow, wall)


@st.cache_data(show_spinner=False, max_entries=512)
def _built(
    lesson_id: str, index: int, part: str, words: tuple[str, ...], lang: str, device: str, narrow: bool, wall: bool
):
    """A step's figure, question or answer figure for one sentence and one screen (a phone's; a projector's,
    where an answer's figure stands beside its question; or any other), built once per server (each session
    gets its own copy). A phone's or a wall's figure is remade from the other screens' one."""
    if part != "question" and (narrow or wall):
        figure = step_part(lesson_id, index, part, words, lang, device)
        if figure is None:
            return None
        if narrow:
            return phone_figure(figure)
        if part == "answer":
            figure.update_layout(height=min(figure.layout.height or WALL_FIGURE_PX, WALL_FIGURE_PX))
        return figure
    deck = Deck(lang, list(words), torch.device(device), loader=builtin_model)
    return built_parts(LESSONS[lesson_id], deck)(index, part)


HIDDEN_CSS = "<style>.st-key-les_space { display: none; }</style>"  # our own constant CSS


def step_view(ctx: PageContext, lesson: Lesson, index: int, deck: Deck) -> None:
    """A step: its narrative and figure, the question, Back / Reveal / Next, and once revealed the answer. On a
    projector a step with a question is two columns, the question and answer beside the figure (the answer's
    figure in its place once revealed), so that a revealed step fits the wall without scrolling."""
    st.html(HIDDEN_CSS)
    step: Step = lesson.steps[index]
    n = len(lesson.steps)
    st.progress((index + 1) / n, text=ctx.t("les_step_of", i=index + 1, n=n))
    st.header(ctx.t(step.title))
    st.markdown(ctx.t(step.text, sentence=" ".join(deck.words)))
    built = {"lesson_id": lesson.id, "index": index, "words": tuple(deck.words), "lang": ctx.lang}
    built["device"] = str(ctx.device)
    wall = ctx.presentation and not ctx.narrow  # the width matters to the figures only, the wall to the answer's
    parts = ("lessons", lesson.id, str(index + 1), *deck.words[:4])
    with st.spinner(ctx.t("les_preparing")):  # a step's first build runs the models (seconds, once per server)
        figure = step_part(part="figure", narrow=ctx.narrow, **built)
        question = step_part(part="question", **built)
    reveal = (lesson.id, index, " ".join(deck.words))
    revealed = question is not None and reveal in st.session_state.get(REVEALED_KEY, set())
    answer_figure = None
    if revealed and step.answer_figure is not None:
        with st.spinner(ctx.t("les_preparing")):
            answer_figure = step_part(part="answer", narrow=ctx.narrow, wall=wall, **built)

    def show_figure():
        show_plotly(figure, *parts, key=f"les_figure_{lesson.id}_{index}")

    def show_answer():
        show_plotly(answer_figure, *parts, "answer", key=f"les_answer_{lesson.id}_{index}")

    if wall and question is not None:
        text, beside = st.columns([1, 1.3], gap="large")
        with beside:
            if answer_figure is not None:
                show_answer()
            elif figure is not None:
                show_figure()
        with text:
            _question_and_answer(ctx, lesson, index, question, reveal, revealed, beside_figure=True)
    else:
        if figure is not None:
            show_figure()
        _question_and_answer(ctx, lesson, index, question, reveal, revealed)
        if answer_figure is not None:
            show_answer()
    if index == n - 1:
        _finish(ctx, lesson)


def _question_and_answer(
    ctx, lesson: Lesson, index: int, question, reveal: tuple, revealed: bool, beside_figure: bool = False
) -> None:
    if question is not None:
        _question(ctx, question, lesson.id, index, revealed)
    _navigation(ctx, lesson, index, question, reveal, revealed, beside_figure)  # Reveal, then the answer
    if revealed:
        st.info(revealed_text(ctx.t, question), icon=":material/lightbulb:")


def _question(ctx: PageContext, question: Question, lesson_id: str, index: int, revealed: bool) -> None:
    st.subheader(ctx.t("les_question", question=question.prompt))
    choices = range(len(question.choices))
    if st.session_state.get("les_student"):
        choice = st.radio(
            ctx.t("les_your_answer"),
            choices,
            format_func=lambda i: lettered(question, i),
            index=None,
            key=f"les_choice_{lesson_id}_{index}",
            disabled=revealed,
        )
        if revealed and choice is not None:
            right = choice == question.answer
            said = ctx.t("les_right" if right else "les_wrong", answer=lettered(question, question.answer))
            if right:  # the icon says it too, not the colour alone
                st.success(said, icon=":material/check_circle:")
            else:
                st.error(said, icon=":material/cancel:")
    else:  # the class answers aloud; the reveal marks the right choice
        lines = [
            f":green[:material/check_circle: **{lettered(question, i)}**]"
            if revealed and i == question.answer
            else f"**{LETTERS[i]}** · {question.choices[i]}"
            for i in choices
        ]
        st.markdown("\n".join(f"- {line}" for line in lines))


def _navigation(
    ctx, lesson: Lesson, index: int, question: Question | None, reveal: tuple, revealed: bool, beside_figure: bool
) -> None:
    """Back (←), Reveal (space) while a question waits, Next (→; space too once nothing waits). Beside a
    figure the three buttons share the column's width, the hint goes under them."""
    last, waiting = index == len(lesson.steps) - 1, question is not None and not revealed
    cells = st.columns([1, 1.2, 1] if beside_figure else [1, 1.2, 1, 2.5])
    back, reveal_cell, forward = cells[:3]
    hint = cells[3] if len(cells) > 3 else st  # beside a figure: under the buttons
    back.button(
        ctx.t("les_previous"),
        icon=":material/arrow_back:",
        shortcut="Left",
        disabled=index == 0,
        on_click=_step_by,
        args=(lesson.id, -1),
        key="les_back",
        width="stretch",
    )
    forward.button(
        ctx.t("les_next"),
        icon=":material/arrow_forward:",
        type="secondary" if waiting else "primary",
        shortcut="Right",
        disabled=last,
        on_click=_step_by,
        args=(lesson.id, 1),
        key="les_forward",
        width="stretch",
    )
    if waiting:
        student_waits = st.session_state.get("les_student") and (
            st.session_state.get(f"les_choice_{lesson.id}_{index}") is None
        )
        reveal_cell.button(
            ctx.t("les_reveal"),
            icon=":material/visibility:",
            type="primary",
            shortcut="Space",
            on_click=_reveal,
            args=(lesson.id, reveal, question.answer),
            key="les_reveal",
            width="stretch",
            disabled=bool(student_waits),
        )
        if student_waits:
            hint.caption(ctx.t("les_choose_first"))
    else:  # space moves on too; the button is hidden, its key stays bound (.st-key-les_space in the page CSS)
        with st.container(key="les_space"):
            st.button(
                ctx.t("les_next"),
                shortcut="Space",
                disabled=last,
                on_click=_step_by,
                args=(lesson.id, 1),
                key="les_space_next",
            )


def _finish(ctx: PageContext, lesson: Lesson) -> None:
    st.success(ctx.t("les_finished"), icon=":material/flag:")
    answers = [right for (lesson_id, _), right in st.session_state.get(SCORE_KEY, {}).items() if lesson_id == lesson.id]
    if answers:
        st.metric(ctx.t("les_score_label"), f"{sum(answers)} / {len(answers)}")
        st.markdown(ctx.t("les_score", right=sum(answers), asked=len(answers)))
    elif st.session_state.get("les_student"):
        st.caption(ctx.t("les_score_none"))
