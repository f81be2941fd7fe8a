"""The command that retrains built-in models.

python -m seqviz.train --list
python -m seqviz.train --model toy_mlm [--steps N] [--out DIR] [--device cpu]
python -m seqviz.train --model toy_mlm --evaluate   (re-measure the shipped checkpoint, keep its weights)
"""

from __future__ import annotations

import argparse

import torch

from ..device import pick_device
from ..models.checkpoint import checkpoint_dir, save_checkpoint
from .builtin import reevaluate, train_recipe
from .loop import Progress
from .recipes import RECIPES


def _print_progress(progress: Progress) -> None:
    every = max(1, progress.steps // 20)
    if progress.step % every == 0 or progress.step == progress.steps:
        print(
            f"step {progress.step:>6}/{progress.steps}  loss {progress.loss:.4f}  {progress.elapsed_s:6.1f}s",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seqviz.train", description="Retrain a built-in seqviz model.")
    parser.add_argument("--model", choices=sorted(RECIPES), help="which built-in model to retrain")
    parser.add_argument("--list", action="store_true", help="list the built-in models and exit")
    parser.add_argument("--steps", type=int, help="override the recipe's number of training steps")
    parser.add_argument("--out", help="write the checkpoint here instead of the shipped location")
    parser.add_argument("--device", default="cpu", help="auto, cpu, cuda or mps (default cpu, for reproducibility)")
    parser.add_argument("--threads", type=int, help="torch CPU threads (default: torch's choice)")
    parser.add_argument(
        "--evaluate",
        action="store_true",
        help="re-measure the shipped checkpoint on its held-out data and rewrite its metrics.json",
    )
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
        for key, value in reevaluate(args.model).items():
            print(f"  {key}: {value}")
        return 0
    out = args.out or checkpoint_dir(args.model)
    ckpt = train_recipe(args.model, steps=args.steps, device=pick_device(args.device), callback=_print_progress)
    save_checkpoint(out, ckpt)
    print(f"wrote {out}")
    for key, value in ckpt.metrics.items():
        print(f"  {key}: {value}")
    return 0
