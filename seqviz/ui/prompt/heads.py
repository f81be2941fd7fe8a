"""The previous-token head and the induction head on your sequence, any head switched off, and every head's
score as recorded on held-out sequences."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from ...viz.attention import head_score_heatmap
from ...viz.induction import copying_figure
from ..figures import show_plotly
from ..inputs import word_list
from ..page import PageContext
from .common import (
    attention_figure,
    best_heads,
    every_induction_head,
    head_name,
    induction_checkpoint,
    measure_sequence,
)

# ---- the two heads on the sequence, and switching them off --------------------------------------------------


@st.fragment  # a head switched off redraws this section alone
def heads_section(ctx: PageContext, tokens: tuple[str, ...] | None) -> None:
    if tokens is None:
        return
    metrics = induction_checkpoint(ctx).metrics
    previous, induction = best_heads(metrics)
    device = str(ctx.device)
    intact = measure_sequence(tokens, device, None, ())
    st.markdown(ctx.t("icl_heads_intro", previous=head_name(ctx, previous), induction=head_name(ctx, induction)))
    places = [st.container(), st.container()] if ctx.presentation or ctx.narrow else st.columns(2)
    with places[0]:
        attention_figure(
            ctx, intact["attention"], previous, tokens,
            ctx.t("icl_previous_title", head=head_name(ctx, previous)), "previous_token_head", "icl_previous",
        )  # fmt: skip
    with places[1]:
        attention_figure(
            ctx, intact["attention"], induction, tokens,
            ctx.t("icl_induction_title", head=head_name(ctx, induction)), "induction_head", "icl_induction",
        )  # fmt: skip
    st.caption(ctx.t("icl_stripes"))

    st.subheader(ctx.t("icl_ablation_header"))
    st.markdown(ctx.t("icl_ablation_intro"))
    off = _checked_heads(ctx, metrics)
    ablated = measure_sequence(tokens, device, None, tuple(sorted(off))) if off else None
    _copying(ctx, tokens, intact, ablated, off)


def _role(ctx: PageContext, metrics: dict, head) -> str:
    if tuple(head) == tuple(metrics["best_previous_token_head"]):
        return ctx.t("icl_role_previous")
    if list(head) in metrics["induction_heads"]:
        return ctx.t("icl_role_induction")
    return ctx.t("icl_role_other")


def _checked_heads(ctx: PageContext, metrics: dict) -> list[tuple[int, int]]:
    """One checkbox per head, a row per layer, each named with its role. -> the heads switched off"""
    scores = np.array(metrics["head_scores"]["induction"])
    off = []
    for layer in range(scores.shape[0]):
        boxes = st.columns(scores.shape[1])
        for h, box in enumerate(boxes):
            head = (layer, h)
            label = ctx.t("icl_off_head", head=head_name(ctx, head), role=_role(ctx, metrics, head))
            if box.checkbox(label, key=f"icl_off_{layer}_{h}"):
                off.append(head)
    return off


def _copying(ctx: PageContext, tokens, intact: dict, ablated: dict | None, off: list) -> None:
    curves = {ctx.t("icl_intact"): intact["probability"]}
    if ablated is not None:
        curves[ctx.t("icl_ablated", heads=word_list(ctx, [head_name(ctx, h) for h in off]))] = ablated["probability"]
    figure = copying_figure(
        list(tokens),
        curves,
        [p - 2 for p in intact["repeated"]],  # position p is the (p − 1)-th symbol predicted, from 0
        ctx.t("icl_copying_title"),
        presentation=ctx.presentation,
        repeated_name=ctx.t("icl_repeated_name"),
        x_title=ctx.t("icl_next_axis"),
        y_title=ctx.t("icl_probability_axis"),
    )
    show_plotly(figure, "prompt", "copying", key="icl_copying")
    shown = ablated or intact
    cells = st.columns(2)
    labels = {"repeated": "icl_accuracy_repeated", "other": "icl_accuracy_other"}
    for cell, (where, label) in zip(cells, labels.items(), strict=True):
        value = shown[f"accuracy_{where}"]
        delta = None if ablated is None else f"{value - intact[f'accuracy_{where}']:+.0%}"
        cell.metric(
            ctx.t(label),
            "–" if np.isnan(value) else f"{value:.0%}",
            delta,
            delta_color="normal",
            help=ctx.t("icl_loss_help", loss=shown[f"loss_{where}"]),
        )
    if intact["repeated"]:
        key = "icl_copying_result_ablated" if ablated is not None else "icl_copying_result"
        st.markdown(
            ctx.t(
                key,
                n=len(intact["repeated"]),
                intact=intact["accuracy_repeated"],
                ablated=shown["accuracy_repeated"],
                other=intact["accuracy_other"],
                loss=intact["loss_repeated"],
                loss_ablated=shown["loss_repeated"],
                loss_other=intact["loss_other"],
            )
        )


# ---- every head's score -------------------------------------------------------------------------------------


def scores_section(ctx: PageContext) -> None:
    metrics = induction_checkpoint(ctx).metrics
    scores = metrics["head_scores"]
    places = [st.container(), st.container()] if ctx.presentation or ctx.narrow else st.columns(2)
    for place, kind, title in (
        (places[0], "previous_token", "icl_previous_scores"),
        (places[1], "induction", "icl_induction_scores"),
    ):
        values = np.array(scores[kind])
        with place:
            figure = head_score_heatmap(
                values,
                [ctx.t("icl_layer", layer=i + 1) for i in range(values.shape[0])],
                [ctx.t("icl_head", head=h + 1) for h in range(values.shape[1])],
                ctx.t(title),
                presentation=ctx.presentation,
                x_title=ctx.t("icl_head_axis"),
                y_title=ctx.t("icl_layer_axis"),
                colorbar_title=ctx.t("icl_score"),
            )
            show_plotly(figure, "prompt", f"{kind}_scores", key=f"icl_scores_{kind}")
    previous, induction = best_heads(metrics)
    every = every_induction_head(ctx, metrics)
    ablation = metrics["ablation"]
    st.markdown(
        ctx.t(
            "icl_scores_result",
            heads=every,
            without_heads=ablation["without_induction_heads"],
            induction=head_name(ctx, induction),
            induction_score=metrics["best_induction_score"],
            previous=head_name(ctx, previous),
            previous_score=metrics["best_previous_token_score"],
            n=metrics["sequences"],
            intact=ablation["intact"],
            first=ablation["first_occurrence"],
            without_induction=ablation["without_induction_head"],
            without_previous=ablation["without_previous_token_head"],
        )
    )
    rows = {
        ctx.t("icl_model_column"): [
            ctx.t("icl_intact"),
            ctx.t("icl_ablated", heads=head_name(ctx, induction)),
            ctx.t("icl_ablated", heads=every),
            ctx.t("icl_ablated", heads=head_name(ctx, previous)),
            ctx.t("icl_first_row"),
        ],
        ctx.t("icl_accuracy_column"): [
            f"{ablation[k]:.1%}"
            for k in (
                "intact",
                "without_induction_head",
                "without_induction_heads",
                "without_previous_token_head",
                "first_occurrence",
            )
        ],
    }
    st.table(pd.DataFrame(rows), hide_index=True)
