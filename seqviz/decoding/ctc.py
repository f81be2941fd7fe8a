"""CTC decoding and alignment (Graves et al. 2006) over one sequence's per-frame log-probabilities (T, V).

A *path* gives every frame a symbol or the blank; it *collapses* to an output by merging runs of the same
symbol and then dropping the blanks (a a _ a b b -> a a b), so a double letter needs a blank between its two
halves. The probability of an output is the sum over every path that collapses to it.

- `best_path` + `ctc_collapse`: greedy decoding, the most probable symbol per frame, collapsed. It finds the
  most probable *path*, which need not collapse to the most probable *output*.
- `prefix_beam_search`: keeps the `beam` most probable output prefixes, each with the probability of the
  paths that collapse to it and end in a blank or not; paths that collapse to the same prefix are merged
  (Hannun et al. 2014). With an unbounded beam it is exact.
- `forward_backward`: α (paths reaching each extended-label state) and β (paths from it to the end) in log
  space, over the label sequence with blanks between and around (l' = _ l1 _ l2 … _). Their total is
  P(labels | x), which `torch.nn.CTCLoss(reduction="sum")` gives as −log; α·β / P is the posterior of each
  state at each frame: every frame's column sums to 1 over the 2L + 1 states.
- `read_utterance`: one utterance through a model, with all of the above that a page shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
import torch

NEG_INF = -np.inf


def as_log_probs(log_probs) -> np.ndarray:
    """(T, V) float64 numpy log-probabilities from a tensor or an array."""
    if isinstance(log_probs, torch.Tensor):
        log_probs = log_probs.detach().cpu().double().numpy()
    array = np.asarray(log_probs, dtype=np.float64)
    if array.ndim != 2:
        raise ValueError(f"log-probabilities must be (frames, symbols), got shape {array.shape}")
    return array


def ctc_collapse(path: Sequence[int], blank_id: int, pad_id: int | None = None) -> list[int]:
    """Merge runs of the same token, then drop blanks (and padding): a a _ a b b -> a a b."""
    out, previous = [], None
    for token in path:
        if token != previous and token != blank_id and token != pad_id:
            out.append(int(token))
        previous = token
    return out


def best_path(log_probs) -> list[int]:
    """The most probable symbol at every frame (greedy decoding before the collapse)."""
    return as_log_probs(log_probs).argmax(-1).tolist()


def path_log_prob(log_probs, path: Sequence[int]) -> float:
    """log P(path | x): the frames are independent given x, so the sum of the chosen log-probabilities."""
    lp = as_log_probs(log_probs)
    return float(lp[np.arange(len(path)), list(path)].sum())


def extended_labels(labels: Sequence[int], blank_id: int) -> list[int]:
    """_ l1 _ l2 … lL _: the 2L + 1 states a CTC path moves through."""
    out = [blank_id]
    for label in labels:
        out += [int(label), blank_id]
    return out


@dataclass(frozen=True)
class Alignment:
    states: list[int]  # the extended labels (S = 2L + 1)
    log_likelihood: float  # log P(labels | x), summed over every path (−inf: the frames are too few)
    log_alpha: np.ndarray  # (T, S) log P(frames 1..t on a path prefix ending in state s)
    log_beta: np.ndarray  # (T, S) log P(frames t+1..T on a path suffix | state s at frame t)
    posterior: np.ndarray  # (S, T) P(state s at frame t | labels, x): each column sums to 1 (0 if impossible)


def _logsumexp3(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    return np.logaddexp(np.logaddexp(a, b), c)


def forward_backward(log_probs, labels: Sequence[int], blank_id: int) -> Alignment:
    """CTC's forward–backward algorithm in log space (Graves et al. 2006, section 4.1)."""
    lp = as_log_probs(log_probs)
    T = len(lp)
    states = extended_labels(labels, blank_id)
    S = len(states)
    emit = lp[:, states]  # (T, S)
    ext = np.array(states)
    # a state may be entered from two back (skipping the blank between) unless it is a blank or repeats the label
    skip = np.zeros(S, bool)
    skip[2:] = (ext[2:] != blank_id) & (ext[2:] != ext[:-2])

    def shifted(row: np.ndarray, by: int) -> np.ndarray:  # by > 0: row[s - by] at s; by < 0: row[s + |by|]
        out = np.full(len(row), NEG_INF)
        if by > 0 and by < len(row):
            out[by:] = row[:-by]
        elif by < 0 and -by < len(row):
            out[:by] = row[-by:]
        return out

    alpha = np.full((T, S), NEG_INF)
    if T:
        alpha[0, :2] = emit[0, :2]
    for t in range(1, T):
        prev = alpha[t - 1]
        two_back = np.where(skip, shifted(prev, 2), NEG_INF)
        alpha[t] = _logsumexp3(prev, shifted(prev, 1), two_back) + emit[t]
    beta = np.full((T, S), NEG_INF)  # β excludes frame t's own emission
    if T:
        beta[T - 1, S - 1] = 0.0
        if S > 1:
            beta[T - 1, S - 2] = 0.0
    skip_into = np.zeros(S, bool)  # state s may jump to s + 2
    skip_into[:-2] = skip[2:]
    for t in range(T - 2, -1, -1):
        nxt = beta[t + 1] + emit[t + 1]  # (S,)
        beta[t] = _logsumexp3(nxt, shifted(nxt, -1), np.where(skip_into, shifted(nxt, -2), NEG_INF))
    total = float(np.logaddexp(alpha[T - 1, S - 1], alpha[T - 1, S - 2])) if T and S > 1 else NEG_INF
    if T and S == 1:
        total = float(alpha[T - 1, 0])
    if np.isfinite(total):
        posterior = np.exp(alpha + beta - total).T  # (S, T)
    else:
        posterior = np.zeros((S, T))
    return Alignment(states, total, alpha, beta, posterior)


