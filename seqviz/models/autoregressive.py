"""Autoregressive (GPT): a decoder-only Transformer that predicts each token from the ones before it.

Differs from autoencoding.py in exactly three places: the mask (causal), no corruption of the input,
and the loss (next token at every position).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .layers import KVCache, ModelConfig, TransformerStack, key_padding
from .masks import causal_mask
from .output import ModelOutput


def decoder_mask(ids: torch.Tensor, pad_id: int, cached: int = 0) -> torch.Tensor | None:
    """Causal: new position i (after `cached` earlier ones) sees positions 0..cached+i. Without a cache,
    padding keys are hidden too. -> (B, T, T), or (T, cached + T) with a cache, or None for a single new
    position, which may see everything cached."""
    if cached:
        length = ids.size(1)
        return (
            None
            if length == 1
            else torch.ones(length, cached + length, dtype=torch.bool, device=ids.device).tril(cached)
        )
    return causal_mask(ids.size(1)).to(ids.device) & key_padding(ids, pad_id)


def next_token_loss(
    logits: torch.Tensor, labels: torch.Tensor, pad_id: int, teacher_probs: torch.Tensor | None = None
) -> torch.Tensor:
    """Cross-entropy of position t's logits (B, T, V) against labels[t + 1] (B, T), or, for distillation,
    against a teacher's next-token distribution at t (B, T, V); padding carries none."""
    if teacher_probs is not None:
        keep = labels[:, 1:] != pad_id  # (B, T-1)
        return F.cross_entropy(logits[:, :-1][keep], teacher_probs[:, :-1][keep])
    targets = labels[:, 1:].masked_fill(labels[:, 1:] == pad_id, -100)  # (B, T-1)
    return F.cross_entropy(logits[:, :-1].flatten(0, 1), targets.flatten(), ignore_index=-100)


class CausalLM(nn.Module):
    paradigm = "autoregressive"

    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        self.decoder = TransformerStack(config)
        self.head = nn.Linear(config.d_model, config.vocab_size)

    def mask(self, ids: torch.Tensor, cached: int = 0) -> torch.Tensor | None:
        return decoder_mask(ids, self.config.pad_id, cached)

    def new_cache(self) -> KVCache:
        return KVCache(self.config.n_layers, self.config.max_len)

    def forward(
        self,
        ids: torch.Tensor,
        labels: torch.Tensor | None = None,
        need_weights: bool = False,
        cache: KVCache | None = None,
        teacher_probs: torch.Tensor | None = None,
    ) -> ModelOutput:
        """ids (B, T). With labels (B, T) (usually ids itself), the loss is next-token prediction:
        position t predicts labels[t + 1]; padding carries no loss. With a cache, ids are only the new
        positions: the cached ones are not recomputed, and the cache grows by T."""
        mask = self.mask(ids, cache.length if cache is not None else 0)
        out = self.decoder(ids, mask, need_weights=need_weights, cache=cache)
        logits = self.head(out.hidden)  # (B, T, V)
        loss = next_token_loss(logits, labels, self.config.pad_id, teacher_probs) if labels is not None else None
        return ModelOutput(logits, loss, out.self_attention)
