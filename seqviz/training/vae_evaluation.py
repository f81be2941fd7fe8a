"""The sentence VAE's data and held-out measurements (models/vae.py, decoding/latent.py).

Data: the toy language's English sentences of at most `max_words` words (the recipes use 10; about a quarter
of the toy sentences are that short). A sentence of 10 words or fewer fits a 16-dimensional code well enough
for the plain autoencoder to write most held-out ones back word for word (toy_ae: 82%), and a latent map or
an interpolation of such sentences stays readable on a page; the toy language's longer sentences (up to 35
words) would turn reconstruction into a test of how much one vector can hold, which the seq2seq page
already shows (the GRU translator without attention).

Measures, all on held-out (test split) short sentences, with z = μ unless said:
- reconstruction: −log p(x|μ) per sentence (nats) and per token (as a perplexity), and how often the greedy
  sentence from μ is the sentence itself;
- the cost of the code: KL(q(z|x) ‖ N(0, I)) per sentence and per dimension, the bound −ELBO on −log p(x)
  (one z drawn per sentence), and the active units (Burda et al. 2016): dimension d is active when
  Var_x(E_q[z_d|x]) > 0.01 (a fixed bar: a collapsed dimension whose μ wanders by 0.1 around 0 while its σ
  stays 1 passes it, and carries almost nothing, which its share of the KL shows);
- does the decoder use z: −log p(x|z) with the sentence's own μ against another sentence's μ (after
  posterior collapse the two are equal);
- the latent space between the codes: the share of greedy sentences from z ~ N(0, I) that the grammar
  accepts, and the same along straight lines between two sentences' μ.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from ..data.toy import is_grammatical, subject_number
from ..data.vocab import Vocab
from ..decoding.latent import Decoded, decode_latent, encode_sentences, interpolation_codes, prior_codes
from ..models.inputs import encode_clm
from ..models.vae import kl_divergence
from .splits import english_splits

ACTIVE_THRESHOLD = 0.01  # Burda et al.'s bar on Var_x(E_q[z_d|x])
PRIOR_SAMPLES = 200
INTERPOLATION_PAIRS, INTERPOLATION_POINTS = 50, 8  # 8 points from one μ to the other, both ends included


def short_sentences(sentences, max_words: int) -> list[tuple[str, ...]]:
    return [s for s in sentences if len(s) <= max_words]


def vae_splits(max_words: int, **data) -> dict[str, list[tuple[str, ...]]]:
    """english_splits(**data), every split cut down to its sentences of at most max_words words."""
    return {name: short_sentences(split, max_words) for name, split in english_splits(**data).items()}


def _device(model) -> torch.device:
    return next(model.parameters()).device


@torch.no_grad()
def sentence_nlls(model, vocab: Vocab, sentences, z: torch.Tensor | None = None, batch_size: int = 256):
    """−log p(x|z) per sentence (N,) with z (N, Z) given, or z = μ (the model in eval mode), and the number
    of tokens each predicts (its words and <eos>)."""
    model.eval()
    nlls = []
    for start in range(0, len(sentences), batch_size):
        chunk = sentences[start : start + batch_size]
        words = encode_clm(chunk, vocab).to(_device(model))  # (b, T) <bos> w <eos>
        ids = words[:, 1:].masked_fill(words[:, 1:] == vocab.eos_id, vocab.pad_id)  # (b, T-1) the words only
        codes = None if z is None else z[start : start + batch_size].to(words.device)
        nlls.append(model(ids, words, words, z=codes).reconstruction)  # (b,)
    tokens = torch.tensor([len(s) + 1 for s in sentences], dtype=torch.float)
    return torch.cat(nlls).cpu(), tokens


@torch.no_grad()
def elbo_terms(model, vocab: Vocab, sentences, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """−log p(x|z) with one z ~ q(z|x) per sentence (seeded), and KL per sentence. -> (N,), (N,)"""
    mu, logvar = encode_sentences(model, vocab, sentences)
    noise = torch.randn(mu.shape, generator=torch.Generator().manual_seed(seed))
    z = mu + torch.exp(0.5 * logvar) * noise  # (N, Z)
    reconstruction, _ = sentence_nlls(model, vocab, sentences, z)
    return reconstruction, kl_divergence(mu, logvar)


def active_units(mu: torch.Tensor, threshold: float = ACTIVE_THRESHOLD) -> tuple[int, list[float]]:
    """The dimensions whose posterior mean varies across sentences: Var_x(μ_d) (N, Z) -> (count, variances)."""
    variance = mu.var(0, correction=0)  # (Z,)
    return int((variance > threshold).sum()), [round(float(v), 4) for v in variance]


def accepted(decoded: Decoded) -> bool:
    return decoded.ended and is_grammatical(list(decoded.words))


def words_kept(sentences, decoded: Sequence[Decoded]) -> float:
    """The share of the sentences' words (counted with repeats) that their decoded sentences contain too."""
    kept = sum(sum((Counter(s) & Counter(d.words)).values()) for s, d in zip(sentences, decoded, strict=True))
    return round(kept / max(1, sum(map(len, sentences))), 4)


def same_labels(sentences, decoded: Sequence[Decoded]) -> dict[str, float]:
    """For each label the grammar knows (sentence_labels), the share of sentences whose decoded sentence has
    the same value: what a code keeps of a sentence when it does not keep all of it."""
    pairs = [(sentence_labels(s), sentence_labels(d.words)) for s, d in zip(sentences, decoded, strict=True)]
    keys = ("subject_number", "length", "negation", "relative_clause", "coordination", "first_word")
    return {key: round(sum(a[key] == b[key] for a, b in pairs) / max(1, len(pairs)), 4) for key in keys}