def _add(beams: dict, prefix: tuple[int, ...], which: int, value: float) -> None:
    """Add a path's probability to a prefix's paths ending in a blank (which = 0) or in a symbol (1)."""
    entry = beams.setdefault(prefix, [NEG_INF, NEG_INF])
    entry[which] = np.logaddexp(entry[which], value)


@dataclass(frozen=True)
class Hypothesis:
    tokens: tuple[int, ...]  # the collapsed output
    log_prob: float  # log of the summed probability of the paths that collapse to it (those the beam kept)


def prefix_beam_search(log_probs, blank_id: int, beam: int = 8, prune: float = 1e-4) -> list[Hypothesis]:
    """CTC prefix beam search: the `beam` best outputs, best first. Per frame only symbols with probability
    at least `prune` extend a prefix (the blank and the prefix's last symbol are always tried)."""
    if beam < 1:
        raise ValueError(f"the beam must hold at least one prefix, got {beam}")
    lp = as_log_probs(log_probs)
    floor = np.log(prune) if prune > 0 else NEG_INF
    beams: dict[tuple[int, ...], tuple[float, float]] = {(): (0.0, NEG_INF)}  # prefix -> (ends in blank, not)
    for frame in lp:
        tried = [int(c) for c in np.nonzero(frame >= floor)[0]]
        nxt: dict[tuple[int, ...], list[float]] = {}
        add = partial(_add, nxt)
        for prefix, (p_blank, p_symbol) in beams.items():
            total = np.logaddexp(p_blank, p_symbol)
            add(prefix, 0, total + frame[blank_id])  # a blank: the output stays
            last = prefix[-1] if prefix else None
            candidates = set(tried) | ({last} if last is not None else set())
            for c in candidates:
                if c == blank_id:
                    continue
                if c == last:
                    add(prefix, 1, p_symbol + frame[c])  # the same symbol again, no blank between: merged
                    add((*prefix, c), 1, p_blank + frame[c])  # after a blank: a second c
                else:
                    add((*prefix, c), 1, total + frame[c])
        possible = [item for item in nxt.items() if np.logaddexp(*item[1]) > NEG_INF]  # "a a" after "a": none
        ranked = sorted(possible, key=lambda item: -np.logaddexp(*item[1]))
        beams = {prefix: (float(pb), float(ps)) for prefix, (pb, ps) in ranked[:beam]}
    out = [Hypothesis(prefix, float(np.logaddexp(pb, ps))) for prefix, (pb, ps) in beams.items()]
    return sorted(out, key=lambda h: -h.log_prob)


@dataclass(frozen=True)
class Reading:
    """One utterance read by a CTC model: what a page shows of it."""

    log_probs: np.ndarray  # (T, V) per-frame log-probabilities
    path: list[int]  # the best path (argmax per frame)
    greedy: list[int]  # the best path collapsed
    path_log_prob: float  # log P(best path | x)
    greedy_log_prob: float  # log P(greedy output | x): every path that collapses to it (forward algorithm)
    beam: list[Hypothesis]  # prefix beam search's outputs, best first (their log_prob: the beam's own sum)


@torch.no_grad()
def utterance_log_probs(model, frames) -> np.ndarray:
    """(T, V) log-probabilities of one utterance's frames (T, n_bins)."""
    x = torch.as_tensor(np.asarray(frames), dtype=torch.float32, device=next(model.parameters()).device)[None]
    return model(x).logits[0].double().cpu().numpy()


def read_utterance(model, frames, beam: int = 8) -> Reading:
    """Greedy and prefix beam search on one utterance's frames (T, n_bins)."""
    blank = model.config.blank_id
    lp = utterance_log_probs(model, frames)
    path = best_path(lp)
    greedy = ctc_collapse(path, blank)
    return Reading(
        lp,
        path,
        greedy,
        path_log_prob(lp, path),
        forward_backward(lp, greedy, blank).log_likelihood,
        prefix_beam_search(lp, blank, beam),
    )
