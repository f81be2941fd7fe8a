"""The "Inside the models" page: explanations scored against the toy language's truth — which heads align,
an example pair under every method, head ablation live, and the logit lens of a GPT, a BERT and a
translator side by side."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
import torch

from ..data.text import MASK_TOKEN
from ..data.toy import canonical_translation
from ..decoding.seq2seq import translate_all
from ..explain.ablation import attention_modules, switched_off
from ..explain.alignment import ALIGNMENT_PAIRS, example_maps
from ..explain.logit_lens import Lens, language_model_lens, translator_lens
from ..models.checkpoint import Checkpoint
from ..models.inputs import encode_mlm
from ..models.layers import ablated_heads
from ..training.ablation_evaluation import head_ablation_maps, masked_lm_measures, translator_measures
from ..training.recipes import RECIPES
from ..training.splits import english_splits, translation_split_head, translation_splits
from ..viz.attention import attention_heatmap, head_drop_heatmap, head_score_heatmap
from ..viz.parallel import logit_lens_figure
from .figures import show_plotly
from .inputs import toy_words
from .models import builtin_model
from .page import PageContext

TRANSLATOR, BAHDANAU, MLM, CLM = "toy_transformer_mt", "toy_bahdanau_mt", "toy_mlm", "toy_clm"
STACK_KEYS = {"encoder": "ins_stack_encoder", "decoder": "ins_stack_decoder", "cross": "ins_stack_cross"}
ABLATED_MODEL_KEYS = {TRANSLATOR: "ins_model_translator", MLM: "ins_model_mlm"}
MEASURE_KEYS = {
    "exact_match": "ins_measure_exact_match",
    "right_context_agreement": "ins_measure_agreement",
    "fill_grammatical": "ins_measure_fill",
}
LENS_EXAMPLE = "the [MASK] that the dog sees sleep"
MAX_LENS_WORDS = 16


def _test_pairs() -> list:
    return translation_split_head("test", ALIGNMENT_PAIRS, **RECIPES[TRANSLATOR].data)


# ---- which heads align -------------------------------------------------------------------------------------


def alignment_section(ctx: PageContext, translator: Checkpoint, bahdanau: Checkpoint) -> None:
    scores = translator.metrics["cross_attention_alignment"]
    heads = np.array(scores["head_accuracy"])
    labels = [ctx.t("ins_head", h=h + 1) for h in range(heads.shape[1])]
    figure = head_score_heatmap(
        heads,
        [ctx.t("ins_layer", layer=layer + 1) for layer in range(heads.shape[0])],
        labels,
        ctx.t("ins_heads_title"),
        presentation=ctx.presentation,
        x_title=ctx.t("ins_head_axis"),
        y_title=ctx.t("ins_layer_axis"),
        colorbar_title=ctx.t("ins_accuracy"),
    )
    left, right = st.columns([1, 1.2])
    with left:
        show_plotly(figure, "inside", "head_alignment", key="ins_heads")
    with right:
        st.table(
            pd.DataFrame(_method_rows(ctx, scores, bahdanau.metrics["cross_attention_alignment"])), hide_index=True
        )
    best = scores["best_head"]
    st.markdown(
        ctx.t(
            "ins_alignment_result",
            layer=best[0],
            head=best[1],
            best=scores["best_head_accuracy"],
            saliency=scores["saliency_accuracy"],
            rollout=scores["rollout_best_head_accuracy"],
            bahdanau=bahdanau.metrics["cross_attention_alignment"]["best_head_accuracy"],
            n=scores["pairs"],
            words=scores["words"],
        )
    )


def _method_rows(ctx: PageContext, scores: dict, bahdanau: dict) -> list[dict]:
    layer, head = scores["best_head"]
    rows = [
        (ctx.t("ins_method_best_head", layer=layer, head=head), scores["best_head_accuracy"], scores["best_head_aer"])
    ]
    rows += [
        (ctx.t("ins_method_layer_mean", layer=i + 1), a, e)
        for i, (a, e) in enumerate(zip(scores["layer_mean_accuracy"], scores["layer_mean_aer"], strict=True))
    ]
    rows.append(
        (ctx.t("ins_method_rollout_head"), scores["rollout_best_head_accuracy"], scores["rollout_best_head_aer"])
    )
    rows.append((ctx.t("ins_method_saliency"), scores["saliency_accuracy"], scores["saliency_aer"]))
    rows.append((ctx.t("ins_method_bahdanau"), bahdanau["best_head_accuracy"], bahdanau["best_head_aer"]))
    rows.append((ctx.t("ins_method_bahdanau_saliency"), bahdanau["saliency_accuracy"], bahdanau["saliency_aer"]))
    return [
        {ctx.t("ins_method"): name, ctx.t("ins_accuracy"): f"{acc:.1%}", ctx.t("ins_aer"): f"{aer:.3f}"}
        for name, acc, aer in rows
    ]


@st.cache_resource(show_spinner=False, max_entries=64)
def _example_maps(index: int, device: str) -> dict[str, np.ndarray]:
    """Held-out pair `index` under every method (explain.alignment.example_maps); shared read-only."""
    translator = builtin_model(TRANSLATOR, device)
    source, target = _test_pairs()[index]
    best = translator.metrics["cross_attention_alignment"]["best_head"]
    return example_maps(translator.model, translator.vocab, source, target, best)


@st.fragment  # the example slider redraws this section alone
def example_section(ctx: PageContext, translator: Checkpoint) -> None:
    """One held-out pair under every method, the true links in the first panel."""
    pairs = _test_pairs()
    index = st.slider(ctx.t("ins_example"), 1, len(pairs), 1, key="ins_example") - 1
    source, target = pairs[index]
    maps = _example_maps(index, str(ctx.device))
    layer, head = translator.metrics["cross_attention_alignment"]["best_head"]
    panels = {
        "truth": (maps["truth"], ctx.t("ins_panel_truth")),
        "head": (maps["head"], ctx.t("ins_panel_head", layer=layer, head=head)),
        "saliency": (maps["saliency"], ctx.t("ins_panel_saliency")),
        "rollout": (maps["rollout"], ctx.t("ins_panel_rollout")),
    }
    # two by two on a laptop; one under another on a projector, where the labels must be large
    places = [st.container() for _ in panels] if ctx.presentation else st.columns(2) * 2
    for column, (name, (weights, title)) in zip(places, panels.items(), strict=True):
        with column:
            figure = attention_heatmap(
                weights,
                list(target),
                list(source),
                title,
                presentation=ctx.presentation,
                x_title=ctx.t("ins_source_axis"),
                y_title=ctx.t("ins_target_axis"),
                colorbar_title=ctx.t("weight"),
                zmax=1.0,
                show_values=False,
            )
            show_plotly(figure, "inside", "example", name, str(index + 1), key=f"ins_example_{name}")
    st.caption(ctx.t("ins_example_caption"))


# ---- head ablation -----------------------------------------------------------------------------------------


def _checked_heads(ctx: PageContext, model, name: str) -> list:
    """The grid of checkboxes: one row per layer, one box per head, a block per stack. -> heads switched off"""
    off = []
    stacks = attention_modules(model)
    for column, (stack, layers) in zip(st.columns(len(stacks)), stacks.items(), strict=True):
        with column:
            st.markdown(f"**{ctx.t(STACK_KEYS[stack])}**")
            for layer, module in enumerate(layers):
                boxes = st.columns(module.n_heads + 1, vertical_alignment="center")
                boxes[0].markdown(ctx.t("ins_layer_short", layer=layer + 1))
                for head in range(module.n_heads):
                    label = ctx.t("ins_head_short", h=head + 1)
                    if boxes[head + 1].checkbox(label, key=f"ins_off_{name}_{stack}_{layer}_{head}"):
                        off.append((stack, layer, head))
    return off


@st.cache_resource(show_spinner=False, max_entries=2)
def _recomputed_maps(name: str, device: str) -> dict:
    """The per-head drop maps measured again on this server (shared read-only once made)."""
    ckpt = builtin_model(name, device)
    return head_ablation_maps(ckpt.model, _measures(ckpt, name))


@st.cache_resource(show_spinner=False, max_entries=256)
def _measured(name: str, device: str, off: tuple) -> dict[str, float]:
    """The held-out scores with these heads switched off, measured once per server for each choice, so the
    page's other controls rerun without measuring again (deterministic, shared read-only)."""
    ckpt = builtin_model(name, device)
    return {m: measure(list(off)) for m, measure in _measures(ckpt, name).items()}


