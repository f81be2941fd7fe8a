"""Parallel decoding: autoregressive vs NAT, mask-predict and CTC side by side, with measured timings."""

import streamlit as st

from seqviz.data.toy import example_sentences
from seqviz.ui import parallel as sections
from seqviz.ui.code import code_section
from seqviz.ui.page import device_fallback, page_intro, setup_page
from seqviz.ui.seq2seq import source_words

ctx = setup_page("page_parallel")
page_intro(ctx, "par_title", "par_intro", "par_look")

with device_fallback(ctx):  # a GPU out of memory reruns the page on the CPU
    words = source_words(ctx, example_sentences("en"))
    data, iterations, length = sections.settings(ctx)
    models = sections.models_for(ctx, data)
    if words:
        st.header(ctx.t("par_side_by_side"))
        results = sections.side_by_side(ctx, models, data, words, iterations, length)

        st.header(ctx.t("par_iter_header"))
        sections.iterations_section(ctx, results["mask_predict"], models["ar"].vocab, words)

        st.header(ctx.t("par_ctc_header"))
        sections.ctc_section(ctx, results["ctc"], models["ar"].vocab)

        st.header(ctx.t("par_length_header"))
        sections.length_section(ctx, results["nat"], words)

    st.header(ctx.t("par_multi_header"))
    sections.multimodality_section(ctx)

    st.header(ctx.t("par_speed_header"))
    sections.speed_section(ctx)

code_section(ctx)  # the functions behind this page, folded until opened
