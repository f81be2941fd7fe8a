"""UniLM (Dong et al. 2019): one Transformer that becomes BERT, GPT or an encoder-decoder by its mask.

The network is a plain stack with segment embeddings. What it is depends only on the mask and segments
it is given with the tokens:
- bidirectional: [CLS] words [SEP], every token sees every token; it fills [MASK]s (BERT);
- causal: <bos> words <eos>, each token sees the ones before it; it continues a prompt (GPT);
- seq2seq: <bos> English [SEP] French <eos>, bidirectional over the English source, causal over the French
  target, which also sees the whole source; it translates (an encoder-decoder in one stack).
As in UniLM, the segment embedding also tells the network which of these it is doing.

`UniLM.view(mode)` is the same network seen as one of them: a thin module that builds the mask and segments
and holds no parameters of its own, so the decoding and evaluation code of the other paradigms runs on it.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ..data.vocab import SPECIALS
from .autoencoding import IGNORE
from .layers import KVCache, ModelConfig, TransformerStack, key_padding
from .output import ModelOutput

MODES = ("bidirectional", "causal", "seq2seq")
# Segment ids (UniLM's token types): one per objective; seq2seq has one for the source and one for the target.
SEGMENTS = {"bidirectional": (0, 0), "causal": (1, 1), "seq2seq": (2, 3)}
N_SEGMENTS = 4
SEP_ID = SPECIALS.index("[SEP]")  # the same id in every word vocabulary: it ends the seq2seq source


def unilm_mask(mode: str, ids: torch.Tensor, source_lengths: torch.Tensor, pad_id: int) -> torch.Tensor:
    """The mode's mask for a batch ids (B, T); source_lengths (B,) count the seq2seq source positions
    (<bos> English [SEP]). Padding keys are hidden. -> (B, T, T), True = may attend."""
    length = ids.size(1)
    position = torch.arange(length, device=ids.device)
    earlier = position[None, :] <= position[:, None]  # (T, T): key at or before the query
    if mode == "bidirectional":
        mask = torch.ones(length, length, dtype=torch.bool, device=ids.device)[None]
    elif mode == "causal":
        mask = earlier[None]
    elif mode == "seq2seq":
        source = source_lengths.to(ids.device)[:, None, None]  # (B, 1, 1)
        key_in_source = position[None, None, :] < source  # (B, 1, T)
        query_in_target = position[None, :, None] >= source  # (B, T, 1)
        mask = key_in_source | (query_in_target & earlier[None])  # the source reads only itself
    else:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    return mask & key_padding(ids, pad_id)  # (B, T, T)


def unilm_segments(mode: str, ids: torch.Tensor, source_lengths: torch.Tensor) -> torch.Tensor:
    """Each position's segment id for the mode: the source's before source_lengths, the target's after. -> (B, T)"""
    source_segment, target_segment = SEGMENTS[mode]
    position = torch.arange(ids.size(1), device=ids.device)[None, :]
    in_source = position < source_lengths.to(ids.device)[:, None]
    return torch.where(in_source, source_segment, target_segment)  # (B, T)


def source_lengths_of(ids: torch.Tensor, sep_id: int) -> torch.Tensor:
    """Positions up to and including each row's first [SEP] (the seq2seq source); the whole row without one. -> (B,)"""
    is_sep = ids == sep_id
    first = is_sep.int().argmax(1)  # (B,)
    return torch.where(is_sep.any(1), first + 1, torch.full_like(first, ids.size(1)))


class UniLM(nn.Module):
    paradigm = "fusion"

    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        self.stack = TransformerStack(config)
        self.head = nn.Linear(config.d_model, config.vocab_size)

    def forward(
        self,
        ids: torch.Tensor,
        segments: torch.Tensor,
        mask: torch.Tensor | None,
        targets: torch.Tensor | None = None,
        need_weights: bool = False,
        cache: KVCache | None = None,
    ) -> ModelOutput:
        """ids, segments (B, T); mask (B, T, T) from unilm_mask (or (T, cached + T) with a cache, None for
        one new position). targets (B, T): the token each position must predict (the masked word itself
        for a [MASK], the next token elsewhere), IGNORE where nothing is scored."""
        out = self.stack(ids, mask, need_weights=need_weights, cache=cache, segments=segments)
        logits = self.head(out.hidden)  # (B, T, V)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=IGNORE)
        return ModelOutput(logits, loss, out.self_attention)

    def view(self, mode: str, segments: str | None = None) -> UniLMView:
        """This network under one mode's mask (and, for an experiment, another mode's segments)."""
        return UniLMView(self, mode, segments or mode)


class UniLMView(nn.Module):
    """One UniLM seen as a masked LM, a causal LM or a prefix-LM translator: model(ids) as the other
    paradigms' models are called. Its only parameters are the shared network's (the same tensors)."""

    def __init__(self, network: UniLM, mode: str, segments: str):
        super().__init__()
        if mode not in MODES or segments not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r} / {segments!r}")
        self.network, self.mode, self.segment_mode = network, mode, segments
        self.config = network.config

    def new_cache(self) -> KVCache:
        return KVCache(self.config.n_layers, self.config.max_len)

    def source_lengths(self, ids: torch.Tensor) -> torch.Tensor:
        if self.mode == "seq2seq":
            return source_lengths_of(ids, SEP_ID)
        return torch.full((ids.size(0),), ids.size(1), dtype=torch.long, device=ids.device)

    def forward(self, ids: torch.Tensor, need_weights: bool = False, cache: KVCache | None = None) -> ModelOutput:
        """ids (B, T). With a cache (causal and seq2seq only) ids are the new positions: in seq2seq the first
        call holds the whole source, and every later position is target, seeing everything before it."""
        cached = cache.length if cache is not None else 0
        if cached:
            if self.mode == "bidirectional":
                raise ValueError("a bidirectional view has no cache: every position sees the whole input")
            _, target_segment = SEGMENTS[self.segment_mode]
            segments = torch.full_like(ids, target_segment)
            mask = None if ids.size(1) == 1 else torch.ones(ids.size(1), cached + ids.size(1), dtype=torch.bool)
            mask = mask.tril(cached).to(ids.device) if mask is not None else None
        else:
            lengths = self.source_lengths(ids)
            segments = unilm_segments(self.segment_mode, ids, lengths)
            mask = unilm_mask(self.mode, ids, lengths, self.config.pad_id)
        return self.network(ids, segments, mask, need_weights=need_weights, cache=cache)
