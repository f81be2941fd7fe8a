"""T5 on the fusions page: one encoder-decoder, five tasks, told apart only by the first word of the input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
import torch

from ...data.digits import DIGITS
from ...data.text_to_text import (
    DIGIT_TASKS,
    SENTINELS,
    TASKS,
    answer_ok,
    fill_spans,
    split_prefix,
    t5_tokens,
    with_prefix,
)
from ...data.toy import EN_WORDS, is_grammatical, subject_number, unknown_words
from ...decoding.seq2seq import translate_batch
from ...models.checkpoint import Checkpoint
from ..figures import attention_views
from ..inputs import report_unknown, word_list
from ..models import builtin_model, read_only
from ..page import PageContext, widget_default
from ..text import md_token
from .common import VERDICT_KEYS

T5 = "toy_t5"
T5_EXAMPLES = {
    "translate": "translate: the black cat sleeps",
    "reverse": "reverse: 3 1 4 1 5 9 2 6",
    "sort": "sort: 3 1 4 1 5 9 2 6",
    "fill": "fill: the <X> sleeps on <Y> table",
    "number": "number: the cats that the dog sees sleep",
}
BAR = 0.9  # issue 19: every task's held-out accuracy
CHECKED_KEYS = {True: "fu_t5_yes", False: "fu_t5_no", None: "fu_t5_not_checkable"}  # a table cell, no colour


def _use_example() -> None:
    st.session_state.fu_t5_text = T5_EXAMPLES[st.session_state.fu_t5_example]


@st.fragment  # this section's controls redraw it alone: the page's other three do not depend on them
def t5_section(ctx: PageContext, ckpt: Checkpoint) -> None:
    model, vocab = ckpt.model, ckpt.vocab
    widget_default("fu_t5_text", T5_EXAMPLES["translate"])
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    text = left.text_input(ctx.t("fu_t5_input"), key="fu_t5_text", max_chars=2000, help=ctx.t("fu_t5_input_help"))
    right.selectbox(
        ctx.t("example"),
        list(T5_EXAMPLES),
        key="fu_t5_example",
        index=None,
        placeholder=ctx.t("choose"),
        format_func=lambda task: T5_EXAMPLES[task],
        on_change=_use_example,
    )
    task, body = split_prefix(t5_tokens(text))
    known = word_list(ctx, [f"**{t}:**" for t in TASKS])
    if task is None:
        st.warning(ctx.t("fu_t5_no_prefix", known=known), icon=":material/label:")
        t5_quality(ctx, ckpt.metrics)
        return
    missing = unknown_words(body, vocab.tokens)
    if missing:
        report_unknown(ctx, "ar_unknown", missing, DIGITS if task in DIGIT_TASKS else EN_WORDS)
        body = tuple(w for w in body if w not in missing)
    if not body:
        st.info(ctx.t("fu_t5_empty"), icon=":material/keyboard:")
        t5_quality(ctx, ckpt.metrics)
        return
    room = model.config.max_len - 2  # the prefix's two tokens
    if len(body) > room:
        st.info(ctx.t("ae_too_long", n=len(body), max=room), icon=":material/content_cut:")
        body = body[:room]
    output, cross, source = _answered(str(ctx.device), task, tuple(body))
    shown = md_token(" ".join(output)) or "∅"
    if task in TASKS:
        st.markdown(ctx.t("fu_t5_answer", output=shown, verdict=ctx.t(VERDICT_KEYS[_t5_verdict(task, body, output)])))
        if task == "fill" and (filled := fill_spans(body, output)) is not None:
            st.caption(ctx.t("fu_t5_filled", sentence=md_token(" ".join(filled))))
    else:  # what the model does with a prefix it never saw, labelled as not an answer
        st.error(ctx.t("fu_t5_unknown_prefix", task=md_token(task), known=known), icon=":material/label_off:")
        st.markdown(ctx.t("fu_t5_unknown_output", output=shown))
    attention_views(
        ctx,
        cross,
        [*output[: cross.shape[2] - 1], "<eos>"],
        list(source),
        ctx.t("fu_t5_cross"),
        "fu_t5",
        ("fusions", "t5_cross", task),
        x_title=ctx.t("fu_t5_source_axis"),
        y_title=ctx.t("fu_output_axis"),
        default_view=1,
        default_layer=-1,
    )
    every_prefix(ctx, body)
    t5_quality(ctx, ckpt.metrics)


@st.cache_resource(show_spinner=False, max_entries=256)
def _answered(device: str, task: str, body: tuple[str, ...]) -> tuple[tuple[str, ...], np.ndarray, tuple[str, ...]]:
    """The model's answer to the prefixed input, its cross-attention while writing it (L, H, T, S) and the
    source's tokens; once per server for each input, shared read-only."""
    ckpt = builtin_model(T5, device)
    model, vocab = ckpt.model, ckpt.vocab
    src = torch.tensor([vocab.encode(list(with_prefix(task, body)))], device=device)  # (1, S)
    with torch.no_grad():
        output = vocab.decode(translate_batch(model, src, vocab.bos_id, vocab.eos_id)[0])
        written = vocab.encode(output)[: model.config.max_len - 1]  # an answer that ran to the limit is cut
        tgt = torch.tensor([[vocab.bos_id, *written]], device=device)  # (1, T): row t writes token t + 1
        cross = torch.stack([w[0] for w in model(src, tgt, need_weights=True).cross_attention])  # (L, H, T, S)
    return tuple(output), read_only(cross), tuple(vocab.decode(src[0].tolist()))


