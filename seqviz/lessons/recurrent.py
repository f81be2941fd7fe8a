"""Lesson 4: recurrent networks — one state carried from word to word, long-range agreement, the vanishing
gradient, recall over distance (a task built for it), and the time a word costs. Every answer comes from the
models' recorded held-out measurements or from timing them now."""

from __future__ import annotations

import plotly.graph_objects as go

from ..data.agreement import LONG_RANGE_EXAMPLE, sentence_cases
from ..decoding.speed import CAUSAL_LM_NAME_KEYS, RECURRENT_TIMED_WORDS, per_token_timing
from ..explain.recurrence import units_view
from ..export.deck import Deck, fitted
from ..export.recurrent_slides import recall_accuracy_figure, units_figure, vanishing_gradient
from ..training.recall_evaluation import RECALL_MODELS, RECALL_TRANSFORMERS, forgets_at
from ..viz.recurrent import agreement_distance_figure
from .steps import Lesson, Question, Step, ask, band_of, share_labels

UNITS_SHOWN = 6  # rows a slide keeps readable
FARTHEST = "8+"  # the distance bucket asked about


def _name(deck: Deck, model: str) -> str:
    return deck.t(CAUSAL_LM_NAME_KEYS[model])


def _inside(deck: Deck) -> go.Figure:
    """The LSTM's first layer over the lesson's sentence (or the long example when no verb of it agrees
    across words): the units that carry the subject's number, their cell state and gates."""
    words = deck.words if any(c.distance > 1 for c in sentence_cases(deck.words)) else LONG_RANGE_EXAMPLE.split()
    ckpt = deck.model("toy_lstm_lm")
    view = units_view(ckpt.model, ckpt.vocab, words, 0, UNITS_SHOWN)
    name = _name(deck, "toy_lstm_lm")
    figure = units_figure(deck.t, view, words, name, 0, True, gates=("forget",), with_state=False)
    slide = fitted(figure, deck.t("les_rnn_1_title"), deck.t("les_rnn_inside_axes"))
    return slide.update_layout(margin={"t": slide.layout.margin.t + 24})  # room for the first panel's title


def far_agreement(deck: Deck) -> Question:
    far = {m: deck.model(m).metrics["agreement_by_distance"][FARTHEST] for m in CAUSAL_LM_NAME_KEYS}
    bands = [(0.0, 0.7), (0.7, 0.9), (0.9, 1.01)]
    labels = share_labels(deck, bands)
    rnn = far["toy_rnn_lm"]
    return ask(
        deck.t("les_rnn_far_q", n=rnn["n"]),
        band_of(rnn["accuracy"], bands, labels),
        labels,
        deck.t(
            "les_rnn_far_a",
            rnn=rnn["accuracy"],
            lstm=far["toy_lstm_lm"]["accuracy"],
            gru=far["toy_gru_lm"]["accuracy"],
            transformer=far["toy_clm"]["accuracy"],
            rnn_share=rnn["right_share"],
            near=deck.model("toy_rnn_lm").metrics["agreement_by_distance"]["1"]["right_share"],
        ),
    )


def _agreement(deck: Deck) -> go.Figure:
    figure = agreement_distance_figure(
        {
            _name(deck, m): {b: v["accuracy"] for b, v in deck.model(m).metrics["agreement_by_distance"].items()}
            for m in CAUSAL_LM_NAME_KEYS
        },
        presentation=True,
        chance_label=deck.t("rnn_chance"),
        x_title=deck.t("rnn_distance_axis"),
        y_title=deck.t("rnn_measure_accuracy"),
    )
    return fitted(figure, deck.t("rnn_agreement_title"), deck.t("les_rnn_agreement_axes"))


def gradient_ten_back(deck: Deck) -> Question:
    kept = deck.model("toy_rnn_lm").metrics["gradient_reach_per_step"]["initial"]
    reached = kept**10
    bands = [(0.0, 0.01), (0.01, 0.1), (0.1, 0.5), (0.5, 10.0)]
    labels = [deck.t(key) for key in ("les_rnn_under_hundredth", "les_rnn_tenth", "les_rnn_half", "les_rnn_most")]
    return ask(
        deck.t("les_rnn_ten_q"),
        band_of(reached, bands, labels),
        labels,
        deck.t("les_rnn_ten_a", kept=kept, reached=reached),
    )


def level_gradient(deck: Deck) -> Question:
    initial = {m: deck.model(m).metrics["gradient_reach_per_step"]["initial"] for m in CAUSAL_LM_NAME_KEYS}
    level = min(initial, key=lambda m: abs(initial[m] - 1.0))  # keeps about all of it per step back
    return ask(
        deck.t("les_rnn_level_q"),
        _name(deck, level),
        [_name(deck, m) for m in CAUSAL_LM_NAME_KEYS],
        deck.t(
            "les_rnn_level_a",
            model=_name(deck, level),
            kept=initial[level],
            rnn=initial["toy_rnn_lm"],
            lstm=initial["toy_lstm_lm"],
            gru=initial["toy_gru_lm"],
        ),
    )


def recall_metrics(deck: Deck) -> dict[str, dict]:
    return {model: deck.model(model).metrics for model in RECALL_MODELS}


