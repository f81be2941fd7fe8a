"""Recurrent networks and the vanishing gradient, measured: a plain RNN, an LSTM, a GRU and the Transformer
on long-range agreement, the gradient's reach, the units inside the recurrence, recall over distance (a task
built for it, with three Transformers beyond their training lengths), the time per word."""

import streamlit as st

from seqviz.ui import recall
from seqviz.ui import recurrent as sections
from seqviz.ui.code import code_section
from seqviz.ui.page import device_fallback, page_intro, setup_page

ctx = setup_page("page_recurrent")
page_intro(ctx, "rnn_title", "rnn_intro", "rnn_look")

with device_fallback(ctx):  # a GPU out of memory reruns the page on the CPU
    models = sections.models(ctx)
    sections.models_section(ctx, models)
    sections.sentence_sections(ctx, models)

    st.header(ctx.t("rec_header"))
    recall.recall_section(ctx)

    st.header(ctx.t("rnn_timing_header"))
    sections.timing_section(ctx, models)

code_section(ctx)  # the functions behind this page, folded until opened
