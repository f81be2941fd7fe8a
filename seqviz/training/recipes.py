"""Built-in models: how each is built, fed, trained and measured. One recipe per shipped checkpoint.

A recipe is everything `python -m seqviz.train --model NAME` needs to reproduce a checkpoint from scratch
with a fixed seed: the data (generated, never downloaded), the model size, the steps, and the held-out
evaluation whose numbers are stored beside the weights.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import torch
from torch import nn

from ..data.digits import digit_answer, digit_vocab
from ..data.facts import held_out_combinations
from ..data.glyphs import glyph_labels
from ..data.text_to_text import t5_splits, t5_vocab
from ..data.toy import check_translation, en_vocab, joint_vocab
from ..data.vocab import Vocab
from ..decoding.parallel import ctc_decode, mask_predict, nat_decode
from ..explain.alignment import ALIGNMENT_PAIRS, alignment_summary
from ..explain.reach import reach_per_step
from ..models.autoencoding import MaskedLM
from ..models.autoregressive import CausalLM
from ..models.checkpoint import METRICS, Checkpoint, checkpoint_dir, load_builtin
from ..models.diffusion import MaskedDiffusionLM
from ..models.layers import ModelConfig
from ..models.nonautoregressive import CTCTransformer, NARTransformer
from ..models.pixelcnn import GlyphClassifier, OneShotPixels, PixelCNN
from ..models.recurrent import GRULM, LSTMLM, TanhRNNLM
from ..models.retro import RetroLM
from ..models.seq2seq import BahdanauSeq2Seq, RNNSeq2Seq, TransformerSeq2Seq
from ..models.unilm import N_SEGMENTS, UniLM
from ..models.xlnet import PermutationLM
from .ablation_evaluation import head_ablation_maps, masked_lm_measures, translator_measures
from .batches import (
    clm_batches,
    clm_distill_batches,
    diffusion_batches,
    image_batches,
    mlm_batches,
    pair_batches,
    parallel_batches,
    permutation_batches,
    retro_batches,
    text_to_text_batches,
    unilm_batches,
)
from .evaluation import (
    agreement_by_attractors,
    agreement_by_distance,
    evaluate,
    evaluate_diffusion,
    evaluate_translation,
    reverse_alignment,
)
from .fusion_evaluation import (
    evaluate_permutation_lm,
    evaluate_retro,
    evaluate_text_to_text,
    evaluate_unilm,
)
from .image_evaluation import evaluate_classifier, evaluate_generator
from .loop import CLIP_NORM, Progress, train_loop
from .splits import (
    GLYPH_DATA,
    TOY_DATA,
    agreement_test_cases,
    digit_splits,
    distilled_splits,
    english_splits,
    glyph_splits,
    retro_splits,
    translation_splits,
)


@dataclass(frozen=True)
class Recipe:
    name: str
    description: str
    architecture: type
    model: dict  # the architecture's config fields (ModelConfig's other than vocab_size, or ImageConfig's)
    steps: int
    batch_size: int
    lr: float
    seed: int
    data: dict = field(default_factory=dict)  # arguments of the data generator
    # language (English sentences), translation, nat, cmlm, ctc (toy English→French), digits-TASK, unilm,
    # permutation (XLNet), t5, retro, diffusion (masked diffusion LM), pixels (an image generator given the
    # digit), classify (the digit given the image)
    task: str = "language"
    teacher: str | None = None  # distillation: its translations replace the targets (translation), or its
    # next-token distributions do (a causal LM)
    objectives: dict = field(default_factory=dict)  # joint training (UniLM): the share of batches per mode
    retriever: str | None = None  # RETRO: the frozen built-in encoder whose states are the datastore's keys

    def to_dict(self) -> dict:
        d = asdict(self)
        d["architecture"] = self.architecture.__name__
        return d


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
    if recipe.task in IMAGE_TASKS:
        return recipe.architecture(recipe.architecture.config_class(**recipe.model))
    return recipe.architecture(
        ModelConfig(vocab_size=len(vocab), pad_id=vocab.pad_id, blank_id=vocab.blank_id, **recipe.model)
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

    def record(progress: Progress):
        grad_norms.append(progress.grad_norm)
        return callback(progress) if callback is not None else None

    start = time.perf_counter()
    losses = train_loop(model, batches, steps or recipe.steps, recipe.lr, recipe.seed, device, record)
    train_seconds = time.perf_counter() - start
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
    }
    return Checkpoint(model.cpu(), vocab, metrics, {**recipe.to_dict(), "steps": len(losses)})


TOY_LM_SIZE = dict(d_model=128, n_heads=4, n_layers=4, d_ff=512, max_len=48, dropout=0.1, positions="learned")
# the draft of speculative decoding: ~1/4 of toy_clm's depth and half its width, same vocabulary and data
TOY_DRAFT_SIZE = dict(d_model=64, n_heads=2, n_layers=1, d_ff=256, max_len=48, dropout=0.1, positions="learned")
# the recurrent LMs: two layers each, as wide as gives toy_clm's ~0.82 M parameters (a tanh RNN layer has
# 2·D² recurrent weights, a GRU 6·D², an LSTM 8·D²)
RECURRENT_WIDTHS = {"toy_rnn_lm": 432, "toy_gru_lm": 256, "toy_lstm_lm": 224}
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
# toy_mlm's size, with room for <bos> English [SEP] French <eos> (up to 73 tokens) and UniLM's segments
TOY_UNILM_SIZE = {**TOY_LM_SIZE, "max_len": 76, "n_segments": N_SEGMENTS}
UNILM_OBJECTIVES = {"bidirectional": 0.3, "causal": 0.3, "seq2seq": 0.4}  # translation is the hardest
RETRO_SIZE = dict(d_model=128, n_heads=4, n_layers=2, d_ff=256, max_len=16, dropout=0.1, positions="learned")
# T5's mixture: the share of batches per task prefix (span filling is the hardest, the digits the easiest)
PIXELCNN_SIZE = dict(size=16, n_classes=10, channels=64, n_layers=6, first_kernel=7)
ONE_SHOT_SIZE = dict(size=16, n_classes=10, hidden=256)
CLASSIFIER_SIZE = dict(size=16, n_classes=10, channels=16, hidden=64)
T5_OBJECTIVES = {"translate": 0.25, "fill": 0.45, "number": 0.1, "reverse": 0.1, "sort": 0.1}

RECIPES: dict[str, Recipe] = {
    "toy_mlm": Recipe(
        name="toy_mlm",
        description="BERT-style masked LM on the English side of the toy language (encoder, bidirectional mask)",
        architecture=MaskedLM,
        model=TOY_LM_SIZE,
        steps=8000,
        batch_size=64,
        lr=2e-3,
        seed=0,
        data=TOY_DATA,
    ),
    "toy_clm": Recipe(
        name="toy_clm",
        description="GPT-style causal LM of the same size on the same sentences (decoder, causal mask)",
        architecture=CausalLM,
        model=TOY_LM_SIZE,
        steps=8000,
        batch_size=64,
        lr=2e-3,
        seed=0,
        data=TOY_DATA,
    ),
    "toy_clm_draft": Recipe(
        name="toy_clm_draft",
        description="Small causal LM distilled from toy_clm's next-token distributions on the same sentences: the "
        "draft model of speculative decoding",
        architecture=CausalLM,
        model=TOY_DRAFT_SIZE,
        steps=4000,
        batch_size=64,
        lr=3e-3,
        seed=0,
        data=TOY_DATA,
        teacher="toy_clm",
    ),
    **{
        name: Recipe(
            name=name,
            description=f"{kind} causal LM on toy_clm's sentences, of about its parameter count: two layers, "
            "one state per layer carried from word to word instead of attention",
            architecture=architecture,
            model=dict(d_model=RECURRENT_WIDTHS[name], n_layers=2, dropout=0.1, max_len=48),
            steps=8000,
            batch_size=64,
            lr=2e-3,
            seed=0,
            data=TOY_DATA,
        )
        for name, kind, architecture in (
            ("toy_rnn_lm", "Plain (tanh) RNN", TanhRNNLM),
            ("toy_lstm_lm", "LSTM", LSTMLM),
            ("toy_gru_lm", "GRU", GRULM),
        )
    },
    "toy_transformer_mt": Recipe(
        name="toy_transformer_mt",
        description="Transformer encoder-decoder, toy English→French (bidirectional encoder, causal decoder, "
        "cross-attention)",
        architecture=TransformerSeq2Seq,
        model=TOY_MT_TRANSFORMER,
        steps=3000,
        batch_size=64,
        lr=1e-3,
        seed=0,
        data=TOY_DATA,
        task="translation",
    ),
    "toy_gru_mt": Recipe(
        name="toy_gru_mt",
        description="GRU encoder-decoder without attention, same data (the decoder sees the source only as one vector)",
        architecture=RNNSeq2Seq,
        model=TOY_MT_GRU,
        steps=3000,
        batch_size=64,
        lr=2e-3,
        seed=0,
        data=TOY_DATA,
        task="translation",
    ),
    "toy_bahdanau_mt": Recipe(
        name="toy_bahdanau_mt",
        description="GRU encoder-decoder with Bahdanau (additive) attention, same data",
        architecture=BahdanauSeq2Seq,
        model=TOY_MT_GRU,
        steps=3000,
        batch_size=64,
        lr=2e-3,
        seed=0,
        data=TOY_DATA,
        task="translation",
    ),
    **{
        f"{objective}_{data}": Recipe(
            name=f"{objective}_{data}",
            description=f"{PARALLEL_KINDS[objective]}, trained on {PARALLEL_DATA[data]}",
            architecture=CTCTransformer if objective == "ctc" else NARTransformer,
            model={**TOY_MT_TRANSFORMER, "max_len": 72} if objective == "ctc" else TOY_MT_TRANSFORMER,
            steps=1500 if objective == "ctc" else 3000,
            batch_size=64,
            lr=1e-3,
            seed=0,
            data=TOY_DATA,
            task=objective,
            teacher="toy_transformer_mt" if data == "distilled" else None,
        )
        for objective in PARALLEL_KINDS
        for data in ("raw", "distilled")
    },
    "toy_diffusion": Recipe(
        name="toy_diffusion",
        description="Masked diffusion LM (MDLM/LLaDA) on the English sentences: toy_mlm's network, each sentence "
        "masked at a random noise level t and the loss weighted by 1/t, so it writes sentences from all [MASK]",
        architecture=MaskedDiffusionLM,
        model=TOY_LM_SIZE,
        steps=16000,
        batch_size=64,
        lr=2e-3,
        seed=0,
        data=TOY_DATA,
        task="diffusion",
    ),
    "toy_unilm": Recipe(
        name="toy_unilm",
        description="UniLM: one Transformer trained at once as a masked LM and a causal LM on English and as a "
        "prefix-LM translator English→French; its mask and segments say which",
        architecture=UniLM,
        model=TOY_UNILM_SIZE,
        steps=9000,
        batch_size=64,
        lr=1.5e-3,
        seed=0,
        data=TOY_DATA,
        task="unilm",
        objectives=UNILM_OBJECTIVES,
    ),
    "toy_xlnet": Recipe(
        name="toy_xlnet",
        description="XLNet-style permutation LM with two-stream attention on the English sentences: each word "
        "predicted from the words before it in a random order, the last third of each order scored",
        architecture=PermutationLM,
        model=TOY_LM_SIZE,
        steps=6000,
        batch_size=64,
        lr=2e-3,
        seed=0,
        data=TOY_DATA,
        task="permutation",
    ),
    "toy_t5": Recipe(
        name="toy_t5",
        description="T5-style text-to-text: one Transformer encoder-decoder for five tasks told apart only by "
        "a text prefix (translate, reverse, sort, fill spans, number)",
        architecture=TransformerSeq2Seq,
        model=TOY_MT_TRANSFORMER,
        steps=14000,
        batch_size=64,
        lr=1e-3,
        seed=0,
        data=TOY_DATA,
        task="t5",
        objectives=T5_OBJECTIVES,
    ),
    "toy_retro": Recipe(
        name="toy_retro",
        description="RETRO-style retrieval: a causal decoder cross-attending to the 4 chunks toy_mlm's mean-pooled "
        "states find in a datastore of facts (where each animal is), answering questions only the datastore holds",
        architecture=RetroLM,
        model=RETRO_SIZE,
        steps=3000,
        batch_size=64,
        lr=1e-3,
        seed=0,
        data=dict(n_distractors=2000, n_test=500, seed=13),
        task="retro",
        retriever="toy_mlm",
    ),
    "glyph_classifier": Recipe(
        name="glyph_classifier",
        description="Small CNN naming the digit of a generated 16×16 glyph: the judge of what the image "
        "generators drew",
        architecture=GlyphClassifier,
        model=CLASSIFIER_SIZE,
        steps=3000,
        batch_size=64,
        lr=2e-3,
        seed=0,
        data=GLYPH_DATA,
        task="classify",
    ),
    "toy_pixelcnn": Recipe(
        name="toy_pixelcnn",
        description="PixelCNN drawing a digit's 16×16 glyph one pixel at a time in raster order (type-A "
        "masked convolution, then plain type-B residual layers; the digit added everywhere)",
        architecture=PixelCNN,
        model=PIXELCNN_SIZE,
        steps=12000,
        batch_size=64,
        lr=2e-3,
        seed=0,
        data=GLYPH_DATA,
        task="pixels",
    ),
    "pixels_one_shot": Recipe(
        name="pixels_one_shot",
        description="PixelCNN's rival: every pixel's probability of ink from the digit alone in one pass, "
        "the pixels sampled independently",
        architecture=OneShotPixels,
        model=ONE_SHOT_SIZE,
        steps=3000,
        batch_size=64,
        lr=2e-3,
        seed=0,
        data=GLYPH_DATA,
        task="pixels",
    ),
    "digits_reverse": Recipe(
        name="digits_reverse",
        description="Transformer encoder-decoder reversing 3–12 digits (cross-attention: the anti-diagonal)",
        architecture=TransformerSeq2Seq,
        model=DIGITS_SIZE,
        steps=4000,
        batch_size=64,
        lr=1e-3,
        seed=0,
        data=DIGIT_DATA,
        task="digits-reverse",
    ),
    "digits_sort": Recipe(
        name="digits_sort",
        description="Transformer encoder-decoder sorting 3–12 digits",
        architecture=TransformerSeq2Seq,
        model=DIGITS_SIZE,
        steps=1500,
        batch_size=64,
        lr=1e-3,
        seed=0,
        data=DIGIT_DATA,
        task="digits-sort",
    ),
}
