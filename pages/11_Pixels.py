"""Images, pixel by pixel: PixelCNN's 2-D causal mask, a digit drawn one pixel at a time, and the one-shot
rival that draws every pixel at once."""

import streamlit as st

from seqviz.ui import pixels as sections
from seqviz.ui.code import code_section
from seqviz.ui.page import device_fallback, page_intro, setup_page

ctx = setup_page("page_pixels")
page_intro(ctx, "pix_title", "pix_intro", "pix_look")

with device_fallback(ctx):  # a GPU out of memory reruns the page on the CPU
    pixelcnn, one_shot, classifier = sections.models(ctx)
    st.header(ctx.t("pix_masks_header"))
    sections.masks_section(ctx, pixelcnn)

    st.header(ctx.t("pix_draw_header"))
    sections.drawing_section(ctx, pixelcnn, classifier)

    st.header(ctx.t("pix_rival_header"))
    sections.rival_section(ctx)

    st.header(ctx.t("pix_measured_header"))
    sections.measured_section(ctx, pixelcnn, one_shot, classifier)
    st.markdown(ctx.t("pix_relation"))

code_section(ctx)  # the functions behind this page, folded until opened
