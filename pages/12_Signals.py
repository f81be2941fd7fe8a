"""Signals: sequences that are not sentences. A time series forecast step by step (fed back) or all at once,
and CTC where it was born: letters read off speech-like frames."""

import streamlit as st

from seqviz.ui import signals as sections
from seqviz.ui.code import code_section
from seqviz.ui.page import device_fallback, page_intro, setup_page

ctx = setup_page("page_signals")
page_intro(ctx, "sig_title", "sig_intro", "sig_look")

with device_fallback(ctx):  # a GPU out of memory reruns the page on the CPU
    st.header(ctx.t("sig_forecasting"))
    sections.forecasting_section(ctx)

    st.header(ctx.t("sig_speech"))
    sections.speech_section(ctx)

code_section(ctx)  # the functions behind this page, folded until opened
