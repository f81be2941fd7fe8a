"""Running a built-in model's recipe: its vocabulary, data splits and batches (prepare), its untrained model
(build_model), the training run that makes a checkpoint (train_recipe) and the held-out measures stored
beside the weights (evaluate_recipe, reevaluate). The recipes themselves are in recipes.py."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import torch
from torch import nn

from ..data.digits import digit_answer, digit_vocab
from ..data.facts import held_out_combinations
from ..data.glyphs import glyph_labels
from ..data.induction import induction_batches, induction_splits, induction_vocab
from ..data.recall import recall_batches, recall_splits, recall_vocab
from ..data.series import forecast_batches, series_splits
from ..data.speech import speech_vocab
from ..data.text_to_text import t5_splits, t5_vocab
from ..data.toy import check_translation, en_vocab, joint_vocab
from ..data.vocab import Vocab
from ..decoding.parallel import ctc_decode, mask_predict, nat_decode
from ..explain.alignment import ALIGNMENT_PAIRS, alignment_summary
from ..explain.reach import reach_per_step
from ..models.autoencoding import MaskedLM
from ..models.checkpoint import METRICS, Checkpoint, checkpoint_dir, load_builtin
from ..models.layers import ModelConfig
from ..models.seq2seq import TransformerSeq2Seq
from .ablation_evaluation import head_ablation_maps, masked_lm_measures, translator_measures
from .bart_evaluation import evaluate_bart
from .batches import (
    clm_batches,
    clm_distill_batches,
    denoising_batches,
    diffusion_batches,
    electra_batch,
    image_batches,
    mlm_batches,
    pair_batches,
    parallel_batches,
    permutation_batches,
    retro_batches,
    text_to_text_batches,
    unilm_batches,
    vae_batches,
)
from .electra_evaluation import evaluate_electra
from .evaluation import (
    agreement_by_attractors,
    agreement_by_distance,
    evaluate,
    evaluate_diffusion,
    evaluate_translation,
    reverse_alignment,
)
from .forecast_evaluation import evaluate_forecaster
from .fusion_evaluation import (
    evaluate_permutation_lm,
    evaluate_retro,
    evaluate_text_to_text,
    evaluate_unilm,
)
from .image_evaluation import evaluate_classifier, evaluate_generator
from .induction_evaluation import InductionTracker, evaluate_induction
from .loop import CLIP_NORM, Progress, train_loop
from .recall_evaluation import evaluate_recall
from .recipes import RECIPES, Recipe
from .speech_evaluation import evaluate_speech, speech_batches, speech_splits
from .splits import (
    agreement_test_cases,
    digit_splits,
    distilled_splits,
    english_splits,
    glyph_splits,
    retro_splits,
    translation_splits,
)
from .vae_evaluation import evaluate_vae, vae_splits

IMAGE_TASKS = {"pixels": evaluate_generator, "classify": evaluate_classifier}  # how each is measured
PARALLEL_DECODERS = {  # how each objective's model translates a padded batch (B, S)
    "nat": lambda model, src, vocab: nat_decode(model, src, vocab.mask_id).tokens,
    "cmlm": lambda model, src, vocab: mask_predict(model, src, vocab.mask_id, iterations=10).tokens,
    "ctc": lambda model, src, vocab: ctc_decode(model, src).tokens,
}


def prepare(recipe: Recipe) -> tuple[Vocab, dict, Callable]:
    """The recipe's vocabulary, data splits and batch function."""
    if recipe.task in IMAGE_TASKS:
        splits = glyph_splits(**recipe.data)
        return glyph_labels(), splits, image_batches(*splits["train"], recipe.batch_size, recipe.task)
    if recipe.task == "translation":
        vocab, splits = joint_vocab(), translation_splits(**recipe.data)
        return vocab, splits, pair_batches(splits["train"], vocab, recipe.batch_size)
    if recipe.task == "denoise":  # BART: monolingual halves of the training pairs, noised
        vocab, splits = joint_vocab(), translation_splits(**recipe.data)
        return vocab, splits, denoising_batches(splits["train"], vocab, recipe.batch_size)
    if recipe.task == "retro":
        vocab, splits = en_vocab(), retro_splits(recipe.retriever, **recipe.data)
        return vocab, splits, retro_batches(splits["keys"], vocab, recipe.batch_size, held_out_combinations())
    if recipe.task == "t5":
        vocab, splits = t5_vocab(), t5_splits(**recipe.data)
        return vocab, splits, text_to_text_batches(splits["train"], vocab, recipe.batch_size, recipe.objectives)
    if recipe.task == "unilm":
        vocab, splits = joint_vocab(), translation_splits(**recipe.data)
        return vocab, splits, unilm_batches(splits["train"], vocab, recipe.batch_size, recipe.objectives)
    if recipe.task in PARALLEL_DECODERS:
        vocab = joint_vocab()
        splits = (
            distilled_splits(recipe.teacher, **recipe.data) if recipe.teacher else translation_splits(**recipe.data)
        )
        return vocab, splits, parallel_batches(splits["train"], vocab, recipe.batch_size, recipe.task)
    if recipe.task.startswith("digits-"):
        vocab, splits = digit_vocab(), digit_splits(recipe.task.removeprefix("digits-"), **recipe.data)
        return vocab, splits, pair_batches(splits["train"], vocab, recipe.batch_size)
    if recipe.task == "speech":  # generated spectrograms; training draws new utterances at every step
        return speech_vocab(), speech_splits(**recipe.data), speech_batches(recipe.batch_size)
    if recipe.task == "recall":  # four key–value pairs among fillers, a key again: fresh sequences every step
        vocab = recall_vocab()
        return vocab, recall_splits(**recipe.data), recall_batches(vocab, recipe.batch_size)
    if recipe.task == "induction":  # random syllables, a stretch written twice: fresh sequences every step
        vocab = induction_vocab()
        return vocab, induction_splits(**recipe.data), induction_batches(vocab, recipe.batch_size)
    if recipe.task == "forecast":  # generated series, no tokens: an empty vocabulary; fresh series every step
        return Vocab([], specials=()), series_splits(**recipe.data), forecast_batches(recipe.batch_size)
    if recipe.task == "vae":  # short English sentences; word dropout and the KL's weight per step
        vocab, splits = en_vocab(), vae_splits(**recipe.data)
        dropout, anneal = recipe.model.get("word_dropout", 0.0), recipe.model.get("kl_anneal_steps", 0)
        return vocab, splits, vae_batches(splits["train"], vocab, recipe.batch_size, dropout, anneal)
    vocab, splits = en_vocab(), english_splits(**recipe.data)
    if recipe.task == "permutation":
        return vocab, splits, permutation_batches(splits["train"], vocab, recipe.batch_size)
    if recipe.task == "diffusion":
        return vocab, splits, diffusion_batches(splits["train"], vocab, recipe.batch_size)
    if recipe.teacher:
        return (
            vocab,
            splits,
            clm_distill_batches(splits["train"], vocab, recipe.batch_size, load_builtin(recipe.teacher).model),
        )
    if recipe.task == "electra":
        return vocab, splits, mlm_batches(splits["train"], vocab, recipe.batch_size, electra_batch)
    batches = mlm_batches if recipe.architecture is MaskedLM else clm_batches
    return vocab, splits, batches(splits["train"], vocab, recipe.batch_size)


