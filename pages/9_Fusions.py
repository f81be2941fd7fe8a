"""Fusions: UniLM (one network, three masks), XLNet (a permutation LM), T5 (text to text), RETRO (retrieval)."""

import streamlit as st

from seqviz.ui.code import code_section
from seqviz.ui.fusions import retro, t5, unilm, xlnet
from seqviz.ui.models import builtin_model
from seqviz.ui.page import device_fallback, page_intro, setup_page

ctx = setup_page("page_fusions")
page_intro(ctx, "fu_title", "fu_intro", "fu_look")

with device_fallback(ctx):  # a GPU out of memory reruns the page on the CPU
    st.header(ctx.t("fu_unilm_header"))
    st.markdown(ctx.t("fu_unilm_intro"))
    unilm.unilm_section(ctx, builtin_model(unilm.UNILM, str(ctx.device)))

    st.header(ctx.t("fu_xlnet_header"))
    st.markdown(ctx.t("fu_xlnet_intro"))
    xlnet.xlnet_section(ctx, builtin_model(xlnet.XLNET, str(ctx.device)))

    st.header(ctx.t("fu_t5_header"))
    st.markdown(ctx.t("fu_t5_intro"))
    t5.t5_section(ctx, builtin_model(t5.T5, str(ctx.device)))

    st.header(ctx.t("fu_retro_header"))
    st.markdown(ctx.t("fu_retro_intro"))
    retro.retro_section(ctx, builtin_model(retro.RETRO, str(ctx.device)))

code_section(ctx)  # the functions behind this page, folded until opened
