"""What a lesson is made of: steps, each a short narrative, a live figure and, where it fits, a question the
class answers before the model's answer is revealed. Every answer is computed from the model or the
checker when the step is shown, never written into the lesson."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from ..export.deck import Deck
from ..export.slides import mask_slide


@dataclass(frozen=True)
class Question:
    prompt: str  # in the deck's language
    choices: tuple[str, ...]
    answer: int  # index of the right choice, computed live
    explanation: str  # shown on reveal: what the model did and why


@dataclass(frozen=True)
class Step:
    title: str  # catalogue key
    text: str  # catalogue key of the 2–4 sentence narrative; may use {sentence}
    figure: Callable[[Deck], go.Figure] | None = None  # shown from the start
    question: Callable[[Deck], Question] | None = None
    answer_figure: Callable[[Deck], go.Figure] | None = None  # shown once the answer is revealed


@dataclass(frozen=True)
class Lesson:
    id: str  # in the URL: ?lesson=ar&step=4
    title: str  # catalogue key
    summary: str  # catalogue key: one line on the lesson list
    steps: tuple[Step, ...]


LETTERS = "ABCDEFGH"  # a choice's name, as the class calls it out


def lettered(question: Question, i: int) -> str:
    """ "B · «the black cat»": a choice with its letter."""
    return f"{LETTERS[i]} · {question.choices[i]}"


def revealed_text(t: Callable[..., str], question: Question) -> str:
    """What a reveal says, in markdown: the model's answer (bold), then why. The Lessons page and the lesson
    file both show this text, so a file's answers are the page's."""
    return f"**{t('les_answer', answer=lettered(question, question.answer))}**\n\n{question.explanation}"


def ask(prompt: str, right: str, wrong: Sequence[str], explanation: str) -> Question:
    """A multiple-choice question whose right choice stands among the wrong ones at a place fixed by the
    choices themselves (the same question always looks the same; another input moves it)."""
    wrong = [w for w in dict.fromkeys(wrong) if w != right]
    choices = [right, *wrong]
    random.Random(" | ".join(choices)).shuffle(choices)
    return Question(prompt, tuple(choices), choices.index(right), explanation)


def band_of(value: float, bands: Sequence[tuple[float, float]], labels: Sequence[str]) -> str:
    """The label of the half-open band [low, high) that holds value (a question's right choice)."""
    return next(label for label, (low, high) in zip(labels, bands, strict=True) if low <= value < high)


def share_labels(deck: Deck, bands: Sequence[tuple[float, float]]) -> list[str]:
    """ "10% to 40%" for each band of shares (the top one written as ending at 100%)."""
    return [deck.t("les_bert_band", low=low, high=min(high, 1.0)) for low, high in bands]


def quoted(words: Sequence[str]) -> str:
    return "«" + " ".join(words) + "»"


def one_mask(name: str, title: str) -> Callable[[Deck], go.Figure]:
    """A step's figure: one mask of the gallery for the deck's sentence, under a slide title (catalogue key)."""

    def figure(deck: Deck) -> go.Figure:
        return mask_slide(deck, (name,), 1, title, "slide_masks_self_axes")

    return figure
