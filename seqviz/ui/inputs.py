"""Text input that never fails: every cleaning step is reported to the user in their language."""

from __future__ import annotations

import streamlit as st

from ..data.text import MASK_TOKEN, tokenize, tokenize_input
from ..data.toy import EN_WORDS, unknown_words
from .page import PageContext
from .text import md_token


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


UNKNOWN_SHOWN = 10  # unknown words a message names; the rest are counted


def word_list(ctx: PageContext, words, limit: int | None = None, quoted: bool = False) -> str:
    """Words joined the way the page's language lists them ("a, b" / "a、b"), the first `limit` named."""
    words = list(words)
    shown = [f"“{w}”" if quoted else w for w in (words if limit is None else words[:limit])]
    joined = ctx.t("list_separator").join(shown)
    return ctx.t("more_words", words=joined, n=len(words) - len(shown)) if len(shown) < len(words) else joined


def report_unknown(
    ctx: PageContext, key: str, missing, known=(), show=st.warning, icon: str = ":material/translate:"
) -> None:
    """The one message about words a model does not know: `key` says what the page does with them; it is
    given the first UNKNOWN_SHOWN of them, quoted, as {words}, and the vocabulary as {known}."""
    words = word_list(ctx, [md_token(w) for w in missing], UNKNOWN_SHOWN, quoted=True)
    show(ctx.t(key, words=words, known=word_list(ctx, known)), icon=icon)


def toy_words(ctx: PageContext, text: str, max_words: int) -> list[str]:
    """A typed toy-English sentence as words, [MASK]s kept: unknown words are named and left out, a long
    sentence is cut to max_words, each with a message."""
    words = tokenize(text)
    missing = unknown_words([w for w in words if w != MASK_TOKEN], EN_WORDS)
    if missing:
        report_unknown(ctx, "ar_unknown", missing, EN_WORDS)
        words = [w for w in words if w not in missing]
    if len(words) > max_words:
        st.info(ctx.t("ae_too_long", n=len(words), max=max_words), icon=":material/content_cut:")
        words = words[:max_words]
    return words
