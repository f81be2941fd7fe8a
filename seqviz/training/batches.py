"""Training batches of the built-in models: sentences and pairs drawn by length, then encoded and, per
objective, corrupted (masked-LM), shifted (causal LM), paired (translation) or masked (NAT, CMLM, CTC)."""

from __future__ import annotations

from collections.abc import Callable

import torch

from ..data.vocab import Vocab
from ..models.autoencoding import masked_lm_corruption
from ..models.inputs import encode_clm, encode_mlm, encode_pairs, pad_rows


def length_windows(sentences, batch_size: int, length: Callable = len) -> Callable[[torch.Generator], list]:
    """Draw batches of sentences of similar length (a random window of the length-sorted list), so little
    compute goes to padding; every sentence is still equally likely to be drawn."""
    by_length = sorted(sentences, key=length)
    window = min(len(by_length), 8 * batch_size)

    def draw(generator: torch.Generator) -> list:
        start = int(torch.randint(len(by_length) - window + 1, (1,), generator=generator))
        picks = torch.randint(window, (batch_size,), generator=generator) + start
        return [by_length[i] for i in picks.tolist()]

    return draw


def maskable_positions(ids: torch.Tensor, vocab: Vocab) -> torch.Tensor:
    """Words may be masked; [CLS], [SEP] and padding may not. -> (B, T) bool"""
    return ~torch.isin(ids, torch.tensor(sorted(vocab.special_ids)))


def mlm_batches(sentences, vocab: Vocab, batch_size: int) -> Callable[[torch.Generator], dict]:
    draw, random_ids = length_windows(sentences, batch_size), torch.tensor(vocab.regular_ids)

    def next_batch(generator: torch.Generator) -> dict:
        ids = encode_mlm(draw(generator), vocab)
        corrupted, labels = masked_lm_corruption(
            ids, vocab.mask_id, maskable_positions(ids, vocab), random_ids, generator
        )
        return {"ids": corrupted, "labels": labels}

    return next_batch


def clm_batches(sentences, vocab: Vocab, batch_size: int) -> Callable[[torch.Generator], dict]:
    draw = length_windows(sentences, batch_size)

    def next_batch(generator: torch.Generator) -> dict:
        ids = encode_clm(draw(generator), vocab)
        return {"ids": ids, "labels": ids}

    return next_batch


def clm_distill_batches(sentences, vocab: Vocab, batch_size: int, teacher) -> Callable[[torch.Generator], dict]:
    """Causal-LM batches whose targets are the teacher's next-token distributions (knowledge distillation:
    a speculative-decoding draft learns to guess what the target would say)."""
    plain = clm_batches(sentences, vocab, batch_size)

    def next_batch(generator: torch.Generator) -> dict:
        batch = plain(generator)
        with torch.no_grad():
            batch["teacher_probs"] = teacher(batch["ids"]).logits.softmax(-1)  # (B, T, V)
        return batch

    return next_batch


def pair_batches(pairs, vocab: Vocab, batch_size: int) -> Callable[[torch.Generator], dict]:
    draw = length_windows(pairs, batch_size, length=lambda pair: len(pair[0]))  # similar source lengths
    return lambda generator: encode_pairs(draw(generator), vocab)


def parallel_batches(pairs, vocab: Vocab, batch_size: int, objective: str) -> Callable[[torch.Generator], dict]:
    """Batches for the non-autoregressive objectives: nat reads every target position as [MASK]; cmlm masks
    a uniformly drawn number of them (1..T) and scores only those; ctc reads the source and scores the target."""
    draw = length_windows(pairs, batch_size, length=lambda pair: len(pair[0]))

    def next_batch(generator: torch.Generator) -> dict:
        chosen = draw(generator)
        src = pad_rows([vocab.encode(s) for s, _ in chosen], vocab.pad_id)
        tgt = pad_rows([vocab.encode(t) for _, t in chosen], vocab.pad_id)  # (B, T) no <bos>/<eos>
        if objective == "ctc":
            return {"src": src, "labels": tgt}
        real = tgt != vocab.pad_id
        masked = real
        if objective == "cmlm":
            count = (torch.rand(len(chosen), generator=generator) * real.sum(1)).long() + 1  # 1..T per row
            rank = torch.rand(tgt.shape, generator=generator).masked_fill(~real, 2.0).argsort(1).argsort(1)
            masked = rank < count[:, None]
        return {
            "src": src,
            "tgt": tgt.masked_fill(masked, vocab.mask_id),
            "labels": tgt.masked_fill(~masked, vocab.pad_id),
        }

    return next_batch