def recall_distance(deck: Deck) -> int:
    """The L asked about: where the plain RNN first recalls under half the values (the longest L measured if it
    never does)."""
    accuracy = recall_metrics(deck)["recall_rnn"]["accuracy"]
    forgot = forgets_at(accuracy)
    return forgot if forgot is not None else int(list(accuracy)[-1])


def recall_far(deck: Deck) -> Question:
    """At the L where the plain RNN forgets: how often does the LSTM still recall the value?"""
    recorded = recall_metrics(deck)
    at = str(recall_distance(deck))
    bands = [(0.0, 0.3), (0.3, 0.6), (0.6, 0.9), (0.9, 1.01)]
    labels = share_labels(deck, bands)
    lstm = recorded["recall_lstm"]["accuracy"][at]
    names = {model: deck.t(key) for model, key in RECALL_MODELS.items()}
    return ask(
        deck.t("les_rec_far_q", L=int(at), rnn=recorded["recall_rnn"]["accuracy"][at]),
        band_of(lstm, bands, labels),
        labels,
        deck.t(
            "les_rec_far_a",
            L=int(at),
            lstm=lstm,
            others=deck.t("list_separator").join(
                f"{names[m]} {recorded[m]['accuracy'][at]:.0%}" for m in RECALL_MODELS if m != "recall_lstm"
            ),
        ),
    )


def recall_beyond(deck: Deck) -> Question:
    """Trained to L = 64, asked at the longest L: which Transformers still recall (≥ 90%)?"""
    recorded = recall_metrics(deck)
    far = list(recorded["recall_rnn"]["accuracy"])[-1]
    high = recorded["recall_rnn"]["trained_distances"][1]
    at = {m: recorded[m]["accuracy"][far] for m in RECALL_TRANSFORMERS}
    short = ("rec_short_learned", "rec_short_rope", "rec_short_nope")
    names = {m: deck.t(key) for m, key in zip(RECALL_TRANSFORMERS, short, strict=True)}
    recall = [m for m in RECALL_TRANSFORMERS if at[m] >= 0.9]
    choices = {
        (): deck.t("les_rec_none_of_them"),
        tuple(RECALL_TRANSFORMERS): deck.t("les_rec_all_three"),
        **{(m,): deck.t("les_rec_only", model=names[m]) for m in RECALL_TRANSFORMERS},
    }
    right = choices.get(tuple(recall)) or deck.t(
        "les_rec_these", models=deck.t("list_separator").join(names[m] for m in recall)
    )
    return ask(
        deck.t("les_rec_beyond_q", high=high, L=int(far)),
        right,
        list(choices.values()),
        deck.t(
            "les_rec_beyond_a",
            L=int(far),
            high=high,
            learned=at["recall_transformer"],
            rope=at["recall_transformer_rope"],
            nope=at["recall_transformer_nope"],
        ),
    )


def _recall_figure(deck: Deck) -> go.Figure:
    n = deck.model("recall_rnn").metrics["heldout_per_distance"]
    return fitted(recall_accuracy_figure(deck), deck.t("slide_recall_accuracy"), deck.t("slide_recall_axes", n=n))


def time_per_word(deck: Deck) -> Question:
    """Measured now, on the deck's device: the plain RNN's word against the Transformer's."""
    models = {m: deck.model(m) for m in ("toy_rnn_lm", "toy_clm")}
    n = RECURRENT_TIMED_WORDS
    timed = per_token_timing({m: c.model for m, c in models.items()}, models["toy_clm"].vocab, n, deck.device, 1, 5)
    ratio = timed["toy_clm"].median_ms / timed["toy_rnn_lm"].median_ms  # the Transformer's time ÷ the RNN's
    bands = [(0.0, 0.8), (0.8, 1.25), (1.25, 1e9)]
    labels = [deck.t("les_rnn_rnn_slower"), deck.t("les_rnn_about_same"), deck.t("les_rnn_rnn_faster")]
    return ask(
        deck.t("les_rnn_time_q", n=n),
        band_of(ratio, bands, labels),
        labels,
        deck.t(
            "les_rnn_time_a",
            rnn=timed["toy_rnn_lm"].median_ms / n,
            transformer=timed["toy_clm"].median_ms / n,
            ratio=ratio,
            repeats=timed["toy_clm"].repeats,
        ),
    )


LESSON = Lesson(
    "rnn",
    "les_rnn_title",
    "les_rnn_summary",
    (
        Step("les_rnn_1_title", "les_rnn_1_text", figure=_inside),
        Step("les_rnn_2_title", "les_rnn_2_text", question=far_agreement, answer_figure=_agreement),
        Step("les_rnn_3_title", "les_rnn_3_text", question=gradient_ten_back, answer_figure=vanishing_gradient),
        Step("les_rnn_4_title", "les_rnn_4_text", question=level_gradient),
        Step("les_rec_1_title", "les_rec_1_text", question=recall_far, answer_figure=_recall_figure),
        Step("les_rec_2_title", "les_rec_2_text", question=recall_beyond, answer_figure=_recall_figure),
        Step("les_rnn_5_title", "les_rnn_5_text", question=time_per_word),
        Step("les_rnn_6_title", "les_rnn_6_text", figure=vanishing_gradient),
    ),
)
