"""Explorer: any Hugging Face model's attention (a local folder, or a hub id when online)."""

import streamlit as st

from seqviz.explorer.loading import transformers_available
from seqviz.ui import explorer as sections
from seqviz.ui.code import code_section
from seqviz.ui.page import device_fallback, page_intro, setup_page

EXAMPLE = "the black cat sees the small dogs"

ctx = setup_page("page_explorer")
page_intro(ctx, "hf_title", "hf_intro", "hf_look")
code_section(ctx)  # the loading code, folded until opened: before any stop for a missing model

with device_fallback(ctx):  # a GPU out of memory reruns the page on the CPU
    if not transformers_available():
        st.info(ctx.t("hf_missing"), icon=":material/extension:")
        st.stop()
    explored = sections.loaded_model(ctx)
    if explored is None:
        st.stop()
    text = st.text_input(ctx.t("hf_sentence"), value=EXAMPLE, key="hf_sentence", max_chars=2000)
    if not text.strip():
        st.warning(ctx.t("empty_input", field=ctx.t("hf_sentence"), fallback=EXAMPLE), icon=":material/edit_note:")
        text = EXAMPLE
    sections.attention_section(ctx, explored, text)
    if explored.kind == "decoder":
        st.header(ctx.t("hf_steps"))
        sections.steps_section(ctx, explored, text)
