"""BART's held-out measures, as stored in its metrics.json: how well it rewrites noised sentences, and what
its pre-training buys when it is fine-tuned to translate from a few pairs.

- Reconstruction: held-out sentences (the test split, English and French apart), each noised by one noise
  (seeded), decoded greedily; exact match with the original per noise, and for English the share the
  grammar accepts (a wrong reconstruction may still be a sentence of the language).
- Fine-tuning: the pre-trained network and the same network freshly initialised (seeded), each trained on the
  same n English→French pairs with the same steps, learning rate and batches; exact match of their greedy
  translations on held-out pairs (the checker accepts every valid translation), for each n.
"""

from __future__ import annotations

import copy
import random

import torch

from ..data.toy import check_translation, is_grammatical, valid_fills
from ..data.vocab import Vocab
from ..decoding.seq2seq import translate_all
from ..models.bart import NOISES, explains, noise
from .batches import pair_batches
from .evaluation import LENGTH_BUCKETS, bucket_label, evaluate_translation, model_device
from .loop import train_loop

RECONSTRUCTION_SENTENCES = 500  # held-out sentences per language, each noised once per noise
NOISE_SEED = 0
FINETUNE_SIZES = (100, 300, 1000)  # translation pairs the fine-tuning sees
FINETUNE = dict(steps=500, batch_size=32, lr=1e-3, seed=0)  # the same for the pre-trained and the fresh network
FINETUNE_TEST_PAIRS = 300


def noised_sentences(vocab: Vocab, sentences, name: str, seed: int = NOISE_SEED) -> list[list[str]]:
    """Each sentence noised by `name`, seeded (one generator per noise, so each list is reproducible alone)."""
    rng = random.Random(f"{name}-{seed}")
    return [vocab.decode(noise(name, vocab.encode(s), rng).ids) for s in sentences]


def same(a, b) -> bool:
    return tuple(a) == tuple(b)


def reconstruction(model, vocab: Vocab, sentences, name: str, grammar: bool, seed: int = NOISE_SEED) -> dict:
    """Greedy reconstructions of the sentences noised by `name`: exact match; with grammar (English only) the
    share the toy grammar accepts and the share that is right up to what the noise destroyed (grammatical and
    explaining the input: e.g. another adjective where one was masked), also by sentence length; for masking,
    the share of sentences whose every masked word is the only grammatical fill (given the others): how rarely
    exact match is even possible to guarantee. unchanged_input: the share of noised inputs equal to the
    original (a local shuffle may move nothing)."""
    sources = noised_sentences(vocab, sentences, name, seed)
    outputs = translate_all(model, vocab, sources)
    n = len(sentences)
    measured = {
        "exact_match": round(sum(map(same, outputs, sentences)) / n, 4),
        "unchanged_input": round(sum(map(same, sources, sentences)) / n, 4),
    }
    if grammar:
        measured["grammatical"] = round(sum(map(is_grammatical, outputs)) / n, 4)
        right = [
            is_grammatical(out) and explains(name, out, src, vocab.token(vocab.mask_id))
            for out, src in zip(outputs, sources, strict=True)
        ]
        measured["grammatical_and_explains_input"] = round(sum(right) / n, 4)
        by_length = {}
        for low, high in LENGTH_BUCKETS:
            inside = [ok for ok, s in zip(right, sentences, strict=True) if low <= len(s) <= high]
            if inside:
                by_length[bucket_label(low, high)] = {"n": len(inside), "share": round(sum(inside) / len(inside), 4)}
        measured["grammatical_and_explains_input_by_length"] = by_length
        if name == "mask":
            determined = [
                all(valid_fills(s, i) == [s[i]] for i, token in enumerate(src) if token == vocab.token(vocab.mask_id))
                for s, src in zip(sentences, sources, strict=True)
            ]
            measured["masked_words_determined"] = round(sum(determined) / n, 4)
    return measured


def evaluate_reconstruction(model, vocab: Vocab, pairs, n: int = RECONSTRUCTION_SENTENCES) -> dict:
    """Per noise, the reconstruction measures on the English and on the French sides of n held-out pairs."""
    english, french = [s for s, _ in pairs[:n]], [t for _, t in pairs[:n]]
    return {
        "english": {name: reconstruction(model, vocab, english, name, grammar=True) for name in NOISES},
        "french": {name: reconstruction(model, vocab, french, name, grammar=False) for name in NOISES},
        "sentences_per_language": len(english),
    }


def fresh_copy(model, seed: int):
    """The same architecture and size, freshly initialised with this seed (the caller's random state kept)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return type(model)(model.config).to(model_device(model))


def finetune_translation(model, vocab: Vocab, pairs, steps: int, batch_size: int, lr: float, seed: int):
    """A copy of the model trained on these English→French pairs (the model itself is not changed)."""
    tuned = copy.deepcopy(model)
    train_loop(tuned, pair_batches(pairs, vocab, batch_size), steps, lr, seed, model_device(model))
    return tuned.eval()


def finetune_pairs(pairs, n: int, seed: int) -> list:
    """n training pairs, seeded; a smaller n's pairs are the start of a larger n's."""
    return random.Random(seed).sample(list(pairs), max(FINETUNE_SIZES))[:n]


def pretraining_benefit(
    model, vocab: Vocab, train_pairs, test_pairs, sizes=FINETUNE_SIZES, settings: dict = FINETUNE
) -> dict:
    """Exact match of the pre-trained and of a fresh network, each fine-tuned on the same n pairs."""
    fresh = fresh_copy(model, settings["seed"])
    curve = {}
    for n in sizes:
        chosen = finetune_pairs(train_pairs, n, settings["seed"])
        curve[str(n)] = {
            start: evaluate_translation(
                finetune_translation(network, vocab, chosen, **settings), vocab, test_pairs, check_translation
            )["exact_match"]
            for start, network in (("pretrained", model), ("scratch", fresh))
        }
    return {"by_pairs": curve, **settings, "test_pairs": len(test_pairs)}


def evaluate_bart(model, vocab: Vocab, splits: dict) -> dict:
    """Everything stored with the BART checkpoint."""
    return {
        "reconstruction": evaluate_reconstruction(model, vocab, splits["test"]),
        "finetune_translation": pretraining_benefit(
            model, vocab, splits["train"], splits["test"][:FINETUNE_TEST_PAIRS]
        ),
    }
