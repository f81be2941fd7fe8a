"""The sections of the parallel-decoding page: settings, four decoders side by side with their measured time,
mask-predict's iterations, CTC's raw path, NAT's length distribution, raw vs distilled training, and speed
against target length at batch 1 and 64."""

from __future__ import annotations

import time
from dataclasses import replace

import pandas as pd
import streamlit as st
import torch

from ..data.toy import check_translation, is_grammatical
from ..data.toy_generator import make_pairs
from ..decoding.parallel import iteration_grid
from ..decoding.seq2seq import translate_all
from ..decoding.speed import (
    METHOD_NAME_KEYS,
    decode_with,
    decoding_speeds,
    speedups,
    time_decoders,
    work_shape,
)
from ..device import describe
from ..export.animation import iterations_animation
from ..models.checkpoint import Checkpoint
from ..training.builtin import PARALLEL_DECODERS
from ..training.evaluation import mixed_translations, repeated_token_rate
from ..training.recipes import RECIPES
from ..training.splits import translation_split_head
from ..viz.bars import topk_bars
from ..viz.parallel import mask_predict_figure, speed_chart
from .figures import gif_button, show_plotly
from .models import builtin_model, page_deck
from .page import PageContext
from .text import md_token

METHODS = tuple(METHOD_NAME_KEYS)
KINDS = ("nat", "cmlm", "ctc")
DATA_NAME_KEYS = {"raw": "par_raw", "distilled": "par_distilled"}  # what the parallel models learned from
SPEED_LENGTHS, SPEED_BATCHES = (8, 16, 32, 64), (1, 64)
RATIO_LENGTH = 32  # the "about 30 target tokens"
MIXED_SCANNED, MIXED_SHOWN = 300, 3  # held-out sentences searched for the raw NAT's mixed translations; shown


def models_for(ctx: PageContext, data: str) -> dict[str, Checkpoint]:
    """The autoregressive teacher and the three parallel models trained on `data` (raw or distilled)."""
    models = {kind: builtin_model(f"{kind}_{data}", str(ctx.device)) for kind in KINDS}
    return {"ar": builtin_model("toy_transformer_mt", str(ctx.device)), **models}


def settings(ctx: PageContext) -> tuple[str, int, int | None]:
    """Training data of the parallel models, mask-predict's iterations, and an optional forced length."""
    max_len = builtin_model("nat_distilled", str(ctx.device)).model.config.max_len
    c1, c2, c3 = st.columns([2, 1.4, 1])
    data = c1.segmented_control(
        ctx.t("par_training"),
        ("distilled", "raw"),
        default="distilled",
        required=True,
        format_func=lambda d: ctx.t(DATA_NAME_KEYS[d]),
        key="par_data",
    )
    iterations = c2.slider(ctx.t("par_iterations"), 1, 10, 10, key="par_iterations")
    length = int(c3.number_input(ctx.t("par_length"), 0, 200, 0, key="par_length"))
    if length and not 1 <= length <= max_len:
        st.warning(ctx.t("par_length_bad", n=length, max=max_len), icon=":material/straighten:")
        length = 0
    return data, iterations, length or None


def _decode_all(models, key: tuple, words: tuple[str, ...], iterations: int, length: int | None, vocab):
    """Each decoder's output, once per server for what it depends on (mask-predict on the iterations, the
    others not), and their timings, once per server for each work shape: a sentence whose source and outputs
    have the lengths of one timed before is not timed again."""
    src = torch.tensor(vocab.encode(words), device=next(models["ar"].parameters()).device)
    decoded = {
        method: _decoded(models, key, words, method, iterations if method == "mask_predict" else 0, length, vocab)
        for method in METHODS
    }
    timings = _timings(models, key, work_shape(src, decoded, iterations), src, iterations, length, vocab)
    return {method: replace(result, timing=timings[method]) for method, result in decoded.items()}


@st.cache_resource(show_spinner=False, max_entries=512)
def _decoded(_models, key: tuple, words: tuple[str, ...], method: str, iterations: int, length: int | None, _vocab):
    """One decoder's output for one source (deterministic; shared read-only)."""
    src = torch.tensor(_vocab.encode(words), device=next(_models["ar"].parameters()).device)
    return decode_with(method, _models, src, _vocab, iterations or 1, length)


@st.cache_resource(show_spinner=False, max_entries=256)
def _timings(_models, key: tuple, shape: tuple[int, ...], _src, iterations: int, length: int | None, _vocab):
    """The four decoders timed on the first source of this work shape (decoding.speed.work_shape)."""
    return time_decoders(_models, _src, _vocab, iterations, length)


