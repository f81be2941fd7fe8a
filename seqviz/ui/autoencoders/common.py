"""What the autoencoders page's three sections share: the sentence box, a new draw, the checker's verdict."""

from __future__ import annotations

import streamlit as st

from ...data.text import MASK_TOKEN
from ...data.toy import is_grammatical
from ..inputs import toy_words
from ..page import PageContext

MAX_WORDS = 12  # the sentences of this page: short enough for one row of bars on a phone


def sentence_box(ctx: PageContext, key: str, example: str, label: str, max_words: int = MAX_WORDS) -> list[str]:
    """A typed toy sentence: unknown words and [MASK]s left out, a long one cut, an empty one replaced by the
    example, each with a message."""
    text = st.text_input(ctx.t(label), example, key=key, max_chars=2000, help=ctx.t("aef_sentence_help", n=max_words))
    words = [w for w in toy_words(ctx, text, max_words) if w != MASK_TOKEN]
    if not words:
        st.warning(ctx.t("empty_input", field=ctx.t(label), fallback=example), icon=":material/edit_note:")
        words = example.split()
    return words


def next_draw(key: str) -> None:
    st.session_state[key] = st.session_state.get(key, 0) + 1


def verdict(ctx: PageContext, words) -> str:
    return ctx.t("fu_checked_right" if is_grammatical(list(words)) else "fu_checked_wrong")