def _measures(ckpt: Checkpoint, name: str, held_out: int | None = None) -> dict:
    """The model's held-out measures, each a function of the heads switched off: on the whole test split, or
    on its first `held_out` examples."""
    if name == TRANSLATOR:
        pairs = translation_splits(**RECIPES[name].data)["test"][:held_out]
        return translator_measures(ckpt.model, ckpt.vocab, pairs)
    return masked_lm_measures(ckpt.model, ckpt.vocab, english_splits(**RECIPES[name].data)["test"][:held_out])


@st.fragment  # a head switched off or on redraws this section alone
def ablation_section(ctx: PageContext) -> None:
    name = st.segmented_control(
        ctx.t("ins_ablate_model"),
        list(ABLATED_MODEL_KEYS),
        default=TRANSLATOR,
        required=True,
        format_func=lambda n: ctx.t(ABLATED_MODEL_KEYS[n]),
        key="ins_ablate_model",
    )
    ckpt = builtin_model(name, str(ctx.device))
    off = _checked_heads(ctx, ckpt.model, name)
    baseline = ckpt.metrics["head_ablation"]["baseline"]
    with st.spinner(ctx.t("ins_measuring")):
        measured = _measured(name, str(ctx.device), tuple(sorted(off)))
    cells = st.columns(len(measured) + 1)
    for cell, (m, value) in zip(cells, measured.items(), strict=False):
        cell.metric(ctx.t(MEASURE_KEYS[m]), f"{value:.1%}", f"{value - baseline[m]:+.1%}", delta_color="normal")
    with cells[-1]:
        _example_output(ctx, name, off)
    st.caption(ctx.t("ins_ablation_method", n=len(off)))

    st.subheader(ctx.t("ins_drop_header"))
    recompute = st.button(ctx.t("ins_recompute"), icon=":material/refresh:", key=f"ins_recompute_{name}")
    if recompute or st.session_state.get(f"ins_recomputed_{name}"):
        st.session_state[f"ins_recomputed_{name}"] = True
        with st.spinner(ctx.t("ins_recomputing")):
            maps = _recomputed_maps(name, str(ctx.device))
        st.caption(ctx.t("ins_maps_live"))
    else:
        maps = ckpt.metrics["head_ablation"]
    _drop_maps(ctx, name, maps)


