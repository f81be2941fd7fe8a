"""The sections of the autoregressive page: settings, the step-by-step generator (a fragment, so a click
reruns only that panel), beam search, the measured KV cache, parallel training vs sequential inference
and exposure bias."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st
import torch

from ..data.text import tokenize
from ..data.toy import is_grammatical, unknown_words
from ..decoding.autoregressive import (
    attention_rows,
    beam_labels,
    beam_search,
    best_path,
    decode_step,
    generate,
    sampling_processors,
    shown_candidates,
    strip_eos,
)
from ..decoding.processors import text_suppressor
from ..decoding.speed import KV_MODELS, PAGE_KV, kv_cache_latency, random_lm, teacher_forcing_timing
from ..device import describe
from ..export.animation import ar_generation_animation, beam_animation
from ..models.checkpoint import Checkpoint
from ..training.evaluation import sample_checked
from ..viz.attention import attention_heatmap
from ..viz.beam import beam_tree
from ..viz.generation import cache_shapes_figure, distribution_before_after, latency_chart
from .figures import gif_button, show_plotly
from .inputs import report_unknown
from .models import page_deck
from .page import PageContext
from .text import md_token

TOP_K_SHOWN = 8
MAX_BEAMS = 8  # a wider tree stops being readable
MODE_NAME_KEYS = {"greedy": "ar_greedy", "sampling": "ar_sampling"}


@dataclass(frozen=True)
class Settings:
    greedy: bool
    temperature: float
    top_k: int
    top_p: float
    seed: int
    use_cache: bool

    def processors(self, vocab) -> list:
        return [text_suppressor(vocab), *sampling_processors(self.temperature, self.top_k, self.top_p)]


def settings(ctx: PageContext) -> Settings:
    c1, c2, c3, c4, c5, c6 = st.columns([1.3, 1, 1, 1, 0.8, 0.8])
    mode = c1.segmented_control(
        ctx.t("ar_decoding"),
        tuple(MODE_NAME_KEYS),
        default="sampling",
        required=True,
        format_func=lambda m: ctx.t(MODE_NAME_KEYS[m]),
        key="ar_mode",
    )
    sampling = mode == "sampling"
    temperature = c2.slider(ctx.t("ar_temperature"), 0.0, 2.0, 1.0, 0.1, key="ar_temperature", disabled=not sampling)
    top_k = c3.slider(ctx.t("ar_top_k"), 0, 50, 0, key="ar_top_k", disabled=not sampling)
    top_p = c4.slider(ctx.t("ar_top_p"), 0.0, 1.0, 1.0, 0.05, key="ar_top_p", disabled=not sampling)
    seed = int(c5.number_input(ctx.t("ar_seed"), 0, 10_000, 0, key="ar_seed"))
    use_cache = c6.toggle(ctx.t("ar_kv_cache"), value=True, key="ar_cache_on")
    return Settings(not sampling, temperature, top_k, top_p, seed, use_cache)


def prompt_ids(ctx: PageContext, ckpt: Checkpoint) -> list[int]:
    """<bos> + the known words of the prompt, cropped to leave room in the context window."""
    vocab, window = ckpt.vocab, ckpt.model.config.max_len
    text = st.text_input(
        ctx.t("ar_prompt"), value="the small", key="ar_prompt", help=ctx.t("ar_prompt_help"), max_chars=2000
    )
    words = tokenize(text)
    missing = unknown_words(words, vocab.tokens)
    if missing:
        report_unknown(ctx, "ar_unknown", missing, vocab.decode(vocab.regular_ids))
        words = [w for w in words if w not in missing]
    limit = window // 2
    if len(words) > limit:
        st.info(ctx.t("ar_prompt_cropped", n=len(words), max=limit), icon=":material/content_cut:")
        words = words[-limit:]
    return [vocab.bos_id, *vocab.encode(words)]


def _session_state(prompt: list[int], use_cache: bool) -> dict:
    """This session's generation (ids, step records, its own KV cache), restarted when the prompt or the
    cache setting changes. The cache belongs to the session, never to the shared model."""
    key = (tuple(prompt), use_cache)
    state = st.session_state.get("ar_run")
    if state is None or state["key"] != key:
        state = {"key": key, "ids": list(prompt), "records": [], "cache": None, "done": False}
        st.session_state.ar_run = state
    return state


def _advance(ckpt: Checkpoint, state: dict, s: Settings, steps: int) -> None:
    model, vocab = ckpt.model, ckpt.vocab
    device = next(model.parameters()).device
    for _ in range(steps):
        if state["done"]:
            return
        if len(state["ids"]) >= model.config.max_len:
            state["done"] = "window"
            return
        if s.use_cache and state["cache"] is None:
            state["cache"] = model.new_cache()
        step = len(state["records"])
        generator = torch.Generator().manual_seed(s.seed * 100_003 + step)
        record = decode_step(
            model,
            torch.tensor(state["ids"], device=device),
            s.processors(vocab),
            s.greedy,
            generator,
            state["cache"],
            need_weights=True,
            step=step,
        )
        state["records"].append(record)
        state["ids"].append(record.token_id)
        if record.token_id == vocab.eos_id:
            state["done"] = "eos"


@st.fragment
def stepper(ctx: PageContext, ckpt: Checkpoint, s: Settings, prompt: list[int]) -> None:
    """Next token / to the end / reset; only this panel reruns on a click."""
    vocab = ckpt.vocab
    state = _session_state(prompt, s.use_cache)
    c1, c2, c3 = st.columns(3)
    if c1.button(ctx.t("ar_next"), type="primary", icon=":material/skip_next:", key="ar_next"):
        _advance(ckpt, state, s, 1)
    if c2.button(ctx.t("ar_to_end"), icon=":material/fast_forward:", key="ar_to_end"):
        _advance(ckpt, state, s, ckpt.model.config.max_len)
    if c3.button(ctx.t("ar_reset"), icon=":material/restart_alt:", key="ar_reset"):
        state = {"key": state["key"], "ids": list(prompt), "records": [], "cache": None, "done": False}
        st.session_state.ar_run = state
    gif_button(
        ctx,
        lambda: ar_generation_animation(page_deck(ctx, vocab.decode(prompt[1:])), prompt),
        "autoregressive",
        "generation",
        *vocab.decode(prompt[1:4]),
        key="ar_gif",
    )
    tokens = vocab.decode(state["ids"])
    shown = " ".join(f"**:blue[{md_token(t)}]**" if i >= len(prompt) else md_token(t) for i, t in enumerate(tokens))
    st.markdown(ctx.t("ar_text_so_far", text=shown))
    if not state["records"]:
        st.info(ctx.t("ar_press_next"), icon=":material/touch_app:")
        return
    record = state["records"][-1]
    if state["done"] == "eos":
        words, _ = strip_eos(vocab.decode(state["ids"][1:]), vocab)
        verdict = "✓ " + ctx.t("ar_checker_ok") if is_grammatical(words) else "✗ " + ctx.t("ar_checker_bad")
        st.success(f"{ctx.t('ar_finished')} {verdict}")
    elif state["done"] == "window":
        st.warning(ctx.t("ar_window_full", n=ckpt.model.config.max_len))
    st.markdown(
        ctx.t(
            "ar_step_chosen",
            step=record.step + 1,
            token=md_token(vocab.token(record.token_id)),
            p=float(record.probs_after[record.token_id]),
            n=record.positions_computed,
        )
    )
    left, right = st.columns(2)
    with left:
        top = shown_candidates(record.probs_before, record.token_id, TOP_K_SHOWN)
        fig = distribution_before_after(
            vocab.decode(top),
            record.probs_before[top].tolist(),
            record.probs_after[top].tolist(),
            ctx.t("ar_distribution", step=record.step + 1),
            chosen=vocab.token(record.token_id),
            presentation=ctx.presentation,
            before_label=ctx.t("ar_before"),
            after_label=ctx.t("ar_after"),
            x_title=ctx.t("ae_probability"),
        )
        show_plotly(fig, "autoregressive", "distribution", *tokens[1:4], key="ar_distribution")
    with right:
        show_plotly(
            _growing_attention(ctx, state, tokens), "autoregressive", "attention", *tokens[1:4], key="ar_attention"
        )
    if record.cache_shapes:
        fig = cache_shapes_figure(
            record.cache_shapes,
            ctx.t("ar_cache_shapes", step=record.step + 1),
            presentation=ctx.presentation,
            layer_label=ctx.t("layer"),
        )
        show_plotly(fig, "autoregressive", "kv_cache", key="ar_cache_fig")
    else:
        st.caption(ctx.t("ar_no_cache", n=record.positions_computed))


def _growing_attention(ctx: PageContext, state: dict, tokens: list[str]):
    """Row i: what the position that produced token i attended to (mean over heads of the last layer)."""
    records = state["records"]
    rows = attention_rows(records).numpy()  # (N, T)
    width = rows.shape[1]
    first = len(state["ids"]) - len(records) - 1  # index of the prompt's last token
    query_labels = tokens[first : first + len(records)]
    return attention_heatmap(
        rows,
        query_labels,
        tokens[:width],
        ctx.t("ar_attention_growing"),
        masked=np.isnan(rows),
        presentation=ctx.presentation,
        x_title=ctx.t("key_axis"),
        y_title=ctx.t("query_axis"),
        colorbar_title=ctx.t("weight"),
    )


def beam_section(ctx: PageContext, ckpt: Checkpoint, prompt: list[int]) -> None:
    st.markdown(ctx.t("ar_beam_intro"))
    vocab, model = ckpt.vocab, ckpt.model
    c1, c2, c3 = st.columns(3)
    width = int(c1.number_input(ctx.t("ar_beam_width"), 1, 1000, 3, key="ar_beam_width"))
    penalty = c2.slider(ctx.t("ar_length_penalty"), 0.0, 2.0, 1.0, 0.1, key="ar_length_penalty")
    steps = c3.slider(ctx.t("ar_beam_steps"), 1, 12, 6, key="ar_beam_steps")
    if width > len(vocab):
        st.info(ctx.t("ar_beam_width_capped", v=len(vocab)))
        width = len(vocab)
    if width > MAX_BEAMS:
        st.info(ctx.t("ar_beam_width_shown", n=MAX_BEAMS))
        width = MAX_BEAMS
    result = _beam(model, f"toy_clm:{ctx.device}", tuple(prompt), width, steps, penalty, vocab.eos_id)
    fig = beam_tree(
        result.nodes,
        beam_labels(result, vocab, prompt),
        presentation=ctx.presentation,
        kept_label=ctx.t("ar_kept"),
        pruned_label=ctx.t("ar_pruned"),
        finished_label=ctx.t("ar_finished_node"),
        best_path=best_path(result),
        x_title=ctx.t("ar_beam_steps"),
    )
    show_plotly(fig, "autoregressive", "beam_tree", *vocab.decode(prompt[1:4]), key="ar_beam_tree")
    gif_button(
        ctx,
        lambda: beam_animation(page_deck(ctx, vocab.decode(prompt[1:])), prompt, width, steps, penalty),
        "autoregressive",
        "beam_growth",
        *vocab.decode(prompt[1:4]),
        key="ar_beam_gif",
    )
    words, _ = strip_eos(vocab.decode(result.ids[1:].tolist()), vocab)
    st.markdown(ctx.t("ar_beam_best", text=" ".join(words), score=result.score))


@st.cache_data(show_spinner=False, max_entries=64)
def _beam(_model, model_key: str, prompt: tuple[int, ...], width: int, steps: int, penalty: float, eos_id: int):
    """Beam search is deterministic: computed once per setting, not on every rerun."""
    device = next(_model.parameters()).device
    return beam_search(_model, torch.tensor(prompt, device=device), width, steps, penalty, eos_id)


@st.cache_data(show_spinner=False, max_entries=4)
def measure_kv_cache(device: str, lengths: tuple[int, ...] = (128, 256, 512, 1024)) -> dict:
    """Per-token latency with and without the cache on a small random decoder (2 layers, d 64), one warm-up
    and 3 interleaved repeats per point; identical tokens required. Cached per device for the server's lifetime."""
    points = kv_cache_latency(random_lm(KV_MODELS[PAGE_KV], max(lengths) + 1, device), lengths, device, 1, 3)
    return {
        "lengths": list(lengths),
        "cached": [p.cached.median_ms / p.tokens for p in points],
        "recompute": [p.recompute.median_ms / p.tokens for p in points],
        "identical": all(p.identical for p in points),
        "method": points[-1].cached.method(),
    }


