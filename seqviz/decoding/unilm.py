"""Translating with a decoder-only prefix LM (UniLM's seq2seq mode): the source is read bidirectionally,
the target written left to right after [SEP], in one stack."""

from __future__ import annotations

import torch

from ..data.vocab import Vocab
from ..models.inputs import pad_rows


@torch.no_grad()
def prefix_translate(model, src: torch.Tensor, vocab: Vocab, max_new_tokens: int | None = None) -> list[list[int]]:
    """Greedy translations of a padded batch of sources (B, S) by a seq2seq view (model(ids) reads
    <bos> source [SEP] target). Every row is rebuilt without gaps and run whole at each step (no cache: rows
    of different lengths keep their target right after their own [SEP], where training put it)."""
    sources = [[t for t in row if t != vocab.pad_id] for row in src.tolist()]
    written: list[list[int]] = [[] for _ in sources]
    active = list(range(len(sources)))
    limit = model.config.max_len
    for _ in range(max_new_tokens or limit):
        rows = [[vocab.bos_id, *sources[i], vocab.sep_id, *written[i]] for i in active]
        if max(map(len, rows)) >= limit:
            break
        ids = pad_rows(rows, vocab.pad_id).to(src.device)  # (B', T)
        last = torch.tensor([len(row) - 1 for row in rows], device=src.device)
        scores = model(ids).logits[torch.arange(len(rows)), last]  # (B', V)
        scores[:, [i for i in vocab.special_ids if i != vocab.eos_id]] = float("-inf")  # text or <eos> only
        tokens = scores.argmax(-1).tolist()
        still = []
        for i, token in zip(active, tokens, strict=True):
            if token != vocab.eos_id:
                written[i].append(token)
                still.append(i)
        active = still
        if not active:
            break
    return written
