"""Built-in models: how each is built, fed, trained and measured. One recipe per shipped checkpoint.

A recipe is everything `python -m seqviz.train --model NAME` needs to reproduce a checkpoint from scratch
with a fixed seed: the data (generated, never downloaded), the model size, the steps, and the held-out
evaluation whose numbers are stored beside the weights.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

import torch
from torch import nn

from .data.digits import digit_answer, digit_pairs, digit_vocab
from .data.toy import check_translation, en_vocab, joint_vocab, make_splits
from .data.vocab import Vocab
from .evaluation import (
    encode_clm,
    encode_mlm,
    encode_pairs,
    evaluate_fill,
    evaluate_next_token,
    evaluate_translation,
    pad_rows,
    translate_all,
    reverse_alignment,
    right_context_agreement,
    right_context_items,
    sample_grammatical,
)
from .models.autoencoding import MaskedLM, masked_lm_corruption
from .models.autoregressive import CausalLM
from .models.checkpoint import METRICS, Checkpoint, load_checkpoint
from .models.layers import ModelConfig
from .models.nonautoregressive import CTCTransformer, NARTransformer
from .models.seq2seq import BahdanauSeq2Seq, RNNSeq2Seq, TransformerSeq2Seq
from .decoding.parallel import ctc_decode, mask_predict, nat_decode
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
    task: str = "language"  # language (English sentences), translation, nat, cmlm, ctc (toy English→French), digits-TASK
    teacher: str | None = None  # distillation: its translations replace the targets (translation), or its
    # next-token distributions do (a causal LM)

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


# ---- data: the English side of the toy language ------------------------------------------------------


@lru_cache(maxsize=4)
def english_splits(n_train: int, n_valid: int, n_test: int, seed: int) -> dict[str, list[tuple[str, ...]]]:
    splits = make_splits(n_train, n_valid, n_test, seed)
    return {name: [pair.en for pair in pairs] for name, pairs in splits.items()}


def length_windows(sentences, batch_size: int, length: Callable = len) -> Callable[[torch.Generator], list]:
    """Draw batches of sentences of similar length (a random window of the length-sorted list), so little
    compute goes to padding; every sentence is still equally likely to be drawn."""
    by_length = sorted(sentences, key=length)
    window = min(len(by_length), 8 * batch_size)

    def draw(generator: torch.Generator) -> list:
        start = int(torch.randint(len(by_length) - window + 1, (1,), generator=generator))
        picks = torch.randint(window, (batch_size,), generator=generator) + start
        return [by_length[i] for i in picks.tolist()]

    return draw


def maskable_positions(ids: torch.Tensor, vocab: Vocab) -> torch.Tensor:
    """Words may be masked; [CLS], [SEP] and padding may not. -> (B, T) bool"""
    return ~torch.isin(ids, torch.tensor(sorted(vocab.special_ids)))


def mlm_batches(sentences, vocab: Vocab, batch_size: int) -> Callable[[torch.Generator], dict]:
    draw, random_ids = length_windows(sentences, batch_size), torch.tensor(vocab.regular_ids)

    def next_batch(generator: torch.Generator) -> dict:
        ids = encode_mlm(draw(generator), vocab)
        corrupted, labels = masked_lm_corruption(ids, vocab.mask_id, maskable_positions(ids, vocab), random_ids, generator)
        return {"ids": corrupted, "labels": labels}

    return next_batch


def clm_batches(sentences, vocab: Vocab, batch_size: int) -> Callable[[torch.Generator], dict]:
    draw = length_windows(sentences, batch_size)

    def next_batch(generator: torch.Generator) -> dict:
        ids = encode_clm(draw(generator), vocab)
        return {"ids": ids, "labels": ids}

    return next_batch


def clm_distill_batches(sentences, vocab: Vocab, batch_size: int, teacher) -> Callable[[torch.Generator], dict]:
    """Causal-LM batches whose targets are the teacher's next-token distributions (knowledge distillation:
    a speculative-decoding draft learns to guess what the target would say)."""
    plain = clm_batches(sentences, vocab, batch_size)

    def next_batch(generator: torch.Generator) -> dict:
        batch = plain(generator)
        with torch.no_grad():
            batch["teacher_probs"] = teacher(batch["ids"]).logits.softmax(-1)  # (B, T, V)
        return batch

    return next_batch


def evaluate(model, vocab: Vocab, splits) -> dict:
    """The held-out numbers recorded with a checkpoint (test split; the right-context items are every
    position of the test sentences where only the right context decides a noun's number)."""
    items = right_context_items(splits["test"])
    if isinstance(model, MaskedLM):
        metrics = evaluate_fill(model, vocab, splits["test"])
        kind = "mlm"
    else:
        metrics = evaluate_next_token(model, vocab, splits["test"])
        metrics["samples_grammatical_t1"] = sample_grammatical(model, vocab, n=200, temperature=1.0)
        kind = "clm"
    metrics["right_context_items"] = len(items)
    metrics["right_context_agreement"] = right_context_agreement(model, vocab, items, kind)
    return metrics


@lru_cache(maxsize=4)
def translation_splits(n_train: int, n_valid: int, n_test: int, seed: int) -> dict[str, list[tuple]]:
    splits = make_splits(n_train, n_valid, n_test, seed)
    return {name: [(pair.en, pair.fr) for pair in pairs] for name, pairs in splits.items()}


def digit_splits(task: str, n_train: int, n_test: int, seed: int) -> dict[str, list[tuple]]:
    train, test = digit_pairs(task, n_train, seed), digit_pairs(task, n_test, seed + 1)
    seen = set(train)
    return {"train": train, "test": [pair for pair in test if pair not in seen]}


def pair_batches(pairs, vocab: Vocab, batch_size: int) -> Callable[[torch.Generator], dict]:
    draw = length_windows(pairs, batch_size, length=lambda pair: len(pair[0]))  # similar source lengths
    return lambda generator: encode_pairs(draw(generator), vocab)


@lru_cache(maxsize=2)
def distilled_splits(teacher: str, n_train: int, n_valid: int, n_test: int, seed: int) -> dict[str, list[tuple]]:
    """The translation splits with every training target replaced by the teacher's greedy translation
    (sequence-level knowledge distillation: one consistent choice among the synonyms)."""
    splits = translation_splits(n_train, n_valid, n_test, seed)
    ckpt = load_builtin(teacher)
    outputs = translate_all(ckpt.model, ckpt.vocab, [source for source, _ in splits["train"]])
    return {**splits, "train": [(source, tuple(out)) for (source, _), out in zip(splits["train"], outputs)]}


def parallel_batches(pairs, vocab: Vocab, batch_size: int, objective: str) -> Callable[[torch.Generator], dict]:
    """Batches for the non-autoregressive objectives: nat reads every target position as [MASK]; cmlm masks
    a uniformly drawn number of them (1..T) and scores only those; ctc reads the source and scores the target."""
    draw = length_windows(pairs, batch_size, length=lambda pair: len(pair[0]))

    def next_batch(generator: torch.Generator) -> dict:
        chosen = draw(generator)
        src = pad_rows([vocab.encode(s) for s, _ in chosen], vocab.pad_id)
        tgt = pad_rows([vocab.encode(t) for _, t in chosen], vocab.pad_id)  # (B, T) no <bos>/<eos>
        if objective == "ctc":
            return {"src": src, "labels": tgt}
        real = tgt != vocab.pad_id
        masked = real
        if objective == "cmlm":
            count = (torch.rand(len(chosen), generator=generator) * real.sum(1)).long() + 1  # 1..T per row
            rank = torch.rand(tgt.shape, generator=generator).masked_fill(~real, 2.0).argsort(1).argsort(1)
            masked = rank < count[:, None]
        return {"src": src, "tgt": tgt.masked_fill(masked, vocab.mask_id), "labels": tgt.masked_fill(~masked, vocab.pad_id)}

    return next_batch


PARALLEL_DECODERS = {  # how each objective's model translates a padded batch (B, S)
    "nat": lambda model, src, vocab: nat_decode(model, src, vocab.mask_id).tokens,
    "cmlm": lambda model, src, vocab: mask_predict(model, src, vocab.mask_id, iterations=10).tokens,
    "ctc": lambda model, src, vocab: ctc_decode(model, src).tokens,
}


def prepare(recipe: Recipe) -> tuple[Vocab, dict, Callable]:
    """The recipe's vocabulary, data splits and batch function."""
    if recipe.task == "translation":
        vocab, splits = joint_vocab(), translation_splits(**recipe.data)
        return vocab, splits, pair_batches(splits["train"], vocab, recipe.batch_size)
    if recipe.task in PARALLEL_DECODERS:
        vocab = joint_vocab()
        splits = distilled_splits(recipe.teacher, **recipe.data) if recipe.teacher else translation_splits(**recipe.data)
        return vocab, splits, parallel_batches(splits["train"], vocab, recipe.batch_size, recipe.task)
    if recipe.task.startswith("digits-"):
        vocab, splits = digit_vocab(), digit_splits(recipe.task.removeprefix("digits-"), **recipe.data)
        return vocab, splits, pair_batches(splits["train"], vocab, recipe.batch_size)
    vocab, splits = en_vocab(), english_splits(**recipe.data)
    if recipe.teacher:
        return vocab, splits, clm_distill_batches(splits["train"], vocab, recipe.batch_size, load_builtin(recipe.teacher).model)
    batches = mlm_batches if recipe.architecture is MaskedLM else clm_batches
    return vocab, splits, batches(splits["train"], vocab, recipe.batch_size)


def evaluate_recipe(recipe: Recipe, model, vocab: Vocab, splits: dict) -> dict:
    if recipe.task == "translation":
        return evaluate_translation(model, vocab, splits["test"], check_translation)
    if recipe.task in PARALLEL_DECODERS:
        return evaluate_translation(model, vocab, splits["test"], check_translation, PARALLEL_DECODERS[recipe.task])
    if recipe.task.startswith("digits-"):
        task = recipe.task.removeprefix("digits-")
        metrics = evaluate_translation(model, vocab, splits["test"], lambda s, out: tuple(out) == digit_answer(task, s))
        if task == "reverse":
            metrics["anti_diagonal_share"] = reverse_alignment(model, vocab, splits["test"][:200])
        return metrics
    return evaluate(model, vocab, splits)


def reevaluate(name: str) -> dict:
    """Measure a shipped checkpoint again with the current evaluation and rewrite its metrics.json; the
    training record (steps, time, parameters) is kept. The weights are not touched."""
    recipe, ckpt = RECIPES[name], load_builtin(name)
    # distillation changes only the training targets: skip re-translating them
    splits = translation_splits(**recipe.data) if recipe.teacher and recipe.task != "language" else prepare(recipe)[1]
    measured = evaluate_recipe(recipe, ckpt.model, ckpt.vocab, splits)
    metrics = {**{k: v for k, v in ckpt.metrics.items() if k not in measured}, **measured}
    path = checkpoint_dir(name) / METRICS
    path.write_text(json.dumps(metrics, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return metrics


def build_model(recipe: Recipe, vocab: Vocab) -> nn.Module:
    """The recipe's untrained model, seeded."""
    torch.manual_seed(recipe.seed)
    return recipe.architecture(ModelConfig(vocab_size=len(vocab), pad_id=vocab.pad_id, blank_id=vocab.blank_id, **recipe.model))


def train_recipe(
    name: str, steps: int | None = None, device: torch.device | str = "cpu", callback: Callable[[Progress], object] | None = None
) -> Checkpoint:
    recipe = RECIPES[name]
    vocab, splits, batches = prepare(recipe)
    model = build_model(recipe, vocab)
    start = time.perf_counter()
    losses = train_loop(model, batches, steps or recipe.steps, recipe.lr, recipe.seed, device, callback)
    train_seconds = time.perf_counter() - start
    metrics = {
        "split": "test",
        **evaluate_recipe(recipe, model, vocab, splits),
        "steps": len(losses),
        "final_train_loss": round(sum(losses[-50:]) / len(losses[-50:]), 4),
        "train_seconds": round(train_seconds, 1),
        "device": str(device),
        "torch_threads": torch.get_num_threads(),
        "parameters": sum(p.numel() for p in model.parameters()),
    }
    return Checkpoint(model.cpu(), vocab, metrics, {**recipe.to_dict(), "steps": len(losses)})


TOY_LM_SIZE = dict(d_model=128, n_heads=4, n_layers=4, d_ff=512, max_len=48, dropout=0.1, positions="learned")
# the draft of speculative decoding: ~1/4 of toy_clm's depth and half its width, same vocabulary and data
TOY_DRAFT_SIZE = dict(d_model=64, n_heads=2, n_layers=1, d_ff=256, max_len=48, dropout=0.1, positions="learned")
TOY_DATA = dict(n_train=30_000, n_valid=500, n_test=1_000, seed=7)
TOY_MT_TRANSFORMER = dict(d_model=128, n_heads=4, n_layers=3, d_ff=512, max_len=40, dropout=0.1, positions="learned")
TOY_MT_GRU = dict(d_model=192, n_layers=1, max_len=40, dropout=0.1)
DIGITS_SIZE = dict(d_model=64, n_heads=4, n_layers=2, d_ff=256, max_len=16, dropout=0.0, positions="learned")
PARALLEL_KINDS = {
    "nat": "Non-autoregressive Transformer (NAT): length head, then every token at once from [MASK]s",
    "cmlm": "Conditional masked LM (CMLM), decoded by mask-predict",
    "ctc": "CTC decoder over the source up-sampled ×2 (blanks, repeats merged)",
}
PARALLEL_DATA = {"raw": "the raw data (random synonyms)", "distilled": "the AR Transformer's translations (distilled)"}
DIGIT_DATA = dict(n_train=20_000, n_test=1_000, seed=3)

RECIPES: dict[str, Recipe] = {
    "toy_mlm": Recipe(
        name="toy_mlm",
        description="BERT-style masked LM on the English side of the toy language (encoder, bidirectional mask)",
        architecture=MaskedLM, model=TOY_LM_SIZE, steps=8000, batch_size=64, lr=2e-3, seed=0, data=TOY_DATA,
    ),
    "toy_clm": Recipe(
        name="toy_clm",
        description="GPT-style causal LM of the same size on the same sentences (decoder, causal mask)",
        architecture=CausalLM, model=TOY_LM_SIZE, steps=8000, batch_size=64, lr=2e-3, seed=0, data=TOY_DATA,
    ),
    "toy_clm_draft": Recipe(
        name="toy_clm_draft",
        description="Small causal LM distilled from toy_clm's next-token distributions on the same sentences: the "
                    "draft model of speculative decoding",
        architecture=CausalLM, model=TOY_DRAFT_SIZE, steps=4000, batch_size=64, lr=3e-3, seed=0, data=TOY_DATA,
        teacher="toy_clm",
    ),
    "toy_transformer_mt": Recipe(
        name="toy_transformer_mt",
        description="Transformer encoder-decoder, toy English→French (bidirectional encoder, causal decoder, cross-attention)",
        architecture=TransformerSeq2Seq, model=TOY_MT_TRANSFORMER, steps=3000, batch_size=64, lr=1e-3, seed=0,
        data=TOY_DATA, task="translation",
    ),
    "toy_gru_mt": Recipe(
        name="toy_gru_mt",
        description="GRU encoder-decoder without attention, same data (the decoder sees the source only as one vector)",
        architecture=RNNSeq2Seq, model=TOY_MT_GRU, steps=3000, batch_size=64, lr=2e-3, seed=0, data=TOY_DATA,
        task="translation",
    ),
    "toy_bahdanau_mt": Recipe(
        name="toy_bahdanau_mt",
        description="GRU encoder-decoder with Bahdanau (additive) attention, same data",
        architecture=BahdanauSeq2Seq, model=TOY_MT_GRU, steps=3000, batch_size=64, lr=2e-3, seed=0, data=TOY_DATA,
        task="translation",
    ),
    **{f"{objective}_{data}": Recipe(
        name=f"{objective}_{data}",
        description=f"{PARALLEL_KINDS[objective]}, trained on {PARALLEL_DATA[data]}",
        architecture=CTCTransformer if objective == "ctc" else NARTransformer,
        model={**TOY_MT_TRANSFORMER, "max_len": 72} if objective == "ctc" else TOY_MT_TRANSFORMER,
        steps=1500 if objective == "ctc" else 3000, batch_size=64, lr=1e-3, seed=0, data=TOY_DATA, task=objective,
        teacher="toy_transformer_mt" if data == "distilled" else None,
    ) for objective in PARALLEL_KINDS for data in ("raw", "distilled")},
    "digits_reverse": Recipe(
        name="digits_reverse", description="Transformer encoder-decoder reversing 3–12 digits (cross-attention: the anti-diagonal)",
        architecture=TransformerSeq2Seq, model=DIGITS_SIZE, steps=4000, batch_size=64, lr=1e-3, seed=0,
        data=DIGIT_DATA, task="digits-reverse",
    ),
    "digits_sort": Recipe(
        name="digits_sort", description="Transformer encoder-decoder sorting 3–12 digits",
        architecture=TransformerSeq2Seq, model=DIGITS_SIZE, steps=1500, batch_size=64, lr=1e-3, seed=0,
        data=DIGIT_DATA, task="digits-sort",
    ),
}

