"""What the learning-from-the-prompt page's sections share: the model and its snapshots, one sequence measured
with any heads switched off (cached per sequence), and the sequence the user draws or types."""

from __future__ import annotations

import random

import numpy as np
import streamlit as st
import torch

from ...data.induction import (
    LENGTH,
    SYMBOLS,
    parse_symbols,
    repeat_targets,
    repeated_sequence,
)
from ...explain.induction import STACK, over_positions, sequence_measures
from ...models.checkpoint import checkpoint_dir, load_snapshot
from ...viz.attention import attention_heatmap
from ..figures import show_plotly
from ..inputs import word_list
from ..models import builtin_model, read_only
from ..page import PageContext

MODEL = "induction_lm"
MIN_SYMBOLS = 8  # shorter, and nothing could repeat in a way worth showing
DRAW_SEED, PROMPT_SEED = 4_100, 4_200  # the page's draws: their own seeds, not the test split's
DEFAULT_K = 3
SHOWN_UNKNOWN = 10


def induction_checkpoint(ctx: PageContext):
    return builtin_model(MODEL, str(ctx.device))


def best_heads(metrics: dict) -> tuple[tuple[int, int], tuple[int, int]]:
    """(previous-token head, induction head), each 0-based (layer, head), as recorded."""
    return tuple(metrics["best_previous_token_head"]), tuple(metrics["best_induction_head"])


def head_name(ctx: PageContext, head) -> str:
    return ctx.t("icl_head_name", layer=head[0] + 1, head=head[1] + 1)


@st.cache_resource(show_spinner=False, max_entries=16)
def _snapshot(step: int, device: str) -> torch.nn.Module:
    """The model as it was at `step` of training (snapshots/), loaded once per server, shared read-only."""
    model = load_snapshot(checkpoint_dir(MODEL), step, device)
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    return model


@st.cache_data(max_entries=256, show_spinner=False)
def measure_sequence(tokens: tuple[str, ...], device: str, step: int | None, off: tuple) -> dict:
    """The sequence through the final model (step None) or a snapshot, heads `off` switched off: each position's
    probability of the true next symbol, its attention, and the loss and accuracy where copying could work and
    elsewhere. Once per sequence, model and heads (deterministic), shared read-only."""
    ckpt = builtin_model(MODEL, device)
    model = ckpt.model if step is None else _snapshot(step, device)
    ids = torch.tensor([[ckpt.vocab.bos_id, *ckpt.vocab.encode(list(tokens))]], device=device)
    repeated = repeat_targets(list(tokens))
    others = [p for p in range(2, len(tokens) + 1) if p not in set(repeated)]
    out = sequence_measures(model, ids, [(STACK, *h) for h in off])
    (loss_repeated, accuracy_repeated), (loss_other, accuracy_other) = (
        over_positions(out, repeated),
        over_positions(out, others),
    )
    return {
        "probability": read_only(out["probability"]),
        "attention": read_only(out["attention"]),
        "repeated": repeated,
        "loss_repeated": loss_repeated,
        "accuracy_repeated": accuracy_repeated,
        "loss_other": loss_other,
        "accuracy_other": accuracy_other,
    }


# ---- the sequence --------------------------------------------------------------------------------------------


def _drawn(draw: int) -> str:
    return " ".join(repeated_sequence(random.Random(DRAW_SEED + draw)).symbols)


def _new_sequence() -> None:
    st.session_state.icl_draw = st.session_state.get("icl_draw", 0) + 1
    st.session_state.icl_text = _drawn(st.session_state.icl_draw)


def sequence_input(ctx: PageContext) -> tuple[str, ...] | None:
    """The sequence every section reads: drawn anew on a click, or typed. Unknown words are named and left out,
    a long one is cut, a short one refused, each with a message. -> the symbols, or None."""
    if "icl_text" not in st.session_state:
        st.session_state.icl_text = _drawn(0)
    st.markdown(ctx.t("icl_sequence_intro", n=len(SYMBOLS), length=LENGTH, symbols=", ".join(SYMBOLS[:10])))
    st.button(ctx.t("icl_new"), icon=":material/casino:", key="icl_new", on_click=_new_sequence)
    text = st.text_area(ctx.t("icl_text"), key="icl_text", height=100, max_chars=4000)
    symbols, unknown, cut = parse_symbols(text)
    if unknown:
        shown = word_list(ctx, [f"`{w.replace('`', 'ˋ')}`" for w in unknown], SHOWN_UNKNOWN)  # code: no Markdown
        st.warning(ctx.t("icl_unknown", words=shown, n=len(SYMBOLS)), icon=":material/translate:")
    if cut:
        st.info(ctx.t("icl_too_long", max=LENGTH), icon=":material/content_cut:")
    if len(symbols) < MIN_SYMBOLS:
        st.warning(ctx.t("icl_too_short", n=len(symbols), min=MIN_SYMBOLS), icon=":material/edit_note:")
        return None
    repeated = repeat_targets(symbols)
    if not repeated:
        st.info(ctx.t("icl_no_repeat"), icon=":material/info:")
    return tuple(symbols)


def _labels(tokens: tuple[str, ...]) -> list[str]:
    return ["<bos>", *tokens]


def attention_figure(ctx: PageContext, attention: np.ndarray, head, tokens, title: str, name: str, key: str):
    labels = _labels(tokens)
    layer, h = head
    figure = attention_heatmap(
        attention[layer, h],
        labels,
        labels,
        title,
        presentation=ctx.presentation,
        masked=np.triu(np.ones((len(labels), len(labels)), bool), 1),
        x_title=ctx.t("icl_key_axis"),
        y_title=ctx.t("icl_query_axis"),
        colorbar_title=ctx.t("weight"),
        masked_label=ctx.t("icl_masked"),
        show_values=False,
    )
    show_plotly(figure, "prompt", name, key=key)


def every_induction_head(ctx: PageContext, metrics: dict) -> str:
    return word_list(ctx, [head_name(ctx, h) for h in metrics["induction_heads"]])
