"""The sections of the autoencoding page: input and blanks, predictions, attention, the left-to-right
comparison and the fine-tuning demo. Each takes the page context and draws one part of the page."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import streamlit as st
import torch

from ..data.text import MASK_TOKEN, tokenize
from ..data.toy import (
    RIGHT_CONTEXT_EXAMPLES,
    is_grammatical,
    right_context_sites,
    unknown_words,
    valid_fills,
)
from ..decoding.autoregressive import next_token_probs
from ..decoding.masked import STRATEGIES, fill_masks, mask_predictions
from ..models.autoencoding import describe_corruption, masked_lm_corruption
from ..models.checkpoint import Checkpoint
from ..models.probe import right_share, self_attention
from ..training.finetune import LabelledData, compare_pretraining, subject_number_task
from ..viz.bars import topk_bars
from ..viz.curves import accuracy_curves
from .figures import attention_views, show_altair, show_plotly
from .inputs import report_unknown
from .models import builtin_model
from .page import PageContext, widget_default
from .training_turns import training_turn

TOP_K = 6
START_NAME_KEYS = {"pretrained": "ae_pretrained", "random_init": "ae_random_init"}  # the fine-tuned encoders
STRATEGY_NAME_KEYS = {"parallel": "ae_parallel", "confident_first": "ae_confident_first"}


@dataclass(frozen=True)
class Blanks:
    ids: torch.Tensor  # (T,) [CLS] words [SEP], with the blanks corrupted
    positions: list[int]  # word indices (0-based, without [CLS]) the model must reconstruct
    words: list[str]  # the original words
    actions: dict[int, str] | None = None  # BERT's rule: position -> "mask" | "random" | "keep"


def sentence_input(ctx: PageContext, vocab, max_words: int, examples: list[str]) -> list[str]:
    """The sentence box and example picker; stops the page with a clear message if no word is usable."""
    left, right = st.columns([3, 2])
    widget_default("ae_sentence", examples[0])

    def use_example():
        st.session_state.ae_sentence = st.session_state.ae_example
        st.session_state.ae_random = None

    right.selectbox(
        ctx.t("example"), examples, key="ae_example", index=None, placeholder=ctx.t("choose"), on_change=use_example
    )
    text = left.text_input(ctx.t("sentence"), key="ae_sentence", help=ctx.t("ae_sentence_help"), max_chars=2000)
    words = tokenize(text)
    if not words:
        st.warning(ctx.t("empty_input", field=ctx.t("sentence"), fallback=examples[0]), icon=":material/edit_note:")
        words = tokenize(examples[0])
    if len(words) > max_words:
        st.info(ctx.t("ae_too_long", n=len(words), max=max_words), icon=":material/content_cut:")
        words = words[:max_words]
    missing = unknown_words(words, [*vocab.tokens])
    if missing:
        report_unknown(ctx, "ae_unknown", missing, vocab.decode(vocab.regular_ids), show=st.error)
        st.stop()
    return words


def default_blank(words: list[str]) -> list[int]:
    """Start with a blank the right context decides, if the sentence has one; else the second word."""
    sites = right_context_sites(words)
    return [sites[0][0]] if sites else [min(1, len(words) - 1)]


def choose_blanks(ctx: PageContext, words: list[str], vocab) -> Blanks:
    """Blanks from clicked words and typed [MASK]s, or from BERT's random 15% rule."""
    typed = [i for i, w in enumerate(words) if w == MASK_TOKEN]
    chosen = st.pills(
        ctx.t("ae_pick_masks"),
        range(len(words)),
        selection_mode="multi",
        format_func=lambda i: words[i],
        key="ae_pills_" + "_".join(words),
        default=typed or default_blank(words),
    )
    left, right = st.columns(2)
    if left.button(ctx.t("ae_random_mask"), icon=":material/casino:"):
        st.session_state.ae_random = (tuple(words), random.randrange(1_000_000))
    if st.session_state.get("ae_random") and st.session_state.ae_random[0] == tuple(words):
        right.button(
            ctx.t("ae_clear_random"), icon=":material/undo:", on_click=lambda: st.session_state.update(ae_random=None)
        )
        return _bert_rule(ctx, words, vocab, seed=st.session_state.ae_random[1])
    ids = torch.tensor([vocab.cls_id, *vocab.encode(words), vocab.sep_id])
    positions = sorted(set(chosen) | set(typed))
    ids[[p + 1 for p in positions]] = vocab.mask_id
    if not positions:
        st.info(ctx.t("ae_no_mask"), icon=":material/touch_app:")
        st.stop()
    if len(positions) == len(words):
        st.warning(ctx.t("ae_all_masked"), icon=":material/warning:")
    return Blanks(ids, positions, list(words))


