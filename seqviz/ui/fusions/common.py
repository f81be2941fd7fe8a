"""What the fusion sections share: the typed sentence as toy words, and a sentence of recorded numbers."""

from __future__ import annotations

import streamlit as st

from ...data.text import MASK_TOKEN, tokenize
from ...data.toy import EN_WORDS, unknown_words
from ..inputs import report_unknown
from ..page import PageContext

MAX_WORDS = 30  # the longest English sentence the fusion models were trained on is 35 words
TOP_K = 6
VERDICT_KEYS = {True: "fu_checked_right", False: "fu_checked_wrong", None: "fu_checked_none"}


def sentence_words(ctx: PageContext, text: str, example: str) -> list[str]:
    """The typed sentence as toy-language words: unknown ones named and left out, empty input (or nothing
    known) replaced by the example, long input cut."""
    words = tokenize(text)
    if not words:
        st.warning(ctx.t("empty_input", field=ctx.t("sentence"), fallback=example), icon=":material/edit_note:")
        words = tokenize(example)
    missing = unknown_words([w for w in words if w != MASK_TOKEN], EN_WORDS)
    if missing:
        report_unknown(ctx, "ar_unknown", missing, EN_WORDS)
        words = [w for w in words if w not in missing] or tokenize(example)
    if len(words) > MAX_WORDS:
        st.info(ctx.t("ae_too_long", n=len(words), max=MAX_WORDS), icon=":material/content_cut:")
        words = words[:MAX_WORDS]
    return words


def measured(ctx: PageContext, key: str, metrics: dict, **fields: str) -> None:
    """A sentence of recorded held-out numbers: each placeholder filled from the metrics key it names."""
    st.markdown(ctx.t(key, **{name: metrics[field] for name, field in fields.items()}))
