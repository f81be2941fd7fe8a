"""Learning from the prompt, as slides (and the lesson figures built from them): the phase change in which the
induction heads form, from induction_lm's recorded training curve and snapshots; and few-shot accuracy against
the number of examples in the prompt, with the induction heads on and off."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go

from ..viz.induction import few_shot_figure, phase_change_figure
from .deck import Deck, fitted

INDUCTION_MODEL = "induction_lm"


def induction_metrics(deck: Deck) -> dict:
    """induction_lm's recorded measures (metrics.json)."""
    return deck.model(INDUCTION_MODEL).metrics


def head_label(deck: Deck, head) -> str:
    return deck.t("icl_head_name", layer=head[0] + 1, head=head[1] + 1)


def phase_change_chart(
    t: Callable[..., str], metrics: dict, title: str = "", presentation: bool = True, chosen_step: int | None = None
) -> go.Figure:
    """The loss inside a stretch's first and second copy over training (induction_lm's metrics.json), the phase
    change and the snapshots marked, labelled by `t` in its language: the page's figure and the slide's."""
    curve = metrics["training_curve"]
    return phase_change_figure(
        curve["steps"],
        curve["loss_first"],
        curve["loss_second"],
        title,
        presentation=presentation,
        phase_step=metrics["phase_change_step"],
        snapshot_steps=[*metrics["snapshot_steps"], curve["steps"][-1]],  # the trained model is the last one
        chosen_step=chosen_step,
        first_name=t("icl_first_name"),
        second_name=t("icl_second_name"),
        phase_label=t("icl_phase_label"),
        snapshot_name=t("icl_snapshots_name"),
        x_title=t("icl_step_axis"),
        y_title=t("icl_loss_axis"),
    )


def phase_change(deck: Deck) -> go.Figure:
    """The phase change at slide size."""
    metrics = induction_metrics(deck)
    curve = metrics["training_curve"]
    figure = phase_change_chart(deck.t, metrics)
    subtitle = deck.t(
        "slide_icl_axes",
        n=curve["sequences"],
        induction=head_label(deck, metrics["best_induction_head"]),
        score=metrics["best_induction_score"],
    )
    return fitted(figure, deck.t("slide_icl_title"), subtitle)


def few_shot(deck: Deck) -> go.Figure:
    """Few-shot accuracy against k on fresh prompts, intact and without the induction heads, chance and 1/k."""
    metrics = induction_metrics(deck)
    curve = metrics["few_shot"]
    heads = deck.t("list_separator").join(head_label(deck, h) for h in metrics["induction_heads"])
    figure = few_shot_figure(
        curve["k"],
        {
            deck.t("icl_intact"): curve["accuracy"],
            deck.t("icl_ablated", heads=heads): metrics["few_shot_without_induction_heads"],
        },
        presentation=True,
        chance=curve["chance"],
        chance_label=deck.t("icl_chance", chance=curve["chance"]),
        guess=curve["guess_a_value_shown"],
        guess_name=deck.t("icl_guess"),
        x_title=deck.t("icl_k_axis"),
        y_title=deck.t("icl_fs_axis"),
    )
    return fitted(figure, deck.t("slide_icl_fs_title"), deck.t("slide_icl_fs_axes", n=curve["prompts_per_k"]))
