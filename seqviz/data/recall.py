"""Recall over distance: a task whose answer lies a known number of tokens back, and nowhere else.

A sequence holds four key–value pairs (four different keys) among filler tokens, then one of the four keys again;
at the key's return the model must say its value, which lies exactly L tokens back:

    L = 7:   m A 3 E 7 B 0 C 5 q r t B  →  0        L = 1:   A 3 E 7 B 0 C 5 C  →  5

Keys (A–H), values (0–9) and fillers (m n p q r s t u) are three separate sets; the asked key appears only in
its pair and at the question, and the fillers are drawn uniformly and independently of the pairs, so only the
value L back decides the answer. Which pair is asked is uniform among those that fit before the question (at
L = 1 or 2 only the last pair; from L = 7 any of the four): a model that keeps only the latest pair scores
1/4 + 3/4 · 1/10 = 32.5% there, chance is 10%. The loss is taken at the question only; the sequences are the
models' whole world (no <bos>).

Training draws a fresh batch at every step, all of one distance L (so no padding), log-uniform in
TRAIN_DISTANCES; held-out sequences are new draws from their own seed per distance (at L = 1 new draws can
repeat training ones: there are only 8·7·6·5·10⁴ sequences; a repeat at L ≥ 4 is vanishingly rare).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from .vocab import Vocab

RECALL_KEYS = tuple("ABCDEFGH")
RECALL_VALUES = tuple("0123456789")
RECALL_FILLERS = tuple("mnpqrstu")
TRAIN_DISTANCES = (1, 64)  # L drawn from 1..64 (inclusive, log-uniform) at every training step
EVAL_DISTANCES = (1, 2, 4, 8, 16, 32, 64, 128, 256)  # 128 and 256: beyond training, for every model
MAX_DISTANCE = EVAL_DISTANCES[-1]
CHANCE = 1 / len(RECALL_VALUES)
PAIRS = 4  # key–value pairs among the fillers; one of them is asked
LATEST_ONLY = 1 / PAIRS + (1 - 1 / PAIRS) * CHANCE  # the score of keeping only the latest pair (from L = 7 on)


def recall_vocab() -> Vocab:
    return Vocab([*RECALL_KEYS, *RECALL_VALUES, *RECALL_FILLERS])


def value_ids(vocab: Vocab) -> list[int]:
    """The ids of the ten values, in order: a model's answer is its most probable one of these."""
    return [vocab.id(v) for v in RECALL_VALUES]


def check_distance(distance: int) -> int:
    if isinstance(distance, bool) or not isinstance(distance, int) or not 1 <= distance <= MAX_DISTANCE:
        raise ValueError(f"the distance L must be a whole number from 1 to {MAX_DISTANCE}, got {distance!r}")
    return distance


def recall_sequences(
    distance: int, n: int, vocab: Vocab, generator: torch.Generator, pairs: int = PAIRS
) -> torch.Tensor:
    """n sequences of `pairs` key–value pairs (distinct keys) among fillers, then one of the keys again, its
    value exactly L tokens back: 2·(pairs after the asked one) fillers first, the pairs, the rest of the
    fillers, the question; so every row is L + 2·pairs tokens long. The asked pair is uniform among those
    that fit (at L = 1 or 2 only the last). -> (n, L + 2·pairs)"""
    check_distance(distance)
    keys = torch.tensor([vocab.id(k) for k in RECALL_KEYS])
    values = torch.tensor(value_ids(vocab))
    fillers = torch.tensor([vocab.id(f) for f in RECALL_FILLERS])
    length = distance + 2 * pairs
    rows = fillers[torch.randint(len(fillers), (n, length), generator=generator)]
    fits = [i for i in range(pairs) if 2 * (pairs - 1 - i) <= distance - 1]
    for row in range(n):
        chosen = keys[torch.randperm(len(keys), generator=generator)[:pairs]]
        said = values[torch.randint(len(values), (pairs,), generator=generator)]
        asked = fits[int(torch.randint(len(fits), (1,), generator=generator))]
        start = 2 * (pairs - 1 - asked)  # leading fillers: the asked value then lies L back from the end
        rows[row, start : start + 2 * pairs : 2], rows[row, start + 1 : start + 2 * pairs : 2] = chosen, said
        rows[row, -1] = chosen[asked]
    return rows


def recall_answer(ids: torch.Tensor) -> torch.Tensor:
    """The value each sequence asks for: the token right after the first appearance of its last token (the
    key asked about), i.e. L back from the question. ids (B, T) -> (B,)"""
    first = (ids == ids[:, -1:]).int().argmax(1)  # (B,) where the key first appears
    return ids.gather(1, (first + 1)[:, None])[:, 0]


def distance_of(ids: torch.Tensor) -> torch.Tensor:
    """L of a batch of equal-length sequences: from the asked value to the question. (B,)"""
    first = (ids == ids[:, -1:]).int().argmax(1)
    return ids.size(1) - 2 - first


def with_answer(ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Training input and labels: the answer appended, so that the question's position predicts it (a causal
    model's next-token loss), and every label but the answer's padding, so the loss is the answer's only.
    -> ids (B, T + 1), labels (B, T + 1)"""
    answer = recall_answer(ids)
    full = torch.cat([ids, answer[:, None]], dim=1)
    labels = torch.zeros_like(full)  # <pad> (id 0) carries no loss
    labels[:, -1] = answer
    return full, labels


def recall_batches(vocab: Vocab, batch_size: int, distances: tuple[int, int] = TRAIN_DISTANCES):
    """Training batches: per step one distance L from distances (inclusive), log-uniform (each doubling of L
    as likely: L ≤ 8 in about half the steps), batch_size new sequences."""
    low, high = distances
    span = math.log(high + 1) - math.log(low)

    def next_batch(generator: torch.Generator) -> dict:
        draw = float(torch.rand((), generator=generator))
        distance = min(high, int(math.exp(math.log(low) + draw * span)))
        ids, labels = with_answer(recall_sequences(distance, batch_size, vocab, generator))
        return {"ids": ids, "labels": labels}

    return next_batch


def recall_splits(n_test: int, seed: int, distances: Sequence[int] = EVAL_DISTANCES) -> dict:
    """Held-out sequences per distance, each distance from its own generator (seed · 1000 + L), apart from
    training's stream (the recipe's seed). -> {"test": {L: (n_test, L + 2·PAIRS)}}"""
    vocab = recall_vocab()
    test = {L: recall_sequences(L, n_test, vocab, torch.Generator().manual_seed(seed * 1000 + L)) for L in distances}
    return {"test": test}


def example_sequence(distance: int, draw: int, vocab: Vocab | None = None) -> torch.Tensor:
    """One sequence at distance L for the page's live example, the same for the same (L, draw). -> (L + 2·PAIRS,)"""
    vocab = vocab or recall_vocab()
    if isinstance(draw, bool) or not isinstance(draw, int) or draw < 0:
        raise ValueError(f"the draw must be a whole number from 0, got {draw!r}")
    generator = torch.Generator().manual_seed(7_000_000 + 1000 * draw + check_distance(distance))
    return recall_sequences(distance, 1, vocab, generator)[0]


def shown(tokens: Sequence[str], limit: int = 24) -> str:
    """A sequence as text, its long run of fillers cut in the middle: "C 7 q m … t C"."""
    tokens = list(tokens)
    if len(tokens) <= limit:
        return " ".join(tokens)
    head, tail = tokens[: limit // 2], tokens[-(limit // 2) :]
    return " ".join([*head, f"… ({len(tokens) - len(head) - len(tail)}) …", *tail])