def evaluate_recipe(recipe: Recipe, model, vocab: Vocab, splits: dict) -> dict:
    if recipe.task in IMAGE_TASKS:
        return IMAGE_TASKS[recipe.task](model, splits)
    if recipe.task == "translation":
        metrics = evaluate_translation(model, vocab, splits["test"], check_translation)
        alignment = alignment_summary(model, vocab, splits["test"][:ALIGNMENT_PAIRS])
        if alignment is not None:
            metrics["cross_attention_alignment"] = alignment
        if isinstance(model, TransformerSeq2Seq):
            metrics["head_ablation"] = head_ablation_maps(model, translator_measures(model, vocab, splits["test"]))
        return metrics
    if recipe.task == "denoise":
        return evaluate_bart(model, vocab, splits)
    if recipe.task == "retro":
        return evaluate_retro(model, vocab, splits["keys"], splits["test"])
    if recipe.task == "t5":
        return evaluate_text_to_text(model, vocab, splits["test"])
    if recipe.task == "unilm":
        return evaluate_unilm(model, vocab, splits["test"])
    if recipe.task == "permutation":
        return evaluate_permutation_lm(model, vocab, splits["test"])
    if recipe.task == "diffusion":
        return evaluate_diffusion(model, vocab, splits["test"], lengths_from=splits["train"])
    if recipe.task == "vae":
        return evaluate_vae(model, vocab, splits["test"])
    if recipe.task == "forecast":
        return evaluate_forecaster(model, splits["test"])
    if recipe.task == "induction":  # the whole test split adds the few-shot curves (a subset in training: not)
        whole = len(splits["test"]) == recipe.data["n_test"]
        return evaluate_induction(model, vocab, splits["test"], few_shot=whole)
    if recipe.task == "recall":  # the whole test split adds the gradient's reach (a subset measured in training not)
        whole = all(len(ids) == recipe.data["n_test"] for ids in splits["test"].values())
        return evaluate_recall(model, vocab, splits["test"], untrained_model(recipe.name, vocab) if whole else None)
    if recipe.task == "speech":  # the whole test split adds the rate sweep (its own draws: the test seed + 1)
        whole = len(splits["test"]) == recipe.data["n_test"]
        return evaluate_speech(model, vocab, splits["test"], sweep_seed=recipe.data["seed"] + 1 if whole else None)
    if recipe.task == "electra":
        masked_lm = load_builtin("toy_mlm").model
        return evaluate_electra(model, vocab, splits, recipe.steps, masked_lm, RECIPES["toy_mlm"].steps)
    if recipe.task in PARALLEL_DECODERS:
        return evaluate_translation(model, vocab, splits["test"], check_translation, PARALLEL_DECODERS[recipe.task])
    if recipe.task.startswith("digits-"):
        task = recipe.task.removeprefix("digits-")
        metrics = evaluate_translation(model, vocab, splits["test"], lambda s, out: tuple(out) == digit_answer(task, s))
        if task == "reverse":
            metrics["anti_diagonal_share"] = reverse_alignment(model, vocab, splits["test"][:200])
        return metrics
    metrics = evaluate(model, vocab, splits)
    if recipe.task == "language" and recipe.architecture is not MaskedLM:  # the causal LMs, side by side
        metrics["agreement_by_distance"] = agreement_by_distance(model, vocab, agreement_test_cases())
        metrics["agreement_by_attractors"] = agreement_by_attractors(model, vocab, agreement_test_cases())
        sequences = reach_sequences(vocab, splits["test"])
        metrics["gradient_reach_per_step"] = {
            "initial": reach_per_step(untrained_model(recipe.name, vocab), sequences),
            "trained": reach_per_step(model.eval(), sequences),
            "sentences": len(sequences),
        }
    if type(model) is MaskedLM:  # the masked LM (not its diffusion subclass)
        metrics["head_ablation"] = head_ablation_maps(model, masked_lm_measures(model, vocab, splits["test"]))
    return metrics


