"""The masks page's gallery: every named mask for the page's sentences, drawn once per input."""

from __future__ import annotations

import streamlit as st

from ..models.masks import mask_gallery
from ..viz.masks import gallery_figures
from .page import PageContext
from .text import tr


def page_gallery_figures(ctx: PageContext, tokens, target, second, prefix_length: int, order) -> dict:
    """{mask name: figure} for the sentence, the target and the second sentence of the padding batch."""
    return _gallery_figures(
        tuple(tokens), tuple(target), tuple(second), prefix_length, tuple(order), ctx.lang, ctx.presentation
    )


# Shared, never modified: st.plotly_chart only reads a figure. A rerun that changes something else on the
# page (the pipeline's mask, layer or head) then skips building nine figures (~90 ms).
@st.cache_resource(show_spinner=False, max_entries=64)
def _gallery_figures(tokens, target, second, prefix_length, order, lang, presentation) -> dict:
    gallery = mask_gallery(tokens, target, second, prefix_length, order)
    return gallery_figures(
        gallery,
        {name: tr(lang, f"mask_{name}") for name in gallery},
        presentation=presentation,
        x_title=tr(lang, "key_axis"),
        y_title=tr(lang, "query_axis"),
        allowed_label=tr(lang, "allowed"),
        blocked_label=tr(lang, "blocked"),
    )
