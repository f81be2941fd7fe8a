"""The recipes of sequences that are not the toy language's sentences: forecasting a time series (issue 40),
CTC on speech-like frames (issue 40), recall over distance and induction heads (issue 41). recipes.py adds them
to RECIPES, the one list of every built-in model."""

from __future__ import annotations

from ..models.autoregressive import CausalLM
from ..models.forecasting import DirectForecaster, RecursiveForecaster
from ..models.recurrent import GRULM, LSTMLM, TanhRNNLM
from ..models.speech import SpeechCTC
from .recipe import Recipe

# CTC on speech-like frames (issue 40, data/speech.py): 24 bins per frame, convolutions and a bidirectional GRU
SPEECH_SIZE = dict(n_bins=24, channels=96, kernel=5, hidden=128, n_layers=1, dropout=0.1)
SPEECH_DATA = dict(n_test=1_000, seed=41)
# the forecasters (issue 40): 96 steps of the past, 24 of the future; held-out series per family (data/series.py),
# training series drawn fresh at every step. The two recursive GRUs differ only in what their future steps read
# in training (the truth, or their own previous mean); the direct MLP outputs all 24 steps' quantiles at once
FORECAST_DATA = dict(n_valid=100, n_test=400, seed=11)
FORECAST_RECURSIVE = dict(context=96, horizon=24, hidden=64, n_layers=2)
FORECAST_DIRECT = dict(context=96, horizon=24, hidden=256, n_layers=2)
FORECAST_STEPS = 3000
# recall over distance (issue 41, data/recall.py): six models of ~104 k parameters (the recurrent widths matched
# to the Transformer's count: a tanh RNN layer has 2·D² recurrent weights, a GRU 6·D², an LSTM 8·D²), the same
# budget for all (RECALL_STEPS batches of 64 fresh sequences, L log-uniform in 1..64); positions learned (a table
# to L = 256 + 16, trained only to 64 + 8: 17,408 parameters more), RoPE or none
RECALL_TRANSFORMER = dict(d_model=64, n_heads=4, n_layers=2, d_ff=256, max_len=272, dropout=0.0)
RECALL_WIDTHS = {"recall_rnn": 152, "recall_lstm": 78, "recall_gru": 90}
RECALL_DATA = dict(n_test=500, seed=41)
RECALL_STEPS = 2000

# induction heads (issue 41, data/induction.py): 64 random syllables after <bos>, one random stretch of 10–24
# written twice; RoPE (a previous-token head is a relative position), no dropout; fresh sequences every step
INDUCTION_SIZE = dict(d_model=64, n_heads=2, n_layers=2, d_ff=128, max_len=72, dropout=0.0, positions="rope")
INDUCTION_DATA = dict(n_test=500, seed=43)
INDUCTION_STEPS = 3000

SEQUENCE_RECIPES: dict[str, Recipe] = {
    **{
        name: Recipe(
            name=name,
            description=description,
            architecture=RecursiveForecaster,
            model={**FORECAST_RECURSIVE, "training": training},
            steps=FORECAST_STEPS,
            batch_size=128,
            lr=2e-3,
            seed=0,
            data=FORECAST_DATA,
            task="forecast",
        )
        for name, training, description in (
            (
                "series_recursive",
                "teacher_forcing",
                "Recursive forecaster: a GRU predicts the next value of a generated series (a Gaussian), reads its "
                "prediction back and predicts again, 24 times; trained with teacher forcing (every step reads the "
                "true previous value)",
            ),
            (
                "series_recursive_free",
                "own_predictions",
                "The same recursive GRU trained on its own predictions: in the 24 future steps each step reads the "
                "model's previous mean, as at inference (no exposure bias), gradients through the rollout",
            ),
        )
    },
    "series_direct": Recipe(
        name="series_direct",
        description="Direct forecaster: an MLP reads 96 steps of a generated series and outputs all 24 future "
        "steps at once, each as its 10%, 50% and 90% quantiles (pinball loss): non-autoregressive",
        architecture=DirectForecaster,
        model=FORECAST_DIRECT,
        steps=FORECAST_STEPS,
        batch_size=128,
        lr=2e-3,
        seed=0,
        data=FORECAST_DATA,
        task="forecast",
    ),
    **{
        name: Recipe(
            name=name,
            description=f"{kind} on recall over distance: four key–value pairs among fillers, then one key again, "
            "its value L tokens back (L from 1 to 64 in training; asked up to 256), ~104 k parameters",
            architecture=architecture,
            model=dict(d_model=RECALL_WIDTHS[name], n_heads=1, n_layers=2, dropout=0.0, max_len=272),  # no heads
            steps=RECALL_STEPS,
            batch_size=64,
            lr=2e-3,
            seed=0,
            data=RECALL_DATA,
            task="recall",
        )
        for name, kind, architecture in (
            ("recall_rnn", "Plain (tanh) RNN, two layers,", TanhRNNLM),
            ("recall_lstm", "LSTM, two layers,", LSTMLM),
            ("recall_gru", "GRU, two layers,", GRULM),
        )
    },
    **{
        name: Recipe(
            name=name,
            description=f"Causal Transformer, two layers, positions {kind}, on recall over distance (L from 1 to 64 "
            "in training; asked up to 256)",
            architecture=CausalLM,
            model={**RECALL_TRANSFORMER, "positions": positions},
            steps=RECALL_STEPS,
            batch_size=64,
            lr=1e-3,
            seed=0,
            data=RECALL_DATA,
            task="recall",
        )
        for name, kind, positions in (
            ("recall_transformer", "learned (a table of 272)", "learned"),
            ("recall_transformer_rope", "rotary (RoPE)", "rope"),
            ("recall_transformer_nope", "none (NoPE: only the causal mask tells order)", "none"),
        )
    },
    "speech_ctc": Recipe(
        name="speech_ctc",
        description="CTC on speech-like frames: two 1-D convolutions and a bidirectional GRU read a generated "
        "spectrogram of 1–3 toy words and write, per frame, a letter, a space or the blank",
        architecture=SpeechCTC,
        model=SPEECH_SIZE,
        steps=6000,
        batch_size=32,
        lr=2e-3,
        seed=0,
        data=SPEECH_DATA,
        task="speech",
    ),
    "induction_lm": Recipe(
        name="induction_lm",
        description="Two-layer causal Transformer on random syllables in which a random stretch appears twice: it "
        "learns, in a sudden phase change, a previous-token head and an induction head that copy the stretch "
        "the second time (in-context learning at toy scale)",
        architecture=CausalLM,
        model=INDUCTION_SIZE,
        steps=INDUCTION_STEPS,
        batch_size=32,
        lr=3e-3,
        seed=0,
        data=INDUCTION_DATA,
        task="induction",
    ),
}