def _example_output(ctx: PageContext, name: str, off: list) -> None:
    kind, words, top, p = _ablated_example(name, str(ctx.device), tuple(sorted(off)))
    if kind == "translation":
        st.markdown(ctx.t("ins_example_translation", source=" ".join(words), output=" ".join(top)))
    else:
        st.markdown(ctx.t("ins_example_fill", sentence=" ".join(words), top=top, p=p))


@st.cache_resource(show_spinner=False, max_entries=256)
def _ablated_example(name: str, device: str, off: tuple) -> tuple[str, list[str], list[str] | str, float]:
    """The example sentence through the model with the heads `off` switched off: (kind, input, output, p);
    once per server and set of heads, like _measured."""
    ckpt = builtin_model(name, device)
    with torch.no_grad(), ablated_heads(switched_off(ckpt.model, list(off))):
        if name == TRANSLATOR:
            source = "the small cats that the dog sees do not sleep".split()
            return "translation", source, translate_all(ckpt.model, ckpt.vocab, [source])[0], 1.0
        words = "the [MASK] that the dog sees sleep".split()
        ids = encode_mlm([words], ckpt.vocab).to(device)
        probabilities = ckpt.model(ids).logits[0, 2].softmax(-1)  # the [MASK] (after [CLS] and "the")
        return "fill", words, ckpt.vocab.token(int(probabilities.argmax())), float(probabilities.max())


