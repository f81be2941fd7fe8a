"""The measured sections of the sequence-to-sequence page: exact match by source length for the three
translators (recorded, or measured again here), teacher forcing against free running, and the encoder's one
pass against the decoder's steps, timed on this device."""

from __future__ import annotations

import time

import streamlit as st
import torch

from ..data.toy import canonical_translation, check_translation
from ..decoding.seq2seq import (
    TRANSLATOR_NAME_KEYS,
    ForcingComparison,
    teacher_forcing_vs_free_running,
    time_encode_decode,
)
from ..device import describe
from ..models.checkpoint import Checkpoint
from ..training.evaluation import LENGTH_BUCKETS, bucket_label, evaluate_translation
from ..training.recipes import RECIPES
from ..training.splits import translation_split_head
from ..viz.curves import accuracy_curves
from .figures import show_altair
from .models import model_key
from .page import PageContext
from .text import md_token

RECOMPUTE_PAIRS = 300


@st.fragment  # measuring again redraws this section alone
def length_section(ctx: PageContext, models: dict[str, Checkpoint]) -> None:
    recorded = {name: ckpt.metrics.get("exact_match_by_length", {}) for name, ckpt in models.items()}
    n = next((ckpt.metrics.get("heldout_pairs") for ckpt in models.values()), 0)
    st.markdown(ctx.t("s2s_length_intro", n=n))
    if st.button(ctx.t("s2s_recompute", n=RECOMPUTE_PAIRS), icon=":material/replay:", key="s2s_recompute"):
        pairs = translation_split_head("test", RECOMPUTE_PAIRS, **RECIPES["toy_transformer_mt"].data)
        start = time.perf_counter()
        st.session_state.s2s_measured = {
            name: evaluate_translation(ckpt.model, ckpt.vocab, pairs, check_translation)["exact_match_by_length"]
            for name, ckpt in models.items()
        }
        st.session_state.s2s_measured_seconds = time.perf_counter() - start
    measured = st.session_state.get("s2s_measured")
    if measured:
        recorded = measured
        st.caption(
            ctx.t(
                "s2s_recomputed",
                device=describe(ctx.device),
                n=RECOMPUTE_PAIRS,
                seconds=st.session_state.s2s_measured_seconds,
            )
        )
    rows = [
        {
            "step": bucket_label(*bucket),
            "accuracy": by_length[bucket_label(*bucket)]["exact_match"],
            "series": ctx.t(TRANSLATOR_NAME_KEYS[name]),
        }
        for name, by_length in recorded.items()
        for bucket in LENGTH_BUCKETS
        if bucket_label(*bucket) in by_length
    ]
    show_altair(
        accuracy_curves(
            rows,
            x_title=ctx.t("s2s_length_x"),
            y_title=ctx.t("s2s_length_y"),
            series_title=ctx.t("s2s_model"),
            presentation=ctx.presentation,
            categorical_steps=True,
        ),
        "seq2seq",
        "accuracy_by_length",
        key="s2s_length_chart",
    )


@st.cache_data(show_spinner=False, max_entries=256)
def _forcing(_model, model_key: str, words: tuple[str, ...], reference: tuple[str, ...], _vocab) -> ForcingComparison:
    """Teacher forcing against free running on one sentence: deterministic, so once per model and sentence."""
    src = torch.tensor(_vocab.encode(list(words)), device=next(_model.parameters()).device)
    return teacher_forcing_vs_free_running(_model, src, _vocab.encode(list(reference)), _vocab.bos_id, _vocab.eos_id)


def forcing_section(ctx: PageContext, ckpt: Checkpoint, words: list[str]) -> None:
    reference = canonical_translation(words)
    if not reference:
        return
    st.markdown(ctx.t("s2s_forcing_intro"))
    vocab = ckpt.vocab
    result = _forcing(ckpt.model, model_key(ckpt), tuple(words), tuple(reference), vocab)
    expected = [*reference, vocab.token(vocab.eos_id)]  # position t should predict reference token t
    marked = [
        f"**:{'green' if w == e else 'orange'}[{md_token(w)}]**"
        for w, e in zip(vocab.decode(result.teacher_forced), expected, strict=False)
    ]
    st.markdown(ctx.t("s2s_reference_row", text=" ".join(reference)))
    st.markdown(ctx.t("s2s_forced_row", passes=result.forward_passes[0], text=" ".join(marked)))
    st.markdown(
        ctx.t(
            "s2s_free_row", passes=result.forward_passes[1], text=md_token(" ".join(vocab.decode(result.free_running)))
        )
    )
    if result.first_divergence is None:
        st.success(ctx.t("s2s_same"))
    elif check_translation(words, vocab.decode(result.free_running)):
        st.info(ctx.t("s2s_diverged_valid", k=result.first_divergence + 1))
    else:
        st.warning(ctx.t("s2s_diverged_wrong", k=result.first_divergence + 1))


@st.cache_data(show_spinner=False, max_entries=64, ttl=600)
def _times(_model, model_key: str, source_tokens: int, steps: int, _src: torch.Tensor, _vocab):
    """Timed once per server for each source length and number of decoder steps: the time depends on those
    alone (the same shapes, the same work), so a sentence of a length timed before is not timed again."""
    return time_encode_decode(_model, _src, _vocab.bos_id, _vocab.eos_id, steps=steps)


def timing_section(ctx: PageContext, ckpt: Checkpoint, words: list[str], translation: list[str]) -> None:
    src = torch.tensor(ckpt.vocab.encode(words), device=ctx.device)
    steps = len(translation) + 1  # with the end token
    t = _times(ckpt.model, f"toy_transformer_mt:{ctx.device}", len(src), steps, src, ckpt.vocab)
    st.markdown(
        ctx.t(
            "s2s_timing",
            enc=t.encoder.median_ms,
            dec=t.decoder.median_ms,
            steps=t.steps,
            per=t.decoder.median_ms / t.steps,
            runs=t.encoder.repeats,
            device=t.encoder.device,
        )
    )
