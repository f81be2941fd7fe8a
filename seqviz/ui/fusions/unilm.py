"""UniLM on the fusions page: one network that fills blanks, continues or translates by its mask alone."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st
import torch

from ...data.text import MASK_TOKEN
from ...data.toy import check_translation, is_grammatical, right_context_sites
from ...decoding.autoregressive import generate, strip_eos
from ...decoding.masked import fill_masks, mask_predictions
from ...decoding.processors import text_suppressor
from ...models.checkpoint import Checkpoint
from ...models.unilm import MODES, unilm_mask
from ...viz.bars import topk_bars
from ...viz.masks import mask_figure
from ..figures import attention_views, mask_options, show_plotly
from ..models import builtin_model, read_only
from ..page import PageContext
from ..text import md_token
from .common import TOP_K, VERDICT_KEYS, measured, sentence_words

UNILM = "toy_unilm"
MODE_NAME_KEYS = {"bidirectional": "fu_mode_bidirectional", "causal": "fu_mode_causal", "seq2seq": "fu_mode_seq2seq"}
MODE_INPUT_KEYS = {"bidirectional": "fu_input_fill", "causal": "fu_input_prompt", "seq2seq": "fu_input_source"}
MODE_EXAMPLES = {
    "bidirectional": "the [MASK] that the dog sees sleep",
    "causal": "the small",
    "seq2seq": "the black cat sleeps",
}


@dataclass(frozen=True)
class UnilmRun:
    """What the network does under a mode on one input: the ids it ends with (their tokens label the figures),
    the answer as text, the checker's verdict (None when there is nothing to check), the top words at the
    first blank (fill mode only), the mode's mask and every layer's attention, (L, H, T, T)."""

    labels: tuple[str, ...]
    answer: str
    verdict: bool | None
    top: tuple[tuple[str, ...], tuple[float, ...]] | None
    mask: np.ndarray
    attention: np.ndarray


def _with_blank(ctx: PageContext, words: list[str]) -> list[str]:
    """Words for filling: as typed when a [MASK] is in them, else one word blanked (and the user told which)."""
    if MASK_TOKEN in words:
        return words
    sites = right_context_sites(words)
    blank = sites[0][0] if sites else min(1, len(words) - 1)
    st.info(ctx.t("fu_no_mask", word=words[blank]), icon=":material/touch_app:")
    return [*words[:blank], MASK_TOKEN, *words[blank + 1 :]]


@st.cache_resource(show_spinner=False, max_entries=256)
def _unilm_run(device: str, mode: str, words: tuple[str, ...]) -> UnilmRun:
    """The network under the mode on the words, run once per server for each input and shared read-only."""
    ckpt = builtin_model(UNILM, device)
    network, vocab = ckpt.model, ckpt.vocab
    view = network.view(mode)
    top = None
    with torch.no_grad():
        if mode == "bidirectional":
            ids = torch.tensor([[vocab.cls_id, *vocab.encode(list(words)), vocab.sep_id]], device=device)
            first_mask = int((ids[0] == vocab.mask_id).nonzero()[0])
            prediction = mask_predictions(view, ids[0], [first_mask], TOP_K)[0]
            top = (tuple(vocab.decode(prediction.top_ids)), tuple(prediction.top_probs))
            filled, _ = fill_masks(view, ids, vocab.mask_id, "confident_first")
            ids, sentence = filled[0], vocab.decode(filled[0, 1:-1].tolist())
            answer, verdict = " ".join(sentence), is_grammatical(sentence)
        else:  # causal: continue <bos> words; seq2seq: write the French after <bos> English [SEP]
            prompt = [vocab.bos_id, *vocab.encode(list(words))] + ([vocab.sep_id] if mode == "seq2seq" else [])
            ids = generate(
                view,
                torch.tensor(prompt, device=device),
                network.config.max_len - len(prompt),
                greedy=True,
                eos_id=vocab.eos_id,
                processors=[text_suppressor(vocab)],
            )
            written, ended = strip_eos(vocab.decode(ids.tolist()[len(prompt) :]), vocab)
            if mode == "causal":
                answer, verdict = " ".join([*words, *written]), ended and is_grammatical([*words, *written])
            else:
                answer = " ".join(written)
                verdict = check_translation(list(words), written) if is_grammatical(list(words)) else None
        lengths = view.source_lengths(ids[None])
        mask = unilm_mask(mode, ids[None], lengths, vocab.pad_id)[0]  # (T, T)
        attention = torch.stack([w[0] for w in view(ids[None], need_weights=True).self_attention])
    return UnilmRun(tuple(vocab.decode(ids.tolist())), answer, verdict, top, read_only(mask), read_only(attention))


THUMBNAIL = ("<bos>", "the", "cat", "[SEP]", "le", "chat")  # one sequence under the three masks


def three_masks(ctx: PageContext, chosen: str) -> None:
    """The network's three masks side by side, as unilm_mask builds them, the one in use marked."""
    ids = torch.ones(1, len(THUMBNAIL), dtype=torch.long)
    source = torch.tensor([THUMBNAIL.index("[SEP]") + 1])
    for column, mode in zip(st.columns(len(MODES)), MODES, strict=True):
        mask = unilm_mask(mode, ids, source, pad_id=0)[0].numpy()
        title = ("● " if mode == chosen else "") + re.split("[:：]", ctx.t(MODE_NAME_KEYS[mode]))[0]
        with column:
            st.markdown(f"**{title}**")  # a thumbnail draws no title of its own
            fig = mask_figure(mask, THUMBNAIL, THUMBNAIL, title, presentation=ctx.presentation, small=True)
            show_plotly(fig, "fusions", "unilm_three_masks", mode, key=f"fu_thumb_{mode}")


