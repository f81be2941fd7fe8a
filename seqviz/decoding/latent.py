"""Decoding a sentence VAE (models/vae.py): from a point z of its latent space back to words.

Every sentence here is written greedily from one z, so the same z always gives the same sentence:
- `reconstruct`: a sentence -> its posterior mean μ -> a sentence (what the code kept of it);
- `interpolate`: the points on the straight line between two sentences' μ, each decoded (a smooth latent
  space passes through sentences that are still sentences);
- `sample_prior`: z drawn from the prior N(0, I), which is where a VAE's codes were pushed to live and an
  autoencoder's were not;
- `latent_steps`: one z decoded one word per call, with each step's distribution (a page's "next" button).

The model is only read: the recurrent state lives in a cache made inside each call.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import torch

from ..data.vocab import Vocab
from ..models.inputs import pad_rows
from .autoregressive import StepRecord, generate_steps


@dataclass(frozen=True)
class Decoded:
    words: tuple[str, ...]  # without <bos> and <eos>
    ended: bool  # the decoder wrote <eos> itself (False: it ran into the length limit)


def _device(model) -> torch.device:
    return next(model.parameters()).device


def _as_code(model, z: torch.Tensor) -> torch.Tensor:
    """z on the model's device, in its dtype."""
    weight = next(model.parameters())
    return z.to(weight.device, weight.dtype)


@torch.no_grad()
def encode_sentences(
    model, vocab: Vocab, sentences: Sequence[Sequence[str]], batch_size: int = 256
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """The posterior of each sentence: μ (N, Z) and log σ² (N, Z) (None for a plain autoencoder), on the CPU."""
    mus, logvars = [], []
    for start in range(0, len(sentences), batch_size):
        rows = [vocab.encode(list(s)) for s in sentences[start : start + batch_size]]
        mu, logvar = model.encode(pad_rows(rows, vocab.pad_id).to(_device(model)))  # (b, Z) each
        mus.append(mu.cpu())
        logvars.append(None if logvar is None else logvar.cpu())
    if not mus:
        return torch.zeros(0, model.config.latent), None
    return torch.cat(mus), None if logvars[0] is None else torch.cat(logvars)


@torch.no_grad()
def greedy_from_latent(model, z: torch.Tensor, bos_id: int, eos_id: int, max_new_tokens: int | None = None):
    """Greedy sentences from codes z (N, Z), all rows decoded together with one recurrent state.
    -> (token ids per row, without <eos>; whether each row wrote <eos>)"""
    z = _as_code(model, z)
    decoder, n = model.decoder(z), z.size(0)
    cache = decoder.new_cache()
    feed = torch.full((n, 1), bos_id, dtype=torch.long, device=z.device)  # (N, 1)
    finished = torch.zeros(n, dtype=torch.bool, device=z.device)
    tokens: list[list[int]] = [[] for _ in range(n)]
    for _ in range(max_new_tokens or model.config.max_len - 1):
        scores = decoder(feed, cache=cache).logits[:, -1]  # (N, V)
        scores[:, model.config.pad_id] = float("-inf")  # padding is never text
        chosen = scores.argmax(-1)  # (N,)
        for row in (~finished & (chosen != eos_id)).nonzero()[:, 0].tolist():
            tokens[row].append(int(chosen[row]))
        finished |= chosen == eos_id
        if finished.all():
            break
        feed = chosen[:, None]
    return tokens, finished.tolist()


def decode_latent(model, vocab: Vocab, z: torch.Tensor, batch_size: int = 256) -> list[Decoded]:
    """The greedy sentence of each code z (N, Z)."""
    out = []
    for start in range(0, z.size(0), batch_size):
        tokens, ended = greedy_from_latent(model, z[start : start + batch_size], vocab.bos_id, vocab.eos_id)
        out += [Decoded(tuple(vocab.decode(t)), e) for t, e in zip(tokens, ended, strict=True)]
    return out


def reconstruct(model, vocab: Vocab, sentences: Sequence[Sequence[str]]) -> list[Decoded]:
    """Each sentence encoded to its μ and decoded greedily from it."""
    mu, _ = encode_sentences(model, vocab, sentences)
    return decode_latent(model, vocab, mu)


def interpolation_codes(start: torch.Tensor, end: torch.Tensor, points: int) -> torch.Tensor:
    """`points` evenly spaced codes on the segment from start (Z,) to end (Z,), both included. -> (points, Z)"""
    t = torch.linspace(0.0, 1.0, points)[:, None]  # (P, 1)
    return (1 - t) * start[None] + t * end[None]


def interpolate(model, vocab: Vocab, a: Sequence[str], b: Sequence[str], points: int = 8) -> list[Decoded]:
    """The sentences along the line from a's μ to b's μ (`points` of them, the two ends included)."""
    mu, _ = encode_sentences(model, vocab, [a, b])
    return decode_latent(model, vocab, interpolation_codes(mu[0], mu[1], points))


def prior_codes(n: int, latent: int, seed: int = 0) -> torch.Tensor:
    """n codes drawn from the prior N(0, I), seeded. -> (n, Z)"""
    return torch.randn(n, latent, generator=torch.Generator().manual_seed(seed))


def sample_prior(model, vocab: Vocab, n: int, seed: int = 0) -> list[Decoded]:
    """n sentences decoded greedily from z ~ N(0, I)."""
    return decode_latent(model, vocab, prior_codes(n, model.config.latent, seed))


def latent_steps(model, vocab: Vocab, z: torch.Tensor, **options) -> Iterator[StepRecord]:
    """One code z (Z,) decoded one word per step from <bos> (greedy unless options say otherwise: they are
    generate_steps' processors, greedy, generator)."""
    z = _as_code(model, z)
    prompt = torch.tensor([vocab.bos_id], device=z.device)
    yield from generate_steps(model.decoder(z[None]), prompt, model.config.max_len - 1, eos_id=vocab.eos_id, **options)
