"""Drawing images: PixelCNN one pixel per forward pass in raster order, its rival every pixel in one pass.

A PixelCNN's prediction at (row, col) never reads a later pixel, so a pass needs only the rows down to `row`
(the masked kernels never reach below): each pass crops the image there, which is exact and about halves
the work. Undrawn pixels hold 0 and are never read; their probability is NaN until they are drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .timing import Timing, measure_together


@dataclass
class Drawing:
    images: torch.Tensor  # (B, H, W) long, 0/1; undrawn pixels 0
    probabilities: torch.Tensor  # (B, H, W) float: each pixel's probability of ink when it was drawn; NaN undrawn
    drawn: int  # pixels drawn so far, in raster order (H·W when finished)
    passes: int  # forward passes this call made


def blank_drawing(batch: int, size: int, device: torch.device | str = "cpu") -> Drawing:
    return Drawing(
        torch.zeros(batch, size, size, dtype=torch.long, device=device),
        torch.full((batch, size, size), float("nan"), device=device),
        0,
        0,
    )


def _choose(p: torch.Tensor, greedy: bool, generator: torch.Generator | None) -> torch.Tensor:
    """Ink where p ≥ 0.5 (greedy) or with probability p (sampling). -> 0/1 long, p's shape"""
    if greedy:
        return (p >= 0.5).long()
    return (torch.rand(p.shape, generator=generator).to(p.device) < p).long()  # drawn on the CPU: seeded anywhere


@torch.no_grad()
def raster_sample(
    model,
    labels: torch.Tensor,
    start: Drawing | None = None,
    count: int | None = None,
    greedy: bool = False,
    generator: torch.Generator | None = None,
) -> Drawing:
    """Continue `start` (default: a blank image) by `count` pixels in raster order (default: to the end),
    one forward pass each. labels (B,) the digits."""
    size = model.config.size
    state = start or blank_drawing(len(labels), size, labels.device)
    images, probabilities = state.images.clone(), state.probabilities.clone()
    stop = size * size if count is None else min(size * size, state.drawn + count)
    for index in range(state.drawn, stop):
        row, col = divmod(index, size)
        logits = model(images[:, : row + 1], labels).logits[:, row, col]  # (B,): the rows so far suffice
        p = torch.sigmoid(logits)
        images[:, row, col] = _choose(p, greedy, generator)
        probabilities[:, row, col] = p
    return Drawing(images, probabilities, stop, stop - state.drawn)


@torch.no_grad()
def one_shot_sample(
    model, labels: torch.Tensor, greedy: bool = False, generator: torch.Generator | None = None
) -> Drawing:
    """Every pixel at once, each on its own, from one forward pass. labels (B,)."""
    size = model.config.size
    blank = torch.zeros(len(labels), size, size, dtype=torch.long, device=labels.device)
    p = torch.sigmoid(model(blank, labels).logits)  # (B, H, W)
    return Drawing(_choose(p, greedy, generator), p, size * size, 1)


def sample_images(model, labels: torch.Tensor, greedy: bool = False, seed: int = 0) -> Drawing:
    """Whole images from either kind of model, seeded."""
    generator = torch.Generator().manual_seed(seed)
    if model.paradigm == "autoregressive":
        return raster_sample(model, labels, greedy=greedy, generator=generator)
    return one_shot_sample(model, labels, greedy, generator)


def pixel_timing(pixelcnn, one_shot, device, warmup: int = 1, repeats: int = 5, batch: int = 1) -> dict[str, Timing]:
    """The time to draw `batch` images at once (the page: one): PixelCNN's H·W passes against the rival's
    one, interleaved rounds, medians. Keys "pixelcnn" and "one_shot"."""
    label = torch.arange(batch, device=device) % 10
    runs = {
        "pixelcnn": lambda: raster_sample(pixelcnn, label),
        "one_shot": lambda: one_shot_sample(one_shot, label),
    }
    return measure_together(runs, device, warmup, repeats)
