"""Guided lessons: steps that tell, show a live figure and ask the class to predict before the model's
answer is revealed. Pure (no streamlit): the Lessons page (seqviz/ui/lessons.py) shows them."""

from __future__ import annotations

from .autoregressive import LESSON as AUTOREGRESSIVE
from .masks import LESSON as MASKS
from .steps import Lesson, Question, Step

LESSONS: dict[str, Lesson] = {lesson.id: lesson for lesson in (MASKS, AUTOREGRESSIVE)}

__all__ = ["LESSONS", "Lesson", "Question", "Step"]
