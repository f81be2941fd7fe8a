"""ELECTRA (Clark et al. 2020): replaced-token detection instead of masked-token prediction.

A small generator (a masked LM a quarter of the discriminator's width, autoencoding.py's MaskedLM) fills
the masked positions with words it samples; the discriminator, BERT's encoder at toy_mlm's size, reads the
result and says for EVERY word whether it is the original or a replacement. Both train at once:
loss = generator's masked-LM loss + λ × the discriminator's detection loss (λ = 50, the paper's).

The mask is BERT's (bidirectional); what changes is the objective: BERT learns from the 15% of words it
masked, the discriminator from all of them. After pre-training the generator is thrown away and the
discriminator's encoder is kept, as BERT's is.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from ..data.vocab import SPECIALS
from .autoencoding import IGNORE, MaskedLM, encoder_mask
from .layers import ModelConfig, TransformerStack

MASK_ID, N_SPECIALS = SPECIALS.index("[MASK]"), len(SPECIALS)  # every vocabulary's fixed special ids


@dataclass
class ElectraConfig(ModelConfig):
    """The discriminator's size (ModelConfig's fields), the generator's width and the loss weight."""

    generator_d_model: int = 32  # the paper's generator is 1/4–1/2 of the discriminator's width
    generator_heads: int = 1  # heads as wide as the discriminator's
    generator_d_ff: int = 128
    detection_weight: float = 50.0  # λ

    def generator_config(self) -> ModelConfig:
        """The generator: as deep as the discriminator, narrower."""
        return ModelConfig(
            vocab_size=self.vocab_size,
            d_model=self.generator_d_model,
            n_heads=self.generator_heads,
            n_layers=self.n_layers,
            d_ff=self.generator_d_ff,
            max_len=self.max_len,
            dropout=self.dropout,
            positions=self.positions,
            pad_id=self.pad_id,
        )


@dataclass
class ElectraOutput:
    loss: torch.Tensor | None  # generator MLM + λ × detection
    generator_logits: torch.Tensor  # (B, T, V) the generator's guesses (read at the masked positions)
    corrupted: torch.Tensor  # (B, T) what the discriminator read: the sentence with the generator's samples
    replaced: torch.Tensor  # (B, T) bool, the truth: the word differs from the original
    replaced_logits: torch.Tensor  # (B, T) the discriminator's logit of "replaced", one per position
    generator_loss: torch.Tensor | None = None
    detection_loss: torch.Tensor | None = None
    self_attention: tuple[torch.Tensor, ...] | None = None  # the discriminator's, per layer (B, H, T, T)


def sample_words(logits: torch.Tensor, uniforms: torch.Tensor) -> torch.Tensor:
    """One word per position from softmax(logits), special tokens excluded, chosen by inverse CDF with the
    given U(0, 1) draws (so the caller's draws decide the sample). logits (B, T, V), uniforms (B, T) -> (B, T)"""
    probs = logits.detach().float().clone()
    probs[..., :N_SPECIALS] = float("-inf")
    cdf = probs.softmax(-1).cumsum(-1)  # (B, T, V)
    picked = torch.searchsorted(cdf, uniforms[..., None].to(cdf.dtype)).squeeze(-1)  # (B, T)
    return picked.clamp(max=logits.size(-1) - 1)


def word_positions(ids: torch.Tensor) -> torch.Tensor:
    """Positions that hold a word (not [CLS], [SEP], padding, …): the ones the discriminator is scored on."""
    return ids >= N_SPECIALS


class ELECTRA(nn.Module):
    paradigm = "autoencoding"
    config_class = ElectraConfig

    def __init__(self, config: ElectraConfig):
        super().__init__()
        self.config = config
        self.generator = MaskedLM(config.generator_config())
        self.discriminator = TransformerStack(config)
        self.detector = nn.Linear(config.d_model, 1)

    @property
    def encoder(self) -> TransformerStack:
        """What pre-training is for: the discriminator's encoder (fine-tuned or probed like BERT's)."""
        return self.discriminator

    def detect(self, ids: torch.Tensor, need_weights: bool = False) -> tuple[torch.Tensor, tuple | None]:
        """The discriminator alone: the logit of "replaced" for every position of ids (B, T) -> (B, T)."""
        out = self.discriminator(ids, encoder_mask(ids, self.config.pad_id), need_weights=need_weights)
        return self.detector(out.hidden)[..., 0], out.self_attention

    def forward(
        self, ids: torch.Tensor, masked: torch.Tensor, uniforms: torch.Tensor, need_weights: bool = False
    ) -> ElectraOutput:
        """ids (B, T): [CLS] words [SEP], the original; masked (B, T) bool: the positions the generator fills;
        uniforms (B, T): the U(0, 1) draws that pick its samples."""
        generator_input = ids.masked_fill(masked, MASK_ID)
        generated = self.generator(generator_input, torch.where(masked, ids, IGNORE))  # loss at masked only
        corrupted = torch.where(masked, sample_words(generated.logits, uniforms), ids)  # no gradient: sampled
        replaced = corrupted != ids  # a sampled original counts as original, as in the paper
        logits, attention = self.detect(corrupted, need_weights)
        scored = word_positions(ids)  # every word, replaced or not
        detection = F.binary_cross_entropy_with_logits(logits[scored], replaced[scored].float())
        loss = generated.loss + self.config.detection_weight * detection
        return ElectraOutput(loss, generated.logits, corrupted, replaced, logits, generated.loss, detection, attention)
