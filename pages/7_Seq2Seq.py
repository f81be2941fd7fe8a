"""Sequence-to-sequence: encoder-decoder translation, cross-attention, RNN vs Bahdanau attention vs Transformer."""

import streamlit as st

from seqviz.data.toy import example_sentences
from seqviz.ui import seq2seq as sections
from seqviz.ui import seq2seq_measures as measures
from seqviz.ui.code import code_section
from seqviz.ui.models import builtin_model
from seqviz.ui.page import device_fallback, page_intro, setup_page

ctx = setup_page("page_seq2seq")
page_intro(ctx, "s2s_title", "s2s_intro", "s2s_look")


@st.fragment  # the typed sentence feeds these sections alone: typing redraws them, not the whole page
def sentence_sections(models: dict) -> None:
    transformer = models["toy_transformer_mt"]
    words = sections.source_words(ctx, example_sentences("en"))
    if not words:
        return
    st.header(ctx.t("s2s_translations"))
    outputs = sections.translations_section(ctx, models, words)

    st.header(ctx.t("s2s_step_header"))
    sections.stepper(ctx, transformer, words)

    st.header(ctx.t("s2s_attention_header"))
    sections.attention_section(ctx, transformer, words, outputs["toy_transformer_mt"])

    st.header(ctx.t("s2s_bahdanau_header"))
    sections.bahdanau_section(ctx, transformer, models["toy_bahdanau_mt"], words)

    st.header(ctx.t("s2s_forcing_header"))
    measures.forcing_section(ctx, transformer, words)

    st.header(ctx.t("s2s_timing_header"))
    measures.timing_section(ctx, transformer, words, outputs["toy_transformer_mt"])


with device_fallback(ctx):  # a GPU out of memory reruns the page on the CPU
    models = {name: builtin_model(name, str(ctx.device)) for name in sections.MODELS}
    sentence_sections(models)

    st.header(ctx.t("s2s_length_header"))
    measures.length_section(ctx, models)

    st.header(ctx.t("s2s_digits_header"))
    sections.digits_section(
        ctx, {task: builtin_model(f"digits_{task}", str(ctx.device)) for task in ("reverse", "sort")}
    )

code_section(ctx)  # the functions behind this page, folded until opened
