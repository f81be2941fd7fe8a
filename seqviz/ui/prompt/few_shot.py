"""Few-shot prompts of a mapping the model never saw: its answer, and accuracy against the number of examples."""

from __future__ import annotations

import random

import numpy as np
import streamlit as st

from ...data.induction import (
    CHANCE,
    MAX_SHOTS,
    FewShot,
    few_shot_prompt,
    induction_vocab,
)
from ...explain.induction import STACK, answer
from ...viz.induction import few_shot_figure
from ..figures import show_plotly
from ..models import builtin_model
from ..page import PageContext
from .common import DEFAULT_K, MODEL, PROMPT_SEED, every_induction_head, induction_checkpoint

# ---- few-shot -----------------------------------------------------------------------------------------------


def _new_prompt() -> None:
    st.session_state.icl_prompt_draw = st.session_state.get("icl_prompt_draw", 0) + 1


@st.fragment  # k, a new prompt or the switch redraws this section alone
def few_shot_section(ctx: PageContext) -> None:
    ckpt = induction_checkpoint(ctx)
    metrics = ckpt.metrics
    every = every_induction_head(ctx, metrics)
    st.markdown(ctx.t("icl_fs_intro", chance=CHANCE))
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    k = left.slider(ctx.t("icl_k"), 0, MAX_SHOTS, DEFAULT_K, key="icl_k")
    right.button(ctx.t("icl_prompt_new"), icon=":material/casino:", key="icl_prompt_new", on_click=_new_prompt)
    off = st.toggle(ctx.t("icl_fs_off", heads=every), key="icl_fs_off")
    draw = st.session_state.get("icl_prompt_draw", 0)
    prompt = few_shot_prompt(random.Random(PROMPT_SEED + 100 * draw + k), k)
    heads = tuple(tuple(h) for h in metrics["induction_heads"]) if off else ()
    said, p, p_right = _answer(prompt.tokens, prompt.answer, str(ctx.device), heads)
    pairs = ctx.t("list_separator").join(f"{a} → {b}" for a, b in prompt.pairs)
    shown = f"{pairs}{ctx.t('list_separator') if pairs else ''}{prompt.query} → ?"
    st.markdown(ctx.t("icl_fs_prompt", prompt=shown, tokens=" ".join(prompt.tokens)))
    verdict = "icl_fs_right" if said == prompt.answer else "icl_fs_wrong"
    icon = ":material/check_circle:" if said == prompt.answer else ":material/cancel:"
    st.markdown(f"{icon} " + ctx.t(verdict, said=said, p=p, answer=prompt.answer, p_right=p_right))
    if k == 0:
        st.caption(ctx.t("icl_fs_zero", chance=CHANCE))

    curve = metrics["few_shot"]
    curves = {ctx.t("icl_intact"): curve["accuracy"]}
    curves[ctx.t("icl_ablated", heads=every)] = metrics["few_shot_without_induction_heads"]
    figure = few_shot_figure(
        curve["k"],
        curves,
        ctx.t("icl_fs_title", n=curve["prompts_per_k"]),
        presentation=ctx.presentation,
        chance=curve["chance"],
        chance_label=ctx.t("icl_chance", chance=curve["chance"]),
        guess=curve["guess_a_value_shown"],
        guess_name=ctx.t("icl_guess"),
        x_title=ctx.t("icl_k_axis"),
        y_title=ctx.t("icl_fs_axis"),
    )
    show_plotly(figure, "prompt", "few_shot", key="icl_fs_curve")
    accuracy = curve["accuracy"]
    st.markdown(
        ctx.t(
            "icl_fs_result",
            zero=accuracy[0],
            one=accuracy[1],
            best=max(accuracy[1:]),
            best_k=1 + int(np.argmax(accuracy[1:])),
            last=accuracy[-1],
            k_max=MAX_SHOTS,
            without=max(metrics["few_shot_without_induction_heads"][1:]),
            heads=every,
            chance=curve["chance"],
        )
    )


@st.cache_data(max_entries=512, show_spinner=False)
def _answer(tokens: tuple[str, ...], right: str, device: str, off: tuple) -> tuple[str, float, float]:
    """The model's next symbol after the prompt, its probability and the right one's; once per prompt."""
    ckpt = builtin_model(MODEL, device)
    keys_values = tuple(zip(tokens[:-1:2], tokens[1::2], strict=True))
    prompt = FewShot(keys_values, tokens[-1], right)
    return answer(ckpt.model, induction_vocab(), prompt, [(STACK, *h) for h in off])
