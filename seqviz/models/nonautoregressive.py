"""Non-autoregressive: the decoder writes every target token at once, P(y | x) ≈ Π_t P(y_t | x).

The encoder, the blocks and the output head are the seq2seq Transformer's. What changes is the decoder's mask
(not causal: every target position sees every other) and what the decoder reads, since there is no previous
output to feed back:
- `NARTransformer` reads [MASK] at every target position (vanilla NAT) or the target with some tokens masked
  (CMLM, decoded by mask-predict); the recipe's corruption decides which. The target length comes first, from
  a length head over the encoder's states.
- `CTCTransformer` reads the source up-sampled ×2 and writes a token or <blank> at each position; the output is
  that path with repeats merged and blanks dropped, so no length has to be predicted.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .layers import ModelConfig, key_padding
from .output import ModelOutput
from .seq2seq import Memory, TransformerSeq2Seq

MAX_LENGTH_OFFSET = 8  # the length head's classes: target length − source length in [−8, 8]
UPSAMPLE = 2  # CTC: decoder positions per source token


class NARTransformer(TransformerSeq2Seq):
    paradigm = "non-autoregressive"

    def __init__(self, config: ModelConfig):
        super().__init__(config)
        self.length_head = nn.Linear(config.d_model, 2 * MAX_LENGTH_OFFSET + 1)

    def length_logits(self, memory: Memory) -> torch.Tensor:
        """Scores of target length − source length, from the sum of the encoder states (a sum, not a mean, so
        the head can count words). -> (B, 2 * MAX_LENGTH_OFFSET + 1)"""
        real = memory.source_mask[:, 0, :, None].to(memory.states.dtype)  # (B, S, 1)
        return self.length_head((memory.states * real).sum(1))

    def decode(self, memory: Memory, ids, labels=None, need_weights=False, cache=None) -> ModelOutput:
        """ids (B, T): [MASK]s and/or target tokens, all read at once (padding hidden, nothing else); with labels
        (B, T), each position is scored against its own label, where the label is not padding."""
        out = self.decoder_stack(
            ids, key_padding(ids, self.config.pad_id), memory.keys_values, memory.source_mask, need_weights
        )
        logits = self.head(out.hidden)  # (B, T, V)
        loss = None
        if labels is not None:
            loss = F.cross_entropy(logits.flatten(0, 1), labels.flatten(), ignore_index=self.config.pad_id)
        return ModelOutput(logits, loss, out.self_attention, out.cross_attention)

    def forward(
        self, src: torch.Tensor, tgt: torch.Tensor, labels: torch.Tensor | None = None, need_weights: bool = False
    ) -> ModelOutput:
        """src (B, S); tgt (B, T) the decoder's input (the target with [MASK]s); labels (B, T) the tokens to
        predict (padding where nothing is scored). The loss adds the length head's cross-entropy."""
        memory = self.encode(src)
        out = self.decode(memory, tgt, labels, need_weights)
        if labels is not None:
            offset = (tgt != self.config.pad_id).sum(1) - (src != self.config.pad_id).sum(1)
            target = (offset + MAX_LENGTH_OFFSET).clamp(0, 2 * MAX_LENGTH_OFFSET)
            out.loss = out.loss + F.cross_entropy(self.length_logits(memory), target)
        return out


def upsample(src: torch.Tensor) -> torch.Tensor:
    """Each source token UPSAMPLE times, padding where the source is padded: (B, S) -> (B, UPSAMPLE * S)."""
    return src.repeat_interleave(UPSAMPLE, dim=1)


class CTCTransformer(TransformerSeq2Seq):
    paradigm = "non-autoregressive"

    def decode(self, memory: Memory, ids, labels=None, need_weights=False, cache=None) -> ModelOutput:
        """ids (B, U): the up-sampled source. Every position writes a token or <blank> at once; with labels
        (B, T) (the target, padded) the loss is CTC over all paths that collapse to it."""
        out = self.decoder_stack(
            ids, key_padding(ids, self.config.pad_id), memory.keys_values, memory.source_mask, need_weights
        )
        logits = self.head(out.hidden)  # (B, U, V)
        loss = None
        if labels is not None:
            log_probs = logits.log_softmax(-1).transpose(0, 1)  # (U, B, V), as ctc_loss wants
            loss = F.ctc_loss(
                log_probs,
                labels,
                (ids != self.config.pad_id).sum(1),
                (labels != self.config.pad_id).sum(1),
                blank=self.config.blank_id,
                zero_infinity=True,
            )
        return ModelOutput(logits, loss, out.self_attention, out.cross_attention)

    def forward(self, src: torch.Tensor, labels: torch.Tensor | None = None, need_weights: bool = False) -> ModelOutput:
        return self.decode(self.encode(src), upsample(src), labels, need_weights)
