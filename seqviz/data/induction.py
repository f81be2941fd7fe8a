"""Random-symbol sequences for induction heads (Elhage et al. 2021; Olsson et al. 2022), and few-shot prompts.

The symbols are 60 syllables ("ba", "de", … "tu"): easy to read aloud in a class, none alike. A training
sequence is <bos> and LENGTH random symbols in which one random stretch of STRETCH_MIN–STRETCH_MAX symbols
appears twice, at random places (so no fixed offset could copy it: only the content can find the earlier
copy), and a few pairs of symbols are written twice elsewhere. Inside the first occurrence nothing can predict
the next symbol (the loss stays at ln 60); inside the second, a model that finds the earlier copy of the current
symbol and reads what followed it can.

Few-shot prompts: a fresh random mapping of keys to values (different symbols, drawn anew for every
prompt, so the model never saw it as such) written as pairs one after another, then a key: with k = 2,
"ka mi | so du | ka" is read as the tokens `ka mi so du ka`, and the next token should be "mi". The model's
vocabulary has only the symbols, so there are no arrows or commas. k = 0 (the key alone) is the zero-shot
baseline: chance, 1/60. Every key shown is distinct and the query is one of them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import torch

from .vocab import Vocab

CONSONANTS, VOWELS = "bdfgklmnprst", "aeiou"
SYMBOLS = tuple(c + v for c in CONSONANTS for v in VOWELS)  # 60 syllables
LENGTH = 64  # symbols after <bos>
STRETCH_MIN, STRETCH_MAX = 10, 24
# and PAIRS pairs of symbols, each written twice at random free places: in random symbols most earlier copies of
# the current symbol are coincidences, so without these a model learns to trust only long matches, and a single
# "key value" example (few-shot) would not be copied
PAIRS = 4
CHANCE = 1 / len(SYMBOLS)
MAX_SHOTS = 8


def induction_vocab() -> Vocab:
    return Vocab(SYMBOLS)


@dataclass(frozen=True)
class Repeated:
    """One sequence: its symbols (without <bos>) and where the stretch starts each time (symbol indices)."""

    symbols: tuple[str, ...]
    first: int  # the stretch's first symbol is symbols[first] (and symbols[second])
    second: int
    length: int  # of the stretch

    def ids(self, vocab: Vocab) -> list[int]:
        """<bos> then the symbols' ids: the symbol i sits at position i + 1."""
        return [vocab.bos_id, *vocab.encode(self.symbols)]

    def targets(self, which: str) -> list[int]:
        """The positions (in ids, <bos> at 0) of the predictable symbols of one occurrence: its 2nd … last
        symbol ("first" or "second"); position p is predicted from position p − 1."""
        start = self.first if which == "first" else self.second
        return [start + i + 1 for i in range(1, self.length)]


def repeated_sequence(rng: random.Random, length: int = LENGTH) -> Repeated:
    """LENGTH random symbols with one random stretch written twice, the second copy after the first ends."""
    stretch = rng.randint(STRETCH_MIN, STRETCH_MAX)
    symbols = [rng.choice(SYMBOLS) for _ in range(length)]
    # two non-overlapping places: choose the gap before, between and after the two copies
    free = length - 2 * stretch
    cuts = sorted(rng.randint(0, free) for _ in range(2))
    first = cuts[0]
    second = first + stretch + (cuts[1] - cuts[0])
    copy = [rng.choice(SYMBOLS) for _ in range(stretch)]
    symbols[first : first + stretch] = copy
    symbols[second : second + stretch] = copy
    taken = set(range(first, first + stretch)) | set(range(second, second + stretch))
    for _ in range(PAIRS):  # short repeats: a pair written twice elsewhere (one symbol announces the next)
        starts = [i for i in range(length - 1) if i not in taken and i + 1 not in taken]
        if len(starts) < 2:
            break
        a, b = sorted(rng.sample(starts, 2))
        if b < a + 2:
            continue
        pair = [rng.choice(SYMBOLS), rng.choice(SYMBOLS)]
        symbols[a : a + 2] = symbols[b : b + 2] = pair
        taken |= {a, a + 1, b, b + 1}
    return Repeated(tuple(symbols), first, second, stretch)


def repeated_sequences(n: int, seed: int, length: int = LENGTH) -> list[Repeated]:
    rng = random.Random(seed)
    return [repeated_sequence(rng, length) for _ in range(n)]


def induction_splits(n_test: int, seed: int) -> dict[str, list[Repeated]]:
    """The held-out sequences (training draws new ones at every step, from another stream)."""
    return {"test": repeated_sequences(n_test, seed)}


def induction_batches(vocab: Vocab, batch_size: int, length: int = LENGTH):
    """Next-token batches of new sequences: each drawn from a seed the training generator gives (its own stream,
    never the test split's seed)."""

    def next_batch(generator: torch.Generator) -> dict:
        rng = random.Random(int(torch.randint(2**62, (1,), generator=generator)))
        ids = torch.tensor([repeated_sequence(rng, length).ids(vocab) for _ in range(batch_size)])
        return {"ids": ids, "labels": ids}

    return next_batch


def repeat_targets(tokens: list[str]) -> list[int]:
    """For any sequence (a typed one too): the positions p (in <bos> + tokens) whose symbol could be copied,
    because the pair (symbol p − 1, symbol p) came earlier in the same order. -> positions in <bos> + tokens."""
    seen, out = set(), []
    for i in range(1, len(tokens)):
        pair = (tokens[i - 1], tokens[i])
        if pair in seen:
            out.append(i + 1)
        seen.add(pair)
    return out


# ---- few-shot prompts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FewShot:
    """k example pairs of a fresh mapping, then the query key; answer: the value the mapping gives it."""

    pairs: tuple[tuple[str, str], ...]
    query: str
    answer: str

    @property
    def tokens(self) -> tuple[str, ...]:
        return (*(s for pair in self.pairs for s in pair), self.query)

    def ids(self, vocab: Vocab) -> list[int]:
        return [vocab.bos_id, *vocab.encode(self.tokens)]


def few_shot_prompt(rng: random.Random, k: int) -> FewShot:
    """k pairs of distinct keys and values (2k + 1 different symbols); the query is one of the k keys (k ≥ 1),
    or, for k = 0, a key whose value the prompt never shows."""
    if not 0 <= k <= MAX_SHOTS:
        raise ValueError(f"k must be between 0 and {MAX_SHOTS}, got {k}")
    drawn = rng.sample(SYMBOLS, 2 * max(k, 1))
    keys, values = drawn[0::2], drawn[1::2]
    index = rng.randrange(max(k, 1))
    pairs = tuple(zip(keys, values, strict=True))[:k]
    return FewShot(pairs, keys[index], values[index])


def few_shot_prompts(k: int, n: int, seed: int) -> list[FewShot]:
    rng = random.Random(seed * 1_000 + k)
    return [few_shot_prompt(rng, k) for _ in range(n)]


def parse_symbols(text: str, max_symbols: int = LENGTH) -> tuple[list[str], list[str], bool]:
    """A typed sequence: (known symbols kept, unknown words left out, cut to max_symbols). Words are separated
    by spaces or commas; case is ignored."""
    words = [w for w in text.replace(",", " ").lower().split() if w]
    known = [w for w in words if w in SYMBOLS]
    unknown = list(dict.fromkeys(w for w in words if w not in SYMBOLS))
    return known[:max_symbols], unknown, len(known) > max_symbols
