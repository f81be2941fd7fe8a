"""Masks: the same attention block becomes each paradigm by changing only its mask."""

import streamlit as st

from seqviz.ui import masks as sections
from seqviz.ui.code import code_section
from seqviz.ui.page import device_fallback, page_intro, setup_page

ctx = setup_page("page_masks")
page_intro(ctx, "masks_title", "masks_intro", "masks_look")

with device_fallback(ctx):  # a GPU out of memory reruns the page on the CPU
    inputs = sections.mask_inputs(ctx)

    st.header(ctx.t("gallery"))
    st.caption(ctx.t("gallery_caption"))
    sections.gallery_section(ctx, inputs)

    st.header(ctx.t("pipeline"))
    sections.pipeline_section(ctx, inputs)

code_section(ctx)  # the functions behind this page, folded until opened
