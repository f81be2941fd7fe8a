"""The sections of the positions page: sinusoidal tables, learned position vectors, RoPE, and the order
blindness of attention without positions."""

from __future__ import annotations

import random

import numpy as np
import streamlit as st
import torch

from ..data.toy import unknown_words
from ..models.layers import sinusoidal_table
from ..models.positions import (
    cosine_similarity_matrix,
    diagonal_spread,
    dot_by_offset,
    permutation_check,
    rope_pair_path,
    rope_scores,
    without_positions,
)
from ..training.recipes import RECIPES
from ..training.splits import english_splits
from ..viz.attention import attention_heatmap
from ..viz.positions import encoding_heatmap, line_figure, rotation_figure
from ..viz.style import SCORE_COLORSCALE
from .figures import show_plotly
from .inputs import report_unknown
from .models import builtin_model
from .page import PageContext

MODEL = "toy_mlm"
OFFSET_STARTS = (0, 10, 20)
ROPE_DIMS, ROPE_POSITIONS, ROTATION_POSITIONS = 64, 16, 8


@st.fragment  # its sliders redraw this section alone
def sinusoidal_section(ctx: PageContext) -> None:
    st.header(ctx.t("pos_sinusoidal"))
    st.markdown(ctx.t("pos_sinusoidal_intro"))
    left, right = st.columns(2)
    dims = left.select_slider(ctx.t("pos_dims"), [16, 32, 64, 128, 256], value=64, key="pos_dims")
    positions = right.slider(ctx.t("pos_positions"), 24, 128, 50, key="pos_positions")
    table = sinusoidal_table(positions, dims)  # (P, D)
    axes = dict(x_title=ctx.t("pos_dimension"), y_title=ctx.t("pos_position"), presentation=ctx.presentation)
    left, right = st.columns(2) if not ctx.presentation else (st.container(), st.container())
    with left:
        show_plotly(
            encoding_heatmap(table.numpy(), ctx.t("pos_heatmap_title"), colorbar_title=ctx.t("pos_value"), **axes),
            "positions",
            "sinusoidal_table",
            f"d{dims}",
            key="pos_table",
        )
    columns = (0, 1, dims // 4, dims // 2)
    curves = {ctx.t("pos_column", i=i): (range(positions), table[:, i].tolist()) for i in columns}
    with right:
        show_plotly(
            line_figure(
                curves,
                ctx.t("pos_curves_title"),
                presentation=ctx.presentation,
                x_title=ctx.t("pos_position"),
                y_title=ctx.t("pos_value"),
            ),
            "positions",
            "sinusoidal_columns",
            f"d{dims}",
            key="pos_columns",
        )
    by_offset = dot_by_offset(table, OFFSET_STARTS)  # {p: (K,)}
    gap = max(float((curve - by_offset[0]).abs().max()) for curve in by_offset.values())
    lines = {ctx.t("pos_from", p=p): (range(len(curve)), curve.tolist()) for p, curve in by_offset.items()}
    show_plotly(
        line_figure(
            lines,
            ctx.t("pos_offset_title"),
            presentation=ctx.presentation,
            x_title=ctx.t("pos_offset"),
            y_title=ctx.t("pos_dot"),
        ),
        "positions",
        "dot_by_offset",
        f"d{dims}",
        key="pos_offsets",
    )
    st.markdown(ctx.t("pos_offset_caption", gap=gap))


@st.cache_data(show_spinner=False)
def _longest_training_sentence() -> int:
    """Tokens in the longest training sentence of the built-in LM, [CLS] and [SEP] included."""
    return max(len(s) for s in english_splits(**RECIPES[MODEL].data)["train"]) + 2


def learned_section(ctx: PageContext) -> None:
    st.header(ctx.t("pos_learned"))
    ckpt = builtin_model(MODEL, str(ctx.device))
    longest = _longest_training_sentence()
    st.markdown(ctx.t("pos_learned_intro", model=MODEL, n=longest))
    vectors = ckpt.model.encoder.position_embed.weight.detach().cpu()  # (max_len, D)
    similarity = cosine_similarity_matrix(vectors).numpy()  # (P, P)
    labels = [str(p) for p in range(len(vectors))]
    show_plotly(
        attention_heatmap(
            similarity,
            labels,
            labels,
            ctx.t("pos_learned_title"),
            zmin=-1,
            zmax=1,
            colorscale=SCORE_COLORSCALE,
            show_values=False,
            presentation=ctx.presentation,
            x_title=ctx.t("pos_position"),
            y_title=ctx.t("pos_position"),
            colorbar_title=ctx.t("pos_similarity"),
        ),
        "positions",
        "learned_similarity",
        MODEL,
        key="pos_learned",
    )
    trained = similarity[:longest, :longest]
    distance = np.abs(np.subtract.outer(np.arange(longest), np.arange(longest)))
    st.markdown(
        ctx.t("pos_learned_caption", near=trained[distance == 1].mean(), far=trained[distance >= 8].mean(), n=longest)
    )


def rope_section(ctx: PageContext) -> None:
    st.header(ctx.t("pos_rope"))
    st.markdown(ctx.t("pos_rope_intro"))
    generator = torch.Generator().manual_seed(0)
    query, key = torch.randn(ROPE_DIMS, generator=generator), torch.randn(ROPE_DIMS, generator=generator)
    pairs = (0, 4, ROPE_DIMS // 2 - 1)
    names = [ctx.t("pos_pair", i=i, speed=ctx.t("pos_fast" if i < ROPE_DIMS // 8 else "pos_slow")) for i in pairs]
    show_plotly(
        rotation_figure(
            rope_pair_path(query, ROTATION_POSITIONS, pairs).numpy(),
            names,
            ctx.t("pos_rope_rotation_title", n=ROTATION_POSITIONS - 1),
            presentation=ctx.presentation,
            position_label=ctx.t("pos_position"),
        ),
        "positions",
        "rope_rotation",
        key="pos_rotation",
    )
    rope = rope_scores(query, key, ROPE_POSITIONS)  # (P, P)
    table = sinusoidal_table(ROPE_POSITIONS, ROPE_DIMS)  # (P, D)
    added = (query + table) @ (key + table).T  # (P, P): absolute positions added instead
    labels = [str(p) for p in range(ROPE_POSITIONS)]
    common = dict(
        colorscale=SCORE_COLORSCALE,
        show_values=False,
        presentation=ctx.presentation,
        x_title=ctx.t("pos_key_position"),
        y_title=ctx.t("pos_query_position"),
        colorbar_title=ctx.t("pos_score"),
    )
    left, right = st.columns(2) if not ctx.presentation else (st.container(), st.container())
    for column, scores, title, name in (
        (left, rope, "pos_rope_scores_title", "rope_scores"),
        (right, added, "pos_absolute_scores_title", "added_scores"),
    ):
        reach = float(scores.abs().max())  # each on its own symmetric scale, so its diagonals show
        with column:
            show_plotly(
                attention_heatmap(scores.numpy(), labels, labels, ctx.t(title), zmin=-reach, zmax=reach, **common),
                "positions",
                name,
                key=f"pos_{name}",
            )
    st.markdown(ctx.t("pos_rope_check", d=ROPE_DIMS, rope=diagonal_spread(rope), added=diagonal_spread(added)))


def _shuffle(count: int) -> None:
    order = list(range(count))
    while count > 1 and order == list(range(count)):
        random.shuffle(order)
    st.session_state.pos_order = order


@st.fragment  # a blank picked or a shuffle redraws this section alone
def blindness_section(ctx: PageContext, words: tuple[str, ...]) -> None:
    st.header(ctx.t("pos_blind"))
    st.markdown(ctx.t("pos_blind_intro", model=MODEL))
    ckpt = builtin_model(MODEL, str(ctx.device))
    vocab = ckpt.vocab
    missing = unknown_words(words, vocab.tokens)
    if missing:
        report_unknown(ctx, "pos_unknown", missing, show=st.info, icon=":material/help:")
    left, middle, right = st.columns([2, 1, 1], vertical_alignment="bottom")
    blank = left.selectbox(
        ctx.t("pos_blank"),
        range(len(words)),
        index=min(1, len(words) - 1),
        format_func=lambda i: f"{i + 1}: {words[i]}",
        key="pos_blank",
    )
    middle.button(ctx.t("pos_shuffle"), icon=":material/shuffle:", on_click=_shuffle, args=(len(words),))
    right.button(ctx.t("pos_reset"), icon=":material/undo:", on_click=st.session_state.pop, args=("pos_order", None))
    order = st.session_state.get("pos_order")
    if order is None or sorted(order) != list(range(len(words))):
        order = list(range(len(words)))
    shown = [vocab.token(vocab.mask_id) if i == blank else w for i, w in enumerate(words)]
    ids = torch.tensor([vocab.cls_id, *vocab.encode(shown), vocab.sep_id], device=next(ckpt.model.parameters()).device)
    full_order = torch.tensor([0, *(i + 1 for i in order), len(words) + 1], device=ids.device)  # [CLS], [SEP] stay put
    models = {"pos_with": ckpt.model, "pos_without": _blind_model(MODEL, str(ctx.device))}
    rows, checks = [], {}
    for name, model in models.items():
        checks[name] = permutation_check(model, ids, full_order)
        for order_name, logits in (
            ("pos_original", checks[name]["logits"]),
            ("pos_shuffled", checks[name]["shuffled_restored"]),
        ):
            reading = shown if order_name == "pos_original" else [shown[i] for i in order]
            top = torch.topk(logits[blank + 1].softmax(-1), 3)
            rows.append(
                {
                    ctx.t("pos_model"): ctx.t(name),
                    ctx.t("pos_order"): ctx.t(order_name),
                    ctx.t("pos_input"): " ".join(reading),
                    ctx.t("pos_guess"): ", ".join(
                        f"{vocab.token(i)} {p:.0%}"
                        for p, i in zip(top.values.tolist(), top.indices.tolist(), strict=True)
                    ),
                }
            )
    st.dataframe(rows, hide_index=True, width="stretch")
    if order == list(range(len(words))):
        st.caption(ctx.t("pos_same_order"))
        return
    st.success(
        ctx.t(
            "pos_blind_same",
            n=ids.numel(),
            diff=checks["pos_without"]["max_difference"],
            a=" ".join(words),
            b=" ".join(words[i] for i in order),
        ),
        icon=":material/shuffle:",
    )
    st.info(
        ctx.t("pos_blind_differs", diff=checks["pos_with"]["max_difference"]), icon=":material/format_list_numbered:"
    )


@st.cache_resource(show_spinner=False, max_entries=4)
def _blind_model(name: str, device: str):
    """The shared built-in model with its position vectors zeroed (a copy; the shared one is untouched)."""
    return without_positions(builtin_model(name, device).model)
