"""What each model reads: token ids laid out as its paradigm expects, right-padded into one tensor."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from ..data.vocab import Vocab


def pad_rows(rows: list[list[int]], pad_id: int) -> torch.Tensor:
    width = max(map(len, rows))
    return torch.tensor([row + [pad_id] * (width - len(row)) for row in rows])  # (B, T)


def encode_mlm(sentences: Sequence[Sequence[str]], vocab: Vocab) -> torch.Tensor:
    """[CLS] words [SEP], right-padded. -> (B, T)"""
    return pad_rows([[vocab.cls_id, *vocab.encode(s), vocab.sep_id] for s in sentences], vocab.pad_id)


def encode_clm(sentences: Sequence[Sequence[str]], vocab: Vocab) -> torch.Tensor:
    """<bos> words <eos>, right-padded. -> (B, T)"""
    return pad_rows([[vocab.bos_id, *vocab.encode(s), vocab.eos_id] for s in sentences], vocab.pad_id)


def encode_prefix_pairs(pairs, vocab: Vocab) -> tuple[torch.Tensor, torch.Tensor]:
    """One sequence per pair for a decoder-only translator: <bos> source [SEP] target <eos>, right-padded,
    and each row's source length (<bos> to [SEP]). -> (B, T), (B,)"""
    rows = [[vocab.bos_id, *vocab.encode(s), vocab.sep_id, *vocab.encode(t), vocab.eos_id] for s, t in pairs]
    return pad_rows(rows, vocab.pad_id), torch.tensor([len(s) + 2 for s, _ in pairs])


def next_token_targets(ids: torch.Tensor, pad_id: int, first: torch.Tensor | None = None) -> torch.Tensor:
    """What each position predicts in a causal reading: the next token; IGNORE (-100) at the last position,
    before padding, and before position first (B,) when given (a prefix-LM scores only its target). -> (B, T)"""
    targets = torch.full_like(ids, -100)
    targets[:, :-1] = ids[:, 1:].masked_fill(ids[:, 1:] == pad_id, -100)
    if first is not None:
        position = torch.arange(ids.size(1), device=ids.device)[None, :]
        targets = targets.masked_fill(position < first.to(ids.device)[:, None], -100)
    return targets


def encode_pairs(pairs, vocab: Vocab) -> dict[str, torch.Tensor]:
    """Sources as words (B, S) and targets as <bos> words <eos> (B, T), right-padded; the keyword arguments
    of a seq2seq model's forward (labels = tgt: each position predicts the next target token)."""
    src = pad_rows([vocab.encode(s) for s, _ in pairs], vocab.pad_id)
    tgt = pad_rows([[vocab.bos_id, *vocab.encode(t), vocab.eos_id] for _, t in pairs], vocab.pad_id)
    return {"src": src, "tgt": tgt, "labels": tgt}
