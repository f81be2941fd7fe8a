"""The autoencoders page's BART section: a noise, the noised input, the whole sentence written back with its
cross-attention, T5's spans beside it, and what pre-training buys translation."""

from __future__ import annotations

import random

import numpy as np
import streamlit as st
import torch

from ...data.text_to_text import corrupt_spans, fill_spans, with_prefix
from ...decoding.seq2seq import translate_batch, word_attention_maps
from ...models.bart import NOISES, noise
from ...viz.curves import accuracy_curves
from ..figures import attention_views, show_altair
from ..models import builtin_model
from ..page import PageContext
from ..text import md_highlighted, md_token
from .common import next_draw, sentence_box, verdict

BART, T5 = "toy_bart", "toy_t5"
BART_EXAMPLE = "the big dog chases the red ball"
NOISE_NAME_KEYS = {
    "mask": "aef_noise_mask",
    "delete": "aef_noise_delete",
    "infill": "aef_noise_infill",
    "shuffle": "aef_noise_shuffle",
}
NOISE_DID_KEYS = {
    "mask": "aef_mask_did",
    "delete": "aef_delete_did",
    "infill": "aef_infill_did",
    "shuffle": "aef_shuffle_did",
}
NOISE_LOOK_KEYS = {
    "mask": "aef_mask_look",
    "delete": "aef_delete_look",
    "infill": "aef_infill_look",
    "shuffle": "aef_shuffle_look",
}
BENEFIT_NAME_KEYS = {"pretrained": "aef_pretrained", "scratch": "aef_scratch"}


@st.cache_data(max_entries=64, show_spinner=False)
def _denoised(_model, _vocab, source: tuple[int, ...], name: str, device: str) -> list[int]:
    """An encoder-decoder's greedy output for one input (BART's reconstruction, T5's spans), shared by every
    session that gives the same model the same input."""
    return translate_batch(_model, torch.tensor([source], device=device), _vocab.bos_id, _vocab.eos_id)[0]


def _noised_words(vocab, words: list[str], name: str, seed: int):
    noised = noise(name, vocab.encode(words), random.Random(seed))
    return noised, vocab.decode(noised.ids)


@st.fragment  # a noise, a sentence or a draw redraws this section alone
def bart_section(ctx: PageContext) -> None:
    bart = builtin_model(BART, str(ctx.device))
    vocab = bart.vocab
    st.markdown(ctx.t("aef_bart_intro"))
    name = st.segmented_control(
        ctx.t("aef_noise"),
        list(NOISES),
        default="infill",
        required=True,
        format_func=lambda n: ctx.t(NOISE_NAME_KEYS[n]),
        key="aef_noise",
    )
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        words = sentence_box(ctx, "aef_bart_sentence", BART_EXAMPLE, "aef_bart_sentence_label")
    right.button(
        ctx.t("aef_new_noise"), icon=":material/casino:", key="aef_bart_draw", on_click=next_draw,
        args=("aef_bart_seed",),
    )  # fmt: skip
    seed = st.session_state.get("aef_bart_seed", 0)
    noised, shown = _noised_words(vocab, words, name, seed)
    output = vocab.decode(_denoised(bart.model, vocab, tuple(noised.ids), BART, str(ctx.device)))
    st.markdown(ctx.t(NOISE_DID_KEYS[name], **_what_noise_did(ctx, noised, words)))
    st.markdown(ctx.t("aef_bart_input", sentence=" ".join(md_token(w) for w in shown)))
    restored = output == words
    st.markdown(
        ctx.t(
            "aef_bart_output",
            sentence=md_highlighted(output, _new_words(shown, output)),
            verdict=verdict(ctx, output),
            same=ctx.t("aef_same_as_original" if restored else "aef_not_original"),
        )
    )
    st.caption(ctx.t(NOISE_LOOK_KEYS[name]))
    maps = word_attention_maps(bart.model, vocab, shown, output)  # rows: <bos> and each word, read
    cross = np.stack(maps.cross)  # (L, H, T, S)
    attention_views(
        ctx,
        cross,
        ["<bos>", *output],
        shown,
        ctx.t("aef_cross_title"),
        "aef_cross",
        ("autoencoders", "bart", name, *words[:3]),
        x_title=ctx.t("aef_noised_axis"),
        y_title=ctx.t("aef_written_axis"),
        default_view=1,
        default_layer=len(maps.cross) - 1,
    )
    _t5_beside(ctx, words, seed)
    _bart_measured(ctx, bart.metrics)


