"""RETRO (Borgeaud et al. 2022): an autoregressive decoder that reads retrieved text while it writes.

The question is looked up in a datastore (decoding/retrieval.py) and the k nearest chunks come back as
neighbours. An encoder reads each neighbour on its own (bidirectional within it); the decoder is causal over
its own tokens and cross-attends to every neighbour's states. Knowledge lives in the datastore, not in the
weights: edit a chunk and the answer follows, without training.

Simplified from the paper: a question is one chunk, so RETRO's chunked cross-attention (chunk i reads the
neighbours of chunk i-1) becomes cross-attention to the concatenated neighbours of the question, retrieved
once; and the neighbour encoder is not conditioned on the decoder's states.
"""

from __future__ import annotations

import torch

from .layers import key_padding
from .masks import bidirectional_mask
from .seq2seq import Memory, TransformerSeq2Seq


class RetroLM(TransformerSeq2Seq):
    paradigm = "fusion"

    def encode(self, src: torch.Tensor, need_weights: bool = False) -> Memory:
        """src: the neighbours (B, K, L), each encoded alone, their states laid side by side (B, K·L, D)."""
        batch, k, length = src.shape
        flat = src.reshape(batch * k, length)  # (B·K, L)
        padding = key_padding(flat, self.config.pad_id)  # (B·K, 1, L)
        out = self.encoder(flat, bidirectional_mask(length).to(src.device) & padding, need_weights=need_weights)
        states = out.hidden.reshape(batch, k * length, -1)  # (B, K·L, D)
        source_mask = padding.reshape(batch, 1, k * length)  # (B, 1, K·L)
        return Memory(states, source_mask, keys_values=self.decoder_stack.memory_keys_values(states))
