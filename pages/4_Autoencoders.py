"""Autoencoders: ELECTRA detects replaced words, BART rewrites a noised sentence, a VAE maps sentences to a
space it can sample from."""

import streamlit as st

from seqviz.ui import autoencoders as sections
from seqviz.ui.code import code_section
from seqviz.ui.page import device_fallback, page_intro, setup_page

ctx = setup_page("page_autoencoders")
page_intro(ctx, "aef_title", "aef_intro", "aef_look")

with device_fallback(ctx):  # a GPU out of memory reruns the page on the CPU
    st.header(ctx.t("aef_electra"))
    sections.electra_section(ctx)
    st.subheader(ctx.t("aef_versus"))
    sections.electra_versus_section(ctx)

    st.header(ctx.t("aef_bart"))
    sections.bart_section(ctx)

    st.header(ctx.t("aef_vae"))
    sections.vae_section(ctx)

code_section(ctx)  # the functions behind this page, folded until opened
