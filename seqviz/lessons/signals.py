"""Beyond text, two steps of the parallel-decoding lesson: a time series forecast step by step or all at once
(where does the direct forecaster pull ahead?), and CTC on speech-like frames (how much of what the model
hears does it call blank?). Every answer is read from the checkpoints' held-out measures or the model."""

from __future__ import annotations

from ..export.deck import Deck
from ..export.signal_slides import deck_spoken, forecast_errors, forecast_metrics, speech_posteriors
from ..training.forecast_evaluation import crossover_step, held_out_curves
from .steps import Question, Step, ask, band_of, quoted, share_labels

CROSSOVER_BANDS = ((1, 2), (2, 7), (7, 13), (13, 25))  # horizon steps 1 · 2–6 · 7–12 · 13–24
BLANK_BANDS = ((0.0, 0.25), (0.25, 0.5), (0.5, 0.75), (0.75, 1.01))


def direct_pulls_ahead(deck: Deck) -> Question:
    """From which horizon step on is the direct MLP's held-out error below the recursive GRU's?"""
    metrics = forecast_metrics(deck)
    curves = held_out_curves(metrics)
    recursive, direct = curves["recursive"], curves["direct"]
    step = crossover_step(direct, recursive)
    labels = [
        deck.t("les_sig_from_step_one"),
        deck.t("les_sig_steps", low=2, high=6),
        deck.t("les_sig_steps", low=7, high=12),
        deck.t("les_sig_steps", low=13, high=len(direct)),
    ]
    never = deck.t("les_sig_never", h=len(direct))
    right = never if step is None else band_of(step, CROSSOVER_BANDS, labels)
    last = len(direct) - 1
    return ask(
        deck.t("les_sig_forecast_q", h=len(direct)),
        right,
        [*labels, never],
        deck.t(
            "les_sig_forecast_a",
            step=step or "–",
            n=metrics["direct"]["heldout_series"],
            recursive_1=recursive[0],
            direct_1=direct[0],
            h=last + 1,
            recursive_h=recursive[last],
            direct_h=direct[last],
        ),
    )


def blank_share(deck: Deck) -> Question:
    """In what share of the frames of the deck's sentence, spoken, is the blank the most probable symbol?"""
    spoken = deck_spoken(deck)
    labels = share_labels(deck, BLANK_BANDS)
    return ask(
        deck.t("les_sig_ctc_q", sentence=quoted(spoken.utterance.words), frames=spoken.utterance.n_frames),
        band_of(spoken.blank_share, BLANK_BANDS, labels),
        labels,
        deck.t(
            "les_sig_ctc_a",
            blank=spoken.blank_share,
            frames=spoken.utterance.n_frames,
            letters=len(spoken.utterance.text),
            output=spoken.output,
            verdict=deck.t("les_sig_read_right" if spoken.output == spoken.utterance.text else "les_sig_read_wrong"),
        ),
    )


STEPS = (
    Step("les_sig_forecast_title", "les_sig_forecast_text", question=direct_pulls_ahead, answer_figure=forecast_errors),
    Step("les_sig_ctc_title", "les_sig_ctc_text", question=blank_share, answer_figure=speech_posteriors),
)
