"""Lesson 8: inside the models — attention scored against the toy language's known alignment, which heads
the translator needs, what saliency says, and the logit lens."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import torch

from ..explain.logit_lens import language_model_lens
from ..export.deck import Deck, fitted, panels
from ..export.slides import cross_attention, heads_against_truth, prompt_of
from ..viz.attention import head_drop_heatmap
from ..viz.parallel import logit_lens_figure
from .steps import Lesson, Question, Step, ask, band_of, quoted


def _scores(deck: Deck) -> dict:
    return deck.model("toy_transformer_mt").metrics["cross_attention_alignment"]


def _head(deck: Deck, layer: int, head: int) -> str:
    return deck.t("les_in_head", layer=layer, head=head)


def best_aligning_head(deck: Deck) -> Question:
    scores = _scores(deck)
    accuracy = np.array(scores["head_accuracy"])  # (layers, heads)
    ranked = np.dstack(np.unravel_index(np.argsort(-accuracy, axis=None), accuracy.shape))[0]  # best first
    names = [_head(deck, int(layer) + 1, int(head) + 1) for layer, head in ranked]
    layer, head = scores["best_head"]
    # the wrong choices: the runner-up, a middling head and the worst
    return ask(
        deck.t("les_in_best_q", pairs=scores["pairs"]),
        names[0],
        [names[1], names[len(names) // 2], names[-1]],
        deck.t(
            "les_in_best_a",
            head=_head(deck, layer, head),
            accuracy=scores["best_head_accuracy"],
            worst=names[-1],
            worst_accuracy=float(accuracy.min()),
            layer_mean=max(scores["layer_mean_accuracy"]),
        ),
    )


def _drops(deck: Deck) -> np.ndarray:
    return np.array(deck.model("toy_transformer_mt").metrics["head_ablation"]["exact_match"]["cross"])  # (L, H)


def switching_off_the_best(deck: Deck) -> Question:
    layer, head = _scores(deck)["best_head"]
    drops = _drops(deck)
    lost = float(drops[layer - 1, head - 1])
    bands = [(-1.0, 0.01), (0.01, 0.05), (0.05, 1.01)]
    labels = [deck.t("les_in_nothing"), deck.t("les_in_a_little"), deck.t("les_in_a_lot")]
    right = band_of(lost, bands, labels)
    needed = np.unravel_index(int(drops.argmax()), drops.shape)
    baseline = deck.model("toy_transformer_mt").metrics["head_ablation"]["baseline"]["exact_match"]
    return ask(
        deck.t("les_in_off_q", head=_head(deck, layer, head), baseline=baseline),
        right,
        labels,
        deck.t(
            "les_in_off_a",
            head=_head(deck, layer, head),
            lost=100 * lost,
            needed=_head(deck, int(needed[0]) + 1, int(needed[1]) + 1),
            needed_lost=100 * float(drops.max()),
            needed_accuracy=float(np.array(_scores(deck)["head_accuracy"])[needed]),
        ),
    )


def _drop_figure(deck: Deck) -> go.Figure:
    drops = _drops(deck)
    figure = head_drop_heatmap(
        drops,
        [f"L{layer + 1}" for layer in range(drops.shape[0])],
        [f"H{head + 1}" for head in range(drops.shape[1])],
        deck.t("les_in_drop_title"),
        presentation=True,
        x_title=deck.t("ins_head_axis"),
        y_title=deck.t("ins_layer_plain"),
        colorbar_title=deck.t("ins_drop"),
    )
    return fitted(panels([figure], 1), deck.t("les_in_drop_title"), deck.t("les_in_drop_axes"))


def saliency_or_attention(deck: Deck) -> Question:
    scores = _scores(deck)
    head, saliency = scores["best_head_accuracy"], scores["saliency_accuracy"]
    attention, gradients = deck.t("les_in_attention"), deck.t("les_in_saliency")
    return ask(
        deck.t("les_in_saliency_q"),
        attention if head > saliency else gradients,
        [attention, gradients, deck.t("les_in_tie")],
        deck.t("les_in_saliency_a", head=head, saliency=saliency, words=scores["words"], pairs=scores["pairs"]),
    )


def _lens(deck: Deck):
    """The causal LM's logit lens on the lesson's prompt (the sentence's first two words)."""
    clm = deck.model("toy_clm")
    ids, shown = prompt_of(deck, clm.vocab)
    return language_model_lens(clm.model, torch.tensor([ids], device=deck.device)), ["<bos>", *shown.split()]


def lens_layer(deck: Deck) -> Question:
    lens, columns = _lens(deck)
    vocab = deck.model("toy_clm").vocab
    top = lens.top[:, -1].tolist()  # (L + 1,) each layer's top next word at the last position
    final = int(lens.final[-1])
    first = max((layer + 1 for layer, token in enumerate(top) if token != final), default=0)  # then it stays
    names = [deck.t("les_in_embeddings")] + [deck.t("ins_layer", layer=layer) for layer in range(1, len(top))]
    return ask(
        deck.t("les_in_lens_q", prompt=quoted(columns[1:]), word=vocab.token(final)),
        names[first],
        names,
        deck.t(
            "les_in_lens_a",
            layer=names[first],
            word=vocab.token(final),
            path=" → ".join(vocab.token(t) for t in top),
        ),
    )


def _lens_figure(deck: Deck) -> go.Figure:
    lens, columns = _lens(deck)
    vocab = deck.model("toy_clm").vocab
    figure = logit_lens_figure(
        [[vocab.token(int(i)) for i in row] for row in lens.top],
        lens.final_probability.numpy(),
        deck.t("ins_lens_gpt"),
        column_labels=columns,
        embeddings_label=deck.t("ins_lens_embeddings"),
        presentation=True,
        x_title=deck.t("ins_lens_position"),
        y_title=deck.t("ins_lens_layer"),
        colorbar_title=deck.t("ins_lens_probability"),
    )
    return fitted(panels([figure], 1), deck.t("les_in_lens_title"), deck.t("les_in_lens_axes"))


LESSON = Lesson(
    "inside",
    "les_in_title",
    "les_in_summary",
    (
        Step("les_in_1_title", "les_in_1_text", figure=cross_attention),
        Step("les_in_2_title", "les_in_2_text", question=best_aligning_head, answer_figure=heads_against_truth),
        Step("les_in_3_title", "les_in_3_text", question=switching_off_the_best, answer_figure=_drop_figure),
        Step("les_in_4_title", "les_in_4_text", question=saliency_or_attention),
        Step("les_in_5_title", "les_in_5_text", question=lens_layer, answer_figure=_lens_figure),
        Step("les_in_6_title", "les_in_6_text", figure=heads_against_truth),
    ),
)
