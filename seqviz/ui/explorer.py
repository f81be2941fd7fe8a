"""The explorer page's sections: load any Hugging Face model (on a shared server: one of the allowed
folder's, by name), then its attention with the built-in pages' figures, and a decoder-only model's
next-token view one step at a time."""

from __future__ import annotations

import numpy as np
import streamlit as st

from .. import shared
from ..explorer.loading import (
    ExplorerError,
    NotOffered,
    allowed_models,
    attention_maps,
    load_allowed,
    load_model,
    next_token,
    prompt_ids,
)
from ..viz.bars import topk_bars
from .figures import attention_views, show_plotly
from .page import PageContext
from .text import md_token

LARGE = 300_000_000  # parameters: slow on a laptop CPU, say so
TOP_K = 10
KIND_NAME_KEYS = {
    "encoder": "hf_kind_encoder",
    "decoder": "hf_kind_decoder",
    "encoder-decoder": "hf_kind_encoder-decoder",
}
DEFAULTS = {"default_view": 1, "default_layer": -1}  # the last layer, mean over heads: a first overview


@st.cache_resource(show_spinner=False, max_entries=2)
def _load(source: str, device: str):
    """One loaded model per (source, device) for the server's lifetime; read-only after loading."""
    return load_model(source, device)


@st.cache_resource(show_spinner=False, max_entries=2)
def _load_offered(name: str, folder: str, device: str):
    """Shared-server mode: one loaded model per (name, folder, device), from the folder's files only."""
    return load_allowed(name, folder, device)


@st.cache_data(show_spinner=False, max_entries=32)
def _maps(_explored, key: tuple, text: str):
    return attention_maps(_explored, text)


def loaded_model(ctx: PageContext):
    """The model the user named (on a shared server: chose), or None (with the reason shown)."""
    mode = shared.current()
    if mode.on:
        return _offered_model(ctx, mode.models)
    source = st.text_input(
        ctx.t("hf_source"),
        key="hf_source",
        placeholder=ctx.t("hf_source_placeholder"),
        help=ctx.t("hf_source_help"),
        max_chars=500,
    ).strip()
    if not source:
        st.info(ctx.t("hf_enter_source"), icon=":material/folder_open:")
        return None
    try:
        with st.spinner(ctx.t("hf_loading", source=source)):
            explored = _load(source, str(ctx.device))
    except ExplorerError as error:
        st.error(ctx.t("hf_load_failed", reason=str(error)), icon=":material/error:")
        return None
    _say_loaded(ctx, explored)
    return explored


def _offered_model(ctx: PageContext, folder):
    """Shared-server mode: a model of the allowed folder, chosen by name. No text box: no server path is
    typed, shown, or answered about, and nothing is downloaded."""
    names = allowed_models(folder)
    if not names:
        st.info(ctx.t("hf_shared_none"), icon=":material/folder_off:")
        return None
    name = st.selectbox(
        ctx.t("hf_shared_pick"),
        names,
        index=None,
        key="hf_shared_model",
        placeholder=ctx.t("hf_shared_placeholder"),
        help=ctx.t("hf_shared_help"),
    )
    if name is None:
        st.info(ctx.t("hf_shared_enter"), icon=":material/folder_open:")
        return None
    try:
        with st.spinner(ctx.t("hf_loading", source=name)):
            explored = _load_offered(name, str(folder), str(ctx.device))
    except NotOffered:  # gone since the list was made: the one answer for every name not offered
        st.error(ctx.t("hf_shared_refused"), icon=":material/block:")
        return None
    except ExplorerError as error:
        st.error(ctx.t("hf_load_failed", reason=str(error)), icon=":material/error:")
        return None
    _say_loaded(ctx, explored)
    return explored


def _say_loaded(ctx: PageContext, explored) -> None:
    st.success(
        ctx.t(
            "hf_loaded",
            name=explored.name,
            kind=ctx.t(KIND_NAME_KEYS[explored.kind]),
            type=explored.model_type,
            n=explored.parameters,
        ),
        icon=":material/memory:",
    )
    if explored.parameters > LARGE:
        st.warning(ctx.t("hf_large", n=explored.parameters), icon=":material/hourglass:")


@st.cache_data(show_spinner=False, max_entries=64)
def _next(_explored, model_key: tuple, ids: tuple[int, ...]):
    """The next-token view after ids, once per model and text (a click reuses the one on screen)."""
    return next_token(_explored, list(ids), TOP_K)


def _future(n: int) -> np.ndarray:
    return np.triu(np.ones((n, n), bool), 1)  # (T, T) True above the diagonal: what a causal model cannot see