def kv_section(ctx: PageContext) -> None:
    st.markdown(ctx.t("ar_kv_intro", device=describe(ctx.device)))
    if st.button(ctx.t("ar_kv_measure"), icon=":material/speed:", key="ar_kv_measure") or st.session_state.get(
        "ar_kv_done"
    ):
        st.session_state.ar_kv_done = True
        with st.spinner():
            result = measure_kv_cache(str(ctx.device))
        fig = latency_chart(
            result["lengths"],
            result["cached"],
            result["recompute"],
            presentation=ctx.presentation,
            cached_label=ctx.t("ar_with_cache"),
            recompute_label=ctx.t("ar_without_cache"),
            x_title=ctx.t("ar_tokens"),
            y_title=ctx.t("ar_ms_per_token"),
        )
        show_plotly(fig, "autoregressive", "kv_latency", key="ar_kv_chart")
        ratio = result["recompute"][-1] / result["cached"][-1]
        same = ctx.t("ar_identical" if result["identical"] else "ar_different")
        st.markdown(ctx.t("ar_kv_result", n=result["lengths"][-1], ratio=ratio, same=same, method=result["method"]))


@st.cache_data(show_spinner=False, max_entries=16)
def _teacher_forcing(_model, model_key: str, ids: tuple[int, ...]) -> tuple[int, float, float]:
    """(correct next-token predictions, one-pass ms, sequential ms): measured once per sentence and device."""
    device = next(_model.parameters()).device
    ids = torch.tensor(ids, device=device)
    with torch.no_grad():
        predicted = _model(ids[None]).logits[0, :-1].argmax(-1)  # (T,)
    timed = teacher_forcing_timing(_model, ids, device)
    return int((predicted == ids[1:]).sum()), timed["one_pass"].median_ms, timed["sequential"].median_ms


