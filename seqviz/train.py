"""The training loop (seeded, with a progress callback) and the command that retrains built-in models.

    python -m seqviz.train --list
    python -m seqviz.train --model toy_mlm [--steps N] [--out DIR] [--device cpu]
    python -m seqviz.train --model toy_mlm --evaluate   (re-measure the shipped checkpoint, keep its weights)
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from dataclasses import dataclass
from typing import Callable

import torch
from torch import nn


@dataclass(frozen=True)
class Progress:
    step: int  # steps done so far, 1-based
    steps: int
    loss: float
    learning_rate: float
    elapsed_s: float


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
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        losses.append(loss.item())
        if callback is not None:
            progress = Progress(step + 1, steps, losses[-1], optimizer.param_groups[0]["lr"], time.perf_counter() - start)
            if callback(progress) is False:
                break
    model.eval()
    return losses


def _print_progress(progress: Progress) -> None:
    every = max(1, progress.steps // 20)
    if progress.step % every == 0 or progress.step == progress.steps:
        print(f"step {progress.step:>6}/{progress.steps}  loss {progress.loss:.4f}  {progress.elapsed_s:6.1f}s", flush=True)


def main(argv: list[str] | None = None) -> int:
    from .recipes import RECIPES, checkpoint_dir, train_recipe

    parser = argparse.ArgumentParser(prog="python -m seqviz.train", description="Retrain a built-in seqviz model.")
    parser.add_argument("--model", choices=sorted(RECIPES), help="which built-in model to retrain")
    parser.add_argument("--list", action="store_true", help="list the built-in models and exit")
    parser.add_argument("--steps", type=int, help="override the recipe's number of training steps")
    parser.add_argument("--out", help="write the checkpoint here instead of the shipped location")
    parser.add_argument("--device", default="cpu", help="auto, cpu, cuda or mps (default cpu, for reproducibility)")
    parser.add_argument("--threads", type=int, help="torch CPU threads (default: torch's choice)")
    parser.add_argument("--evaluate", action="store_true",
                        help="re-measure the shipped checkpoint on its held-out data and rewrite its metrics.json")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.list:
        for name, recipe in sorted(RECIPES.items()):
            print(f"{name:<12} {recipe.description}")
        return 0
    if not args.model:
        parser.error("give --model NAME (see --list)")
    if args.evaluate:
        from .recipes import reevaluate

        for key, value in reevaluate(args.model).items():
            print(f"  {key}: {value}")
        return 0
    from .device import pick_device

    out = args.out or checkpoint_dir(args.model)
    ckpt = train_recipe(args.model, steps=args.steps, device=pick_device(args.device), callback=_print_progress)
    from .models.checkpoint import save_checkpoint

    save_checkpoint(out, ckpt)
    print(f"wrote {out}")
    for key, value in ckpt.metrics.items():
        print(f"  {key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