def _what_noise_did(ctx: PageContext, noised, words: list[str]) -> dict:
    """The numbers each noise's sentence names: the words masked or deleted, the spans' lengths."""
    if noised.spans:
        return {"spans": ctx.t("list_separator").join(str(length) for _, length in noised.spans)}
    if noised.order:
        moved = sum(1 for new, old in enumerate(noised.order) if new != old)
        return {"moved": moved, "n": len(words)}
    return {"words": ctx.t("list_separator").join(f"“{md_token(words[i])}”" for i in noised.positions)}


def _new_words(noised: list[str], output: list[str]) -> list[bool]:
    """Which words of the output the input did not have at that point: the words BART put back (a longest
    common subsequence of the two, everything outside it marked)."""
    n, m = len(noised), len(output)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            same = noised[i] == output[j]
            table[i][j] = table[i + 1][j + 1] + 1 if same else max(table[i + 1][j], table[i][j + 1])
    marked, i, j = [True] * m, 0, 0
    while i < n and j < m:
        if noised[i] == output[j]:
            marked[j], i, j = False, i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return marked


def _t5_beside(ctx: PageContext, words: list[str], seed: int) -> None:
    """T5's span corruption of the same sentence: its decoder writes only the dropped spans."""
    try:
        t5 = builtin_model(T5, str(ctx.device))
    except FileNotFoundError:
        return
    source, _ = corrupt_spans(words, random.Random(seed))
    prompt = tuple(t5.vocab.encode(list(with_prefix("fill", source))))
    written = t5.vocab.decode(_denoised(t5.model, t5.vocab, prompt, T5, str(ctx.device)))
    filled = fill_spans(source, written)
    st.markdown(
        ctx.t(
            "aef_t5_beside",
            source=" ".join(md_token(w) for w in source),
            written=" ".join(md_token(w) for w in written),
            n=len(written),
            bart_n=len(words) + 1,
            verdict=verdict(ctx, filled) if filled is not None else ctx.t("aef_t5_unreadable"),
        )
    )


def _bart_measured(ctx: PageContext, m: dict) -> None:
    if "reconstruction" not in m:
        return
    english = m["reconstruction"]["english"]
    rows = {
        ctx.t("aef_noise"): [ctx.t(NOISE_NAME_KEYS[n]) for n in NOISES],
        ctx.t("aef_exact"): [f"{english[n]['exact_match']:.1%}" for n in NOISES],
        ctx.t("aef_grammatical"): [f"{english[n]['grammatical']:.1%}" for n in NOISES],
        ctx.t("aef_explains"): [f"{english[n]['grammatical_and_explains_input']:.1%}" for n in NOISES],
    }
    st.subheader(ctx.t("aef_bart_measured", n=m["reconstruction"]["sentences_per_language"]))
    st.dataframe(rows, hide_index=True)
    benefit = m.get("finetune_translation")
    if benefit:
        rows = [
            {"step": int(n), "accuracy": value, "series": ctx.t(BENEFIT_NAME_KEYS[start])}
            for n, point in benefit["by_pairs"].items()
            for start, value in point.items()
        ]
        chart = accuracy_curves(
            rows,
            ctx.t("aef_benefit_title"),
            x_title=ctx.t("aef_pairs"),
            y_title=ctx.t("aef_exact"),
            series_title=ctx.t("ae_encoder"),
            presentation=ctx.presentation,
            categorical_steps=True,
        )
        show_altair(chart, "autoencoders", "bart", "pretraining", key="aef_benefit")
        st.caption(ctx.t("aef_benefit_caption", **{k: v for k, v in benefit.items() if k != "by_pairs"}))
