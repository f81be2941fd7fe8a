"""Autoencoding (BERT): a masked language model fills blanks from both sides."""

import streamlit as st

from seqviz.data.toy import RIGHT_CONTEXT_EXAMPLES, example_sentences
from seqviz.ui import autoencoding as sections
from seqviz.ui.code import code_section
from seqviz.ui.models import builtin_model
from seqviz.ui.page import device_fallback, page_intro, setup_page

ctx = setup_page("page_autoencoding")
page_intro(ctx, "ae_title", "ae_intro", "ae_look")

with device_fallback(ctx):  # a GPU out of memory reruns the page on the CPU
    mlm = builtin_model("toy_mlm", str(ctx.device))
    examples = list(RIGHT_CONTEXT_EXAMPLES) + example_sentences("en")
    words = sections.sentence_input(ctx, mlm.vocab, mlm.model.config.max_len - 2, examples)
    blanks = sections.choose_blanks(ctx, words, mlm.vocab)

    st.header(ctx.t("ae_predictions"))
    sections.predictions_section(ctx, mlm, blanks)

    st.header(ctx.t("ae_attention"))
    st.markdown(ctx.t("ae_attention_intro"))
    sections.attention_section(ctx, mlm, blanks.ids, "toy_mlm")

    st.header(ctx.t("ae_versus"))
    sections.versus_section(ctx, mlm, blanks)

    st.header(ctx.t("ae_finetune"))
    sections.finetune_section(ctx, mlm)

code_section(ctx)  # the functions behind this page, folded until opened
