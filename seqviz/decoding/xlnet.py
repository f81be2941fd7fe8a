"""Writing with a permutation LM (XLNet): the blanks of a sentence in a chosen factorisation order, each
predicted by the query stream from the words earlier in that order, wherever they stand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from ..data.vocab import Vocab


@dataclass(frozen=True)
class OrderStep:
    position: int  # index in the ids (0 is <bos>)
    token_id: int  # what was written there
    top_ids: list[int]  # most probable first
    top_probs: list[float]
    sees: list[int]  # the positions its query stream reads: those before it in the order
    attention: torch.Tensor | None  # (layers, H, T): its query-stream row, mean-able over heads


def infill_order(length: int, fixed: Sequence[int], order: Sequence[int]) -> list[int]:
    """<bos>, the fixed positions (left to right), then the others in the given order (positions 1..length-1;
    ones missing from it follow left to right). A full factorisation order of 0..length-1."""
    fixed = sorted(set(fixed) - {0})
    rest = [p for p in order if p not in fixed and 0 < p < length]
    rest += [p for p in range(1, length) if p not in fixed and p not in rest]
    return [0, *fixed, *rest]


@torch.no_grad()
def write_in_order(
    model, ids: torch.Tensor, order: Sequence[int], vocab: Vocab, fixed: Sequence[int] = (), top_k: int = 5
) -> tuple[torch.Tensor, list[OrderStep]]:
    """Fill every position of ids (T,) that is not fixed, in `order` (a permutation of 0..T-1 with <bos>
    first), greedily, one pass per position. Returns the written ids and one step per position written."""
    ids = ids.clone()
    rank = {position: step for step, position in enumerate(order)}
    never = [i for i in vocab.special_ids]  # a sentence holds words only
    steps = []
    for position in order:
        if position == 0 or position in fixed:
            continue
        out = model.in_order(ids, order, need_weights=True)
        scores = out.logits[0, position].clone()  # (V,)
        scores[never] = float("-inf")
        probs = scores.softmax(-1)
        top = probs.topk(top_k)
        ids[position] = int(top.indices[0])
        row = torch.stack([layer[0, :, position] for layer in out.query_attention])  # (L, H, T)
        sees = sorted(p for p in range(len(order)) if rank[p] < rank[position])
        steps.append(OrderStep(position, int(top.indices[0]), top.indices.tolist(), top.values.tolist(), sees, row))
    return ids, steps
