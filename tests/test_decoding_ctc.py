"""CTC decoding and alignment (seqviz.decoding.ctc) against torch's CTCLoss and brute force over every path."""

import itertools

import numpy as np
import pytest
import torch
from torch import nn

from seqviz.decoding.ctc import (
    best_path,
    ctc_collapse,
    extended_labels,
    forward_backward,
    path_log_prob,
    prefix_beam_search,
)

BLANK = 0


def random_log_probs(T: int, V: int, seed: int) -> np.ndarray:
    return torch.randn(T, V, generator=torch.Generator().manual_seed(seed)).mul(2).log_softmax(-1).double().numpy()


def torch_ctc_sum(log_probs: np.ndarray, labels: list[int]) -> float:
    """−log P(labels | x) as torch computes it (reduction="sum" over a batch of one)."""
    lp = torch.from_numpy(log_probs)[:, None]  # (T, 1, V)
    target = torch.tensor([labels], dtype=torch.long) if labels else torch.zeros((1, 0), dtype=torch.long)
    loss = nn.CTCLoss(blank=BLANK, reduction="sum")(lp, target, torch.tensor([len(lp)]), torch.tensor([len(labels)]))
    return float(loss)


def brute_force(log_probs: np.ndarray) -> dict[tuple[int, ...], float]:
    """P(output | x) for every output, by summing over all V^T paths."""
    T, V = log_probs.shape
    out: dict[tuple[int, ...], float] = {}
    for path in itertools.product(range(V), repeat=T):
        key = tuple(ctc_collapse(path, BLANK))
        out[key] = out.get(key, 0.0) + float(np.exp(path_log_prob(log_probs, path)))
    return out


@pytest.mark.parametrize(
    "labels",
    [[1, 2, 3], [1, 1], [2, 2, 2, 1], [3], [], [1, 2, 1, 2], [4, 4, 3, 3]],
    ids=["plain", "double", "triple", "one", "empty", "alternating", "two doubles"],
)
@pytest.mark.parametrize("T", [8, 15])
def test_forward_backward_total_is_exp_minus_ctc_loss(labels, T):
    """The forward algorithm's total is exp(−CTCLoss(reduction="sum")), repeated letters included."""
    lp = random_log_probs(T, 5, seed=T + len(labels))
    alignment = forward_backward(lp, labels, BLANK)
    assert alignment.log_likelihood == pytest.approx(-torch_ctc_sum(lp, labels), rel=1e-9, abs=1e-9)
    # α and β agree: at every frame, Σ_s α_t(s) β_t(s) is the same total
    per_frame = np.logaddexp.reduce(alignment.log_alpha + alignment.log_beta, axis=1)
    assert np.allclose(per_frame, alignment.log_likelihood)


@pytest.mark.parametrize("labels", [[1, 2, 3], [1, 1, 2], []])
def test_the_alignment_posterior_sums_to_one_per_frame(labels):
    """γ_t(s) = α_t(s) β_t(s) / P: every path passes through exactly one of the 2L + 1 states at each frame, so
    each frame's column sums to 1 over the extended labels; the first frame is in one of the first two states
    and the last in one of the last two."""
    lp = random_log_probs(12, 4, seed=3)
    alignment = forward_backward(lp, labels, BLANK)
    assert alignment.states == extended_labels(labels, BLANK)
    assert alignment.posterior.shape == (2 * len(labels) + 1, 12)
    assert np.allclose(alignment.posterior.sum(0), 1.0)
    assert np.all(alignment.posterior >= 0)
    assert alignment.posterior[:2, 0].sum() == pytest.approx(1.0)
    assert alignment.posterior[-2:, -1].sum() == pytest.approx(1.0)


def test_too_few_frames_have_no_alignment():
    """a a needs a blank between: three frames at least. With two, P = 0, as torch says (an infinite loss)."""
    lp = random_log_probs(2, 3, seed=0)
    alignment = forward_backward(lp, [1, 1], BLANK)
    assert alignment.log_likelihood == -np.inf and torch_ctc_sum(lp, [1, 1]) == np.inf
    assert not alignment.posterior.any()
    assert np.isfinite(forward_backward(random_log_probs(3, 3, 0), [1, 1], BLANK).log_likelihood)


def test_forward_backward_matches_brute_force():
    lp = random_log_probs(5, 3, seed=11)
    exact = brute_force(lp)
    for output, probability in exact.items():
        assert np.exp(forward_backward(lp, list(output), BLANK).log_likelihood) == pytest.approx(probability)
    assert sum(exact.values()) == pytest.approx(1.0)


def test_best_path_and_collapse():
    assert ctc_collapse([0, 1, 1, 0, 1, 2, 2, 0], BLANK) == [1, 1, 2]
    assert ctc_collapse([1, 1, 1], BLANK) == [1]  # a long letter: one letter
    assert ctc_collapse([], BLANK) == []
    lp = np.log(np.array([[0.1, 0.8, 0.1], [0.7, 0.2, 0.1], [0.2, 0.1, 0.7]]))
    assert best_path(lp) == [1, 0, 2]
    assert path_log_prob(lp, [1, 0, 2]) == pytest.approx(np.log(0.8 * 0.7 * 0.7))


def peaky(path: list[int], V: int, peak: float = 0.95) -> np.ndarray:
    probs = np.full((len(path), V), (1 - peak) / (V - 1))
    probs[np.arange(len(path)), path] = peak
    return np.log(probs)


def test_beam_of_one_is_greedy_on_peaky_posteriors():
    path = [0, 1, 1, 0, 0, 2, 0, 2, 2, 3, 0]
    lp = peaky(path, 4)
    (best,) = prefix_beam_search(lp, BLANK, beam=1)
    assert list(best.tokens) == ctc_collapse(best_path(lp), BLANK) == [1, 2, 2, 3]


def test_beam_search_finds_the_output_the_best_path_misses():
    """Planted: every frame says blank 0.6, "a" 0.4. The best path is all blanks (output "", 0.6³ = 0.216),
    but "a" gathers 1 − 0.216 − P(a _ a and the like): its many paths together make it the likelier output."""
    lp = np.log(np.array([[0.6, 0.4]] * 3))
    greedy = ctc_collapse(best_path(lp), BLANK)
    assert greedy == []
    exact = brute_force(lp)
    assert exact[(1,)] > exact[()]
    hypotheses = prefix_beam_search(lp, BLANK, beam=4)
    assert hypotheses[0].tokens == (1,)
    assert np.exp(hypotheses[0].log_prob) == pytest.approx(exact[(1,)])
    assert np.exp(forward_backward(lp, [1], BLANK).log_likelihood) == pytest.approx(exact[(1,)])


def test_an_unbounded_beam_is_exact():
    """With room for every prefix and no pruning, every output's probability is the brute-force sum."""
    lp = random_log_probs(5, 3, seed=5)
    exact = brute_force(lp)
    found = {h.tokens: np.exp(h.log_prob) for h in prefix_beam_search(lp, BLANK, beam=10_000, prune=0)}
    assert set(found) == set(exact)
    for output, probability in exact.items():
        assert found[output] == pytest.approx(probability)


def test_beam_must_hold_a_prefix():
    with pytest.raises(ValueError, match="beam"):
        prefix_beam_search(np.zeros((2, 2)), BLANK, beam=0)
