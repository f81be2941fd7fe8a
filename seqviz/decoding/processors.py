"""Logits processors: each takes scores (..., V) and returns NEW scores, never changing its input, so a
page can show the distribution before and after. Removed tokens get -inf (probability exactly 0)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from ..data.vocab import Vocab


@dataclass(frozen=True)
class Temperature:
    """Divide scores by T: T < 1 sharpens, T > 1 flattens. T = 0 means greedy and is handled by the
    sampler (dividing by 0 is undefined), so here it leaves the scores unchanged."""

    value: float

    def __post_init__(self):
        if self.value < 0:
            raise ValueError(f"temperature must be >= 0, got {self.value}")

    def __call__(self, scores: torch.Tensor) -> torch.Tensor:
        return scores.clone() if self.value in (0.0, 1.0) else scores / self.value


@dataclass(frozen=True)
class TopK:
    """Keep the k highest scores (k <= 0 or k >= V keeps everything)."""

    k: int

    def __call__(self, scores: torch.Tensor) -> torch.Tensor:
        if self.k <= 0 or self.k >= scores.size(-1):
            return scores.clone()
        threshold = scores.topk(self.k, dim=-1).values[..., -1:]  # (..., 1)
        return scores.masked_fill(scores < threshold, float("-inf"))


@dataclass(frozen=True)
class TopP:
    """Nucleus sampling: keep the smallest set of most probable tokens whose probability reaches p
    (at least one token always survives; p >= 1 keeps everything)."""

    p: float

    def __post_init__(self):
        if not 0.0 <= self.p <= 1.0:
            raise ValueError(f"top-p must be in [0, 1], got {self.p}")

    def __call__(self, scores: torch.Tensor) -> torch.Tensor:
        if self.p >= 1.0:
            return scores.clone()
        sorted_scores, order = scores.sort(dim=-1, descending=True)
        cumulative = sorted_scores.softmax(-1).cumsum(-1)
        drop_sorted = cumulative - sorted_scores.softmax(-1) >= self.p  # mass before this token already reached p
        drop_sorted[..., 0] = False
        drop = torch.zeros_like(drop_sorted).scatter(-1, order, drop_sorted)
        return scores.masked_fill(drop, float("-inf"))


@dataclass(frozen=True)
class SuppressTokens:
    """Never choose these tokens (e.g. <pad>, [MASK], [CLS]: they are not text a model should write)."""

    token_ids: tuple[int, ...]

    def __call__(self, scores: torch.Tensor) -> torch.Tensor:
        out = scores.clone()
        out[..., list(self.token_ids)] = float("-inf")
        return out


def apply(processors: Sequence, scores: torch.Tensor) -> torch.Tensor:
    """Run the processors in order; the input scores stay as they were."""
    for processor in processors:
        scores = processor(scores)
    return scores


def choose(scores: torch.Tensor, greedy: bool, generator: torch.Generator | None = None) -> torch.Tensor:
    """The next token from processed scores (..., V): argmax when greedy, else a seeded sample. -> (...)"""
    if greedy:
        return scores.argmax(-1)
    probs = scores.softmax(-1)
    flat = probs.reshape(-1, probs.size(-1))
    return torch.multinomial(flat.cpu(), 1, generator=generator).reshape(probs.shape[:-1]).to(scores.device)


def text_suppressor(vocab: Vocab) -> SuppressTokens:
    """Specials a language model must not write (everything but <eos>)."""
    return SuppressTokens(tuple(sorted(i for i in vocab.special_ids if i != vocab.eos_id)))
