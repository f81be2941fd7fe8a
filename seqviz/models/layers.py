"""The shared pieces: one attention function, multi-head attention, positional encodings, one block.

Every paradigm file (autoencoding.py, autoregressive.py, ...) builds on these and differs mainly in
its mask, its head and its loss. Attention weights are returned from forward passes, never stored on
a module: models are shared read-only between browser sessions.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields

import torch
import torch.nn.functional as F
from torch import nn

POSITION_KINDS = ("learned", "sinusoidal", "rope", "none")


class ConfigDict:
    """A model config dataclass as JSON (config.json): to_dict, and from_dict ignoring unknown keys."""

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict):
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})


@dataclass
class ModelConfig(ConfigDict):
    vocab_size: int
    d_model: int = 64
    n_heads: int = 4
    n_layers: int = 2
    d_ff: int = 256
    max_len: int = 64
    dropout: float = 0.1
    positions: str = "learned"
    pad_id: int = 0
    blank_id: int | None = None  # CTC models only: the id of <blank>
    n_segments: int = 0  # segment (token type) embeddings added to the tokens; 0 = none (UniLM has 4)

    def __post_init__(self):
        if self.d_model % self.n_heads:
            raise ValueError(f"d_model {self.d_model} is not divisible by n_heads {self.n_heads}")
        if self.positions not in POSITION_KINDS:
            raise ValueError(f"positions must be one of {POSITION_KINDS}, got {self.positions!r}")


def attention_scores(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    """Scaled dot products q·k/√d. q (B, H, Tq, D), k (B, H, Tk, D) -> (B, H, Tq, Tk)."""
    return q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))


def _broadcastable(mask: torch.Tensor | None) -> torch.Tensor | None:
    """(Tq, Tk) stays as is; (B, Tq, Tk) gains a head axis -> (B, 1, Tq, Tk)."""
    return mask[:, None] if mask is not None and mask.dim() == 3 else mask


def attention(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor | None = None, need_weights: bool = True
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """softmax(q·k/√d masked) · v, returning (output (B, H, Tq, D), weights (B, H, Tq, Tk) or None).

    mask is boolean, True = may attend. Without weights the fused kernel runs (the fast path);
    with weights the explicit computation runs so the weights can be shown. Both give the same output.
    """
    mask = _broadcastable(mask)
    if not need_weights:
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask), None
    scores = attention_scores(q, k)  # (B, H, Tq, Tk)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1).nan_to_num(0.0)  # a row with no allowed key -> zeros
    return weights @ v, weights  # (B, H, Tq, D), (B, H, Tq, Tk)


def sinusoidal_table(max_len: int, d_model: int) -> torch.Tensor:
    """Vaswani et al. 2017: PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(...). -> (max_len, d_model)"""
    position = torch.arange(max_len, dtype=torch.float32)[:, None]  # (P, 1)
    frequency = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float32) * (-math.log(10000.0) / d_model))
    table = torch.zeros(max_len, d_model)
    table[:, 0::2] = torch.sin(position * frequency)
    table[:, 1::2] = torch.cos(position * frequency[: d_model // 2])
    return table


def rotate_half_pairs(x: torch.Tensor, positions: torch.Tensor, base: float = 10000.0) -> torch.Tensor:
    """RoPE (Su et al. 2021): rotate each (even, odd) feature pair of x (..., T, D) by angle p·θ_i,
    so that q_p·k_r depends on p - r only."""
    d = x.size(-1)
    theta = base ** (-torch.arange(0, d, 2, dtype=torch.float32, device=x.device) / d)  # (D/2,)
    angle = positions.to(x.device, torch.float32)[:, None] * theta  # (T, D/2)
    cos, sin = angle.cos().to(x.dtype), angle.sin().to(x.dtype)
    even, odd = x[..., 0::2], x[..., 1::2]
    rotated = torch.stack((even * cos - odd * sin, even * sin + odd * cos), dim=-1)  # (..., T, D/2, 2)
    return rotated.flatten(-2)  # (..., T, D)


class KVCache:
    """The keys and values of every position seen so far, per layer, for one generation call.

    Made by the caller and passed into the forward pass (never kept on a module), so a shared model stays
    read-only. Each step writes the new positions' keys and values into buffers sized for the whole
    context window, instead of recomputing (or re-copying) the old ones."""

    def __init__(self, n_layers: int, capacity: int):
        self.capacity = capacity
        self.keys: list[torch.Tensor | None] = [None] * n_layers  # buffers (B, H, capacity, Dh)
        self.values: list[torch.Tensor | None] = [None] * n_layers
        self.lengths = [0] * n_layers

    def layer_length(self, layer: int) -> int:
        return self.lengths[layer]

    @property
    def length(self) -> int:
        """Positions cached (in the first layer; all layers agree between forward passes)."""
        return self.lengths[0]

    def append(self, layer: int, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Add k, v (B, H, T_new, Dh) after the cached ones and return all of them (B, H, T_all, Dh)."""
        start, end = self.lengths[layer], self.lengths[layer] + k.size(2)
        if end > self.capacity:
            raise ValueError(f"the KV cache holds {self.capacity} positions; {end} were asked for")
        if self.keys[layer] is None:
            shape = (k.size(0), k.size(1), self.capacity, k.size(3))
            self.keys[layer], self.values[layer] = k.new_empty(shape), v.new_empty(shape)
        self.keys[layer][:, :, start:end] = k
        self.values[layer][:, :, start:end] = v
        self.lengths[layer] = end
        return self.keys[layer][:, :, :end], self.values[layer][:, :, :end]

    def truncate(self, length: int) -> None:
        """Forget every position from `length` on (speculative decoding drops the rejected guesses); the
        buffers stay, and the next append overwrites them."""
        self.lengths = [min(n, length) for n in self.lengths]

    def select(self, rows: torch.Tensor) -> None:
        """Keep (and reorder) the batch rows given by index, e.g. the beams that survive a step."""
        self.keys = [None if k is None else k[rows] for k in self.keys]
        self.values = [None if v is None else v[rows] for v in self.values]

    def shapes(self) -> list[tuple[int, ...]]:
        """Per layer, the shape of the cached keys (B, H, T, Dh) (values have the same shape)."""
        return [
            (k.size(0), k.size(1), n, k.size(3)) if k is not None else ()
            for k, n in zip(self.keys, self.lengths, strict=True)
        ]


