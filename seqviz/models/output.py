"""The typed output every model's forward pass returns."""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass
class ModelOutput:
    logits: torch.Tensor  # (B, T, V)
    loss: torch.Tensor | None = None  # scalar, when labels were given
    self_attention: tuple[torch.Tensor, ...] | None = None  # per layer (B, H, T, T), when asked for
    cross_attention: tuple[torch.Tensor, ...] | None = None  # per layer (B, H, T, S), encoder-decoders only
