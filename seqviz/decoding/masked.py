"""Filling [MASK]s with a masked LM: all at once, or one at a time, the most confident first."""

from __future__ import annotations

from dataclasses import dataclass

import torch

STRATEGIES = ("parallel", "confident_first")


@dataclass(frozen=True)
class MaskPrediction:
    position: int  # index in the input ids
    top_ids: list[int]  # most probable first
    top_probs: list[float]


@torch.no_grad()
def mask_predictions(model, ids: torch.Tensor, positions: list[int], top_k: int = 5) -> list[MaskPrediction]:
    """One forward pass over ids (T,): the top-k tokens and probabilities at each of the given positions
    (usually the [MASK]s; under BERT's rule also the positions given a random or unchanged word)."""
    probs = model(ids[None]).logits[0].softmax(-1)  # (T, V)
    predictions = []
    for position in positions:
        top = probs[position].topk(top_k)
        predictions.append(MaskPrediction(position, top.indices.tolist(), top.values.tolist()))
    return predictions


@torch.no_grad()
def fill_masks(
    model, ids: torch.Tensor, mask_id: int, strategy: str = "parallel"
) -> tuple[torch.Tensor, list[list[int]]]:
    """Replace every [MASK] in ids (B, T) by the model's top-1 token.

    parallel: one pass, each mask filled independently (fast; neighbouring masks may disagree).
    confident_first: one pass per mask; each pass fills only the mask the model is surest of, so later
    fills see earlier ones (the idea behind mask-predict decoding).
    Returns the filled ids and, per row, the positions in the order they were filled."""
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, got {strategy!r}")
    ids = ids.clone()
    order: list[list[int]] = [[] for _ in range(ids.size(0))]
    if strategy == "parallel":
        masked = ids == mask_id
        predicted = model(ids).logits.argmax(-1)  # (B, T)
        for row, position in torch.nonzero(masked).tolist():
            order[row].append(position)
        return torch.where(masked, predicted, ids), order
    while (ids == mask_id).any():
        masked = ids == mask_id  # (B, T)
        confidence, predicted = model(ids).logits.softmax(-1).max(-1)  # (B, T) each
        confidence = confidence.masked_fill(~masked, -1.0)
        best = confidence.argmax(-1)  # (B,)
        for row in torch.nonzero(masked.any(-1)).flatten().tolist():
            position = int(best[row])
            ids[row, position] = predicted[row, position]
            order[row].append(position)
    return ids, order
