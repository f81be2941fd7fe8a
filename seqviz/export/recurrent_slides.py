"""The recurrent networks' slide and figures: a recurrent layer's units over a sentence (the Recurrent page and
its lesson draw it too), the vanishing gradient beside agreement against distance, and recall over distance
(held-out accuracy against L beside the gradient's reach on the same task)."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import torch

from ..data.agreement import LONG_RANGE_EXAMPLE
from ..data.recall import CHANCE
from ..decoding.speed import CAUSAL_LM_NAME_KEYS
from ..explain.reach import gradient_reach
from ..explain.recurrence import UnitsView
from ..training.builtin import untrained_model
from ..training.recall_evaluation import RECALL_MODELS, RECALL_TRANSFORMERS
from ..viz.recurrent import (
    agreement_distance_figure,
    gradient_reach_figure,
    recall_distance_figure,
    units_over_sentence,
)
from .deck import FOOT_LEGEND, Deck, fitted, panels

GATE_KEYS = {"forget": "rnn_panel_forget", "input": "rnn_panel_input"}  # the LSTM's gates drawn


def units_figure(
    t: Callable[[str], str],
    view: UnitsView,
    words: list[str],
    model: str,
    layer: int,
    presentation: bool,
    gates: tuple[str, ...] = tuple(GATE_KEYS),
    with_state: bool = True,
) -> go.Figure:
    """A recurrent layer's units over a sentence (explain.recurrence.units_view), titled in the language of t
    (a page's or a deck's); layer counted from 0. A slide keeps fewer panels: the LSTM's c and its forget gate
    (with_state False, gates ("forget",))."""
    drawn = view.panels(t("rnn_panel_state"), t("rnn_panel_cell_scaled"), {g: t(GATE_KEYS[g]) for g in gates})
    return units_over_sentence(
        drawn[0 if with_state else 1 :],
        ["<bos>", *words],
        [f"#{u}" for u in view.units],
        t("rnn_inside_title", model=model, layer=layer + 1),
        presentation=presentation,
        x_title=t("rnn_after_reading"),
        y_title=t("rnn_unit"),
        marked=view.marked(),
    )


REACH_MIN_WORDS = 8  # a shorter sentence shows too few steps of the fall


def vanishing_gradient(deck: Deck) -> go.Figure:
    """Left: the loss at the sentence's last word reaching back through the four causal LMs at initialisation
    (the deck's sentence, or the page's long example when it has under REACH_MIN_WORDS words). Right: the
    recorded probability of the right verb form against the distance to its subject."""
    words = deck.words if len(deck.words) >= REACH_MIN_WORDS else LONG_RANGE_EXAMPLE.split()
    norms, shares = {}, {}
    for name, key in CAUSAL_LM_NAME_KEYS.items():
        ckpt = deck.model(name)
        untrained = untrained_model(name, ckpt.vocab).to(deck.device)
        ids = torch.tensor([ckpt.vocab.bos_id, *ckpt.vocab.encode(words)], device=deck.device)
        norms[deck.t(key)] = gradient_reach(untrained, ids, len(words) - 1)
        shares[deck.t(key)] = {b: v["right_share"] for b, v in ckpt.metrics["agreement_by_distance"].items()}
    figures = [
        gradient_reach_figure(
            norms,
            deck.t("slide_rnn_reach", word=words[-1]),
            presentation=True,
            x_title=deck.t("rnn_reach_x"),
            y_title="",
        ),
        agreement_distance_figure(
            shares,
            deck.t("slide_rnn_agreement"),
            presentation=True,
            x_title=deck.t("rnn_distance_axis"),
            y_title="",
            zoom=True,
        ),
    ]
    grid = panels(figures, 2, legend=FOOT_LEGEND, h_gap=0.1)
    grid.update_layout(margin={"b": 110})
    return fitted(grid, deck.t("slide_rnn_title"), deck.t("slide_rnn_axes"))


def recall_accuracy(
    t: Callable[..., str], recorded: dict[str, dict], title: str = "", presentation: bool = True
) -> go.Figure:
    """The six recall models' recorded held-out accuracy against L (recorded: model -> its metrics.json),
    named by `t` in its language, chance and the training range marked: the page's figure and the slides'."""
    low, high = recorded["recall_rnn"]["trained_distances"]
    curves = {
        t(key): {int(L): a for L, a in recorded[model]["accuracy"].items()} for model, key in RECALL_MODELS.items()
    }
    return recall_distance_figure(
        curves,
        title,
        presentation=presentation,
        chance=CHANCE,
        chance_label=t("rec_chance", chance=CHANCE),
        trained=(low, high),
        trained_label=t("rec_trained_range", low=low, high=high),
        x_title=t("rec_distance_axis"),
        y_title=t("rec_accuracy_axis"),
        transformers=len(RECALL_TRANSFORMERS),
    )


def recall_accuracy_figure(deck: Deck) -> go.Figure:
    """The recall accuracy figure at slide size, from the deck's checkpoints."""
    return recall_accuracy(deck.t, {model: deck.model(model).metrics for model in RECALL_MODELS})


def recall_over_distance(deck: Deck) -> go.Figure:
    """Left: held-out accuracy against L (recorded). Right: the answer's gradient reaching back through the
    untrained models on recall sequences at one L (recorded with the checkpoints)."""
    reach = {deck.t(key): deck.model(model).metrics["gradient_reach"] for model, key in RECALL_MODELS.items()}
    distance = next(iter(reach.values()))["distance"]
    left = recall_accuracy_figure(deck)
    left.update_layout(title={"text": deck.t("slide_recall_accuracy")}, showlegend=True)
    right = gradient_reach_figure(
        {name: r["initial"] for name, r in reach.items()},
        deck.t("slide_recall_reach", L=distance),
        presentation=True,
        x_title=deck.t("rec_reach_x"),
        y_title="",
        transformers=len(RECALL_TRANSFORMERS),
    )
    grid = panels([left, right], 2, legend=FOOT_LEGEND, h_gap=0.1)
    grid.update_layout(margin={"b": 130})
    n = deck.model("recall_rnn").metrics["heldout_per_distance"]
    return fitted(grid, deck.t("slide_recall_title"), deck.t("slide_recall_axes", n=n))
