"""UniLM on the fusions page: one network that fills blanks, continues or translates by its mask alone."""

from __future__ import annotations

import re

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


def _unilm_run(
    ctx: PageContext, ckpt: Checkpoint, mode: str, words: list[str]
) -> tuple[torch.Tensor, str, bool | None]:
    """What the network does under the mode: the full ids it ends with, the answer as text, and the checker's
    verdict (None when there is nothing to check)."""
    network, vocab = ckpt.model, ckpt.vocab
    view = network.view(mode)
    device = ctx.device
    if mode == "bidirectional":
        if MASK_TOKEN not in words:
            sites = right_context_sites(words)
            blank = sites[0][0] if sites else min(1, len(words) - 1)
            st.info(ctx.t("fu_no_mask", word=words[blank]), icon=":material/touch_app:")
            words = [*words[:blank], MASK_TOKEN, *words[blank + 1 :]]
        ids = torch.tensor([[vocab.cls_id, *vocab.encode(words), vocab.sep_id]], device=device)
        first_mask = int((ids[0] == vocab.mask_id).nonzero()[0])
        prediction = mask_predictions(view, ids[0], [first_mask], TOP_K)[0]
        filled, _ = fill_masks(view, ids, vocab.mask_id, "confident_first")
        sentence = vocab.decode(filled[0, 1:-1].tolist())
        show_plotly(
            topk_bars(
                vocab.decode(prediction.top_ids),
                prediction.top_probs,
                ctx.t("fu_topk_mask"),
                presentation=ctx.presentation,
                x_title=ctx.t("ae_probability"),
            ),
            "fusions",
            "unilm_fill",
            *words[:4],
            key="fu_unilm_topk",
        )
        return filled[0], " ".join(sentence), is_grammatical(sentence)
    # causal: continue <bos> words; seq2seq: write the French after <bos> English [SEP]
    prompt = [vocab.bos_id, *vocab.encode(words)] + ([vocab.sep_id] if mode == "seq2seq" else [])
    out = generate(
        view,
        torch.tensor(prompt, device=device),
        network.config.max_len - len(prompt),
        greedy=True,
        eos_id=vocab.eos_id,
        processors=[text_suppressor(vocab)],
    )
    written, ended = strip_eos(vocab.decode(out.tolist()[len(prompt) :]), vocab)
    if mode == "causal":
        return out, " ".join([*words, *written]), ended and is_grammatical([*words, *written])
    return out, " ".join(written), check_translation(words, written) if is_grammatical(words) else None


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
    network, vocab = ckpt.model, ckpt.vocab
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
    with torch.no_grad():
        ids, answer, verdict = _unilm_run(ctx, ckpt, mode, words)
        lengths = network.view(mode).source_lengths(ids[None])
        mask = unilm_mask(mode, ids[None], lengths, vocab.pad_id)[0]  # (T, T)
        attention = torch.stack([w[0] for w in network.view(mode)(ids[None], need_weights=True).self_attention])
    st.markdown(ctx.t("fu_unilm_answer", answer=md_token(answer) or "∅", verdict=ctx.t(VERDICT_KEYS[verdict])))
    same = all(a is b for m in MODES for a, b in zip(network.view(m).parameters(), network.parameters(), strict=True))
    st.caption(ctx.t("fu_unilm_same" if same else "fu_unilm_not_same", n=sum(p.numel() for p in network.parameters())))
    labels = vocab.decode(ids.tolist())
    # side by side on a laptop; one above the other on a projector, where the larger cells need the width
    left, right = (st.container(), st.container()) if ctx.presentation else st.columns([2, 3])
    with left:
        show_plotly(
            mask_figure(
                mask.cpu().numpy(),
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
            attention.cpu().numpy(),
            labels,
            labels,
            ctx.t("fu_unilm_attention"),
            "fu_unilm",
            ("fusions", "unilm_attention", mode, *words[:3]),
            x_title=ctx.t("key_axis"),
            y_title=ctx.t("query_axis"),
            masked=~mask.cpu().numpy(),
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
