"""Masks: the same attention block becomes each paradigm by changing only its mask."""

import random

import streamlit as st

from seqviz.data.toy import canonical_translation, example_sentences, unknown_words
from seqviz.models.masks import SELF_ATTENTION_MASKS, example_order, format_order, mask_gallery, parse_order
from seqviz.models.probe import head_scores, seeded_scores
from seqviz.ui.figures import show_plotly
from seqviz.ui.inputs import tokens_from_text
from seqviz.ui.masks import page_gallery_figures
from seqviz.ui.models import builtin_model
from seqviz.ui.page import device_fallback, page_intro, setup_page
from seqviz.viz.masks import scores_pipeline_figure, softmax_masked

MAX_TOKENS = 16
MODEL = "toy_mlm"

ctx = setup_page("page_masks")
page_intro(ctx, "masks_title", "masks_intro", "masks_look")

examples = example_sentences("en")


def use_example():
    st.session_state.sentence = st.session_state.example
    st.session_state.target = " ".join(canonical_translation(st.session_state.example.split()))
    st.session_state.order = ""


def reset_order():
    st.session_state.order = ""


def shuffle_order(length: int):
    shuffled = list(range(length))
    random.shuffle(shuffled)
    st.session_state.order = format_order(shuffled)


with device_fallback(ctx):  # a GPU out of memory reruns the page on the CPU
    st.session_state.setdefault("sentence", examples[0])
    st.session_state.setdefault("target", example_sentences("fr")[0])
    left, right = st.columns([3, 2])
    text = left.text_input(
        ctx.t("sentence"), key="sentence", help=ctx.t("sentence_help"), max_chars=2000, on_change=reset_order
    )
    right.selectbox(
        ctx.t("example"), examples, key="example", on_change=use_example, index=None, placeholder=ctx.t("choose")
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
    c4.button(ctx.t("shuffle"), icon=":material/shuffle:", on_click=shuffle_order, args=(len(tokens),))
    order = parse_order(order_text, len(tokens)) if order_text.strip() else default_order
    if order is None:
        st.warning(ctx.t("bad_order", text=order_text[:40], n=len(tokens)), icon=":material/warning:")
        order = default_order

    st.header(ctx.t("gallery"))
    st.caption(ctx.t("gallery_caption"))
    per_row = 2 if ctx.presentation else 3
    columns = st.columns(per_row)
    for i, (name, fig) in enumerate(page_gallery_figures(ctx, tokens, target, second, prefix_length, order).items()):
        with columns[i % per_row]:
            show_plotly(fig, "masks", name, *tokens[:4], key=f"mask_{name}")
            st.caption(ctx.t(f"mask_why_{name}"))

    st.header(ctx.t("pipeline"))
    st.markdown(ctx.t("pipeline_intro"))
    c1, c2, c3 = st.columns([2, 1, 1])
    chosen = c1.selectbox(
        ctx.t("pipeline_mask"),
        SELF_ATTENTION_MASKS,
        index=1,
        format_func=lambda m: ctx.t(f"mask_{m}"),
        key="pipeline_mask",
    )
    scores = None
    try:
        ckpt = builtin_model(MODEL, str(ctx.device))
        config = ckpt.model.config
        layer = c2.selectbox(ctx.t("layer"), range(config.n_layers), format_func=lambda i: str(i + 1), key="layer")
        head = c3.selectbox(ctx.t("head"), range(config.n_heads), format_func=lambda i: str(i + 1), key="head")
        missing = unknown_words([t.lower() for t in tokens], ckpt.vocab.tokens)
        if missing:
            known = ", ".join(ckpt.vocab.decode(ckpt.vocab.regular_ids))
            st.info(
                ctx.t("seeded_scores", words=", ".join(f"“{w}”" for w in missing[:8]), known=known),
                icon=":material/casino:",
            )
        else:
            scores = head_scores(ckpt.model, ckpt.vocab, tokens, layer, head)
            st.success(ctx.t("real_scores", model=MODEL, layer=layer + 1, head=head + 1), icon=":material/memory:")
    except (FileNotFoundError, KeyError, ValueError) as error:
        st.info(ctx.t("model_missing", error=str(error)[:200]), icon=":material/casino:")
    if scores is None:
        scores = seeded_scores(len(tokens))

    mask = mask_gallery(tokens, target, second, prefix_length, order)[chosen].mask.numpy()
    titles = tuple(ctx.t("score_titles").split("|"))
    fig = scores_pipeline_figure(
        scores,
        mask,
        tokens,
        tokens,
        titles=titles,
        presentation=ctx.presentation,
        x_title=ctx.t("key_axis"),
        y_title=ctx.t("query_axis"),
        colorbar_titles=(ctx.t("score"), ctx.t("weight")),
    )
    show_plotly(fig, "masks", "scores_to_weights", chosen, *tokens[:4], key="pipeline")
    weights = softmax_masked(scores, mask)
    row_sums = weights.sum(axis=1)
    st.markdown(ctx.t("row_sums", low=row_sums.min(), high=row_sums.max(), blocked=int((~mask).sum())))
