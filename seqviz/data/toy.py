"""The toy English→French language's data: splits, user input, examples and vocabularies, and the
right-context sites of the lessons. The generator lives in toy_generator.py, the grammar and checker in
toy_grammar.py, the word tables in toy_lexicon.py.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Iterator, Sequence

from . import toy_lexicon as lex
from .toy_generator import MIN_TGT_LEN, Pair, generate_pair
from .toy_grammar import (
    Lattice,
    canonical_translation,
    check_translation,
    is_grammatical,
    parse_english,
    translations,
    valid_fills,
)
from .toy_lexicon import EN_WORDS, FR_WORDS, PL, SG
from .vocab import Vocab

__all__ = [
    "EN_WORDS",
    "FR_WORDS",
    "Lattice",
    "split_pairs",
    "make_splits",
    "iter_split",
    "parse_english",
    "is_grammatical",
    "translations",
    "check_translation",
    "canonical_translation",
    "valid_fills",
    "unknown_words",
    "example_sentences",
    "en_vocab",
    "fr_vocab",
    "joint_vocab",
    "right_context_sites",
    "subject_number",
    "RIGHT_CONTEXT_EXAMPLES",
]

# ---------------------------------------------------------------------------------------------
# Splits: a sentence's split is decided by a hash of its English words, so no English sentence
# ever appears in two splits (whatever the seed, as long as the proportions are the same).

SPLIT_NAMES = ("train", "valid", "test")


def _hash_fraction(en: Sequence[str]) -> float:
    digest = hashlib.sha256(" ".join(en).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _split_of(en: Sequence[str], fractions: Sequence[float]) -> str:
    u, total = _hash_fraction(en), sum(fractions)
    for name, bound in zip(SPLIT_NAMES, _cumulative(f / total for f in fractions), strict=True):
        if u < bound:
            return name
    return SPLIT_NAMES[-1]


def _cumulative(values: Iterable[float]) -> list[float]:
    out, acc = [], 0.0
    for v in values:
        acc += v
        out.append(acc)
    return out


def split_pairs(pairs: Iterable[Pair], fractions: Sequence[float] = (0.8, 0.1, 0.1)) -> dict[str, list[Pair]]:
    """Partition pairs into train/valid/test by a stable hash of the English sentence."""
    if len(fractions) != 3 or min(fractions) < 0 or sum(fractions) <= 0:
        raise ValueError("fractions must be three non-negative numbers with a positive sum")
    splits: dict[str, list[Pair]] = {name: [] for name in SPLIT_NAMES}
    for pair in pairs:
        splits[_split_of(pair.en, fractions)].append(pair)
    return splits


def make_splits(n_train: int, n_valid: int, n_test: int, seed: int, **len_kwargs) -> dict[str, list[Pair]]:
    """Exactly n_train/n_valid/n_test pairs, no English sentence shared between splits.
    ``len_kwargs`` are make_pairs' min_tgt_len / max_tgt_len."""
    splits: dict[str, list[Pair]] = {name: [] for name in SPLIT_NAMES}
    for name, pair in _drawn(n_train, n_valid, n_test, seed, **len_kwargs):
        splits[name].append(pair)
    return splits


def iter_split(split: str, n_train: int, n_valid: int, n_test: int, seed: int, **len_kwargs) -> Iterator[Pair]:
    """The pairs of make_splits(n_train, n_valid, n_test, seed)[split], in its order, drawn one by one: its
    first few cost a few draws instead of the whole data set (a page that shows ten test pairs)."""
    if split not in SPLIT_NAMES:
        raise ValueError(f"split must be one of {SPLIT_NAMES}, got {split!r}")
    return (pair for name, pair in _drawn(n_train, n_valid, n_test, seed, **len_kwargs) if name == split)


def _drawn(n_train: int, n_valid: int, n_test: int, seed: int, **len_kwargs) -> Iterator[tuple[str, Pair]]:
    """(split, pair) for every pair make_splits keeps, in the order it draws them. The arguments are checked
    here, at the call, not at the first draw."""
    wanted = dict(zip(SPLIT_NAMES, (n_train, n_valid, n_test), strict=True))
    if min(wanted.values()) < 0:
        raise ValueError("split sizes must be >= 0")
    lo, hi = len_kwargs.pop("min_tgt_len", 3), len_kwargs.pop("max_tgt_len", 35)
    if len_kwargs:
        raise TypeError(f"unexpected arguments: {', '.join(len_kwargs)}")
    if not MIN_TGT_LEN <= lo <= hi:
        raise ValueError(f"need {MIN_TGT_LEN} <= min_tgt_len <= max_tgt_len, got {lo}, {hi}")
    return _draws_until_full(wanted, seed, lo, hi)


def _draws_until_full(wanted: dict[str, int], seed: int, lo: int, hi: int) -> Iterator[tuple[str, Pair]]:
    fractions, kept = [wanted[name] for name in SPLIT_NAMES], dict.fromkeys(SPLIT_NAMES, 0)
    rng = random.Random(seed)
    while any(kept[s] < wanted[s] for s in SPLIT_NAMES):
        pair = generate_pair(rng, rng.randint(lo, hi))
        name = _split_of(pair.en, fractions)
        if kept[name] < wanted[name]:
            kept[name] += 1
            yield name, pair


