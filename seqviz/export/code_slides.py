"""The code as a slide (and the masks lesson's figure): BERT's mask and forward pass beside GPT's, read from the
running package, the lines that differ marked: the mask and the loss."""

from __future__ import annotations

import plotly.graph_objects as go

from ..viz.code import code_comparison_figure
from .code import THE_MASK, compare, differing_lines
from .deck import Deck, fitted


def the_mask_in_code(deck: Deck) -> go.Figure:
    rows = compare(THE_MASK)
    left, right = differing_lines(rows)
    figure = code_comparison_figure(
        [row.left for row in rows],
        [row.right for row in rows],
        [not row.same for row in rows],
        (deck.t(THE_MASK.left_name), deck.t(THE_MASK.right_name)),
        presentation=True,
    )
    subtitle = deck.t("slide_code_axes", left=len(left), right=len(right), rows=len(rows))
    return fitted(figure, deck.t("slide_code_title"), subtitle)
