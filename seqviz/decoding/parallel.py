"""Parallel (non-autoregressive) decoding: one decoder pass writes every target position, or a fixed
number of passes refines them.

- `nat_decode`: predict the length, then one pass over [MASK]s (with a length beam: several lengths decoded in
  the same pass, the most confident kept).
- `mask_predict`: start fully masked; for T iterations re-mask the least confident tokens (a linearly
  shrinking number) and predict them again (Ghazvininejad et al., 2019). T = 1 is one NAT pass.
- `ctc_decode`: one pass over the up-sampled source, then merge repeats and drop blanks.
All work on batches; every function returns what a page needs to show its steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from ..models.nonautoregressive import MAX_LENGTH_OFFSET, upsample
from .ctc import ctc_collapse  # CTC's one collapse (decoding/ctc.py), also read from here


@torch.no_grad()
def length_distribution(model, memory, src: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """P(target length) per row, and the lengths each column stands for. -> (B, K), (B, K)"""
    offsets = torch.arange(-MAX_LENGTH_OFFSET, MAX_LENGTH_OFFSET + 1, device=src.device)
    lengths = (src != model.config.pad_id).sum(1, keepdim=True) + offsets  # (B, K)
    possible = (lengths >= 1) & (lengths <= model.config.max_len)
    return model.length_logits(memory).masked_fill(~possible, float("-inf")).softmax(-1), lengths


def masked_input(lengths: torch.Tensor, mask_id: int, pad_id: int) -> torch.Tensor:
    """[MASK] × length per row, right-padded. lengths (N,) -> (N, max length)"""
    width = int(lengths.max())
    positions = torch.arange(width, device=lengths.device)[None]  # (1, W)
    return torch.where(positions < lengths[:, None], mask_id, pad_id)


@dataclass
class Iteration:
    tokens: torch.Tensor  # (B, T) the output after this iteration
    confidence: torch.Tensor  # (B, T) probability of each token when it was last predicted
    remasked: torch.Tensor  # (B, T) bool: positions masked and predicted again in this iteration


@dataclass
class ParallelResult:
    tokens: list[list[int]]  # per row, the output (no padding)
    passes: int  # decoder forward passes
    iterations: list[Iteration] = field(default_factory=list)  # mask-predict's history (one entry for NAT)
    length_probs: torch.Tensor | None = None  # (B, K) the length head's distribution
    lengths: torch.Tensor | None = None  # (B, K) the lengths its columns stand for


def iteration_grid(history: list[Iteration], pad_id: int, row: int = 0):
    """One row's mask-predict history without its padding: token ids per iteration [[id]],
    confidence (I, T) and re-predicted (I, T) as numpy arrays."""
    real = history[-1].tokens[row] != pad_id  # (T_max,)
    ids = [step.tokens[row][real].tolist() for step in history]
    confidence = torch.stack([step.confidence[row][real] for step in history]).cpu().numpy()  # (I, T)
    remasked = torch.stack([step.remasked[row][real] for step in history]).cpu().numpy()  # (I, T)
    return ids, confidence, remasked


def _pick_lengths(model, memory, src, length_beam: int):
    probs, lengths = length_distribution(model, memory, src)
    top = probs.topk(min(length_beam, probs.size(1)), dim=-1).indices  # (B, k)
    return probs, lengths, lengths.gather(1, top)  # candidates (B, k)


@torch.no_grad()
def mask_predict(
    model, src: torch.Tensor, mask_id: int, iterations: int = 10, length_beam: int = 1, length: int | None = None
) -> ParallelResult:
    """Mask-predict over a batch of sources (B, S): up to `iterations` decoder passes per length candidate, all
    candidates in the same passes; each row keeps the candidate with the highest mean log-probability.
    `length` overrides the length head for every row."""
    if iterations < 1:
        raise ValueError(f"mask-predict needs at least 1 iteration, got {iterations}")
    if length is not None and not 1 <= length <= model.config.max_len:
        raise ValueError(f"the target length must be between 1 and {model.config.max_len}, got {length}")
    pad = model.config.pad_id
    memory = model.encode(src)
    probs, lengths, candidates = _pick_lengths(model, memory, src, length_beam)
    if length is not None:
        candidates = torch.full((src.size(0), 1), length, device=src.device)
    b, k = candidates.shape
    memory = memory.repeat(k)
    tokens = masked_input(candidates.flatten(), mask_id, pad)  # (B*k, T)
    real = tokens != pad
    target_lengths = real.sum(1)  # (B*k,)
    confidence = torch.zeros(tokens.shape, device=src.device)
    history, remask = [], real
    positions = torch.arange(tokens.size(1), device=src.device)[None]  # (1, T)
    for step in range(iterations):
        out = model.decode(memory, tokens)
        p, predicted = out.logits.softmax(-1).max(-1)  # (B*k, T)
        tokens = torch.where(remask, predicted, tokens)
        confidence = torch.where(remask, p, confidence)
        history.append(Iteration(tokens, confidence, remask))  # new tensors each iteration, never written in place
        if tokens.size(1) * (iterations - 1 - step) // iterations == 0:  # nothing left to re-mask in any row
            break
        n_mask = target_lengths * (iterations - 1 - step) // iterations  # linear schedule: L·(T−t)/T
        order = confidence.masked_fill(~real, float("inf")).argsort(1)  # least confident first
        rank = torch.empty_like(order).scatter_(1, order, positions.expand_as(order))  # each position's place
        remask = (rank < n_mask[:, None]) & real
        tokens = tokens.masked_fill(remask, mask_id)
    if k == 1:
        return ParallelResult(
            [row[keep].tolist() for row, keep in zip(tokens, real, strict=True)], len(history), history, probs, lengths
        )
    score = (confidence.clamp_min(1e-9).log() * real).sum(1) / target_lengths  # mean log-probability
    best = score.view(b, k).argmax(1) + torch.arange(b, device=src.device) * k  # (B,)
    rows = [tokens[i][real[i]].tolist() for i in best.tolist()]
    kept = [Iteration(h.tokens[best], h.confidence[best], h.remasked[best]) for h in history]
    return ParallelResult(rows, len(history), kept, probs, lengths)


def nat_decode(
    model, src: torch.Tensor, mask_id: int, length_beam: int = 1, length: int | None = None
) -> ParallelResult:
    """Vanilla NAT: predict the length, then every token in one pass over [MASK]s."""
    return mask_predict(model, src, mask_id, iterations=1, length_beam=length_beam, length=length)


@dataclass
class CTCResult:
    tokens: list[list[int]]  # per row, the collapsed output
    paths: list[list[int]]  # per row, the raw up-sampled path (blanks and repeats included)
    passes: int = 1


@torch.no_grad()
def ctc_decode(model, src: torch.Tensor) -> CTCResult:
    """One decoder pass over the up-sampled sources (B, S); best token per position, then collapse."""
    ids = upsample(src)
    best = model.decode(model.encode(src), ids).logits.argmax(-1)  # (B, U)
    paths = [row[ids_row != model.config.pad_id].tolist() for row, ids_row in zip(best, ids, strict=True)]
    return CTCResult([ctc_collapse(p, model.config.blank_id, model.config.pad_id) for p in paths], paths)
