"""Learning from the prompt: induction heads (a previous-token head, then a head that finds the earlier copy of
the current symbol and copies what followed it), the phase change in which they form, and few-shot prompts."""

import streamlit as st

from seqviz.ui import prompt as sections
from seqviz.ui.code import code_section
from seqviz.ui.page import device_fallback, page_intro, setup_page

ctx = setup_page("page_prompt")
page_intro(ctx, "icl_title", "icl_intro", "icl_look")

with device_fallback(ctx):  # a GPU out of memory reruns the page on the CPU
    st.header(ctx.t("icl_sequence_header"))
    tokens = sections.sequence_input(ctx)  # read by the next two sections

    st.header(ctx.t("icl_heads_header"))
    sections.heads_section(ctx, tokens)

    st.header(ctx.t("icl_phase_header"))
    sections.phase_section(ctx, tokens)

    st.header(ctx.t("icl_scores_header"))
    sections.scores_section(ctx)

    st.header(ctx.t("icl_fs_header"))
    sections.few_shot_section(ctx)

code_section(ctx)  # the functions behind this page, folded until opened
