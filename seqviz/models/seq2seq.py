"""Sequence-to-sequence: an encoder reads the whole source once; a decoder writes the target one token at a
time, P(y|x) = Π P(y_t | y_<t, Encoder(x)).

Three encoder-decoders, trained on the same data, differ in what of the source each decoding step can see:
- `TransformerSeq2Seq`: a bidirectional encoder stack; a causal decoder stack whose cross-attention looks at
  every source position in every layer.
- `RNNSeq2Seq`: a bidirectional GRU encoder squeezed into one vector (its final states) that starts the GRU
  decoder; nothing else of the source reaches it, however long the sentence.
- `BahdanauSeq2Seq`: the same GRUs, plus additive attention (Bahdanau et al., 2015): at each step the decoder's
  previous state scores every encoder state, and their weighted sum joins the decoder's input.

All three speak one interface: `encode(src)` once, then `decoder(memory)` gives an object with the decoder-only
interface of CausalLM (forward(ids, labels, need_weights, cache), new_cache(), config), so the decoding loops
of decoding/autoregressive.py (steps, sampling, beam search) drive translation unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from .autoregressive import decoder_mask, next_token_loss
from .layers import KVCache, ModelConfig, TransformerStack, key_padding
from .masks import bidirectional_mask
from .output import ModelOutput
from .recurrent import RecurrentState


@dataclass
class Memory:
    """What the encoder hands the decoder."""

    states: torch.Tensor  # (B, S, D) one vector per source position
    source_mask: torch.Tensor  # (B, 1, S) True where the source has a real token (not padding)
    final: torch.Tensor | None = None  # (B, D) the RNN encoder's summary of the whole source
    self_attention: tuple[torch.Tensor, ...] | None = None  # per layer (B, H, S, S), a Transformer's, when asked for
    keys: torch.Tensor | None = None  # (B, S, D) additive attention's U h_j, computed once per source
    keys_values: tuple | None = None  # a Transformer decoder's per-layer cross-attention (K, V), each (B, H, S, Dh)

    def repeat(self, k: int) -> Memory:
        """Each row repeated k times (e.g. one per length candidate); attention maps are left out."""
        if k == 1:
            return self

        def rows(t):
            return None if t is None else t.repeat_interleave(k, 0)

        keys_values = None if self.keys_values is None else tuple((rows(a), rows(b)) for a, b in self.keys_values)
        return Memory(rows(self.states), rows(self.source_mask), rows(self.final), None, rows(self.keys), keys_values)


class ConditionedDecoder:
    """A seq2seq model's decoder bound to one encoded source: the decoder-only interface of CausalLM."""

    def __init__(self, model: nn.Module, memory: Memory):
        self.model, self.memory, self.config = model, memory, model.config

    def new_cache(self):
        return self.model.new_cache()

    def parameters(self):
        return self.model.parameters()

    def __call__(self, ids, labels=None, need_weights=False, cache=None) -> ModelOutput:
        return self.model.decode(self.memory, ids, labels, need_weights, cache)


class Seq2Seq(nn.Module):
    """What the three share: forward = encode + decode with teacher forcing."""

    paradigm = "sequence-to-sequence"

    def forward(
        self, src: torch.Tensor, tgt: torch.Tensor, labels: torch.Tensor | None = None, need_weights: bool = False
    ) -> ModelOutput:
        """src (B, S), tgt (B, T) = <bos> y <eos> (padded). Teacher forcing: the decoder reads the reference
        prefix at every position in one pass; with labels (usually tgt) position t predicts labels[t + 1]."""
        return self.decode(self.encode(src), tgt, labels, need_weights)

    def decoder(self, memory: Memory) -> ConditionedDecoder:
        return ConditionedDecoder(self, memory)


