"""Built-in models: how each is built, fed, trained and measured. One recipe per shipped checkpoint.

A recipe is everything `python -m seqviz.train --model NAME` needs to reproduce a checkpoint from scratch
with a fixed seed: the data (generated, never downloaded), the model size, the steps, and the held-out
evaluation whose numbers are stored beside the weights.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

import torch

from .data.toy import en_vocab, is_grammatical, make_splits
from .data.vocab import Vocab
from .models.autoencoding import IGNORE, MaskedLM, masked_lm_corruption
from .models.checkpoint import Checkpoint, load_checkpoint
from .models.layers import ModelConfig
from .train import Progress, train_loop

CHECKPOINTS = Path(__file__).parent / "checkpoints"


@dataclass(frozen=True)
class Recipe:
    name: str
    description: str
    architecture: type
    model: dict  # ModelConfig fields other than vocab_size
    steps: int
    batch_size: int
    lr: float
    seed: int
    data: dict = field(default_factory=dict)  # arguments of the data generator

    def to_dict(self) -> dict:
        d = asdict(self)
        d["architecture"] = self.architecture.__name__
        return d


def checkpoint_dir(name: str) -> Path:
    return CHECKPOINTS / name


def load_builtin(name: str, device: str = "cpu") -> Checkpoint:
    if name not in RECIPES:
        raise KeyError(f"unknown built-in model {name!r}; known: {sorted(RECIPES)}")
    directory = checkpoint_dir(name)
    if not (directory / "model.safetensors").exists():
        raise FileNotFoundError(f"checkpoint {name!r} is missing; run: python -m seqviz.train --model {name}")
    return load_checkpoint(directory, device)


# ---- data: the English side of the toy language, as [CLS] w1 ... wn [SEP] ----------------------------


@lru_cache(maxsize=4)
def english_splits(n_train: int, n_valid: int, n_test: int, seed: int) -> dict[str, list[tuple[str, ...]]]:
    splits = make_splits(n_train, n_valid, n_test, seed)
    return {name: [pair.en for pair in pairs] for name, pairs in splits.items()}


def encode_batch(sentences: list[tuple[str, ...]], vocab: Vocab) -> torch.Tensor:
    """[CLS] tokens [SEP], right-padded. -> (B, T)"""
    rows = [[vocab.cls_id, *vocab.encode(s), vocab.sep_id] for s in sentences]
    width = max(map(len, rows))
    return torch.tensor([row + [vocab.pad_id] * (width - len(row)) for row in rows])


def maskable_positions(ids: torch.Tensor, vocab: Vocab) -> torch.Tensor:
    """Words may be masked; [CLS], [SEP] and padding may not. -> (B, T) bool"""
    return ~torch.isin(ids, torch.tensor(sorted(vocab.special_ids)))


def mlm_batches(sentences, vocab: Vocab, batch_size: int) -> Callable[[torch.Generator], dict]:
    random_ids = torch.tensor(vocab.regular_ids)

    def next_batch(generator: torch.Generator) -> dict:
        picks = torch.randint(len(sentences), (batch_size,), generator=generator).tolist()
        ids = encode_batch([sentences[i] for i in picks], vocab)
        corrupted, labels = masked_lm_corruption(ids, vocab.mask_id, maskable_positions(ids, vocab), random_ids, generator)
        return {"ids": corrupted, "labels": labels}

    return next_batch


@torch.no_grad()
def evaluate_mlm(model: MaskedLM, vocab: Vocab, sentences, seed: int = 1234, batch_size: int = 256) -> dict:
    """Mask 1–3 random words of each held-out sentence, fill every [MASK] with the top-1 prediction.
    token_accuracy: the fill equals the original word; fill_grammatical: the filled sentence is accepted
    by the toy-language checker (another valid word counts)."""
    model.eval()
    generator = torch.Generator().manual_seed(seed)
    device = next(model.parameters()).device
    correct = total = grammatical = 0
    for start in range(0, len(sentences), batch_size):
        chunk = sentences[start : start + batch_size]
        ids = encode_batch(chunk, vocab)
        maskable = maskable_positions(ids, vocab)
        corrupted = ids.clone()
        for row, sentence in enumerate(chunk):
            n_masks = int(torch.randint(1, min(3, len(sentence)) + 1, (1,), generator=generator))
            positions = torch.nonzero(maskable[row]).flatten()
            chosen = positions[torch.randperm(len(positions), generator=generator)[:n_masks]]
            corrupted[row, chosen] = vocab.mask_id
        predicted = model(corrupted.to(device)).logits.argmax(-1).cpu()  # (B, T)
        is_mask = corrupted == vocab.mask_id
        filled = torch.where(is_mask, predicted, ids)
        correct += int((filled[is_mask] == ids[is_mask]).sum())
        total += int(is_mask.sum())
        for row, sentence in enumerate(chunk):
            words = vocab.decode(filled[row, 1 : len(sentence) + 1].tolist())
            grammatical += bool(is_grammatical(words))
    return {
        "heldout_sentences": len(sentences),
        "masked_tokens": total,
        "token_accuracy": round(correct / total, 4),
        "fill_grammatical": round(grammatical / len(sentences), 4),
    }


def train_recipe(
    name: str, steps: int | None = None, device: torch.device | str = "cpu", callback: Callable[[Progress], object] | None = None
) -> Checkpoint:
    recipe = RECIPES[name]
    splits = english_splits(**recipe.data)
    vocab = en_vocab()
    torch.manual_seed(recipe.seed)
    model = recipe.architecture(ModelConfig(vocab_size=len(vocab), pad_id=vocab.pad_id, **recipe.model))
    start = time.perf_counter()
    steps = steps or recipe.steps
    losses = train_loop(
        model, mlm_batches(splits["train"], vocab, recipe.batch_size), steps, recipe.lr, recipe.seed, device, callback
    )
    train_seconds = time.perf_counter() - start
    metrics = {
        "split": "test",
        **evaluate_mlm(model, vocab, splits["test"]),
        "steps": len(losses),
        "final_train_loss": round(sum(losses[-50:]) / len(losses[-50:]), 4),
        "train_seconds": round(train_seconds, 1),
        "device": str(device),
        "parameters": sum(p.numel() for p in model.parameters()),
    }
    return Checkpoint(model.cpu(), vocab, metrics, {**recipe.to_dict(), "steps": len(losses)})


RECIPES: dict[str, Recipe] = {
    "toy_mlm": Recipe(
        name="toy_mlm",
        description="BERT-style masked LM on the English side of the toy language (encoder, bidirectional mask)",
        architecture=MaskedLM,
        model=dict(d_model=128, n_heads=4, n_layers=3, d_ff=512, max_len=48, dropout=0.1, positions="learned"),
        steps=3000,
        batch_size=64,
        lr=2e-3,
        seed=0,
        data=dict(n_train=20_000, n_valid=500, n_test=1_000, seed=7),
    ),
}

__all__ = ["RECIPES", "Recipe", "checkpoint_dir", "load_builtin", "train_recipe", "IGNORE"]