def parallel_section(ctx: PageContext, ckpt: Checkpoint, sentence: tuple[str, ...]) -> None:
    """One teacher-forced pass predicts every next token; generation needs one pass per token."""
    vocab = ckpt.vocab
    ids = (vocab.bos_id, *vocab.encode(sentence), vocab.eos_id)
    correct, t1, t2 = _teacher_forcing(ckpt.model, f"toy_clm:{ctx.device}", ids)
    st.markdown(
        ctx.t(
            "ar_parallel_result",
            sentence=" ".join(sentence),
            n=len(ids) - 1,
            correct=correct,
            t1=t1,
            t2=t2,
            device=describe(ctx.device),
        )
    )


@st.cache_data(show_spinner=False, max_entries=128)
def _greedy(_model, model_key: str, prefix: tuple[int, ...], eos_id: int) -> list[int]:
    """The greedy continuation of a prefix (deterministic, so computed once)."""
    device = next(_model.parameters()).device
    return generate(_model, torch.tensor(prefix, device=device), 20, greedy=True, eos_id=eos_id).tolist()


def exposure_section(ctx: PageContext, ckpt: Checkpoint, prompt: list[int]) -> None:
    st.markdown(ctx.t("ar_exposure_intro"))
    model, vocab = ckpt.model, ckpt.vocab
    original = _greedy(model, f"toy_clm:{ctx.device}", tuple(prompt), vocab.eos_id)
    new = original[len(prompt) :]
    if len(new) < 2:
        return
    c1, c2 = st.columns(2)
    k = c1.slider(ctx.t("ar_force_step"), 1, len(new), min(2, len(new)), key="ar_force_step")
    choices = [w for w in vocab.decode(vocab.regular_ids) if w != vocab.token(new[k - 1])]
    forced_word = c2.selectbox(ctx.t("ar_force_token"), choices, key="ar_force_token")
    forced_prefix = original[: len(prompt) + k - 1] + [vocab.id(forced_word)]
    forced = _greedy(model, f"toy_clm:{ctx.device}", tuple(forced_prefix), vocab.eos_id)

    def show(ids, mark):
        words = vocab.decode(ids[1:])
        return " ".join(
            f"**:{mark}[{md_token(w)}]**" if i == len(prompt) + k - 2 else md_token(w) for i, w in enumerate(words)
        )

    st.markdown(ctx.t("ar_original", text=show(original, "blue")))
    st.markdown(ctx.t("ar_forced", text=show(forced, "red")))


