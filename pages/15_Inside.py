"""Inside the models: explanations (attention heads, saliency, rollout, ablation, the logit lens) scored
against what the toy language knows to be true."""

import streamlit as st

from seqviz.ui import inside as sections
from seqviz.ui.code import code_section
from seqviz.ui.models import builtin_model
from seqviz.ui.page import device_fallback, page_intro, setup_page

ctx = setup_page("page_inside")
page_intro(ctx, "ins_title", "ins_intro", "ins_look")

with device_fallback(ctx):  # a GPU out of memory reruns the page on the CPU
    translator = builtin_model(sections.TRANSLATOR, str(ctx.device))
    st.header(ctx.t("ins_alignment_header"))
    sections.alignment_section(ctx, translator, builtin_model(sections.BAHDANAU, str(ctx.device)))
    st.subheader(ctx.t("ins_example_header"))
    sections.example_section(ctx, translator)

    st.header(ctx.t("ins_ablation_header"))
    sections.ablation_section(ctx)

    st.header(ctx.t("ins_lens_header"))
    sections.lens_section(ctx)

    st.header(ctx.t("ins_methods_header"))
    st.markdown(ctx.t("ins_methods"))

code_section(ctx)  # the functions behind this page, folded until opened
