"""The shipped speech_ctc checkpoint meets its bars when measured again on held-out utterances, and its
posteriors obey CTC's algebra: the forward–backward total is exp(−CTCLoss), the best path collapses to the
output it reads."""

import numpy as np
import pytest
import torch
from torch import nn

from seqviz.data.speech import held_out_utterances, render, speech_vocab
from seqviz.decoding.ctc import ctc_collapse, forward_backward, read_utterance
from seqviz.models.checkpoint import load_builtin
from seqviz.training.recipes import RECIPES
from seqviz.training.speech_evaluation import evaluate_speech, posteriors

RE_MEASURED = 100  # held-out utterances measured again here (the recorded metrics use all 1,000)
# The bars, set from the first full training run (1,000 held-out utterances: greedy letter error rate 0.74%,
# word error rate 2.7%; beam search 0.73%, 2.6%; on its ten slices of 100 the greedy letter error rate ranged
# 0–1.6%, the word error rate 0–5.4%): letter error rate ≤ 2.5% and word error rate ≤ 8%, greedy and beam
# search alike, recorded and re-measured on the first 100; peaky posteriors: the blank is the best symbol in
# at least half of the frames (shipped 64%) and at least 85% of the frames give one symbol more than 0.9
# (shipped 91%).
BARS = {"letter_error_rate": 0.025, "word_error_rate": 0.08}
PEAKY = {"blank_share": 0.5, "peaked_share": 0.85}


@pytest.fixture(scope="module")
def ckpt():
    return load_builtin("speech_ctc")


@pytest.fixture(scope="module")
def held_out():
    """The test split's first RE_MEASURED utterances (drawn one after another from its seed: the same ones)."""
    return list(held_out_utterances(RE_MEASURED, RECIPES["speech_ctc"].data["seed"]))


def test_the_checkpoint_meets_its_bars_on_re_measurement(ckpt, held_out):
    measured = evaluate_speech(ckpt.model, ckpt.vocab, held_out)
    for decoder in ("greedy", "beam"):
        for key, bar in BARS.items():
            assert measured[decoder][key] <= bar, (decoder, key, measured[decoder])
            assert ckpt.metrics[decoder][key] <= bar, (decoder, key, ckpt.metrics[decoder])
    for key, bar in PEAKY.items():
        assert measured["peakiness"][key] >= bar and ckpt.metrics["peakiness"][key] >= bar, key
    assert ckpt.metrics["utterances"] == RECIPES["speech_ctc"].data["n_test"]
    # the recorded numbers are what the model does: the slice agrees with them within its noise
    assert abs(measured["greedy"]["letter_error_rate"] - ckpt.metrics["greedy"]["letter_error_rate"]) < 0.02
    assert abs(measured["peakiness"]["blank_share"] - ckpt.metrics["peakiness"]["blank_share"]) < 0.05


def test_faster_speech_than_training_is_read_worse(ckpt):
    """The recorded sweep: beyond training's fastest rate (1.5×) the letter error rate climbs."""
    sweep = ckpt.metrics["rate_sweep"]
    assert sweep["2.5"]["letter_error_rate"] > sweep["2.0"]["letter_error_rate"] > sweep["1.0"]["letter_error_rate"]
    assert sweep["1.0"]["mean_frames"] > sweep["2.0"]["mean_frames"]


def test_forward_backward_on_the_shipped_posteriors_is_exp_minus_ctc_loss(ckpt, held_out):
    """On real posteriors (double letters included: "ll", "ee" are in the toy words) the forward algorithm's
    total equals torch's CTCLoss(reduction="sum") for the words said, and each frame's alignment posterior
    sums to 1 over the 2L + 1 blank-interleaved states."""
    vocab = speech_vocab()
    utterances = [*held_out[:6], render(["see", "the", "small", "ball"], 1.0, 0.15, seed=0)]
    assert any("ll" in u.text for u in utterances)
    for u, lp in zip(utterances, posteriors(ckpt.model, utterances), strict=True):
        labels = [vocab.id(c) for c in u.text]
        alignment = forward_backward(lp, labels, vocab.blank_id)
        loss = nn.CTCLoss(blank=vocab.blank_id, reduction="sum")(
            torch.from_numpy(lp)[:, None], torch.tensor([labels]), torch.tensor([len(lp)]), torch.tensor([len(labels)])
        )
        assert alignment.log_likelihood == pytest.approx(-loss.item(), rel=1e-6, abs=1e-6)
        assert np.allclose(alignment.posterior.sum(0), 1.0)


def test_the_best_path_collapses_to_the_output_read(ckpt, held_out):
    vocab = speech_vocab()
    for u in held_out[:10]:
        reading = read_utterance(ckpt.model, u.frames)
        assert reading.path == reading.log_probs.argmax(-1).tolist()
        assert reading.greedy == ctc_collapse(reading.path, vocab.blank_id)
        assert vocab.blank_id not in reading.greedy
        assert reading.greedy_log_prob >= reading.path_log_prob - 1e-9  # the output sums the best path and more
