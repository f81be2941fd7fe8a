"""The masks page: the sentences and settings, every named mask side by side (drawn once per input), and
one mask followed through the scores, the masking and the softmax."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import streamlit as st

from ..data.toy import canonical_translation, example_sentences, unknown_words
from ..i18n import tr
from ..models.masks import (
    MASK_TITLE_KEYS,
    MASK_WHY_KEYS,
    SELF_ATTENTION_MASKS,
    example_order,
    format_order,
    mask_gallery,
    parse_order,
)
from ..models.probe import head_scores, seeded_scores
from ..viz.masks import gallery_figures, scores_pipeline_figure, softmax_masked
from .figures import show_plotly
from .inputs import report_unknown, tokens_from_text
from .models import builtin_model
from .page import PageContext, widget_default


def page_gallery_figures(ctx: PageContext, tokens, target, second, prefix_length: int, order) -> dict:
    """{mask name: figure} for the sentence, the target and the second sentence of the padding batch."""
    return _gallery_figures(
        tuple(tokens), tuple(target), tuple(second), prefix_length, tuple(order), ctx.lang, ctx.presentation
    )


# Shared, never modified: st.plotly_chart only reads a figure. A rerun that changes something else on the
# page (the pipeline's mask, layer or head) then skips building nine figures (~90 ms).
@st.cache_resource(show_spinner=False, max_entries=64)
def _gallery_figures(tokens, target, second, prefix_length, order, lang, presentation) -> dict:
    gallery = mask_gallery(tokens, target, second, prefix_length, order)
    return gallery_figures(
        gallery,
        {name: tr(lang, MASK_TITLE_KEYS[name]) for name in gallery},
        presentation=presentation,
        x_title=tr(lang, "key_axis"),
        y_title=tr(lang, "query_axis"),
        allowed_label=tr(lang, "allowed"),
        blocked_label=tr(lang, "blocked"),
    )


MAX_TOKENS = 16
MODEL = "toy_mlm"  # the built-in model whose attention scores the pipeline shows


@dataclass(frozen=True)
class MaskInputs:
    tokens: tuple[str, ...]  # the sentence, as typed
    target: tuple[str, ...]  # the encoder-decoder's target sentence
    second: tuple[str, ...]  # the padding batch's second sentence
    prefix_length: int
    order: tuple[int, ...]  # XLNet's factorisation order, 0-based


def _use_example():
    st.session_state.sentence = st.session_state.example
    st.session_state.target = " ".join(canonical_translation(st.session_state.example.split()))
    st.session_state.order = ""


def _reset_order():
    st.session_state.order = ""


def _shuffle_order(length: int):
    shuffled = list(range(length))
    random.shuffle(shuffled)
    st.session_state.order = format_order(shuffled)


def mask_inputs(ctx: PageContext) -> MaskInputs:
    """The sentence, the target and second sentences, the prefix length and the permutation order."""
    examples = example_sentences("en")
    widget_default("sentence", examples[0])
    widget_default("target", example_sentences("fr")[0])
    left, right = st.columns([3, 2])
    text = left.text_input(
        ctx.t("sentence"), key="sentence", help=ctx.t("sentence_help"), max_chars=2000, on_change=_reset_order
    )
    right.selectbox(
        ctx.t("example"), examples, key="example", on_change=_use_example, index=None, placeholder=ctx.t("choose")
    )
    tokens = tokens_from_text(ctx, text, MAX_TOKENS, examples[0], ctx.t("sentence"))

    c1, c2, c3, c4 = st.columns(4)
    target_text = c1.text_input(ctx.t("target_sentence"), key="target", max_chars=2000)
    target = tokens_from_text(ctx, target_text, MAX_TOKENS, "le chat dort", ctx.t("target_sentence"))
    second_text = c2.text_input(ctx.t("second_sentence"), value="the cats sleep", max_chars=2000)
    second = tokens_from_text(ctx, second_text, MAX_TOKENS, "the cats", ctx.t("second_sentence"))
    prefix_length = c3.slider(ctx.t("prefix_length"), 0, len(tokens), min(2, len(tokens)))
    default_order = example_order(len(tokens))
    order_text = c4.text_input(
        ctx.t("permutation_order"), key="order", help=ctx.t("permutation_help"), placeholder=format_order(default_order)
    )
    c4.button(ctx.t("shuffle"), icon=":material/shuffle:", on_click=_shuffle_order, args=(len(tokens),))
    order = parse_order(order_text, len(tokens)) if order_text.strip() else default_order
    if order is None:
        st.warning(ctx.t("bad_order", text=order_text[:40], n=len(tokens)), icon=":material/warning:")
        order = default_order
    return MaskInputs(tuple(tokens), tuple(target), tuple(second), prefix_length, tuple(order))


def gallery_section(ctx: PageContext, inputs: MaskInputs) -> None:
    """Every mask side by side, each with why it has its shape."""
    per_row = 2 if ctx.presentation else 3
    columns = st.columns(per_row)
    figures = page_gallery_figures(ctx, inputs.tokens, inputs.target, inputs.second, inputs.prefix_length, inputs.order)
    for i, (name, fig) in enumerate(figures.items()):
        with columns[i % per_row]:
            show_plotly(fig, "masks", name, *inputs.tokens[:4], key=f"mask_{name}")
            st.caption(ctx.t(MASK_WHY_KEYS[name]))


def _head_scores(ctx: PageContext, tokens: tuple[str, ...], layer_column, head_column) -> np.ndarray | None:
    """One head's query·key scores from the built-in model, or None (and a message) when it cannot give
    them: a word it does not know, or no model."""
    try:
        ckpt = builtin_model(MODEL, str(ctx.device))
        config = ckpt.model.config
        layer = layer_column.selectbox(
            ctx.t("layer"), range(config.n_layers), format_func=lambda i: str(i + 1), key="layer"
        )
        head = head_column.selectbox(ctx.t("head"), range(config.n_heads), format_func=lambda i: str(i + 1), key="head")
        missing = unknown_words([t.lower() for t in tokens], ckpt.vocab.tokens)
        if missing:
            known = ckpt.vocab.decode(ckpt.vocab.regular_ids)
            report_unknown(ctx, "seeded_scores", missing, known, st.info, ":material/casino:")
            return None
        scores = head_scores(ckpt.model, ckpt.vocab, tokens, layer, head)
        st.success(ctx.t("real_scores", model=MODEL, layer=layer + 1, head=head + 1), icon=":material/memory:")
        return scores
    except (FileNotFoundError, KeyError, ValueError) as error:
        st.info(ctx.t("model_missing", error=str(error)[:200]), icon=":material/casino:")
        return None


def pipeline_section(ctx: PageContext, inputs: MaskInputs) -> None:
    """One mask through the attention arithmetic: scores, masked scores, softmax weights, and the check
    that every row still sums to one."""
    st.markdown(ctx.t("pipeline_intro"))
    c1, c2, c3 = st.columns([2, 1, 1])
    chosen = c1.selectbox(
        ctx.t("pipeline_mask"),
        SELF_ATTENTION_MASKS,
        index=1,
        format_func=lambda m: ctx.t(MASK_TITLE_KEYS[m]),
        key="pipeline_mask",
    )
    tokens = inputs.tokens
    scores = _head_scores(ctx, tokens, c2, c3)
    if scores is None:
        scores = seeded_scores(len(tokens))
    gallery = mask_gallery(tokens, inputs.target, inputs.second, inputs.prefix_length, inputs.order)
    mask = gallery[chosen].mask.numpy()
    fig = scores_pipeline_figure(
        scores,
        mask,
        tokens,
        tokens,
        titles=tuple(ctx.texts("score_titles")),
        presentation=ctx.presentation,
        x_title=ctx.t("key_axis"),
        y_title=ctx.t("query_axis"),
        colorbar_titles=(ctx.t("score"), ctx.t("weight")),
    )
    show_plotly(fig, "masks", "scores_to_weights", chosen, *tokens[:4], key="pipeline")
    row_sums = softmax_masked(scores, mask).sum(axis=1)
    st.markdown(ctx.t("row_sums", low=row_sums.min(), high=row_sums.max(), blocked=int((~mask).sum())))
