"""Looking inside a model for the figures: the raw query·key scores of one head."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from ..data.vocab import Vocab
from .masks import bidirectional_mask


@torch.no_grad()
def head_scores(model, vocab: Vocab, words: Sequence[str], layer: int, head: int) -> np.ndarray:
    """Scaled query·key scores (before any mask) of one head for [CLS] words [SEP], returned for the words
    only. The layers below run bidirectionally, as the encoder was trained. -> (T, T)"""
    stack = model.encoder
    ids = torch.tensor([[vocab.cls_id, *vocab.encode([w.lower() for w in words]), vocab.sep_id]])
    ids = ids.to(next(model.parameters()).device)
    scores = stack.layer_scores(ids, bidirectional_mask(ids.size(1)).to(ids.device), layer)  # (1, H, T+2, T+2)
    return scores[0, head, 1:-1, 1:-1].float().cpu().numpy()


@torch.no_grad()
def self_attention(model, ids: Sequence[int]) -> np.ndarray:
    """Every layer's self-attention of an encoder or decoder-only model for one input -> (L, H, T, T)."""
    out = model(torch.tensor([list(ids)], device=next(model.parameters()).device), need_weights=True)
    return torch.stack([a[0] for a in out.self_attention]).float().cpu().numpy()


def right_share(attention: np.ndarray) -> float:
    """The mean share of each query's attention that goes to keys on its right, for one (T, T) map."""
    return float(np.triu(attention, k=1).sum(-1).mean())


def seeded_scores(length: int, seed: int = 0) -> np.ndarray:
    """Stand-in scores when no model applies: standard normal × 2, fixed by the seed. -> (T, T)"""
    return np.random.default_rng(seed).normal(0.0, 2.0, size=(length, length))
