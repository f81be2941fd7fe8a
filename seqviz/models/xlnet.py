"""XLNet (Yang et al. 2019): a permutation language model with two-stream attention.

Autoregressive, yet every word can use context on both sides: the model predicts the words of a sentence
in a random factorisation order, each from the words earlier in that order, wherever they stand. The
words keep their positions; only the mask changes (models.masks.permutation_mask).

Two streams share every weight:
- the content stream h is an ordinary Transformer over the tokens; position p sees itself and every
  position before it in the order (include_self=True);
- the query stream g starts from one learned vector plus p's position — it knows *where* it predicts, not
  *what* — and reads the content stream of the positions strictly before p in the order (include_self=False).
The query stream predicts. Without it, a position that must be predicted would see its own token.

Differences from the paper: absolute learned positions instead of Transformer-XL's relative ones and no
segment recurrence; <bos> at position 0 comes first in every order and is never predicted (a start every
row can read). Partial prediction: each sentence trains only on the last 1/PREDICT_EVERY of its order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from .autoencoding import IGNORE
from .layers import ModelConfig, TransformerBlock, TransformerStack
from .masks import permutation_mask

PREDICT_EVERY = 3  # partial prediction: the last third of each order carries the loss (the paper's K)


@dataclass
class TwoStreamOutput:
    logits: torch.Tensor  # (B, T, V) from the query stream
    loss: torch.Tensor | None = None
    query_attention: tuple[torch.Tensor, ...] | None = None  # per layer (B, H, T, T): what each prediction reads
    content_attention: tuple[torch.Tensor, ...] | None = None  # per layer (B, H, T, T)


def two_stream_masks(orders: Sequence[Sequence[int]], width: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Content and query masks for a batch: orders[b] is a permutation of row b's positions 0..n_b-1
    (its real tokens); keys and queries past n_b (padding) are blocked. -> two (B, T, T) bool tensors."""
    content = torch.zeros(len(orders), width, width, dtype=torch.bool)
    query = torch.zeros_like(content)
    for row, order in enumerate(orders):
        n = len(order)
        content[row, :n, :n] = permutation_mask(order, include_self=True)
        query[row, :n, :n] = permutation_mask(order, include_self=False)
    return content, query


def predicted_positions(order: Sequence[int], every: int = PREDICT_EVERY) -> list[int]:
    """Partial prediction: the last ceil(words / every) positions of the order (at least one; never <bos>,
    which is first in every order)."""
    words = len(order) - 1
    return list(order[len(order) - max(1, math.ceil(words / every)) :])


def _two_stream_block(block: TransformerBlock, h, g, content_mask, query_mask, need_weights: bool):
    """One shared block over both streams: the queries of each stream, the keys and values of the content."""
    normed = block.self_norm(h)
    memory = block.self_attn.keys_values(normed)  # (B, H, T, Dh) each
    h_new, content_weights = block.self_attn(normed, content_mask, need_weights, keys_values=memory)
    g_new, query_weights = block.self_attn(block.self_norm(g), query_mask, need_weights, keys_values=memory)
    h, g = h + block.dropout(h_new), g + block.dropout(g_new)
    h = h + block.dropout(block.ff(block.ff_norm(h)))
    g = g + block.dropout(block.ff(block.ff_norm(g)))
    return h, g, content_weights, query_weights


class PermutationLM(nn.Module):
    paradigm = "fusion"

    def __init__(self, config: ModelConfig):
        super().__init__()
        if config.positions != "learned":
            raise ValueError("the query stream needs learned absolute positions")
        self.config = config
        self.stack = TransformerStack(config)
        self.query_start = nn.Parameter(torch.randn(config.d_model) * 0.02)  # g's first layer, the same everywhere
        self.head = nn.Linear(config.d_model, config.vocab_size)

    def forward(
        self,
        ids: torch.Tensor,
        content_mask: torch.Tensor,
        query_mask: torch.Tensor,
        targets: torch.Tensor | None = None,
        need_weights: bool = False,
    ) -> TwoStreamOutput:
        """ids (B, T) with <bos> first; masks (B, T, T) from two_stream_masks; targets (B, T) hold the word
        at the positions that carry the loss, IGNORE elsewhere."""
        stack = self.stack
        h = stack.embed_tokens(ids)  # (B, T, D): token + position
        where = stack.position_embed(torch.arange(ids.size(1), device=ids.device))  # (T, D)
        g = stack.dropout((self.query_start + where).expand_as(h))  # (B, T, D): position only
        content_weights, query_weights = [], []
        for block in stack.blocks:
            h, g, cw, qw = _two_stream_block(block, h, g, content_mask, query_mask, need_weights)
            content_weights.append(cw)
            query_weights.append(qw)
        logits = self.head(stack.norm(g))  # (B, T, V)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=IGNORE)
        return TwoStreamOutput(
            logits,
            loss,
            tuple(query_weights) if need_weights else None,
            tuple(content_weights) if need_weights else None,
        )

    def in_order(self, ids: torch.Tensor, order: Sequence[int], need_weights: bool = False) -> TwoStreamOutput:
        """One sentence ids (T,) read in one factorisation order (a permutation of 0..T-1, <bos> first)."""
        content, query = two_stream_masks([order], ids.size(0))
        return self(ids[None], content.to(ids.device), query.to(ids.device), need_weights=need_weights)
