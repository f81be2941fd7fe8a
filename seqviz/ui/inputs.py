"""Text input that never fails: every cleaning step is reported to the user in their language."""

from __future__ import annotations

import streamlit as st

from ..data.text import tokenize_input
from .page import PageContext


def tokens_from_text(ctx: PageContext, text: str, max_tokens: int, fallback: str, field: str) -> tuple[str, ...]:
    """Tokenise what the user typed into the input labelled `field`; on empty input say so and use the
    fallback sentence."""
    result = tokenize_input(text, max_tokens)
    if result.removed_control:
        st.info(ctx.t("removed_control"), icon=":material/cleaning_services:")
    if result.empty:
        st.warning(ctx.t("empty_input", field=field, fallback=fallback), icon=":material/edit_note:")
        result = tokenize_input(fallback, max_tokens)
    if result.truncated_from:
        st.info(ctx.t("truncated", n=result.truncated_from, max=max_tokens), icon=":material/content_cut:")
    return result.tokens
