"""seqviz home: the paradigm map, one mask per paradigm, and a link to every page."""

import streamlit as st

from seqviz.models.masks import bidirectional_mask, causal_mask, joint_mask
from seqviz.ui.code import code_section, comparison_section
from seqviz.ui.figures import show_plotly
from seqviz.ui.page import PAGES, page_link, setup_page
from seqviz.ui.text import paradigm_cards_markdown, paradigm_columns, paradigm_table_markdown
from seqviz.viz.masks import mask_figure

ctx = setup_page("page_home", by_width=True)  # the paradigm map
st.title(ctx.t("home_title"))
st.markdown(ctx.t("home_intro"))

st.header(ctx.t("home_masks"))
st.caption(ctx.t("home_masks_caption"))
source, target = ("the", "cat", "sleeps"), ("le", "chat", "dort")
thumbnails = (
    (bidirectional_mask(5), ("the", "cat", "[MASK]", "on", "mats")),
    (causal_mask(5), ("the", "cat", "sleeps", "on", "mats")),
    (joint_mask(3, 3), source + target),
    (joint_mask(3, 3, causal_target=False), source + target),
)
for column, name, paradigm, (mask, labels) in zip(
    st.columns(4), paradigm_columns(ctx.lang), paradigm_columns("en"), thumbnails, strict=True
):
    with column:
        st.markdown(f"**{name}**")
        fig = mask_figure(mask.numpy(), labels, labels, name, presentation=ctx.presentation, small=True)
        show_plotly(fig, "home", "mask", paradigm, key=f"thumb_{paradigm}")

st.header(ctx.t("home_map"))
st.markdown(
    (paradigm_cards_markdown if ctx.narrow else paradigm_table_markdown)(ctx.lang)
)  # a phone: no sideways scroll

st.header(ctx.t("home_pages"))
for path, label_key, summary_key, icon in PAGES[1:]:
    page_link(ctx, path, f"**{ctx.t(label_key)}**", icon)
    st.caption(ctx.t(summary_key))

st.header(ctx.t("code_compare_header"))
comparison_section(ctx)  # two paradigms' code side by side, folded until opened
code_section(ctx)  # the functions behind this page, folded until opened