# Heads switched off for the forward passes inside `ablated_heads`: {attention module: heads kept (H,) bool}.
# A context variable, so each browser session's thread sees only its own ablation; the shared model is
# never changed.
_ABLATION: contextvars.ContextVar[dict | None] = contextvars.ContextVar("head_ablation", default=None)


@contextlib.contextmanager
def ablated_heads(switched_off: dict[nn.Module, Iterable[int]]):
    """Within the block, each given attention module runs without the listed heads: their outputs are set to
    zero before the output projection (Michel et al. 2019), so the layer's output keeps only the other heads
    (and the projection's bias). {} changes nothing."""
    kept = {}
    for module, heads in switched_off.items():
        mask = torch.ones(module.n_heads, dtype=torch.bool)
        mask[list(heads)] = False
        kept[module] = mask
    token = _ABLATION.set({**(_ABLATION.get() or {}), **kept})
    try:
        yield
    finally:
        _ABLATION.reset(token)


# The hidden states of every TransformerStack run inside `recorded_states` (the logit lens reads them):
# {stack: [embeddings, after block 1, …, after block N]}, each (B, T, D) before the final norm.
_RECORDING: contextvars.ContextVar[dict | None] = contextvars.ContextVar("recorded_states", default=None)


@contextlib.contextmanager
def recorded_states():
    """Yield a dict that fills with each TransformerStack's per-layer hidden states during the forward
    passes inside the block (this thread's only: nothing is kept on the shared modules)."""
    states: dict = {}
    token = _RECORDING.set(states)
    try:
        yield states
    finally:
        _RECORDING.reset(token)


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int, rope: bool = False):
        super().__init__()
        self.n_heads, self.head_dim, self.rope = n_heads, d_model // n_heads, rope
        self.query = nn.Linear(d_model, d_model)
        self.key = nn.Linear(d_model, d_model)
        self.value = nn.Linear(d_model, d_model)
        self.out = nn.Linear(d_model, d_model)

    def _heads(self, x: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape
        return x.view(b, t, self.n_heads, self.head_dim).transpose(1, 2)  # (B, H, T, Dh)

    def keys_values(self, context: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Keys and values of the positions attended to, context (B, S, D) -> each (B, H, S, Dh)."""
        return self._heads(self.key(context)), self._heads(self.value(context))

    def project(self, x: torch.Tensor, offset: int = 0):
        """Self-attention's queries, keys and values from x, whose first position is number `offset` in the
        sequence (non-zero when earlier positions are cached)."""
        q, (k, v) = self._heads(self.query(x)), self.keys_values(x)
        if self.rope:
            positions = torch.arange(offset, offset + x.size(1))
            q, k = rotate_half_pairs(q, positions), rotate_half_pairs(k, positions)
        return q, k, v  # each (B, H, T, Dh)

    def scores(self, x: torch.Tensor) -> torch.Tensor:
        """The raw scaled query·key self-attention scores before any mask, (B, H, T, T)."""
        q, k, _ = self.project(x)
        return attention_scores(q, k)

    def forward(
        self,
        x,
        mask=None,
        need_weights=False,
        cache: KVCache | None = None,
        layer: int = 0,
        keys_values: tuple[torch.Tensor, torch.Tensor] | None = None,
    ):
        """Self-attention over x, or with keys_values (from `keys_values(context)`, computed once per source)
        cross-attention from x to that context."""
        if keys_values is not None:
            q, (k, v) = self._heads(self.query(x)), keys_values
        else:
            q, k, v = self.project(x, offset=cache.layer_length(layer) if cache is not None else 0)
            if cache is not None:
                k, v = cache.append(layer, k, v)  # (B, H, T_cached + T_new, Dh)
        y, weights = attention(q, k, v, mask, need_weights)  # (B, H, Tq, Dh)
        kept = (_ABLATION.get() or {}).get(self)
        if kept is not None:
            y = y * kept.to(y.device)[None, :, None, None]  # (B, H, Tq, Dh): switched-off heads give 0
        y = y.transpose(1, 2).reshape(x.size(0), x.size(1), -1)  # (B, Tq, D)
        return self.out(y), weights


@dataclass
class BlockOutput:
    hidden: torch.Tensor  # (B, T, D)
    self_attention: torch.Tensor | None  # (B, H, T, T)
    cross_attention: torch.Tensor | None = None  # (B, H, T, S)


class TransformerBlock(nn.Module):
    """Pre-norm block: self-attention, optional cross-attention to an encoder's output, feed-forward."""

    def __init__(self, config: ModelConfig, cross: bool = False):
        super().__init__()
        d = config.d_model
        self.self_norm = nn.LayerNorm(d)
        self.self_attn = MultiHeadAttention(d, config.n_heads, rope=config.positions == "rope")
        self.cross_norm = nn.LayerNorm(d) if cross else None
        self.cross_attn = MultiHeadAttention(d, config.n_heads) if cross else None
        self.ff_norm = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, config.d_ff), nn.GELU(), nn.Linear(config.d_ff, d))
        self.dropout = nn.Dropout(config.dropout)

    def forward(
        self, x, self_mask, memory=None, cross_mask=None, need_weights=False, cache=None, layer=0
    ) -> BlockOutput:
        """memory: this block's cross-attention keys and values of the encoder states (see `memory_keys_values`)."""
        h, self_weights = self.self_attn(
            self.self_norm(x), mask=self_mask, need_weights=need_weights, cache=cache, layer=layer
        )
        x = x + self.dropout(h)
        cross_weights = None
        if self.cross_attn is not None and memory is not None:
            h, cross_weights = self.cross_attn(self.cross_norm(x), cross_mask, need_weights, keys_values=memory)
            x = x + self.dropout(h)
        x = x + self.dropout(self.ff(self.ff_norm(x)))
        return BlockOutput(x, self_weights, cross_weights)