class TransformerSeq2Seq(Seq2Seq):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        self.encoder = TransformerStack(config)
        self.decoder_stack = TransformerStack(config, cross=True)
        self.head = nn.Linear(config.d_model, config.vocab_size)

    def encode(self, src: torch.Tensor, need_weights: bool = False) -> Memory:
        """Every source position sees every other (bidirectional), padding hidden."""
        padding = key_padding(src, self.config.pad_id)  # (B, 1, S)
        out = self.encoder(src, bidirectional_mask(src.size(1)).to(src.device) & padding, need_weights=need_weights)
        return Memory(
            out.hidden,
            padding,
            self_attention=out.self_attention,
            keys_values=self.decoder_stack.memory_keys_values(out.hidden),
        )

    def new_cache(self) -> KVCache:
        return KVCache(self.config.n_layers, self.config.max_len)

    def decode(self, memory: Memory, ids, labels=None, need_weights=False, cache: KVCache | None = None) -> ModelOutput:
        mask = decoder_mask(ids, self.config.pad_id, cache.length if cache is not None else 0)
        out = self.decoder_stack(ids, mask, memory.keys_values, memory.source_mask, need_weights, cache)
        logits = self.head(out.hidden)  # (B, T, V)
        loss = next_token_loss(logits, labels, self.config.pad_id) if labels is not None else None
        return ModelOutput(logits, loss, out.self_attention, out.cross_attention)


class RNNSeq2Seq(Seq2Seq):
    """GRU encoder-decoder. Without attention the decoder knows the source only through its initial state."""

    attention = False

    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        d = config.d_model
        self.embed = nn.Embedding(config.vocab_size, d)
        self.encoder_rnn = nn.GRU(d, d // 2, batch_first=True, bidirectional=True)  # states (B, S, D)
        self.bridge = nn.Linear(d, d)  # the encoder's summary -> the decoder's first state
        self.cell = nn.GRUCell(2 * d if self.attention else d, d)
        if self.attention:
            self.score_query = nn.Linear(d, d, bias=False)  # W s_{t-1}
            self.score_key = nn.Linear(d, d)  # U h_j
            self.score_vector = nn.Linear(d, 1, bias=False)  # v
        self.dropout = nn.Dropout(config.dropout)
        self.head = nn.Linear(2 * d if self.attention else d, config.vocab_size)

    def encode(self, src: torch.Tensor, need_weights: bool = False) -> Memory:
        lengths = (src != self.config.pad_id).sum(1).clamp(min=1).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(self.embed(src), lengths, batch_first=True, enforce_sorted=False)
        states, final = self.encoder_rnn(
            packed
        )  # final (2, B, D/2): forward after the last word, backward after the first
        states, _ = nn.utils.rnn.pad_packed_sequence(states, batch_first=True, total_length=src.size(1))
        summary = torch.tanh(self.bridge(torch.cat((final[0], final[1]), -1)))  # (B, D)
        keys = self.score_key(states) if self.attention else None
        return Memory(states, key_padding(src, self.config.pad_id), summary, keys=keys)

    def new_cache(self) -> RecurrentState:
        return RecurrentState()

    def align(self, memory: Memory, state: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Additive attention: e_j = v·tanh(W s + U h_j) over source positions, softmax over the real ones.
        state (B, D) -> context (B, D), weights (B, S)."""
        energy = self.score_vector(torch.tanh(self.score_query(state)[:, None] + memory.keys))  # (B, S, 1)
        energy = energy[..., 0].masked_fill(~memory.source_mask[:, 0], float("-inf"))
        weights = energy.softmax(-1)  # (B, S)
        return (weights[:, :, None] * memory.states).sum(1), weights

    def decode(
        self, memory: Memory, ids, labels=None, need_weights=False, cache: RecurrentState | None = None
    ) -> ModelOutput:
        """One GRU step per target position; with a cache, ids are only the new positions."""
        state = cache.hidden[0] if cache is not None and cache.hidden is not None else memory.final  # (B, D)
        inputs = self.dropout(self.embed(ids))  # (B, T, D)
        outputs, alignments = [], []
        for t in range(ids.size(1)):
            if self.attention:
                context, weights = self.align(memory, state)
                state = self.cell(torch.cat((inputs[:, t], context), -1), state)
                outputs.append(torch.cat((state, context), -1))
                alignments.append(weights)
            else:
                state = self.cell(inputs[:, t], state)
                outputs.append(state)
        if cache is not None:
            cache.hidden, cache.length = state[None], cache.length + ids.size(1)  # (1, B, D), as a GRU LM's
        logits = self.head(self.dropout(torch.stack(outputs, 1)))  # (B, T, V)
        loss = next_token_loss(logits, labels, self.config.pad_id) if labels is not None else None
        cross = (
            (torch.stack(alignments, 1)[:, None],) if self.attention and need_weights else None
        )  # one "head" (B, 1, T, S)
        return ModelOutput(logits, loss, None, cross)


class BahdanauSeq2Seq(RNNSeq2Seq):
    """The same GRUs, and at every step attention over all encoder states."""

    attention = True
