"""The autoregressive page's speculative decoding section: a small draft model guesses, the toy LM checks."""

from __future__ import annotations

import streamlit as st
import torch

from ..decoding.speculative import compare_with_plain
from ..device import describe
from ..models.checkpoint import Checkpoint
from .autoregressive import Settings
from .models import builtin_model
from .page import PageContext
from .text import md_token

DRAFT = "toy_clm_draft"


def _round_line(ctx: PageContext, number: int, round_, vocab) -> str:
    """Kept guesses green, the rejected one red and struck out, unchecked ones grey, the target's token blue."""
    words = []
    for j, token in enumerate(round_.proposed):
        word = md_token(vocab.token(token))
        rejected = j == round_.accepted and round_.target_token >= 0  # not when the round ended at <eos>
        words.append(
            f":green[{word}]" if j < round_.accepted else f":red[~~{word}~~]" if rejected else f":gray[~~{word}~~]"
        )
    own = f" → :blue[**{md_token(vocab.token(round_.target_token))}**]" if round_.target_token >= 0 else ""
    return f"{ctx.t('ar_spec_round', n=number)} " + " ".join(words) + own


def speculative_section(ctx: PageContext, target: Checkpoint, s: Settings, prompt: list[int]) -> None:
    st.markdown(ctx.t("ar_spec_intro"))
    try:
        draft = builtin_model(DRAFT, str(ctx.device))
    except FileNotFoundError:
        st.info(ctx.t("ar_spec_missing"), icon=":material/info:")
        return
    vocab = target.vocab
    k = st.slider(ctx.t("ar_spec_k"), 1, 8, 4, key="ar_spec_k", help=ctx.t("ar_spec_k_help"))
    key = (tuple(prompt), k, s, str(ctx.device))
    if st.button(ctx.t("ar_spec_run"), icon=":material/bolt:", key="ar_spec_run"):
        with st.spinner(ctx.t("ar_spec_running")):
            comparison = compare_with_plain(
                target.model,
                draft.model,
                torch.tensor(prompt, device=ctx.device),
                target.model.config.max_len,
                k,
                s.greedy,
                s.processors(vocab),
                vocab.eos_id,
                s.seed,
            )
        st.session_state.ar_spec = (key, comparison)
    saved = st.session_state.get("ar_spec")
    if not saved or saved[0] != key:
        st.caption(ctx.t("ar_spec_press"))
        st.markdown(ctx.t("ar_spec_anchors"))
        return
    comparison = saved[1]
    result = comparison.result
    st.markdown("  \n".join(_round_line(ctx, i + 1, r, vocab) for i, r in enumerate(result.rounds)))
    st.caption(ctx.t("ar_spec_legend"))
    new = len(result.ids) - len(prompt)
    st.markdown(
        ctx.t(
            "ar_spec_result",
            new=new,
            passes=result.target_passes,
            rate=result.acceptance_rate,
            draft=result.draft_passes,
            spec_ms=comparison.ms_per_token("speculative"),
            plain_ms=comparison.ms_per_token("plain"),
            speedup=comparison.speedup,
        )
    )
    if s.greedy:
        st.markdown(ctx.t("ar_spec_identical" if comparison.identical else "ar_spec_different"))
    else:
        st.markdown(ctx.t("ar_spec_sampled"))
    st.caption(
        ctx.t(
            "ar_spec_method",
            method=comparison.plain.method(),
            device=describe(ctx.device),
            draft=draft.metrics.get("parameters", 0),
            target=target.metrics.get("parameters", 0),
        )
    )
    st.markdown(ctx.t("ar_spec_anchors"))
