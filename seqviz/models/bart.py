"""BART (Lewis et al., 2020): a denoising autoencoder for pre-training an encoder-decoder.

The network is the translator's (seq2seq.py): a bidirectional encoder reads a corrupted sentence, a causal
decoder with cross-attention writes the WHOLE original sentence back, token by token. What is new is the
pre-training objective, not the network: corrupt, then reconstruct everything. T5 (data/text_to_text.py),
by contrast, writes only the dropped spans after their sentinels; BERT predicts only the masked tokens, in
place, with no decoder at all.

The noises here act on one sentence's word ids (no specials but the [MASK] they insert), each seeded by a
`random.Random` the caller passes in, and each reports what it did so a page can show it:
- mask_tokens: words replaced by [MASK] (the length is kept: the model knows where, not what);
- delete_tokens: words removed (the model must find where something is missing, and what);
- infill_spans: text infilling, spans of 0–3 words each replaced by ONE [MASK] (the model must find how
  many words are missing; a 0-length span inserts a [MASK] where nothing is missing);
- shuffle_locally: each word moved at most k places (word order, the grammar's reordering).
The paper's other two noises, sentence permutation and document rotation, need documents of several
sentences; our inputs are single sentences, so local word shuffling (Lample et al., 2018) stands in for them.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..data.vocab import SPECIALS
from .seq2seq import TransformerSeq2Seq

MASK_ID = SPECIALS.index("[MASK]")  # every seqviz vocabulary puts its specials first, in the same order
SPECIAL_IDS = frozenset(range(len(SPECIALS)))
NOISE_PROB = 0.15  # masking and deletion: each word's chance
MAX_SPAN = 3  # infilling: span lengths are Poisson(3) redrawn above 3, so 0, 1, 2 or 3 words
SPAN_LAMBDA = 3.0
WORDS_PER_SPAN = 8  # infilling: one span per (started) 8 words
SHUFFLE_DISTANCE = 3  # local shuffling: no word moves more than k = 3 places


class BART(TransformerSeq2Seq):
    """The translator's encoder-decoder, trained to rewrite the whole original sentence from a noised one.

    Nothing in the network differs from TransformerSeq2Seq: the novelty is the pre-training objective (the
    batches: noised source, the whole original as target; T5 writes only the dropped spans). Fine-tuned on
    translation, the same weights start from an encoder that already reads the language and a decoder that
    already writes it."""

    paradigm = "autoencoding"  # a denoising autoencoder, built from a sequence-to-sequence network


@dataclass(frozen=True)
class Noised:
    """A noised sentence and what the noise did, in positions of the original sentence."""

    ids: list[int]  # the encoder's input
    positions: tuple[int, ...] = ()  # mask_tokens: the masked words; delete_tokens: the deleted ones
    spans: tuple[tuple[int, int], ...] = ()  # infill_spans: (start, length) of each span, each now one [MASK]
    order: tuple[int, ...] = ()  # shuffle_locally: the original position of each word of the output


def words_of(ids: Sequence[int]) -> list[int]:
    """The positions a noise may touch: the words, never a special."""
    return [i for i, token in enumerate(ids) if token not in SPECIAL_IDS]


def chosen_words(ids: Sequence[int], rng: random.Random, prob: float, at_most: int) -> list[int]:
    """Each word chosen with probability prob; at least one (when there is a word), at most at_most."""
    words = words_of(ids)
    chosen = [i for i in words if rng.random() < prob]
    if not chosen and words:
        chosen = [rng.choice(words)]
    if len(chosen) > at_most:
        chosen = sorted(rng.sample(chosen, at_most))
    return chosen


def mask_tokens(ids: Sequence[int], rng: random.Random, prob: float = NOISE_PROB) -> Noised:
    """Token masking: each word -> [MASK] with probability prob (at least one). The length is kept."""
    chosen = chosen_words(ids, rng, prob, len(ids))
    out = list(ids)
    for i in chosen:
        out[i] = MASK_ID
    return Noised(out, positions=tuple(chosen))


def delete_tokens(ids: Sequence[int], rng: random.Random, prob: float = NOISE_PROB) -> Noised:
    """Token deletion: each word removed with probability prob (at least one, never all, never a special)."""
    chosen = set(chosen_words(ids, rng, prob, len(ids) - 1))
    return Noised([t for i, t in enumerate(ids) if i not in chosen], positions=tuple(sorted(chosen)))


def span_length(rng: random.Random, lam: float = SPAN_LAMBDA, most: int = MAX_SPAN) -> int:
    """A Poisson(lam) draw, redrawn until it is at most `most` (Knuth's product of uniforms).
    With lam = 3: 0 words 8%, 1 word 23%, 2 and 3 words 35% each."""
    while True:
        k, product, limit = 0, rng.random(), math.exp(-lam)
        while product > limit:
            k, product = k + 1, product * rng.random()
        if k <= most:
            return k


def infill_spans(ids: Sequence[int], rng: random.Random) -> Noised:
    """Text infilling: ceil(n / 8) spans of 0–3 words (never all the words), apart from each other by at least
    one word, each replaced by one [MASK]; a 0-length span inserts a [MASK] before word `start`."""
    n = len(ids)
    wanted = max(1, -(-n // WORDS_PER_SPAN))
    spans: list[tuple[int, int]] = []
    for _ in range(20 * wanted):
        if len(spans) == wanted:
            break
        length = min(span_length(rng), max(0, n - 1))  # at least one word is left
        start = rng.randint(0, n - length)  # a 0-length span may stand after the last word
        apart = all(start > s + w or s > start + length for s, w in spans)  # a word between any two
        if apart and all(i not in SPECIAL_IDS for i in ids[start : start + length]):
            spans.append((start, length))
    spans.sort()
    out, position = [], 0
    for start, length in spans:
        out += [*ids[position:start], MASK_ID]
        position = start + length
    out += ids[position:]
    return Noised(out, spans=tuple(spans))


def shuffle_locally(ids: Sequence[int], rng: random.Random, k: int = SHUFFLE_DISTANCE) -> Noised:
    """Local shuffling (Lample et al., 2018): sort the words by i + U(0, k + 1), so no word moves more than k
    places (a word can only pass words whose keys started less than k + 1 apart)."""
    order = sorted(range(len(ids)), key=lambda i: i + rng.uniform(0, k + 1))
    return Noised([ids[i] for i in order], order=tuple(order))


NOISES: dict[str, Callable[[Sequence[int], random.Random], Noised]] = {
    "mask": mask_tokens,
    "delete": delete_tokens,
    "infill": infill_spans,
    "shuffle": shuffle_locally,
}


def noise(name: str, ids: Sequence[int], rng: random.Random) -> Noised:
    """One of NOISES applied to a sentence's word ids."""
    if name not in NOISES:
        raise ValueError(f"unknown noise {name!r}; known: {sorted(NOISES)}")
    return NOISES[name](ids, rng)


def explains(name: str, sentence: Sequence, noised: Sequence, mask=MASK_ID) -> bool:
    """Could noise `name` have turned this sentence into the noised input? A reconstruction that explains the
    input is a right answer up to what the noise destroyed (a masked adjective may have been any adjective).
    Tokens may be ids or words (then pass mask="[MASK]"). Infilling's spans are not checked for a gap between
    them."""
    sentence, noised = list(sentence), list(noised)
    if name == "mask":
        return len(sentence) == len(noised) and all(b in (a, mask) for a, b in zip(sentence, noised, strict=True))
    if name == "delete":
        rest = iter(sentence)
        return min(1, len(sentence)) <= len(noised) <= len(sentence) and all(token in rest for token in noised)
    if name == "infill":  # reach[i]: the sentence's first i words can be read as the input so far
        reach = {0}
        for token in noised:
            if token == mask:
                reach = {i + k for i in reach for k in range(MAX_SPAN + 1) if i + k <= len(sentence)}
            else:
                reach = {i + 1 for i in reach if i < len(sentence) and sentence[i] == token}
        return len(sentence) in reach and mask in noised
    if name == "shuffle":  # equal words matched in order: the smallest largest move
        if sorted(map(str, sentence)) != sorted(map(str, noised)):
            return False
        where: dict = {}
        for i, token in enumerate(sentence):
            where.setdefault(token, []).append(i)
        return all(abs(where[token].pop(0) - j) <= SHUFFLE_DISTANCE for j, token in enumerate(noised))
    raise ValueError(f"unknown noise {name!r}; known: {sorted(NOISES)}")
