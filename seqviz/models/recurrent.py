"""Recurrent language model (GRU): autoregressive too, but its memory of the past is one hidden state
per layer instead of attention over every earlier position.

It speaks the same interface as CausalLM, so the same decoding loop drives both: forward(ids, labels,
need_weights, cache) -> ModelOutput, and new_cache() makes the per-call state (here the hidden state).
"""

from __future__ import annotations

import torch
from torch import nn

from .autoregressive import next_token_loss
from .layers import ModelConfig
from .output import ModelOutput


class RecurrentState:
    """The GRU's hidden state for one generation call (its 'cache'): (layers, B, D), whatever the length."""

    def __init__(self):
        self.hidden: torch.Tensor | None = None
        self.length = 0

    def shapes(self) -> list[tuple[int, ...]]:
        return [tuple(self.hidden[i].shape) for i in range(self.hidden.size(0))] if self.hidden is not None else []

    def select(self, rows: torch.Tensor) -> None:
        if self.hidden is not None:
            self.hidden = self.hidden[:, rows]


class GRULM(nn.Module):
    paradigm = "autoregressive"

    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(config.vocab_size, config.d_model)
        self.gru = nn.GRU(
            config.d_model,
            config.d_model,
            num_layers=config.n_layers,
            batch_first=True,
            dropout=config.dropout if config.n_layers > 1 else 0.0,
        )
        self.head = nn.Linear(config.d_model, config.vocab_size)

    def new_cache(self) -> RecurrentState:
        return RecurrentState()

    def forward(
        self,
        ids: torch.Tensor,
        labels: torch.Tensor | None = None,
        need_weights: bool = False,
        cache: RecurrentState | None = None,
    ) -> ModelOutput:
        """ids (B, T); the loss is next-token prediction as in CausalLM. There is no attention to return."""
        hidden = cache.hidden if cache is not None else None
        states, hidden = self.gru(self.embed(ids), hidden)  # (B, T, D), (layers, B, D)
        if cache is not None:
            cache.hidden, cache.length = hidden, cache.length + ids.size(1)
        logits = self.head(states)  # (B, T, V)
        loss = next_token_loss(logits, labels, self.config.pad_id) if labels is not None else None
        return ModelOutput(logits, loss, None)
