"""Autoencoding (BERT): a bidirectional encoder that reconstructs corrupted tokens.

Differs from autoregressive.py in exactly three places: the mask (bidirectional), the corruption of the
input (masked_lm_corruption) and the loss (only on the corrupted positions).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .layers import ModelConfig, TransformerStack, key_padding
from .masks import bidirectional_mask
from .output import ModelOutput

IGNORE = -100  # label of positions that carry no loss


def encoder_mask(ids: torch.Tensor, pad_id: int) -> torch.Tensor:
    """Bidirectional over the real tokens of each example. -> (B, T, T)"""
    return bidirectional_mask(ids.size(1)).to(ids.device) & key_padding(ids, pad_id)


class MaskedLM(nn.Module):
    paradigm = "autoencoding"

    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        self.encoder = TransformerStack(config)
        self.head = nn.Linear(config.d_model, config.vocab_size)

    def forward(self, ids: torch.Tensor, labels: torch.Tensor | None = None, need_weights: bool = False) -> ModelOutput:
        """ids (B, T); labels (B, T) hold the original token at corrupted positions and IGNORE elsewhere."""
        out = self.encoder(ids, encoder_mask(ids, self.config.pad_id), need_weights=need_weights)
        logits = self.head(out.hidden)  # (B, T, V)
        loss = None
        if labels is not None:
            loss = F.cross_entropy(logits.flatten(0, 1), labels.flatten(), ignore_index=IGNORE)
        return ModelOutput(logits, loss, out.self_attention)


def choose_positions(
    maskable: torch.Tensor, generator: torch.Generator | None = None, select_prob: float = 0.15
) -> torch.Tensor:
    """Each maskable position (B, T) chosen with probability select_prob, and at least one per example so
    every sentence teaches something. -> (B, T) bool"""
    chosen = (torch.rand(maskable.shape, generator=generator) < select_prob) & maskable
    none_chosen = ~chosen.any(dim=1)
    if none_chosen.any():
        fallback = (torch.rand(maskable.shape, generator=generator) * maskable).argmax(dim=1)  # (B,)
        chosen[none_chosen, fallback[none_chosen]] = True
    return chosen


def masked_lm_corruption(
    ids: torch.Tensor,
    mask_id: int,
    maskable: torch.Tensor,
    random_ids: torch.Tensor,
    generator: torch.Generator | None = None,
    select_prob: float = 0.15,
) -> tuple[torch.Tensor, torch.Tensor]:
    """BERT's rule: choose 15% of the maskable positions; of those 80% -> [MASK], 10% -> a random token,
    10% unchanged. Returns (corrupted ids, labels) with labels IGNORE at unchosen positions.
    maskable (B, T) bool excludes specials and padding; random_ids (N,) are the tokens to draw from."""
    chosen = choose_positions(maskable, generator, select_prob)
    labels = torch.where(chosen, ids, torch.full_like(ids, IGNORE))
    action = torch.rand(ids.shape, generator=generator)
    replaced = random_ids[torch.randint(len(random_ids), ids.shape, generator=generator)]
    corrupted = torch.where(chosen & (action < 0.8), torch.full_like(ids, mask_id), ids)
    corrupted = torch.where(chosen & (action >= 0.8) & (action < 0.9), replaced, corrupted)
    return corrupted, labels


class SequenceClassifier(nn.Module):
    """BERT fine-tuning: the same encoder, its [CLS] vector (position 0) fed to a linear layer over classes."""

    paradigm = "autoencoding"

    def __init__(self, config: ModelConfig, n_classes: int):
        super().__init__()
        self.config = config
        self.encoder = TransformerStack(config)
        self.classifier = nn.Linear(config.d_model, n_classes)

    @classmethod
    def from_pretrained(cls, pretrained: nn.Module, n_classes: int) -> SequenceClassifier:
        """A classifier whose encoder starts as a copy of a pre-trained one (a masked LM's, or ELECTRA's
        discriminator), which is not changed."""
        model = cls(pretrained.config, n_classes)
        model.encoder.load_state_dict(pretrained.encoder.state_dict())
        return model

    def forward(self, ids: torch.Tensor, labels: torch.Tensor | None = None, need_weights: bool = False) -> ModelOutput:
        """ids (B, T) starting with [CLS]; labels (B,) class indices."""
        out = self.encoder(ids, encoder_mask(ids, self.config.pad_id), need_weights=need_weights)
        logits = self.classifier(out.hidden[:, 0])  # (B, C)
        loss = F.cross_entropy(logits, labels) if labels is not None else None
        return ModelOutput(logits, loss, out.self_attention)


def describe_corruption(
    original: torch.Tensor, corrupted: torch.Tensor, labels: torch.Tensor, mask_id: int
) -> list[tuple[int, str]]:
    """For one row (T,): each chosen position and what BERT's rule did to it: "mask", "random" or "keep"
    (a random draw that hit the original token counts as "keep": the input is unchanged)."""
    report = []
    for position in torch.nonzero(labels != IGNORE).flatten().tolist():
        if corrupted[position] == original[position]:
            report.append((position, "keep"))
        elif corrupted[position] == mask_id:
            report.append((position, "mask"))
        else:
            report.append((position, "random"))
    return report