def _drop_maps(ctx: PageContext, name: str, maps: dict) -> None:
    for m in (m for m in maps if m != "baseline"):
        st.markdown(f"**{ctx.t('ins_drop_measure', measure=ctx.t(MEASURE_KEYS[m]))}**")
        stacks = maps[m]
        for column, (stack, drops) in zip(st.columns(3), stacks.items(), strict=False):
            drops = np.array(drops)
            with column:
                figure = head_drop_heatmap(
                    drops,
                    [ctx.t("ins_layer_short", layer=layer + 1) for layer in range(drops.shape[0])],
                    [str(h + 1) for h in range(drops.shape[1])],
                    ctx.t(STACK_KEYS[stack]),
                    presentation=ctx.presentation,
                    x_title=ctx.t("ins_head_axis"),
                    y_title=ctx.t("ins_layer_plain"),
                    colorbar_title=ctx.t("ins_drop"),
                )
                show_plotly(figure, "inside", "ablation", name, m, stack, key=f"ins_drop_{name}_{m}_{stack}")


# ---- the logit lens ----------------------------------------------------------------------------------------


def _lens_figure(ctx: PageContext, lens: Lens, vocab, words: list[str], title: str, key: str) -> None:
    figure = logit_lens_figure(
        [[vocab.token(int(i)) for i in row] for row in lens.top],
        lens.final_probability.numpy(),
        title,
        column_labels=words,
        embeddings_label=ctx.t("ins_lens_embeddings"),
        presentation=ctx.presentation,
        x_title=ctx.t("ins_lens_position"),
        y_title=ctx.t("ins_lens_layer"),
        colorbar_title=ctx.t("ins_lens_probability"),
    )
    show_plotly(figure, "inside", "logit_lens", key, key=f"ins_lens_{key}")


@st.cache_resource(show_spinner=False, max_entries=128)
def _lenses(words: tuple[str, ...], device: str) -> tuple[Lens, list[str], Lens, list[str] | None, Lens | None]:
    """The logit lens of the masked LM, of the causal LM (reading the sentence with each [MASK] as the masked LM
    filled it) and of the translator where the filled sentence has a translation: (bert, filled, gpt,
    translation, translator lens). Once per server and sentence (the page's example at every open), shared
    read-only."""
    mlm, clm = builtin_model(MLM, device), builtin_model(CLM, device)
    bert = language_model_lens(mlm.model, encode_mlm([list(words)], mlm.vocab).to(device))  # [CLS] words [SEP]
    filled = [mlm.vocab.token(int(bert.final[i + 1])) if w == MASK_TOKEN else w for i, w in enumerate(words)]
    gpt = language_model_lens(clm.model, torch.tensor([[clm.vocab.bos_id, *clm.vocab.encode(filled)]], device=device))
    translation = canonical_translation(filled)
    if translation is None:
        return bert, filled, gpt, None, None
    translator = builtin_model(TRANSLATOR, device)
    return bert, filled, gpt, translation, translator_lens(translator.model, translator.vocab, filled, translation)


@st.fragment  # a sentence typed here redraws this section alone
def lens_section(ctx: PageContext) -> None:
    text = st.text_input(ctx.t("ins_lens_text"), LENS_EXAMPLE, key="ins_lens_text", max_chars=2000)
    words = toy_words(ctx, text, MAX_LENS_WORDS)
    if not words:
        st.warning(ctx.t("ins_lens_empty"), icon=":material/edit_note:")
        return
    device = str(ctx.device)
    mlm, clm = builtin_model(MLM, device), builtin_model(CLM, device)
    bert, filled, gpt, translation, lens = _lenses(tuple(words), device)
    _lens_figure(ctx, bert, mlm.vocab, ["[CLS]", *words, "[SEP]"], ctx.t("ins_lens_bert"), "bert")
    if MASK_TOKEN in words:
        st.markdown(ctx.t("ins_lens_filled", sentence=" ".join(filled)))
    _lens_figure(ctx, gpt, clm.vocab, ["<bos>", *filled], ctx.t("ins_lens_gpt"), "gpt")
    if translation is None:
        st.info(ctx.t("ins_lens_no_translation"), icon=":material/translate:")
        return
    _lens_figure(
        ctx,
        lens,
        builtin_model(TRANSLATOR, device).vocab,
        ["<bos>", *translation, "<eos>"],
        ctx.t("ins_lens_translator", source=" ".join(filled)),
        "translator",
    )
    st.caption(ctx.t("ins_lens_caption"))
