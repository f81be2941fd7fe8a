"""Guided lessons: steps that tell, show a live figure and ask the class to predict before the model's
answer is revealed. Pure (no streamlit): the Lessons page (seqviz/ui/lessons.py) shows them."""

from __future__ import annotations

from .autoencoding import LESSON as AUTOENCODING
from .autoregressive import LESSON as AUTOREGRESSIVE
from .fusions import LESSON as FUSIONS
from .inside import LESSON as INSIDE
from .masks import LESSON as MASKS
from .parallel import LESSON as PARALLEL
from .recurrent import LESSON as RECURRENT
from .seq2seq import LESSON as SEQ2SEQ
from .steps import Lesson, Question, Step

IN_ORDER = (MASKS, AUTOENCODING, AUTOREGRESSIVE, RECURRENT, SEQ2SEQ, PARALLEL, FUSIONS, INSIDE)  # the articles' arc
LESSONS: dict[str, Lesson] = {lesson.id: lesson for lesson in IN_ORDER}

__all__ = ["LESSONS", "Lesson", "Question", "Step"]