def attention_section(ctx: PageContext, explored, text: str) -> None:
    try:
        maps = _maps(explored, (explored.name, str(ctx.device)), text)
    except ExplorerError as error:
        st.warning(ctx.t("hf_attention_failed", reason=str(error)), icon=":material/warning:")
        return
    if maps.truncated:
        st.info(ctx.t("hf_truncated", n=len(maps.tokens)), icon=":material/content_cut:")
    st.markdown(ctx.t("hf_tokens", tokens=" · ".join(f"`{md_token(t)}`" for t in maps.tokens)))
    axes = {"x_title": ctx.t("key_axis"), "y_title": ctx.t("query_axis")}
    if explored.kind == "encoder-decoder":
        st.subheader(ctx.t("hf_encoder_self"))
        attention_views(
            ctx,
            maps.self_attention,
            maps.tokens,
            maps.tokens,
            ctx.t("hf_encoder_self"),
            "hf_enc",
            ("explorer", "encoder", *maps.tokens[:4]),
            **axes,
            **DEFAULTS,
        )
        st.markdown(ctx.t("hf_output", tokens=" · ".join(f"`{md_token(t)}`" for t in maps.target_tokens)))
        st.subheader(ctx.t("hf_cross"))
        attention_views(
            ctx,
            maps.cross_attention,
            maps.target_tokens,
            maps.tokens,
            ctx.t("hf_cross"),
            "hf_cross",
            ("explorer", "cross", *maps.tokens[:4]),
            x_title=ctx.t("hf_source_axis"),
            y_title=ctx.t("hf_target_axis"),
            **DEFAULTS,
        )
        st.subheader(ctx.t("hf_decoder_self"))
        attention_views(
            ctx,
            maps.decoder_attention,
            maps.target_tokens,
            maps.target_tokens,
            ctx.t("hf_decoder_self"),
            "hf_dec",
            ("explorer", "decoder", *maps.tokens[:4]),
            masked=_future(len(maps.target_tokens)),
            **axes,
            **DEFAULTS,
        )
        return
    title = ctx.t("hf_causal_self" if explored.kind == "decoder" else "hf_bidirectional_self")
    masked = _future(len(maps.tokens)) if explored.kind == "decoder" else None
    attention_views(
        ctx,
        maps.self_attention,
        maps.tokens,
        maps.tokens,
        title,
        "hf_self",
        ("explorer", "self", *maps.tokens[:4]),
        masked=masked,
        **axes,
        **DEFAULTS,
    )
    right = float(sum(maps.self_attention[-1].mean(0)[i, i + 1 :].sum() for i in range(len(maps.tokens)))) / len(
        maps.tokens
    )
    st.caption(ctx.t("hf_right_share", share=right))


def steps_section(ctx: PageContext, explored, text: str) -> None:
    """A decoder-only model: the next-token distribution, one greedy token per click."""
    st.markdown(ctx.t("hf_steps_intro"))
    key = (explored.name, text)
    state = st.session_state.get("hf_steps")
    if state is None or state["key"] != key:
        state = st.session_state.hf_steps = {"key": key, "ids": prompt_ids(explored, text)}
    c1, c2 = st.columns(2)
    model_key = (explored.name, str(ctx.device))
    if c1.button(ctx.t("ar_next"), type="primary", icon=":material/skip_next:", key="hf_next"):
        best = _next(explored, model_key, tuple(state["ids"])).top_tokens[:1]  # computed for the last view
        state["ids"] = state["ids"] + list(explored.tokenizer.convert_tokens_to_ids(best))
    if c2.button(ctx.t("ar_reset"), icon=":material/restart_alt:", key="hf_reset"):
        state["ids"] = prompt_ids(explored, text)
    step = _next(explored, model_key, tuple(state["ids"]))
    st.markdown(ctx.t("hf_so_far", tokens=" · ".join(f"`{md_token(t)}`" for t in step.tokens)))
    left, right = st.columns(2)
    with left:
        show_plotly(
            topk_bars(
                step.top_tokens,
                step.top_probs,
                ctx.t("hf_next_title"),
                presentation=ctx.presentation,
                x_title=ctx.t("ae_probability"),
            ),
            "explorer",
            "next_token",
            key="hf_next_bars",
        )
    with right:
        show_plotly(
            topk_bars(
                step.tokens,
                step.last_row.tolist(),
                ctx.t("hf_last_row_title"),
                presentation=ctx.presentation,
                x_title=ctx.t("weight"),
            ),
            "explorer",
            "last_row",
            key="hf_last_row",
        )
