"""Autoregressive decoding: what a left-to-right model predicts next."""

from __future__ import annotations

import torch


@torch.no_grad()
def next_token_probs(model, ids: torch.Tensor) -> torch.Tensor:
    """P(x_{t+1} | x_1..x_t) for a prefix ids (T,) -> (V,). The causal mask means the model cannot have
    looked at anything after the prefix, even if it were there."""
    return model(ids[None]).logits[0, -1].softmax(-1)
