"""XLNet on the fusions page: a permutation language model stepping through an order, and infill."""

from __future__ import annotations

import random

import numpy as np
import streamlit as st
import torch

from ...data.text import MASK_TOKEN, tokenize
from ...data.toy import is_grammatical, right_context_sites
from ...decoding.xlnet import infill_order, write_in_order
from ...models.checkpoint import Checkpoint
from ...models.masks import format_order, parse_order
from ...models.xlnet import two_stream_masks
from ...viz.bars import topk_bars
from ...viz.masks import mask_figure
from ..figures import mask_options, show_plotly
from ..inputs import word_list
from ..models import builtin_model, read_only
from ..page import PageContext
from ..text import md_highlighted, md_token
from .common import TOP_K, VERDICT_KEYS, measured, sentence_words

XLNET = "toy_xlnet"
XLNET_EXAMPLE = "the cats that the dog sees sleep"


def _shuffle_order(length: int) -> None:
    shuffled = list(range(length))
    random.shuffle(shuffled)
    st.session_state.fu_order = format_order(shuffled)


def _order(ctx: PageContext, words: list[str]) -> list[int]:
    """The factorisation order over the words (0-based), typed or shuffled; a bad one is refused with a message."""
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    default = list(range(len(words)))
    sites = right_context_sites(words)
    if sites:  # the deciding words first, the noun last: the lesson's order
        noun = sites[0][0]
        default = [p for p in default if p != noun] + [noun]
    text = left.text_input(
        ctx.t("fu_order"), key="fu_order", help=ctx.t("fu_order_help"), placeholder=format_order(default)
    )
    right.button(
        ctx.t("shuffle"), icon=":material/shuffle:", on_click=_shuffle_order, args=(len(words),), key="fu_shuffle"
    )
    order = parse_order(text, len(words)) if text.strip() else default
    if order is None:
        st.warning(ctx.t("fu_bad_order", text=text[:40], n=len(words)), icon=":material/warning:")
        order = default
    return order


@st.cache_resource(show_spinner=False, max_entries=256)
def _probs_in_order(device: str, words: tuple[str, ...], full_order: tuple[int, ...]) -> np.ndarray:
    """The model's next-word distribution at every position, read in the order: (T, V), once per server for
    each input, shared read-only."""
    ckpt = builtin_model(XLNET, device)
    ids = torch.tensor([ckpt.vocab.bos_id, *ckpt.vocab.encode(list(words))], device=device)
    with torch.no_grad():
        return read_only(ckpt.model.in_order(ids, list(full_order)).logits[0].softmax(-1))


@st.cache_resource(show_spinner=False, max_entries=256)
def _infilled(
    device: str, words: tuple[str, ...], order: tuple[int, ...], blanks: tuple[int, ...]
) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The sentence with the blanks written (the given words first, then the blanks in the order) and the
    positions in the order they were written; once per server for each input."""
    ckpt = builtin_model(XLNET, device)
    vocab = ckpt.vocab
    ids = torch.tensor([vocab.bos_id, *vocab.encode(list(words))], device=device)
    blank_positions = [p + 1 for p in blanks]
    ids[blank_positions] = vocab.mask_id
    fixed = [p for p in range(1, len(ids)) if p not in blank_positions]
    with torch.no_grad():
        written, steps = write_in_order(
            ckpt.model, ids, infill_order(len(ids), fixed, [p + 1 for p in order]), vocab, fixed
        )
    return tuple(vocab.decode(written[1:].tolist())), tuple(s.position for s in steps)


@st.fragment  # this section's controls redraw it alone: the page's other three do not depend on them
def xlnet_section(ctx: PageContext, ckpt: Checkpoint) -> None:
    vocab = ckpt.vocab
    text = st.text_input(ctx.t("sentence"), value=XLNET_EXAMPLE, key="fu_xlnet_text", max_chars=2000)
    words = [w for w in sentence_words(ctx, text, XLNET_EXAMPLE) if w != MASK_TOKEN] or tokenize(XLNET_EXAMPLE)
    order = _order(ctx, words)
    full_order = [0, *(p + 1 for p in order)]  # <bos> first
    probs = torch.tensor(_probs_in_order(str(ctx.device), tuple(words), tuple(full_order)))  # (T, V), a copy
    step = st.slider(ctx.t("fu_step"), 1, len(words), 1, key=f"fu_xlnet_step_{len(words)}") if len(words) > 1 else 1
    position = full_order[step]
    sees = [p for p in full_order[:step] if p != 0]
    st.markdown(
        ctx.t(
            "fu_step_text",
            step=step,
            n=len(words),
            word=md_token(words[position - 1]),
            seen=word_list(ctx, [md_token(words[p - 1]) for p in sorted(sees)]) or "∅",
            hidden=word_list(ctx, [md_token(words[p - 1]) for p in sorted(full_order[step + 1 :])]) or "∅",
        )
    )
    _, query = two_stream_masks([full_order], len(full_order))
    labels = ["<bos>", *words]
    left, right = st.columns(2)
    with left:
        show_plotly(
            mask_figure(
                query[0].numpy(),
                labels,
                labels,
                ctx.t("fu_query_mask"),
                **mask_options(ctx),
            ),
            "fusions",
            "xlnet_query_mask",
            *words[:3],
            key="fu_xlnet_mask",
        )
    with right:
        top = probs[position].topk(TOP_K)
        shown = vocab.decode(top.indices.tolist())
        show_plotly(
            topk_bars(
                shown,
                top.values.tolist(),
                ctx.t("fu_topk_at", position=position, word=md_token(words[position - 1])),
                accepted=[w == words[position - 1] for w in shown],
                presentation=ctx.presentation,
                x_title=ctx.t("ae_probability"),
                legend=(ctx.t("fu_true_word"), ctx.t("fu_other_word")),
            ),
            "fusions",
            "xlnet_step",
            str(step),
            key="fu_xlnet_topk",
        )
    xlnet_infill(ctx, ckpt, words, order)
    xlnet_quality(ctx, ckpt.metrics)


def xlnet_infill(ctx: PageContext, ckpt: Checkpoint, words: list[str], order: list[int]) -> None:
    """Blank some words anywhere and let the model write them, the given words first, then the blanks in the
    order above."""
    st.subheader(ctx.t("fu_infill"))
    sites = right_context_sites(words)
    blanks = st.pills(
        ctx.t("fu_infill_pick"),
        range(len(words)),
        selection_mode="multi",
        default=[sites[0][0]] if sites else [0],
        format_func=lambda i: words[i],
        key=f"fu_infill_{' '.join(words)}",
    )
    if not blanks:
        st.info(ctx.t("fu_infill_none"), icon=":material/touch_app:")
        return
    sentence, written_at = _infilled(str(ctx.device), tuple(words), tuple(order), tuple(sorted(blanks)))
    shown = md_highlighted(list(sentence), [i in blanks for i in range(len(sentence))])
    verdict = ctx.t(VERDICT_KEYS[is_grammatical(list(sentence))])
    st.markdown(ctx.t("fu_infill_result", sentence=shown, verdict=verdict))
    st.caption(ctx.t("fu_infill_order", order=word_list(ctx, [md_token(sentence[p - 1]) for p in written_at])))


def xlnet_quality(ctx: PageContext, metrics: dict) -> None:
    measured(
        ctx,
        "fu_xlnet_measured",
        metrics,
        n="right_context_items",
        last="right_context_agreement_noun_last",
        ltr="right_context_agreement_left_to_right",
        random="right_context_agreement_random",
        ppl_ltr="perplexity_left_to_right",
        ppl_random="perplexity_random_order",
        fill="fill_grammatical",
    )
