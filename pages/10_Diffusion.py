"""Masked diffusion: a sentence written from all [MASK] in S parallel denoising steps, beside the causal LM."""

import streamlit as st

from seqviz.ui import diffusion as sections
from seqviz.ui.code import code_section
from seqviz.ui.models import builtin_model
from seqviz.ui.page import device_fallback, page_intro, setup_page

ctx = setup_page("page_diffusion")
page_intro(ctx, "dif_title", "dif_intro", "dif_look")

with device_fallback(ctx):  # a GPU out of memory reruns the page on the CPU
    model = builtin_model(sections.DIFFUSION, str(ctx.device))
    st.header(ctx.t("dif_write_header"))
    sections.writing_section(ctx, model)

    st.header(ctx.t("dif_quality_header"))
    sections.quality_section(ctx, model.metrics, builtin_model(sections.CLM, str(ctx.device)).metrics)
    st.markdown(ctx.t("dif_mask_predict"))

    st.header(ctx.t("dif_timing_header"))
    sections.timing_section(ctx)

code_section(ctx)  # the functions behind this page, folded until opened