def derangement(n: int, seed: int) -> torch.Tensor:
    """Indices that send every row to another row (a random cycle), seeded. -> (n,)"""
    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    other = torch.empty(n, dtype=torch.long)
    other[order] = order.roll(-1)
    return other


def interpolation_walks(model, vocab: Vocab, sentences, pairs: int, points: int, seed: int = 0) -> list[list[Decoded]]:
    """`pairs` walks between the μ of two different held-out sentences (seeded), each `points` greedy
    sentences from one end to the other."""
    distinct = sorted(set(map(tuple, sentences)))
    chosen = [random.Random(seed + i).sample(distinct, 2) for i in range(pairs)]
    mu, _ = encode_sentences(model, vocab, [s for pair in chosen for s in pair])  # (2·pairs, Z)
    codes = torch.cat([interpolation_codes(mu[2 * i], mu[2 * i + 1], points) for i in range(pairs)])
    decoded = decode_latent(model, vocab, codes)
    return [decoded[i * points : (i + 1) * points] for i in range(pairs)]


@torch.no_grad()
def evaluate_vae(
    model,
    vocab: Vocab,
    sentences,
    prior_samples: int = PRIOR_SAMPLES,
    pairs: int = INTERPOLATION_PAIRS,
    points: int = INTERPOLATION_POINTS,
    seed: int = 0,
) -> dict:
    """The held-out measures of a sentence VAE or autoencoder (see the module's docstring)."""
    model.eval()
    sentences = [tuple(s) for s in sentences]
    mu, logvar = encode_sentences(model, vocab, sentences)
    own, tokens = sentence_nlls(model, vocab, sentences, mu)
    other, _ = sentence_nlls(model, vocab, sentences, mu[derangement(len(sentences), seed)])
    rebuilt = decode_latent(model, vocab, mu)
    count, variances = active_units(mu)
    metrics = {
        "heldout_sentences": len(sentences),
        "reconstruction_nll": round(float(own.mean()), 4),
        "perplexity_given_mu": round(math.exp(float(own.sum() / tokens.sum())), 4),
        "exact_match": round(
            sum(d.ended and d.words == s for d, s in zip(rebuilt, sentences, strict=True)) / len(sentences), 4
        ),
        "reconstruction_grammatical": round(sum(map(accepted, rebuilt)) / len(sentences), 4),
        "reconstruction_words_kept": words_kept(sentences, rebuilt),
        "reconstruction_same": same_labels(sentences, rebuilt),
        "kl": None,
        "nll_bound": None,
        "kl_per_dimension": None,
        "active_units": count,
        "latent": int(mu.size(1)),
        "mu_variance": variances,
        "nll_own_z": round(float(own.mean()), 4),
        "nll_other_z": round(float(other.mean()), 4),
        "z_gap": round(float((other - own).mean()), 4),
    }
    if logvar is not None:
        sampled, kl = elbo_terms(model, vocab, sentences, seed)
        metrics["kl"] = round(float(kl.mean()), 4)
        metrics["nll_bound"] = round(float((sampled + kl).mean()), 4)
        per_dimension = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).mean(0)  # (Z,): the KL summed over d
        metrics["kl_per_dimension"] = [round(float(k), 4) for k in per_dimension]
    samples = decode_latent(model, vocab, prior_codes(prior_samples, int(mu.size(1)), seed))
    metrics["prior_samples"] = prior_samples
    metrics["prior_grammatical"] = round(sum(map(accepted, samples)) / prior_samples, 4)
    metrics["prior_distinct"] = len({d.words for d in samples})
    walks = interpolation_walks(model, vocab, sentences, pairs, points, seed)
    inside = [d for walk in walks for d in walk[1:-1]]  # the ends are reconstructions: left out
    metrics["interpolation_pairs"], metrics["interpolation_points"] = pairs, points
    metrics["interpolation_grammatical"] = round(sum(map(accepted, inside)) / len(inside), 4)
    metrics["interpolation_distinct_per_walk"] = round(sum(len({d.words for d in w}) for w in walks) / pairs, 3)
    return metrics


# ---- the latent map ---------------------------------------------------------------------------------------


@dataclass
class LatentMap:
    mu: np.ndarray  # (N, Z): each sentence's posterior mean
    labels: dict[str, list]  # what the grammar knows of each sentence, one list of N values per label


def sentence_labels(sentence: Sequence[str]) -> dict:
    """Properties of a toy sentence the latent map can be coloured by."""
    words = list(sentence)
    return {
        "subject_number": subject_number(words),  # "sg", "pl" or None
        "length": len(words),
        "negation": "not" in words,
        "relative_clause": "that" in words,
        "coordination": "and" in words,
        "first_word": words[0] if words else None,
    }


def latent_map(model, vocab: Vocab, sentences: Sequence[Sequence[str]]) -> LatentMap:
    """μ of each sentence with the grammar's labels of it (the page projects μ to 2-D and colours it)."""
    mu, _ = encode_sentences(model, vocab, sentences)
    rows = [sentence_labels(s) for s in sentences]
    labels = {key: [row[key] for row in rows] for key in (rows[0] if rows else sentence_labels(["the"]))}
    return LatentMap(mu.numpy(), labels)
