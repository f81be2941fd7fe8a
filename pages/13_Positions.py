"""Positions: sinusoidal tables, learned position vectors, RoPE, and attention's blindness to order."""

import streamlit as st

from seqviz.ui import positions as sections
from seqviz.ui.code import code_section
from seqviz.ui.inputs import tokens_from_text
from seqviz.ui.page import device_fallback, page_intro, setup_page

MAX_TOKENS = 12
EXAMPLE = "the dog sees the small cat"

ctx = setup_page("page_positions")
page_intro(ctx, "pos_title", "pos_intro", "pos_look")

with device_fallback(ctx):  # a GPU out of memory reruns the page on the CPU
    sections.sinusoidal_section(ctx)
    sections.learned_section(ctx)
    sections.rope_section(ctx)
    st.text_input(
        ctx.t("sentence"),
        value=EXAMPLE,
        key="pos_sentence",
        max_chars=2000,
        on_change=st.session_state.pop,
        args=("pos_order", None),
    )
    words = tokens_from_text(ctx, st.session_state.pos_sentence, MAX_TOKENS, EXAMPLE, ctx.t("sentence"))
    sections.blindness_section(ctx, tuple(w.lower() for w in words))

code_section(ctx)  # the functions behind this page, folded until opened
