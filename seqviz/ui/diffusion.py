"""The masked-diffusion page: write a sentence from all [MASK] (or fill the blanks of a typed one) in S
denoising steps, step by step; quality against steps as measured; time per sentence on this device."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import torch

from ..data.text import MASK_TOKEN
from ..data.toy import is_grammatical
from ..decoding.diffusion import STRATEGIES, denoising_grid, diffuse, masked_start
from ..decoding.speed import DIFFUSION_TIMED, diffusion_timing
from ..device import describe
from ..export.animation import denoising_animation
from ..models.checkpoint import Checkpoint
from ..training.evaluation import DIFFUSION_BLOCK, DIFFUSION_MAX_WORDS
from ..viz.curves import accuracy_curves
from ..viz.parallel import mask_predict_figure
from .figures import gif_button, show_altair, show_plotly
from .inputs import toy_words
from .models import builtin_model, page_deck
from .page import PageContext
from .text import md_highlighted

DIFFUSION, CLM = "toy_diffusion", "toy_clm"
STRATEGY_NAME_KEYS = {
    "random": "dif_strategy_random",
    "confidence": "dif_strategy_confidence",
    "blocks": "dif_strategy_blocks",
}
START_NAME_KEYS = {"nothing": "dif_from_nothing", "infill": "dif_infill"}
MIN_LENGTH, MAX_LENGTH, DEFAULT_LENGTH = 2, DIFFUSION_MAX_WORDS, 8  # words: the grid must stay readable
INFILL_EXAMPLE = "the [MASK] [MASK] sleeps on the [MASK]"
TIMED_LENGTH, TIMED_STEPS = DIFFUSION_TIMED  # the sentence length and step counts timed
BAR = 0.9  # issue 20: at S = N with confidence remasking


def _new_sample() -> None:
    st.session_state.dif_seed = st.session_state.get("dif_seed", 0) + 1


def start(ctx: PageContext, ckpt: Checkpoint) -> tuple[torch.Tensor, list[str]] | None:
    """The denoiser's starting point: [CLS] [MASK]×N [SEP] for a chosen length, or the typed sentence with its
    [MASK]s (its other words stay). -> (ids (1, T), the words as shown) or None when nothing can be written."""
    vocab = ckpt.vocab
    mode = st.segmented_control(
        ctx.t("dif_start"),
        list(START_NAME_KEYS),
        default="nothing",
        required=True,
        format_func=lambda m: ctx.t(START_NAME_KEYS[m]),
        key="dif_start",
    )
    if mode == "nothing":
        length = st.slider(ctx.t("dif_length"), MIN_LENGTH, MAX_LENGTH, DEFAULT_LENGTH, key="dif_length")
        return masked_start([length], vocab).to(ctx.device), [MASK_TOKEN] * length
    text = st.text_input(ctx.t("dif_infill_text"), INFILL_EXAMPLE, key="dif_infill_text", max_chars=2000)
    words = toy_words(ctx, text, MAX_LENGTH)
    if MASK_TOKEN not in words:
        st.warning(ctx.t("dif_no_mask"), icon=":material/edit_note:")
        return None
    given = {i: w for i, w in enumerate(words) if w != MASK_TOKEN}
    return masked_start([len(words)], vocab, [given]).to(ctx.device), words


@st.fragment  # a new sample, a strategy or a step picked redraws this section alone
def writing_section(ctx: PageContext, ckpt: Checkpoint) -> None:
    begun = start(ctx, ckpt)
    if begun is None:
        return
    ids, shown = begun
    n_masked = shown.count(MASK_TOKEN)
    strategy = st.segmented_control(
        ctx.t("dif_strategy"),
        STRATEGIES,
        default="confidence",
        required=True,
        format_func=lambda s: ctx.t(STRATEGY_NAME_KEYS[s]),
        key="dif_strategy",
    )
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    steps = left.slider(ctx.t("dif_steps"), 1, n_masked, n_masked, key=f"dif_steps_{n_masked}") if n_masked > 1 else 1
    right.button(ctx.t("dif_new_sample"), icon=":material/casino:", on_click=_new_sample, key="dif_new")
    block = DIFFUSION_BLOCK
    if strategy == "blocks":
        block = st.slider(ctx.t("dif_block"), 1, max(1, n_masked), min(DIFFUSION_BLOCK, n_masked), key="dif_block")
    generator = torch.Generator().manual_seed(st.session_state.get("dif_seed", 0))
    result = diffuse(ckpt.model, ids, ckpt.vocab, steps, strategy, block, generator=generator)
    tokens, confidence, revealed = denoising_grid(result, ckpt.vocab)
    step = (
        st.slider(ctx.t("dif_show_step"), 1, result.steps, result.steps, key=f"dif_step_{result.steps}")
        if result.steps > 1
        else 1
    )
    written = tokens[step - 1]
    if step < result.steps:
        sentence = md_highlighted(written, revealed[step - 1])
        st.markdown(ctx.t("dif_at_step", step=step, n=result.steps, sentence=sentence))
    else:  # the whole sentence; in an infill, the words the model wrote are highlighted
        infill = any(w != MASK_TOKEN for w in shown)
        sentence = md_highlighted(written, [infill and given == MASK_TOKEN for given in shown])
        verdict = ctx.t("fu_checked_right" if is_grammatical(written) else "fu_checked_wrong")
        st.markdown(ctx.t("dif_written", n=result.steps, sentence=sentence, verdict=verdict))
    figure = mask_predict_figure(
        tokens[:step],
        confidence[:step],
        revealed[:step],
        ctx.t("dif_grid_title", strategy=ctx.t(STRATEGY_NAME_KEYS[strategy])),
        presentation=ctx.presentation,
        x_title=ctx.t("dif_position"),
        y_title=ctx.t("dif_step"),
        colorbar_title=ctx.t("par_confidence"),
    )
    show_plotly(figure, "diffusion", "denoising", strategy, str(steps), key="dif_grid")
    title = ctx.t("dif_grid_title", strategy=ctx.t(STRATEGY_NAME_KEYS[strategy]))
    gif_button(
        ctx,
        lambda: denoising_animation(page_deck(ctx, shown), tokens, confidence, revealed, title),
        "diffusion",
        "denoising",
        strategy,
        str(steps),
        key="dif_gif",
    )
    st.caption(ctx.t("dif_grid_caption"))


def quality_section(ctx: PageContext, metrics: dict, clm_metrics: dict) -> None:
    """The share of grammatical samples against the number of steps, per strategy, as recorded at training
    time, beside the causal LM writing one word per step."""
    curve = metrics["grammatical"]
    rows = [
        {"step": steps, "accuracy": share, "series": ctx.t(STRATEGY_NAME_KEYS[strategy])}
        for strategy, points in curve.items()
        for steps, share in points.items()
    ]
    rows.append({"step": "N", "accuracy": clm_metrics["samples_grammatical_t1"], "series": ctx.t("dif_clm")})
    st.subheader(ctx.t("dif_curve_title", n=metrics["samples"]))
    chart = accuracy_curves(
        rows,
        x_title=ctx.t("dif_steps_axis"),
        y_title=ctx.t("dif_grammatical"),
        series_title=ctx.t("dif_sampler"),
        presentation=ctx.presentation,
        categorical_steps=True,
    )
    show_altair(chart, "diffusion", "quality_vs_steps", key="dif_curve")
    st.markdown(
        ctx.t(
            "dif_curve_result",
            n=metrics["samples"],
            best=curve["confidence"]["N"],
            one=curve["confidence"]["1"],
            random=curve["random"]["N"],
            clm=clm_metrics["samples_grammatical_t1"],
            bar=BAR,
            max=DIFFUSION_MAX_WORDS,
        )
    )


@st.cache_resource(show_spinner=False, max_entries=4)
def _timings(device: str) -> dict:
    """Time per sentence on this device, measured once per server and device (shared read-only)."""
    diffusion, clm = builtin_model(DIFFUSION, device), builtin_model(CLM, device)
    return diffusion_timing(diffusion.model, clm.model, diffusion.vocab, TIMED_LENGTH, TIMED_STEPS, device)


def timing_section(ctx: PageContext) -> None:
    with st.spinner(ctx.t("dif_timing_spinner")):
        timings = _timings(str(ctx.device))
    rows = [
        {
            ctx.t("dif_method"): ctx.t("dif_diffusion_steps", steps=s),
            ctx.t("dif_passes"): s,
            ctx.t("dif_ms"): f"{timings[f'S={s}'].median_ms:.1f}",
        }
        for s in TIMED_STEPS
    ]
    rows.append(
        {
            ctx.t("dif_method"): ctx.t("dif_clm"),
            ctx.t("dif_passes"): TIMED_LENGTH,
            ctx.t("dif_ms"): f"{timings['ar'].median_ms:.1f}",
        }
    )
    st.table(pd.DataFrame(rows), hide_index=True)
    ar = timings["ar"]
    st.caption(
        ctx.t("dif_timing_method", n=TIMED_LENGTH, repeats=ar.repeats, warmup=ar.warmup, device=describe(ctx.device))
    )