def _bert_rule(ctx: PageContext, words: list[str], vocab, seed: int) -> Blanks:
    original = torch.tensor([[vocab.cls_id, *vocab.encode(words), vocab.sep_id]])
    maskable = torch.zeros_like(original, dtype=torch.bool)
    maskable[0, 1:-1] = torch.tensor([w != MASK_TOKEN for w in words])
    generator = torch.Generator().manual_seed(seed)
    corrupted, labels = masked_lm_corruption(
        original, vocab.mask_id, maskable, torch.tensor(vocab.regular_ids), generator
    )
    actions = {p - 1: a for p, a in describe_corruption(original[0], corrupted[0], labels[0], vocab.mask_id)}
    st.subheader(ctx.t("ae_corruption"))
    st.caption(ctx.t("ae_corruption_caption"))
    shown = []
    for i, word in enumerate(words):
        if i in actions:
            new = vocab.token(int(corrupted[0, i + 1]))
            shown.append(
                f"**:{_ACTION_COLOR[actions[i]]}-background[{word} {ctx.t(_ACTION_NAME_KEYS[actions[i]])} {new}]**"
            )
        else:
            shown.append(word)
    st.markdown(" ".join(shown).replace("[MASK]", "\\[MASK\\]"))
    return Blanks(corrupted[0], sorted(actions), list(words), actions)


_ACTION_COLOR = {"mask": "blue", "random": "orange", "keep": "green"}
_ACTION_NAME_KEYS = {"mask": "ae_action_mask", "random": "ae_action_random", "keep": "ae_action_keep"}


def predictions_section(ctx: PageContext, ckpt: Checkpoint, blanks: Blanks) -> None:
    """Top-k bars per blank (green = the checker accepts the word there), then the reconstruction."""
    model, vocab = ckpt.model, ckpt.vocab
    predictions = mask_predictions(model, blanks.ids.to(ctx.device), [p + 1 for p in blanks.positions], TOP_K)
    columns = st.columns(max(2, min(3, len(predictions))))
    for n, prediction in enumerate(predictions):
        blank = prediction.position - 1
        top_words = vocab.decode(prediction.top_ids)
        context = [MASK_TOKEN if i == blank else w for i, w in enumerate(blanks.words)]
        fits = set(valid_fills(context, blank)) if context.count(MASK_TOKEN) == 1 else None
        with columns[n % len(columns)]:
            original = blanks.words[blank]
            title = (
                ctx.t("ae_blank_typed", i=n + 1)
                if original == MASK_TOKEN
                else ctx.t("ae_blank", i=n + 1, word=original)
            )
            fig = topk_bars(
                top_words,
                prediction.top_probs,
                title,
                accepted=[w in fits for w in top_words] if fits is not None else None,
                presentation=ctx.presentation,
                x_title=ctx.t("ae_probability"),
                legend=(ctx.t("ae_fits"), ctx.t("ae_does_not_fit")),
            )
            show_plotly(fig, "autoencoding", "blank", str(n + 1), *blanks.words[:4], key=f"ae_bars_{n}")
    if blanks.actions is None:
        strategy = st.radio(
            ctx.t("ae_strategy"),
            STRATEGIES,
            horizontal=True,
            key="ae_strategy",
            format_func=lambda s: ctx.t(STRATEGY_NAME_KEYS[s]),
        )
        filled, _ = fill_masks(model, blanks.ids[None].to(ctx.device), vocab.mask_id, strategy)
        filled = filled[0].cpu()
    else:  # under BERT's rule the model reconstructs every chosen position, whatever it now holds
        filled = blanks.ids.clone()
        for prediction in predictions:
            filled[prediction.position] = prediction.top_ids[0]
    words = vocab.decode(filled[1:-1].tolist())
    shown = " ".join(f"**:green[{w}]**" if i in blanks.positions else w for i, w in enumerate(words))
    st.markdown(ctx.t("ae_reconstructed", sentence=shown))
    if is_grammatical(words):
        st.success(ctx.t("ae_grammatical"), icon=":material/check_circle:")
    else:
        st.warning(ctx.t("ae_ungrammatical"), icon=":material/error:")
    m = ckpt.metrics
    if "fill_grammatical_parallel" in m:
        st.caption(
            ctx.t(
                "ae_quality",
                n=m["heldout_sentences"],
                parallel=m["fill_grammatical_parallel"],
                confident=m["fill_grammatical_confident_first"],
            )
        )


