"""Where a Transformer gets word order from. Attention itself compares every token with every other and
sums what it finds, so without positions it cannot tell "the dog bites the man" from "the man bites the
dog". Three ways to add order: a fixed sinusoidal table (Vaswani et al. 2017), learned position vectors
(BERT, GPT-2), and RoPE (Su et al. 2021), which rotates queries and keys so their dot product depends on
the distance between positions only. Pure functions; figures are in seqviz/viz/positions.py.
"""

from __future__ import annotations

import copy

import torch
from torch import nn

from .layers import rotate_half_pairs, sinusoidal_table

__all__ = [
    "sinusoidal_table",
    "dot_by_offset",
    "cosine_similarity_matrix",
    "rope_scores",
    "diagonal_spread",
    "rope_pair_path",
    "without_positions",
    "permutation_check",
]


def dot_by_offset(table: torch.Tensor, starts: tuple[int, ...]) -> dict[int, torch.Tensor]:
    """For each start p, the dot products PE[p]·PE[p + k] for k = 0..P-1-max(starts). Sinusoidal rows give
    the same curve from every start: the product depends on the offset k only. table (P, D) -> {p: (K,)}"""
    count = table.size(0) - max(starts)
    return {p: table[p : p + count] @ table[p] for p in starts}  # (K,) each


def cosine_similarity_matrix(table: torch.Tensor) -> torch.Tensor:
    """Cosine similarity of every pair of position vectors. (P, D) -> (P, P)"""
    unit = nn.functional.normalize(table, dim=-1)
    return unit @ unit.T


def rope_scores(query: torch.Tensor, key: torch.Tensor, positions: int, base: float = 10000.0) -> torch.Tensor:
    """score[m, n] = RoPE(query at position m) · RoPE(key at position n), one query and one key vector (D,)
    placed at every position. -> (positions, positions)"""
    at = torch.arange(positions)
    rotated_q = rotate_half_pairs(query.expand(positions, -1), at, base)  # (P, D)
    rotated_k = rotate_half_pairs(key.expand(positions, -1), at, base)  # (P, D)
    return rotated_q @ rotated_k.T


def diagonal_spread(scores: torch.Tensor) -> float:
    """The largest max − min along any diagonal m − n = const: zero when a score depends on the relative
    position only (up to float rounding)."""
    n = scores.size(0)
    return max(float(d.max() - d.min()) for d in (scores.diagonal(k) for k in range(-n + 1, n)))


def rope_pair_path(vector: torch.Tensor, positions: int, pairs: tuple[int, ...], base: float = 10000.0) -> torch.Tensor:
    """Where RoPE moves the given (even, odd) feature pairs of one vector (D,) at positions 0..positions-1:
    each pair turns by a fixed angle per position, fast for the first pairs, slow for the last.
    -> (len(pairs), positions, 2)"""
    rotated = rotate_half_pairs(vector.expand(positions, -1), torch.arange(positions), base)  # (P, D)
    return torch.stack([rotated[:, 2 * i : 2 * i + 2] for i in pairs])


def without_positions(model: nn.Module) -> nn.Module:
    """A copy of a model with learned or sinusoidal positions whose position vectors are all zero: the
    same weights, blind to order. The original is not touched."""
    blind = copy.deepcopy(model).eval()
    stack = next(m for m in blind.modules() if hasattr(m, "position_embed"))
    with torch.no_grad():
        if stack.position_embed is not None:
            stack.position_embed.weight.zero_()
        if getattr(stack, "position_table", None) is not None:
            stack.position_table.zero_()
    return blind


@torch.no_grad()
def permutation_check(model: nn.Module, ids: torch.Tensor, order: torch.Tensor) -> dict:
    """Run the model on a sentence (T,) and on the same tokens in `order` (T,); compare the output at each
    token. Returns both logits (T, V), the shuffled run's put back in the original order, and the largest
    difference: zero for a model without positions (its outputs are the same, permuted)."""
    model.eval()
    logits = model(ids[None]).logits[0]  # (T, V)
    shuffled = model(ids[order][None]).logits[0]  # (T, V), in the shuffled order
    restored = torch.empty_like(shuffled)
    restored[order] = shuffled  # (T, V): row t = the output at token t, wherever it stood
    return {"logits": logits, "shuffled_restored": restored, "max_difference": float((logits - restored).abs().max())}