def sentences_of_split(
    split: str, n: int, seed: int, n_train: int, n_valid: int, n_test: int, **len_kwargs
) -> list[tuple[str, ...]]:
    """n English sentences that make_splits(n_train, n_valid, n_test, ·) would put in ``split``, drawn with
    their own seed: more held-out sentences than the split itself holds, none of which the other splits can
    ever contain (a sentence's split is its hash's)."""
    if split not in SPLIT_NAMES:
        raise ValueError(f"split must be one of {SPLIT_NAMES}, got {split!r}")
    lo, hi = len_kwargs.pop("min_tgt_len", 3), len_kwargs.pop("max_tgt_len", 35)
    if len_kwargs:
        raise TypeError(f"unexpected arguments: {', '.join(len_kwargs)}")
    fractions = (n_train, n_valid, n_test)
    if fractions[SPLIT_NAMES.index(split)] <= 0:
        raise ValueError(f"the {split} split is empty in these proportions")
    rng, sentences = random.Random(seed), []
    while len(sentences) < n:
        en = generate_pair(rng, rng.randint(lo, hi)).en
        if _split_of(en, fractions) == split:
            sentences.append(tuple(en))
    return sentences


# ---------------------------------------------------------------------------------------------
# User input.


def unknown_words(tokens: Iterable[str], words: Iterable[str] = EN_WORDS) -> list[str]:
    """Tokens missing from ``words``, in order of first appearance, without repeats."""
    known = set(words)
    return list(dict.fromkeys(t for t in tokens if t not in known))


_EXAMPLES = (
    "the black cat sleeps",  # colour adjective moves after the noun
    "the small cat sleeps",  # size adjective stays before it
    "the cats sleep",  # number agreement: les chats dorment
    "the small mouse is black",  # feminine: la petite souris est noire
    "the big dog chases the red ball",  # synonyms: grand/gros, chasse/poursuit, balle/ballon
    "the girl that the dog sees does not swim",  # que, ne … pas
)


def example_sentences(lang: str = "en") -> list[str]:
    """Short curated examples for pages; ``lang="fr"`` gives their (first-choice) translations."""
    if lang == "en":
        return list(_EXAMPLES)
    if lang == "fr":
        return [" ".join(canonical_translation(s.split()) or ()) for s in _EXAMPLES]
    raise ValueError(f"lang must be 'en' or 'fr', got {lang!r}")


def en_vocab() -> Vocab:
    return Vocab(EN_WORDS)


def fr_vocab() -> Vocab:
    return Vocab(FR_WORDS)


def joint_vocab() -> Vocab:
    """One vocabulary for both languages (decoder-only models); shared spellings share an id."""
    return Vocab(sorted(set(EN_WORDS) | set(FR_WORDS)))


# ---------------------------------------------------------------------------------------------
# Right-context lessons: where a left-to-right reader cannot know the form of a word yet.


def right_context_sites(en: Sequence[str]) -> list[tuple[int, str, str]]:
    """Positions where only the words to the RIGHT decide a noun's number: the noun follows "the"
    (adjectives may stand between, and neither shows number), it has distinct singular and plural
    spellings, and exactly one of the two keeps the whole sentence grammatical (e.g. "the [cat|cats]
    sleep"). Returns (position, agreeing form, other form) for each such noun."""
    words, sites = list(en), []
    for i, word in enumerate(words):
        forms = lex.NOUN_FORMS.get(word)
        if not forms or len(forms) != 1:
            continue
        noun, _ = forms[0]
        if noun.sg == noun.pl:
            continue
        j = i - 1
        while j >= 0 and words[j] in lex.ADJ_BY_WORD:
            j -= 1
        if j < 0 or words[j] != "the":
            continue
        other = noun.pl if word == noun.sg else noun.sg
        if is_grammatical(words[:i] + [other] + words[i + 1 :]):
            continue  # both numbers fit: the right context does not decide
        sites.append((i, word, other))
    return sites


def subject_number(en: Sequence[str]) -> str | None:
    """'sg' or 'pl': the grammatical number of the sentence's first noun (its first subject); for a noun
    spelled alike in both numbers ("fish") the verb decides. None if the sentence has no noun."""
    words = list(en)
    for i, word in enumerate(words):
        forms = lex.NOUN_FORMS.get(word)
        if not forms:
            continue
        noun, number = forms[0]
        if noun.sg != noun.pl:
            return number
        return SG if is_grammatical(words[:i] + ["cat"] + words[i + 1 :]) else PL
    return None


RIGHT_CONTEXT_EXAMPLES = (
    "the [MASK] sleep",  # plural noun: only "sleep" (to the right) says so
    "the [MASK] sleeps",
    "the small [MASK] are black",
    "the [MASK] that the dog sees runs",
)
