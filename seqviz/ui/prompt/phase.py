"""The phase change: the loss on a stretch's first and second copy over training, and the heads at a saved
snapshot."""

from __future__ import annotations

import numpy as np
import streamlit as st

from ...data.induction import (
    SYMBOLS,
)
from ...export.prompt_slides import phase_change_chart
from ..figures import show_plotly
from ..page import PageContext
from .common import attention_figure, best_heads, head_name, induction_checkpoint, measure_sequence

# ---- the phase change -------------------------------------------------------------------------------------


@st.fragment  # a snapshot chosen redraws this section alone
def phase_section(ctx: PageContext, tokens: tuple[str, ...] | None) -> None:
    metrics = induction_checkpoint(ctx).metrics
    curve = metrics["training_curve"]
    end = curve["steps"][-1]  # the trained model itself (its measures are recorded with the snapshots')
    steps = [*metrics["snapshot_steps"], end]
    step = st.select_slider(ctx.t("icl_snapshot"), steps, value=end, key="icl_snapshot")
    phase = metrics["phase_change_step"]
    title = ctx.t("icl_phase_title", n=curve["sequences"])
    figure = phase_change_chart(ctx.t, metrics, title, presentation=ctx.presentation, chosen_step=step)
    show_plotly(figure, "prompt", "phase_change", key="icl_phase")
    first, second = curve["loss_first"], curve["loss_second"]
    st.markdown(
        ctx.t(
            "icl_phase_result",
            step=phase if phase is not None else "–",
            steepest=metrics["steepest_fall_step"],
            first_start=first[0],
            second_start=second[0],
            first_end=first[-1],
            second_end=second[-1],
            steps=curve["steps"][-1],
            ln=float(np.log(len(SYMBOLS))),
        )
    )
    measured = metrics["snapshots"][str(step)]
    st.markdown(
        ctx.t(
            "icl_snapshot_numbers",
            step=step,
            first=measured["loss_first"],
            second=measured["loss_second"],
            accuracy=measured["accuracy_second"],
            induction=measured["best_induction_score"],
            previous=measured["best_previous_token_score"],
        )
    )
    if tokens is None:
        return
    previous, induction = best_heads(metrics)
    seen = measure_sequence(tokens, str(ctx.device), None if step == end else step, ())
    places = [st.container(), st.container()] if ctx.presentation or ctx.narrow else st.columns(2)
    for place, head, title, name in (
        (places[0], previous, "icl_previous_title", "previous_token_head"),
        (places[1], induction, "icl_induction_title", "induction_head"),
    ):
        with place:
            attention_figure(
                ctx, seen["attention"], head, tokens,
                ctx.t("icl_at_step", title=ctx.t(title, head=head_name(ctx, head)), step=step),
                f"{name}_step_{step}", f"icl_snap_{name}",
            )  # fmt: skip
    st.caption(ctx.t("icl_snapshot_caption", accuracy=seen["accuracy_repeated"], n=len(seen["repeated"])))