SAMPLES_CHECKED = 20


@st.fragment
def quality_section(ctx: PageContext, ckpt: Checkpoint, s: Settings) -> None:
    """The held-out share recorded with the checkpoint, and a live check of sentences sampled with the
    current settings (kept in the session until a setting changes)."""
    m = ckpt.metrics
    if "samples_grammatical_t1" in m:
        st.caption(ctx.t("ar_quality", share=m["samples_grammatical_t1"], ppl=m["perplexity"], n=1000))
    if st.button(ctx.t("ar_check_samples", n=SAMPLES_CHECKED), icon=":material/fact_check:", key="ar_check"):
        checked = sample_checked(ckpt.model, ckpt.vocab, SAMPLES_CHECKED, s.processors(ckpt.vocab), s.greedy, s.seed)
        st.session_state.ar_checked = (s, checked)
    saved = st.session_state.get("ar_checked")
    if not saved or saved[0] != s:
        return
    checked = saved[1]
    st.markdown(ctx.t("ar_checked_share", good=sum(ok for _, ok in checked), n=len(checked)))
    lines = [f"{':green[**✓**]' if ok else ':red[**✗**]'} {md_token(' '.join(words)) or '∅'}" for words, ok in checked]
    middle = (len(lines) + 1) // 2
    for column, part in zip(st.columns(2), (lines[:middle], lines[middle:]), strict=True):
        column.markdown("  \n".join(part))  # two trailing spaces: a line break