REACH_SENTENCES, REACH_MIN_WORDS = 40, 12  # the gradient's reach: the first 40 test sentences of 12+ words


def reach_sequences(vocab: Vocab, sentences) -> list[torch.Tensor]:
    """<bos> w1 .. wn of the first long test sentences: the loss predicting wn reaches back n - 1 steps."""
    long = [s for s in sentences if len(s) >= REACH_MIN_WORDS][:REACH_SENTENCES]
    return [torch.tensor([vocab.bos_id, *vocab.encode(list(s))]) for s in long]


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
    if recipe.task in IMAGE_TASKS or recipe.task == "forecast":  # their own configs, no vocabulary
        return recipe.architecture(recipe.architecture.config_class(**recipe.model))
    if recipe.task == "speech":
        return recipe.architecture(recipe.architecture.config_class(vocab_size=len(vocab), **recipe.model))
    config_class = getattr(recipe.architecture, "config_class", ModelConfig)  # a ModelConfig or an extension
    return recipe.architecture(
        config_class(vocab_size=len(vocab), pad_id=vocab.pad_id, blank_id=vocab.blank_id, **recipe.model)
    )


def untrained_model(name: str, vocab: Vocab) -> nn.Module:
    """A built-in model as its recipe starts it (its seed, before any step), in eval mode, without reseeding
    the caller's generator: a server's other sessions keep their random state."""
    with torch.random.fork_rng(devices=[]):
        return build_model(RECIPES[name], vocab).eval()


def gradient_norm_summary(norms: list[float]) -> dict:
    """The training gradients' norms before clipping: their median and largest, and the share of steps the
    clipping cut (an exploding gradient shows here as a large max)."""
    ordered = sorted(norms)
    return {
        "median": round(ordered[len(ordered) // 2], 4),
        "max": round(ordered[-1], 4),
        "clipped_share": round(sum(n > CLIP_NORM for n in norms) / len(norms), 4),
    }


def train_recipe(
    name: str,
    steps: int | None = None,
    device: torch.device | str = "cpu",
    callback: Callable[[Progress], object] | None = None,
) -> Checkpoint:
    recipe = RECIPES[name]
    vocab, splits, batches = prepare(recipe)
    model = build_model(recipe, vocab)
    grad_norms = []
    # the induction model: its loss on first vs second occurrences along training, and a few snapshots
    tracker = InductionTracker(model, vocab, splits["test"]) if recipe.task == "induction" else None

    def record(progress: Progress):
        grad_norms.append(progress.grad_norm)
        if tracker is not None:
            tracker(progress)
        return callback(progress) if callback is not None else None

    start = time.perf_counter()
    losses = train_loop(model, batches, steps or recipe.steps, recipe.lr, recipe.seed, device, record)
    train_seconds = time.perf_counter() - start
    along, snapshots = tracker.record() if tracker is not None else ({}, {})
    metrics = {
        "split": "test",
        **evaluate_recipe(recipe, model, vocab, splits),
        "steps": len(losses),
        "final_train_loss": round(sum(losses[-50:]) / len(losses[-50:]), 4),
        "gradient_norm": gradient_norm_summary(grad_norms),
        "train_seconds": round(train_seconds, 1),
        "device": str(device),
        "torch_threads": torch.get_num_threads(),
        "parameters": sum(p.numel() for p in model.parameters()),
        **along,
    }
    return Checkpoint(model.cpu(), vocab, metrics, {**recipe.to_dict(), "steps": len(losses)}, snapshots)
