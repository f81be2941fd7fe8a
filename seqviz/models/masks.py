"""Named attention masks: the mask is what turns one Transformer block into each paradigm.

Every builder returns a boolean tensor where True means "this query may attend to this key".
Shapes are (Tq, Tk) for a single sequence, (B, Tq, Tk) when padding makes rows differ per example.
`attention()` broadcasts either against scores of shape (B, H, Tq, Tk).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch


def bidirectional_mask(length: int) -> torch.Tensor:
    """Encoder / BERT: every position sees every position."""
    return torch.ones(length, length, dtype=torch.bool)  # (T, T)


def causal_mask(length: int) -> torch.Tensor:
    """Decoder / GPT: position i sees positions 0..i (lower triangle, diagonal included)."""
    return torch.ones(length, length, dtype=torch.bool).tril()  # (T, T)


def prefix_lm_mask(length: int, prefix_length: int) -> torch.Tensor:
    """UniLM / T5 prefix-LM: bidirectional inside the prefix, causal after it."""
    if not 0 <= prefix_length <= length:
        raise ValueError(f"prefix_length must be in 0..{length}, got {prefix_length}")
    mask = causal_mask(length)
    mask[:, :prefix_length] = True  # every position sees the whole prefix
    return mask  # (T, T)


def padding_mask(lengths: Sequence[int], max_length: int | None = None, num_queries: int | None = None) -> torch.Tensor:
    """Batch padding: query rows may attend only to the real (non-pad) keys of their own example."""
    max_length = max(lengths) if max_length is None else max_length
    if any(not 0 < n <= max_length for n in lengths):
        raise ValueError(f"every length must be in 1..{max_length}, got {list(lengths)}")
    key_is_real = torch.arange(max_length)[None, :] < torch.tensor(lengths)[:, None]  # (B, Tk)
    num_queries = max_length if num_queries is None else num_queries
    return key_is_real[:, None, :].expand(-1, num_queries, -1).clone()  # (B, Tq, Tk)


def cross_mask(target_length: int, source_lengths: Sequence[int], max_source_length: int | None = None) -> torch.Tensor:
    """Decoder → encoder cross-attention: every target position sees every real source position."""
    return padding_mask(source_lengths, max_source_length, num_queries=target_length)  # (B, Tt, Ts)


def encoder_decoder_masks(
    source_lengths: Sequence[int], target_length: int, max_source_length: int | None = None
) -> dict[str, torch.Tensor]:
    """The three masks of an encoder-decoder: encoder self (bidirectional over real source),
    decoder self (causal), and cross (decoder queries over real source keys)."""
    return {
        "encoder_self": padding_mask(source_lengths, max_source_length),  # (B, Ts, Ts)
        "decoder_self": causal_mask(target_length),  # (Tt, Tt)
        "cross": cross_mask(target_length, source_lengths, max_source_length),  # (B, Tt, Ts)
    }


def permutation_mask(order: Sequence[int], include_self: bool = True) -> torch.Tensor:
    """XLNet: for a factorisation order, position order[i] sees positions order[:i] (and itself in the
    content stream, include_self=True; not in the query stream, include_self=False)."""
    length = len(order)
    if sorted(order) != list(range(length)):
        raise ValueError(f"order must be a permutation of 0..{length - 1}, got {list(order)}")
    rank = torch.empty(length, dtype=torch.long)
    rank[torch.tensor(order)] = torch.arange(length)  # rank[p] = step at which position p is predicted
    if include_self:
        return rank[:, None] >= rank[None, :]  # (T, T)
    return rank[:, None] > rank[None, :]  # (T, T)


def nar_decoder_mask(length: int) -> torch.Tensor:
    """Non-autoregressive decoder self-attention: every target slot sees every other (no causal mask)."""
    return bidirectional_mask(length)  # (T, T)


def joint_mask(source_length: int, target_length: int, causal_target: bool = True) -> torch.Tensor:
    """An encoder-decoder drawn as one matrix over [source; target]: source rows see the source only
    (encoder self-attention); target rows see the whole source (cross-attention) and the target causally
    (autoregressive decoder) or entirely (non-autoregressive decoder). The causal case equals prefix-LM."""
    length = source_length + target_length
    mask = prefix_lm_mask(length, source_length)
    if not causal_target:
        mask[source_length:, source_length:] = True
    return mask  # (S+T, S+T)


def raster_mask(height: int, width: int) -> torch.Tensor:
    """PixelRNN/PixelCNN: the pixels of an image in raster order (row by row, left to right); pixel i sees
    pixels 0..i-1, never itself — the causal mask over H·W positions, without its diagonal. -> (HW, HW)"""
    n = height * width
    return torch.ones(n, n, dtype=torch.bool).tril(-1)  # (HW, HW)


def pixel_kernel_mask(size: int, kind: str) -> torch.Tensor:
    """The masked convolution's kernel (van den Oord et al. 2016): the rows above the centre, and the
    centre row left of the centre; type "A" (the first layer) blocks the centre pixel itself, type "B"
    (every later layer, whose centre already holds only earlier pixels) lets it through. -> (size, size)"""
    if kind not in ("A", "B") or size % 2 == 0:
        raise ValueError(f"kind must be 'A' or 'B' and size odd, got {kind!r}, {size}")
    mask = torch.zeros(size, size, dtype=torch.bool)
    centre = size // 2
    mask[:centre] = True  # the rows above
    mask[centre, : centre + (kind == "B")] = True  # left of the centre, and the centre itself for B
    return mask  # (size, size)


@dataclass(frozen=True)
class MaskView:
    """A mask with the tokens on its two axes, ready for a figure."""

    mask: torch.Tensor  # (Tq, Tk) bool
    query_labels: tuple[str, ...]
    key_labels: tuple[str, ...]


PAD_LABEL = "<pad>"


def mask_gallery(
    tokens: Sequence[str],
    target: Sequence[str],
    second: Sequence[str],
    prefix_length: int,
    order: Sequence[int],
) -> dict[str, MaskView]:
    """Every named mask for one sentence (plus a target sentence for the encoder-decoder masks and a second
    sentence for padding), in the order a lesson would show them."""
    tokens, target, second = tuple(tokens), tuple(target), tuple(second)
    n = len(tokens)
    enc_dec = encoder_decoder_masks([n], len(target))
    batch_width = max(n, len(second))
    padded = padding_mask([n, len(second)], batch_width)  # (2, T, T)
    shorter, shorter_tokens = (1, second) if len(second) <= n else (0, tokens)
    shorter_labels = shorter_tokens + (PAD_LABEL,) * (batch_width - len(shorter_tokens))
    return {
        "bidirectional": MaskView(bidirectional_mask(n), tokens, tokens),
        "causal": MaskView(causal_mask(n), tokens, tokens),
        "prefix_lm": MaskView(prefix_lm_mask(n, prefix_length), tokens, tokens),
        "permutation": MaskView(permutation_mask(order), tokens, tokens),
        "encoder_self": MaskView(enc_dec["encoder_self"][0], tokens, tokens),
        "decoder_self": MaskView(enc_dec["decoder_self"], target, target),
        "cross": MaskView(enc_dec["cross"][0], target, tokens),
        "nar_decoder": MaskView(nar_decoder_mask(len(target)), target, target),
        "padding": MaskView(padded[shorter], shorter_labels, shorter_labels),
    }


# The catalogue entries (seqviz/locales) naming each mask of the gallery and saying why it has its shape.
MASK_TITLE_KEYS = {
    "bidirectional": "mask_bidirectional",
    "causal": "mask_causal",
    "prefix_lm": "mask_prefix_lm",
    "permutation": "mask_permutation",
    "encoder_self": "mask_encoder_self",
    "decoder_self": "mask_decoder_self",
    "cross": "mask_cross",
    "nar_decoder": "mask_nar_decoder",
    "padding": "mask_padding",
}
MASK_WHY_KEYS = {
    "bidirectional": "mask_why_bidirectional",
    "causal": "mask_why_causal",
    "prefix_lm": "mask_why_prefix_lm",
    "permutation": "mask_why_permutation",
    "encoder_self": "mask_why_encoder_self",
    "decoder_self": "mask_why_decoder_self",
    "cross": "mask_why_cross",
    "nar_decoder": "mask_why_nar_decoder",
    "padding": "mask_why_padding",
}


# masks over a single sentence, whose query·key scores can be shown from a self-attention layer
SELF_ATTENTION_MASKS = ("bidirectional", "causal", "prefix_lm", "permutation", "nar_decoder")


def parse_order(text: str, length: int) -> list[int] | None:
    """'3 1 2' (1-based positions, as people count) -> [2, 0, 1]; None unless it is a permutation of 1..length."""
    parts = str(text).replace(",", " ").split()
    if len(parts) != length or not all(p.isdigit() and len(p) < 6 for p in parts):
        return None
    order = [int(p) - 1 for p in parts]
    return order if sorted(order) == list(range(length)) else None


def example_order(length: int) -> list[int]:
    """A fixed, non-trivial factorisation order to start from: the middle first, then outwards
    (e.g. 4 tokens -> positions 3 1 4 2 in people's counting), so it differs from left to right."""
    middle = length // 2
    order = [middle]
    for step in range(1, length):
        candidate = middle - (step + 1) // 2 if step % 2 else middle + step // 2
        order.append(candidate)
    return order if sorted(order) == list(range(length)) else list(range(length))


def format_order(order: Sequence[int]) -> str:
    return " ".join(str(i + 1) for i in order)