@st.cache_data(max_entries=64, show_spinner=False)
def _attention(_model, ids: tuple[int, ...], model_key: str) -> np.ndarray:
    """All layers' attention for one input -> (L, H, T, T); cached per input (model_key names the model)."""
    return self_attention(_model, ids)


def attention_section(ctx: PageContext, ckpt: Checkpoint, ids: torch.Tensor, name: str) -> None:
    labels = ckpt.vocab.decode(ids.tolist())
    attention = _attention(ckpt.model, tuple(ids.tolist()), f"{name}:{ctx.device}")  # (L, H, T, T)
    layer, _ = attention_views(
        ctx,
        attention,
        labels,
        labels,
        ctx.t("ae_attention_title"),
        "ae",
        ("autoencoding", "attention", *labels[1:5]),
        x_title=ctx.t("key_axis"),
        y_title=ctx.t("query_axis"),
    )
    st.caption(ctx.t("ae_right_share", share=right_share(attention[layer].mean(0))))


def versus_section(ctx: PageContext, mlm: Checkpoint, blanks: Blanks) -> None:
    """The masked LM's distribution at a blank beside the causal LM's at the same position."""
    examples = ", ".join(f"“{e}”" for e in RIGHT_CONTEXT_EXAMPLES)
    st.markdown(ctx.t("ae_versus_intro", examples=examples))
    try:
        clm = builtin_model("toy_clm", str(ctx.device))
    except FileNotFoundError:
        st.info(ctx.t("ae_clm_missing"), icon=":material/info:")
        return
    blank = st.selectbox(
        ctx.t("ae_which_blank"),
        blanks.positions,
        format_func=lambda i: f"{i + 1}: {blanks.words[i]}",
        key="ae_versus_blank",
    )
    vocab = mlm.vocab
    mlm_probs = mask_predictions(mlm.model, blanks.ids.to(ctx.device), [blank + 1], TOP_K)[0]
    prefix = torch.tensor([vocab.bos_id, *vocab.encode(blanks.words[:blank])])
    clm_top = next_token_probs(clm.model, prefix.to(ctx.device)).cpu().topk(TOP_K)
    masked_view = " ".join(MASK_TOKEN if i == blank else w for i, w in enumerate(blanks.words))
    left_view = " ".join(blanks.words[:blank] + ["___"])
    left, right = st.columns(2)
    for column, (title, ids, probs, tag) in zip(
        (left, right),
        (
            (ctx.t("ae_mlm_sees", context=masked_view), mlm_probs.top_ids, mlm_probs.top_probs, "mlm"),
            (ctx.t("ae_clm_sees", context=left_view), clm_top.indices.tolist(), clm_top.values.tolist(), "clm"),
        ),
        strict=False,
    ):
        with column:
            fig = topk_bars(
                vocab.decode(ids), probs, title, presentation=ctx.presentation, x_title=ctx.t("ae_probability")
            )
            show_plotly(fig, "autoencoding", "versus", tag, *blanks.words[:4], key=f"ae_versus_{tag}")
    m_mlm, m_clm = mlm.metrics, clm.metrics
    if "right_context_agreement" in m_mlm and "right_context_agreement" in m_clm:
        st.markdown(
            ctx.t(
                "ae_measured",
                n=m_mlm["right_context_items"],
                mlm=m_mlm["right_context_agreement"],
                clm=m_clm["right_context_agreement"],
            )
        )