def side_by_side(
    ctx: PageContext, models: dict[str, Checkpoint], data: str, words: list[str], iterations: int, length: int | None
) -> dict:
    vocab = models["ar"].vocab
    if length is not None:
        st.info(ctx.t("par_length_forced", n=length, s=len(words)), icon=":material/straighten:")
    nets = {name: ckpt.model for name, ckpt in models.items()}
    with st.spinner(ctx.t("par_timing_now")):
        results = _decode_all(nets, (data, str(ctx.device)), tuple(words), iterations, length, vocab)
    checkable = is_grammatical(words)
    for column, method in zip(st.columns(len(METHODS)), METHODS, strict=True):
        result = results[method]
        text = vocab.decode(result.tokens)
        with column.container(border=True):
            st.markdown(f"**{ctx.t(METHOD_NAME_KEYS[method], t=iterations)}**")
            st.markdown(f"### {md_token(' '.join(text)) or '∅'}")
            if checkable:
                st.markdown(ctx.t("s2s_right" if check_translation(words, text) else "s2s_wrong"))
            st.markdown(ctx.t("par_cost", ms=result.timing.median_ms, passes=result.passes))
    any_timing = results["ar"].timing
    st.caption(ctx.t("par_timing_note", runs=any_timing.repeats, device=any_timing.device))
    return results


def iterations_section(ctx: PageContext, result, vocab, words: list[str]) -> None:
    st.markdown(ctx.t("par_iter_intro"))
    ids, confidence, remasked = iteration_grid(result.detail.iterations, vocab.pad_id)
    figure = mask_predict_figure(
        [vocab.decode(row) for row in ids],
        confidence,
        remasked,
        ctx.t("par_iter_title"),
        presentation=ctx.presentation,
        x_title=ctx.t("par_position"),
        y_title=ctx.t("par_iteration"),
        colorbar_title=ctx.t("par_confidence"),
    )
    show_plotly(figure, "parallel", "mask_predict_iterations", *words[:4], key="par_iterations_figure")
    title = ctx.t("anim_mask_predict_title", sentence=" ".join(words))
    tokens = [vocab.decode(row) for row in ids]
    gif_button(
        ctx,
        lambda: iterations_animation(page_deck(ctx, words), tokens, confidence, remasked, title),
        "parallel",
        "mask_predict_iterations",
        *words[:4],
        key="par_iterations_gif",
    )


def ctc_section(ctx: PageContext, result, vocab) -> None:
    st.markdown(ctx.t("par_ctc_intro"))
    path = ["‹_›" if i == vocab.blank_id else md_token(vocab.token(i)) for i in result.detail.paths[0]]
    st.markdown(ctx.t("par_ctc_raw", n=len(path), path=" ".join(f"`{p}`" for p in path)))
    st.markdown(ctx.t("par_ctc_collapsed", text=md_token(" ".join(vocab.decode(result.tokens))) or "∅"))


def length_section(ctx: PageContext, result, words: list[str]) -> None:
    st.markdown(ctx.t("par_length_intro"))
    probs, lengths = result.detail.length_probs[0], result.detail.lengths[0]
    top = probs.topk(5)
    labels = [ctx.t("par_tokens", n=int(lengths[i])) for i in top.indices]
    show_plotly(
        topk_bars(
            labels,
            top.values.tolist(),
            ctx.t("par_length_title"),
            presentation=ctx.presentation,
            x_title=ctx.t("s2s_probability"),
        ),
        "parallel",
        "nat_length",
        *words[:4],
        key="par_length_bars",
    )


@st.cache_resource(show_spinner=False, max_entries=4)  # shared read-only: no copy on every rerun
def _mixed_examples(device: str, scanned: int = MIXED_SCANNED) -> tuple[list, dict[str, list], dict[str, list[int]]]:
    """The first `scanned` held-out sources, both NATs' outputs for them, and which outputs are mixed
    translations (deterministic, so computed once per device)."""
    sources = [source for source, _ in translation_split_head("test", scanned, **RECIPES["nat_raw"].data)]
    outputs, mixed = {}, {}
    for data in ("raw", "distilled"):
        ckpt = builtin_model(f"nat_{data}", device)
        outputs[data] = translate_all(ckpt.model, ckpt.vocab, sources, decode=PARALLEL_DECODERS["nat"])
        mixed[data] = mixed_translations(sources, outputs[data])
    return sources, outputs, mixed


@st.cache_data(show_spinner=False)
def _reference_repeats(n: int = 1000) -> float:
    """The repeated-token rate of correct translations themselves (n generated pairs)."""
    return repeated_token_rate([pair.fr for pair in make_pairs(n, seed=1)])


