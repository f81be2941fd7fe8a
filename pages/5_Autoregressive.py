"""Autoregressive (GPT): generation one token at a time, sampling, beam search and the KV cache."""

import streamlit as st

from seqviz.data.text import tokenize
from seqviz.data.toy import example_sentences
from seqviz.decoding.speed import TEACHER_FORCED_EXAMPLE
from seqviz.ui import autoregressive as sections
from seqviz.ui.charlm import charlm_section
from seqviz.ui.code import code_section
from seqviz.ui.models import builtin_model
from seqviz.ui.page import device_fallback, page_intro, setup_page
from seqviz.ui.speculative import speculative_section

ctx = setup_page("page_autoregressive")
page_intro(ctx, "ar_title", "ar_intro", "ar_look")

with device_fallback(ctx):  # a GPU out of memory reruns the page on the CPU
    clm = builtin_model("toy_clm", str(ctx.device))
    settings = sections.settings(ctx)
    prompt = sections.prompt_ids(ctx, clm)
    sections.stepper(ctx, clm, settings, prompt)
    sections.quality_section(ctx, clm, settings)

    st.header(ctx.t("ar_beam"))
    sections.beam_section(ctx, clm, prompt)

    st.header(ctx.t("ar_spec"))
    speculative_section(ctx, clm, settings, prompt)

    st.header(ctx.t("ar_kv"))
    sections.kv_section(ctx)

    st.header(ctx.t("ar_parallel"))
    sections.parallel_section(ctx, clm, tuple(tokenize(example_sentences("en")[TEACHER_FORCED_EXAMPLE])))

    st.header(ctx.t("ar_exposure"))
    sections.exposure_section(ctx, clm, prompt)

    st.header(ctx.t("ar_char"))
    charlm_section(ctx)

code_section(ctx)  # the functions behind this page, folded until opened