@st.cache_resource(show_spinner=False, max_entries=6)
def _finetune_data(_vocab, n_train: int) -> LabelledData:
    """The labelled sentences to fine-tune on and test, in the vocabulary of the page's one masked LM (drawing
    them takes ~40 ms): once per server and size, shared read-only (fine-tuning only reads them)."""
    return subject_number_task(_vocab, n_train=n_train)


def finetune_section(ctx: PageContext, mlm: Checkpoint) -> None:
    """Fine-tune a copy of the pre-trained encoder and a random one, live, and plot both accuracy curves."""
    left, right = st.columns(2)
    n_train = left.select_slider(ctx.t("ae_finetune_examples"), [10, 20, 50], value=20, key="ae_ft_examples")
    steps = right.select_slider(ctx.t("ae_finetune_steps"), [10, 20, 30, 60], value=30, key="ae_ft_steps")
    data = _finetune_data(mlm.vocab, n_train)
    st.markdown(ctx.t("ae_finetune_intro", n=len(data.train_labels), m=len(data.test_labels)))
    if st.button(ctx.t("ae_finetune_button"), type="primary", icon=":material/model_training:"):
        with training_turn(ctx) as granted:  # refused on a busy shared server: the curves before stay
            if granted:
                _finetune(ctx, mlm, data, steps)
    if st.session_state.get("ae_finetune"):
        steps, n_train, results = st.session_state.ae_finetune
        rows = [
            {"step": p.step, "accuracy": p.test_accuracy, "series": ctx.t(START_NAME_KEYS[name])}
            for name, history in results.items()
            for p in history
        ]
        chart = accuracy_curves(
            rows,
            x_title=ctx.t("ae_step"),
            y_title=ctx.t("ae_accuracy"),
            series_title=ctx.t("ae_encoder"),
            presentation=ctx.presentation,
        )
        show_altair(chart, "autoencoding", "finetuning", key="ae_curves")
        seconds = sum(h[-1].elapsed_s for h in results.values())
        st.markdown(
            ctx.t(
                "ae_finetune_result",
                steps=steps,
                n=n_train,
                seconds=seconds,
                device="CPU",
                warm=results["pretrained"][-1].test_accuracy,
                cold=results["random_init"][-1].test_accuracy,
            )
        )


def _finetune(ctx: PageContext, mlm: Checkpoint, data, steps: int) -> None:
    """Fine-tune the pre-trained encoder and a random one live; their curves stay in the session."""
    progress = st.progress(0.0)
    names = {start: ctx.t(key) for start, key in START_NAME_KEYS.items()}

    def report(name, point):
        done = point.step / steps / 2 + (0.5 if name == "random_init" else 0.0)
        progress.progress(min(done, 1.0), text=ctx.t("ae_finetuning", name=names[name]))

    st.session_state.ae_finetune = (
        steps,
        len(data.train_labels),
        compare_pretraining(mlm.model, data, steps, callback=report),
    )
    progress.empty()