@dataclass
class StackOutput:
    hidden: torch.Tensor  # (B, T, D) after the final norm
    self_attention: tuple[torch.Tensor, ...] | None  # per layer (B, H, T, T)
    cross_attention: tuple[torch.Tensor, ...] | None = None  # per layer (B, H, T, S)


class TransformerStack(nn.Module):
    """Token embedding + positions + N blocks + final norm. The mask is given by the caller."""

    def __init__(self, config: ModelConfig, cross: bool = False):
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(config.vocab_size, config.d_model)
        self.position_embed = nn.Embedding(config.max_len, config.d_model) if config.positions == "learned" else None
        self.segment_embed = nn.Embedding(config.n_segments, config.d_model) if config.n_segments else None
        if config.positions == "sinusoidal":
            self.register_buffer("position_table", sinusoidal_table(config.max_len, config.d_model), persistent=False)
        self.blocks = nn.ModuleList(TransformerBlock(config, cross) for _ in range(config.n_layers))
        self.norm = nn.LayerNorm(config.d_model)
        self.dropout = nn.Dropout(config.dropout)

    def embed_tokens(self, ids: torch.Tensor, offset: int = 0, segments: torch.Tensor | None = None) -> torch.Tensor:
        """Token embeddings plus positions offset..offset+T-1 (and segment embeddings, segments (B, T)).
        -> (B, T, D)"""
        end = offset + ids.size(1)
        if end > self.config.max_len:
            raise ValueError(f"sequence of {end} tokens is longer than the model's maximum {self.config.max_len}")
        x = self.embed(ids)  # (B, T, D)
        if self.position_embed is not None:
            x = x + self.position_embed(torch.arange(offset, end, device=ids.device))
        elif self.config.positions == "sinusoidal":
            x = x + self.position_table[offset:end]
        if self.segment_embed is not None:
            x = x + self.segment_embed(segments)
        return self.dropout(x)

    def memory_keys_values(self, states: torch.Tensor) -> tuple[tuple[torch.Tensor, torch.Tensor], ...]:
        """Every block's cross-attention keys and values of the encoder states (B, S, D), each (B, H, S, Dh):
        they depend on the source only, so they are computed once, not at every decoder pass."""
        return tuple(block.cross_attn.keys_values(states) for block in self.blocks)

    def forward(
        self, ids, mask, memory=None, cross_mask=None, need_weights=False, cache: KVCache | None = None, segments=None
    ) -> StackOutput:
        """memory: per block, the cross-attention keys and values from `memory_keys_values` (None: no encoder)."""
        x = self.embed_tokens(ids, offset=cache.length if cache is not None else 0, segments=segments)
        record = _RECORDING.get()
        states = None if record is None else record.setdefault(self, [])
        if states is not None:
            states.append(x)
        self_attn, cross_attn = [], []
        for layer, block in enumerate(self.blocks):
            out = block(x, mask, memory[layer] if memory is not None else None, cross_mask, need_weights, cache, layer)
            x = out.hidden
            if states is not None:
                states.append(x)
            self_attn.append(out.self_attention)
            cross_attn.append(out.cross_attention)
        has_cross = need_weights and memory is not None
        return StackOutput(
            self.norm(x),
            tuple(self_attn) if need_weights else None,
            tuple(cross_attn) if has_cross else None,
        )

    @torch.no_grad()
    def layer_scores(self, ids: torch.Tensor, mask: torch.Tensor, layer: int) -> torch.Tensor:
        """Raw query·key scores (before masking) of one layer's self-attention, (B, H, T, T).
        Earlier layers run under the given mask, as they would in a real forward pass."""
        x = self.embed_tokens(ids)
        for block in self.blocks[:layer]:
            x = block(x, mask).hidden
        block = self.blocks[layer]
        return block.self_attn.scores(block.self_norm(x))


def key_padding(ids: torch.Tensor, pad_id: int) -> torch.Tensor:
    """(B, 1, Tk): True where the key is a real token, to combine with a (T, T) paradigm mask."""
    return (ids != pad_id)[:, None, :]
