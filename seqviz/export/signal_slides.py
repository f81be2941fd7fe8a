"""The signals' slides (and the lesson figures built from them): the held-out forecasting error against the
horizon step, recursive against direct; and the deck's sentence spoken to the speech model, each frame's CTC
posterior peaked at its letters."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from ..data.speech import (
    DEFAULT_NOISE,
    DEFAULT_RATE,
    MAX_WORDS,
    SPACE,
    SPEECH_SPECIALS,
    Utterance,
    render,
    speech_vocab,
)
from ..data.toy import EN_WORDS
from ..decoding.ctc import Reading, ctc_collapse, read_utterance
from ..training.forecast_evaluation import FORECASTERS, METHOD_NAME_KEYS, crossover_step, held_out_curves
from ..training.speech_evaluation import BEAM
from ..viz.forecasting import error_by_step_chart
from ..viz.speech import BLANK_LABEL, posterior_figure
from .deck import Deck, fitted

SPEECH_MODEL = "speech_ctc"
FALLBACK_WORDS = ("the", "small", "ball")  # when the sentence has no toy word
SPEECH_SEED = 0
TOY_WORDS = frozenset(EN_WORDS)


def symbol_label(symbol: str) -> str:
    """How a symbol is written in the figures and the text: the blank as ε, the space between words as ␣."""
    return BLANK_LABEL if symbol == SPEECH_SPECIALS[0] else "␣" if symbol == SPACE else symbol


def forecast_metrics(deck: Deck) -> dict[str, dict]:
    """The three forecasters' held-out measures, as recorded in their metrics.json."""
    return {method: deck.model(name).metrics for method, name in FORECASTERS.items()}


def forecast_errors(deck: Deck) -> go.Figure:
    """MASE against the horizon step on the held-out series, the five methods, the crossover marked."""
    metrics = forecast_metrics(deck)
    curves = held_out_curves(metrics)
    figure = error_by_step_chart(
        curves,
        {method: deck.t(key) for method, key in METHOD_NAME_KEYS.items()},
        presentation=True,
        x_title=deck.t("sig_fc_horizon_step"),
        y_title=deck.t("sig_fc_mase_axis"),
        crossover=crossover_step(curves["direct"], curves["recursive"]),
        crossover_label=deck.t("sig_fc_crossover_mark"),
    )
    subtitle = deck.t("slide_forecast_axes", n=metrics["direct"]["heldout_series"])
    return fitted(figure, deck.t("slide_forecast_title"), subtitle)


@dataclass(frozen=True)
class Spoken:
    utterance: Utterance
    reading: Reading

    @property
    def output(self) -> str:
        return "".join(speech_vocab().decode(self.reading.greedy))

    @property
    def blank_share(self) -> float:
        """The share of frames whose most probable symbol is the blank."""
        return float((np.asarray(self.reading.path) == speech_vocab().blank_id).mean())


def spoken_words(words) -> tuple[str, ...]:
    """The deck's first toy words (those the speech model was trained on), as many as a training utterance
    has at most."""
    sayable = [w for w in words if w in TOY_WORDS]
    return tuple(sayable[:MAX_WORDS]) or FALLBACK_WORDS


def deck_spoken(deck: Deck) -> Spoken:
    """The deck's sentence (its first words) spoken at the normal rate with the page's noise, and read."""
    utterance = render(spoken_words(deck.words), DEFAULT_RATE, DEFAULT_NOISE, SPEECH_SEED)
    return Spoken(utterance, read_utterance(deck.model(SPEECH_MODEL).model, utterance.frames, beam=BEAM))


def speech_posteriors(deck: Deck) -> go.Figure:
    """Each frame's posterior over the blank and the symbols for the spoken sentence; the subtitle says what
    the best path collapses to."""
    spoken = deck_spoken(deck)
    vocab = speech_vocab()
    figure = posterior_figure(
        np.exp(spoken.reading.log_probs),
        [symbol_label(s) for s in vocab.tokens],
        presentation=True,
        x_title=deck.t("sig_sp_frame"),
        y_title=deck.t("sig_sp_symbol"),
        colorbar_title=deck.t("sig_sp_posterior"),
    )
    collapsed = "".join(vocab.decode(ctc_collapse(spoken.reading.path, vocab.blank_id)))
    subtitle = deck.t(
        "slide_ctc_speech_axes",
        text=spoken.utterance.text,
        frames=spoken.utterance.n_frames,
        blank=spoken.blank_share,
        output=collapsed,
    )
    return fitted(figure, deck.t("slide_ctc_speech_title"), subtitle)