@st.cache_resource(show_spinner=False, max_entries=256)
def _under_every_prefix(device: str, body: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The same input under each known prefix, decoded together; once per server for each input."""
    ckpt = builtin_model(T5, device)
    vocab = ckpt.vocab
    sources = [vocab.encode(list(with_prefix(task, body))) for task in TASKS]
    src = torch.tensor(sources, device=device)  # (5, S): the same length, as the prefixes are one word
    with torch.no_grad():
        return tuple(tuple(vocab.decode(ids)) for ids in translate_batch(ckpt.model, src, vocab.bos_id, vocab.eos_id))


def every_prefix(ctx: PageContext, body) -> None:
    """The same input under each known prefix: the prefix alone changes the job."""
    outputs = _under_every_prefix(str(ctx.device), tuple(body))
    st.subheader(ctx.t("fu_t5_every_prefix"))
    rows = [
        {
            ctx.t("fu_t5_task"): f"{task}:",
            ctx.t("fu_t5_output"): " ".join(output) or "∅",
            ctx.t("fu_t5_checked"): ctx.t(CHECKED_KEYS[_t5_verdict(task, body, output)]),
        }
        for task, output in zip(TASKS, outputs, strict=True)
    ]
    st.table(pd.DataFrame(rows), hide_index=True)


def _t5_verdict(task: str, body, output) -> bool | None:
    """The checker's verdict on an answer, or None when the input is not one the task can be checked on."""
    uncheckable = {
        "translate": not is_grammatical(body),
        "fill": not any(t in SENTINELS for t in body),
        "number": subject_number(body) is None,
    }
    return None if uncheckable.get(task, False) else answer_ok(task, body, output)


def t5_quality(ctx: PageContext, metrics: dict) -> None:
    """Each task's held-out accuracy against its bar, from the checkpoint's metrics."""
    rows = [
        {
            ctx.t("fu_t5_task"): f"{task}:",
            ctx.t("fu_t5_heldout"): metrics[task]["heldout"],
            ctx.t("fu_q_value"): f"{metrics[task]['accuracy']:.1%}",
            ctx.t("fu_q_bar"): f"≥ {BAR:.0%}",
        }
        for task in TASKS
    ]
    st.subheader(ctx.t("fu_t5_measured"))
    st.table(pd.DataFrame(rows), hide_index=True)
    st.caption(ctx.t("fu_t5_method"))
