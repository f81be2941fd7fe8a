"""The training loop: seeded, with a warm-up then cosine schedule and a progress callback."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class Progress:
    step: int  # steps done so far, 1-based
    steps: int
    loss: float
    learning_rate: float
    elapsed_s: float
    grad_norm: float = float("nan")  # the gradient's norm before clipping: above CLIP_NORM it was cut


CLIP_NORM = 1.0  # every step's gradient is scaled down to this norm when above it (exploding gradients)


def learning_rate_at(step: int, steps: int, peak: float, warmup: int) -> float:
    """Linear warm-up to the peak, then cosine decay to 10% of it."""
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(1, steps - warmup)
    return peak * (0.1 + 0.45 * (1 + math.cos(math.pi * min(1.0, progress))))


def train_loop(
    model: nn.Module,
    next_batch: Callable[[torch.Generator], dict[str, torch.Tensor]],
    steps: int,
    lr: float = 2e-3,
    seed: int = 0,
    device: torch.device | str = "cpu",
    callback: Callable[[Progress], bool | None] | None = None,
    warmup: int = 100,
    weight_decay: float = 0.01,
) -> list[float]:
    """Train model on batches drawn by next_batch(generator) -> keyword arguments of model.forward.
    The callback sees every step; returning False stops early. Returns the loss of every step."""
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model.to(device).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay, betas=(0.9, 0.98))
    losses, start = [], time.perf_counter()
    for step in range(steps):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate_at(step, steps, lr, warmup)
        batch = {k: v.to(device) for k, v in next_batch(generator).items()}
        loss = model(**batch).loss
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        grad_norm = float(nn.utils.clip_grad_norm_(model.parameters(), CLIP_NORM))
        optimizer.step()
        losses.append(loss.item())
        if callback is not None:
            progress = Progress(
                step + 1, steps, losses[-1], optimizer.param_groups[0]["lr"], time.perf_counter() - start, grad_norm
            )
            if callback(progress) is False:
                break
    model.eval()
    return losses
