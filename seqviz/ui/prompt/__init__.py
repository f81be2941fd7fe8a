"""The sections of the learning-from-the-prompt page, one module per part (the sequence and what they share,
the heads, the phase change, few-shot). Each interactive section is a fragment: a control moved in one
redraws that section alone."""

from .common import sequence_input
from .few_shot import few_shot_section
from .heads import heads_section, scores_section
from .phase import phase_section

__all__ = ["few_shot_section", "heads_section", "phase_section", "scores_section", "sequence_input"]
