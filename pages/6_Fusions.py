"""Fusions: UniLM (one network, three masks), XLNet (a permutation LM), RETRO (retrieval)."""

import streamlit as st

from seqviz.ui import fusions as sections
from seqviz.ui.models import builtin_model
from seqviz.ui.page import device_fallback, page_intro, setup_page

ctx = setup_page("page_fusions")
page_intro(ctx, "fu_title", "fu_intro", "fu_look")

with device_fallback(ctx):  # a GPU out of memory reruns the page on the CPU
    st.header(ctx.t("fu_unilm_header"))
    st.markdown(ctx.t("fu_unilm_intro"))
    sections.unilm_section(ctx, builtin_model(sections.UNILM, str(ctx.device)))

    st.header(ctx.t("fu_xlnet_header"))
    st.markdown(ctx.t("fu_xlnet_intro"))
    sections.xlnet_section(ctx, builtin_model(sections.XLNET, str(ctx.device)))

    st.header(ctx.t("fu_retro_header"))
    st.markdown(ctx.t("fu_retro_intro"))
    sections.retro_section(ctx, builtin_model(sections.RETRO, str(ctx.device)))