@st.fragment  # this section's controls redraw it alone: the page's other three do not depend on them
def unilm_section(ctx: PageContext, ckpt: Checkpoint) -> None:
    network = ckpt.model
    mode = st.segmented_control(
        ctx.t("fu_unilm_mode"),
        MODES,
        default="bidirectional",
        required=True,
        format_func=lambda m: ctx.t(MODE_NAME_KEYS[m]),
        key="fu_unilm_mode",
    )
    three_masks(ctx, mode)
    text = st.text_input(
        ctx.t(MODE_INPUT_KEYS[mode]), value=MODE_EXAMPLES[mode], key=f"fu_unilm_text_{mode}", max_chars=2000
    )
    words = sentence_words(ctx, text, MODE_EXAMPLES[mode])
    if mode == "bidirectional":
        words = _with_blank(ctx, words)
    run = _unilm_run(str(ctx.device), mode, tuple(words))
    if run.top is not None:
        show_plotly(
            topk_bars(
                list(run.top[0]),
                list(run.top[1]),
                ctx.t("fu_topk_mask"),
                presentation=ctx.presentation,
                x_title=ctx.t("ae_probability"),
            ),
            "fusions",
            "unilm_fill",
            *words[:4],
            key="fu_unilm_topk",
        )
    st.markdown(ctx.t("fu_unilm_answer", answer=md_token(run.answer) or "∅", verdict=ctx.t(VERDICT_KEYS[run.verdict])))
    same = all(a is b for m in MODES for a, b in zip(network.view(m).parameters(), network.parameters(), strict=True))
    st.caption(ctx.t("fu_unilm_same" if same else "fu_unilm_not_same", n=sum(p.numel() for p in network.parameters())))
    labels = list(run.labels)
    # side by side on a laptop; one above the other on a projector, where the larger cells need the width
    left, right = (st.container(), st.container()) if ctx.presentation else st.columns([2, 3])
    with left:
        show_plotly(
            mask_figure(
                run.mask,
                labels,
                labels,
                ctx.t(MODE_NAME_KEYS[mode]),
                **mask_options(ctx),
            ),
            "fusions",
            "unilm_mask",
            mode,
            key="fu_unilm_mask",
        )
    with right:
        attention_views(
            ctx,
            run.attention,
            labels,
            labels,
            ctx.t("fu_unilm_attention"),
            "fu_unilm",
            ("fusions", "unilm_attention", mode, *words[:3]),
            x_title=ctx.t("key_axis"),
            y_title=ctx.t("query_axis"),
            masked=~run.mask,
            default_view=1,
            default_layer=-1,
        )
    unilm_quality(ctx, ckpt.metrics)


def unilm_quality(ctx: PageContext, metrics: dict) -> None:
    """The held-out numbers of the three modes and the wrong-mask experiment, from the checkpoint's metrics."""
    causal, seq2seq = metrics["causal"], metrics["seq2seq"]
    rows = [
        (ctx.t("fu_mode_bidirectional"), ctx.t("fu_q_fill"), metrics["fill_grammatical_confident_first"], 0.9),
        (ctx.t("fu_mode_causal"), ctx.t("fu_q_samples"), causal["samples_grammatical_t1"], 0.9),
        (ctx.t("fu_mode_seq2seq"), ctx.t("fu_q_translation"), seq2seq["exact_match"], 0.9),
    ]
    st.table(
        pd.DataFrame(
            [
                {
                    ctx.t("fu_q_mode"): mode,
                    ctx.t("fu_q_measure"): what,
                    ctx.t("fu_q_value"): f"{value:.1%}",
                    ctx.t("fu_q_bar"): f"≥ {bar:.0%}",
                }
                for mode, what, value, bar in rows
            ]
        ),
        hide_index=True,
    )
    measured(
        ctx,
        "fu_wrong_mask",
        metrics,
        n="right_context_items",
        right="right_context_agreement",
        wrong="right_context_agreement_causal_mask",
    )