def multimodality_section(ctx: PageContext) -> None:
    names = {
        "toy_transformer_mt": ctx.t("par_ar"),
        "nat": ctx.t("par_nat"),
        "cmlm": ctx.t("par_mask_predict", t=10),
        "ctc": ctx.t("par_ctc"),
    }
    rows = []
    for name in ("toy_transformer_mt", *(f"{kind}_{data}" for kind in KINDS for data in ("raw", "distilled"))):
        metrics = builtin_model(name, str(ctx.device)).metrics
        kind, _, data = name.partition("_")
        rows.append(
            {
                ctx.t("par_model"): names.get(kind, names["toy_transformer_mt"]),
                ctx.t("par_data"): ctx.t(DATA_NAME_KEYS.get(data, "par_raw")),
                ctx.t("par_exact"): f"{metrics.get('exact_match', 0):.1%}",
                ctx.t("par_mixed"): f"{metrics['mixed_translation_rate']:.1%}"
                if "mixed_translation_rate" in metrics
                else "–",
                ctx.t("par_repeats"): f"{metrics['repeated_token_rate']:.2%}"
                if "repeated_token_rate" in metrics
                else "–",
            }
        )
    st.markdown(
        ctx.t(
            "par_multi_intro",
            n=builtin_model("nat_raw", str(ctx.device)).metrics.get("heldout_pairs", 0),
            ref=_reference_repeats(),
        )
    )
    st.table(pd.DataFrame(rows))
    st.markdown(ctx.t("par_mixed_note"))
    sources, outputs, mixed = _mixed_examples(str(ctx.device))
    st.markdown(
        ctx.t(
            "par_multi_examples",
            n=len(sources),
            raw=len(mixed["raw"]),
            distilled=len(mixed["distilled"]),
            shown=min(MIXED_SHOWN, len(mixed["raw"])),
        )
    )
    for i in sorted(mixed["raw"], key=lambda i: len(sources[i]))[:MIXED_SHOWN]:
        line = [f"*{md_token(' '.join(sources[i]))}*"]
        for data in ("raw", "distilled"):
            mark = ":green[✓]" if check_translation(sources[i], outputs[data][i]) else ":red[✗]"
            line.append(f"{ctx.t(DATA_NAME_KEYS[data])}: {mark} {md_token(' '.join(outputs[data][i]))}")
        st.markdown("  \n".join(line))


def speed_section(ctx: PageContext) -> None:
    st.markdown(ctx.t("par_speed_intro"))
    size = {k: v for k, v in RECIPES["toy_transformer_mt"].model.items() if k not in ("max_len", "dropout")}
    if st.button(ctx.t("par_measure"), icon=":material/speed:", key="par_measure"):
        start, rows, cases = time.perf_counter(), [], [(n, b) for b in SPEED_BATCHES for n in SPEED_LENGTHS]
        progress = st.progress(0.0)
        for done, (length, batch) in enumerate(cases, 1):
            rows += decoding_speeds(size, 176, (length,), (batch,), device=ctx.device, repeats=3)
            progress.progress(done / len(cases), text=f"N = {length}, batch {batch}")
        progress.empty()
        st.session_state.par_speed = (rows, time.perf_counter() - start)
    st.markdown(ctx.t("par_anchors"))
    saved = st.session_state.get("par_speed")
    if not saved:
        return
    rows, seconds = saved
    st.caption(ctx.t("par_measured", device=describe(ctx.device), seconds=seconds))
    names = {m: ctx.t(key, t=10) for m, key in METHOD_NAME_KEYS.items()}
    for column, batch in zip(st.columns(len(SPEED_BATCHES)), SPEED_BATCHES, strict=True):
        times = {m: [r.median_ms for r in rows if r.method == m and r.batch == batch] for m in METHODS}
        with column:
            show_plotly(
                speed_chart(
                    SPEED_LENGTHS,
                    times,
                    names,
                    ctx.t("par_speed_title", b=batch),
                    presentation=ctx.presentation,
                    x_title=ctx.t("par_speed_x"),
                    y_title=ctx.t("par_speed_y"),
                ),
                "parallel",
                f"speed_batch_{batch}",
                key=f"par_speed_{batch}",
            )
            ratios = speedups(rows)[(RATIO_LENGTH, batch)]
            st.markdown(
                ctx.t(
                    "par_speed_ratio",
                    n=RATIO_LENGTH,
                    b=batch,
                    nat=ratios["nat"],
                    ctc=ratios["ctc"],
                    mp=ratios["mask_predict"],
                    t=10,
                )
            )
    st.markdown(ctx.t("par_why"))
    st.subheader(ctx.t("par_passes_header"))
    st.markdown(ctx.t("par_passes_intro"))
    table = [
        {
            ctx.t("par_method"): names[r.method],
            "N": r.length,
            "batch": r.batch,
            ctx.t("par_passes"): r.passes,
            ctx.t("par_ms"): round(r.median_ms, 1),
            ctx.t("par_ms_per_pass"): round(r.median_ms / r.passes, 2),
        }
        for r in rows
        if r.length == RATIO_LENGTH
    ]
    st.table(pd.DataFrame(table))
