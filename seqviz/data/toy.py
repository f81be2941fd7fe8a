"""The toy English→French language: seeded sentence pairs of an exact French length, splits,
tokenising user input, and vocabularies. The grammar and checker live in toy_grammar.py.

Lowercase words separated by spaces, no punctuation: "the black cat sleeps" → "le chat noir dort".
The generator builds a sentence top-down to hit a requested French length exactly, so every
length bucket from 3 to 35+ tokens can be filled without rejection sampling.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import toy_lexicon as lex
from .toy_grammar import (
    Lattice,
    canonical_translation,
    check_translation,
    is_grammatical,
    parse_english,
    translations,
    valid_fills,
)
from .toy_lexicon import EN_WORDS, FR_WORDS, PL, SG, F, M
from .vocab import Vocab

__all__ = [
    "EN_WORDS",
    "FR_WORDS",
    "Pair",
    "Lattice",
    "generate_pair",
    "make_pairs",
    "split_pairs",
    "make_splits",
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
    "MIN_TGT_LEN",
    "right_context_sites",
    "subject_number",
    "RIGHT_CONTEXT_EXAMPLES",
]

MIN_TGT_LEN = 3  # "le chat dort"


@dataclass(frozen=True)
class Pair:
    en: tuple[str, ...]
    fr: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# Generation. Each _gen_* function returns English and French token lists whose French length is
# exactly the budget it was given; every choice is drawn from the rng passed in.


def _split(rng: random.Random, total: int, parts: int, minimum: int) -> list[int]:
    """Random sizes, each >= minimum, summing to total."""
    cuts = sorted(rng.randint(0, total - parts * minimum) for _ in range(parts - 1))
    bounds = [0, *cuts, total - parts * minimum]
    return [minimum + b - a for a, b in zip(bounds, bounds[1:], strict=False)]


def _skewed(rng: random.Random, top: int) -> int:
    """An int in [0, top], small values more likely."""
    return round(top * rng.random() ** 2)


def _gen_sentence(rng, length):
    most = (length + 1) // 4  # clauses need 3 tokens each, plus "et" between them
    typical = min(most, 4, 1 + length // 8)
    low = min(typical, 1 + (length - 1) // 16)
    clauses = rng.randint(low, typical) if rng.random() < 0.95 else rng.randint(1, most)
    en, fr = [], []
    for k, size in enumerate(_split(rng, length - (clauses - 1), clauses, 3)):
        if k:
            en.append("and")
            fr.append("et")
        clause_en, clause_fr = _gen_clause(rng, size)
        en += clause_en
        fr += clause_fr
    return en, fr


def _gen_clause(rng, size):
    coordinated = size >= 6 and rng.random() < 0.15
    low = 5 if coordinated else 2
    subject_size = low + _skewed(rng, size - 1 - low)
    vp_size = size - subject_size
    copula = (vp_size == 2 or vp_size >= 4) and rng.random() < 0.3
    need_animate = None if copula else True
    if coordinated:
        a, b = _split(rng, subject_size - 1, 2, 2)
        left, right = _gen_np(rng, a, need_animate), _gen_np(rng, b, need_animate)
        en, fr = left[0] + ["and"] + right[0], left[1] + ["et"] + right[1]
        num, gender = PL, M if M in (left[3], right[3]) else F
    else:
        en, fr, num, gender = _gen_np(rng, subject_size, need_animate)
    vp_en, vp_fr = _gen_vp(rng, vp_size, num, gender, copula)
    return en + vp_en, fr + vp_fr


def _mod_kinds(size, animate):
    """Which noun modifiers can take exactly `size` French tokens."""
    kinds = []
    if size >= 3:
        kinds.append("pp")  # sur + NP
    if animate and size >= 2:
        kinds.append("who_does")  # qui dort …
    if size == 3 or size >= 5:
        kinds.append("who_is")  # qui est rouge / qui est sur NP
    if size >= 4:
        kinds.append("whom")  # que NP voit
    return kinds


def _gen_np(rng, size, need_animate=None):
    """-> (en, fr, num, French gender); need_animate: True, False (inanimate) or None (either)."""
    nouns = {True: lex.ANIMATE_NOUNS, False: lex.INANIMATE_NOUNS, None: lex.NOUNS}[need_animate]
    noun = rng.choice(nouns)
    num = rng.choice((SG, PL))
    det = rng.choice(lex.DETS_FOR[num])
    fr_sg, fr_pl, gender = rng.choice(noun.fr)
    adj_counts = [n for n in (0, 1, 2) if size - 2 - n == 0 or _mod_kinds(size - 2 - n, noun.animate)]
    n_adjs = rng.choices(adj_counts, weights=[(4, 3, 1)[n] for n in adj_counts])[0]
    kinds = ["pre", "post"] if n_adjs == 2 else rng.sample(["pre", "post"], n_adjs)
    pre = rng.choice(lex.PRE_ADJS) if "pre" in kinds else None
    post = rng.choice(lex.POST_ADJS) if "post" in kinds else None
    mod_en, mod_fr = _gen_mod(rng, size - 2 - n_adjs, num, gender, noun.animate)

    en_words = [a.en for a in (pre, post) if a] + [noun.pl if num == PL else noun.sg]
    if det == "a" and lex.starts_with_vowel_sound(en_words[0]):
        det = "an"
    fr_pre = [lex.adj_form(rng.choice(pre.fr), gender, num)] if pre else []
    fr_post = [lex.adj_form(rng.choice(post.fr), gender, num)] if post else []
    en = [det] + en_words + mod_en
    fr = [lex.DETS[det][num][gender]] + fr_pre + [fr_pl if num == PL else fr_sg] + fr_post + mod_fr
    return en, fr, num, gender


def _gen_mod(rng, size, num, gender, animate):
    if size == 0:
        return [], []
    kind = rng.choice(_mod_kinds(size, animate))
    if kind == "pp":
        return _gen_pp(rng, size)
    if kind in ("who_does", "who_is"):
        en, fr = _gen_vp(rng, size - 1, num, gender, copula=kind == "who_is")
        return ["that"] + en, [lex.SUBJECT_REL] + fr
    verb_size = rng.randint(1, min(3, size - 3))
    en, fr, inner_num, _ = _gen_np(rng, size - 1 - verb_size, need_animate=True)
    verb_en, verb_fr = _gen_verb_group(rng, verb_size - 1, inner_num, transitive=True)
    return ["that"] + en + verb_en, [lex.object_rel(en[0])] + fr + verb_fr


def _gen_pp(rng, size):
    prep = rng.choice(sorted(lex.PREPS))
    en, fr, _, _ = _gen_np(rng, size - 1, need_animate=False if prep in lex.PLACE_PREPS else None)
    return [prep] + en, [lex.PREPS[prep]] + fr


def _gen_verb_group(rng, extra, num, transitive):
    """A verb with `extra` French tokens of negation (2: ne … pas) or frequency adverb (1)."""
    verb = rng.choice([v for v in lex.VERBS if v.transitive == transitive])
    fr_verb = rng.choice(verb.fr)[1 if num == PL else 0]
    if extra == 2:
        return [lex.DO[num], "not", verb.bare], ["ne", fr_verb, "pas"]
    en_verb = verb.sg if num == SG else verb.bare
    if extra == 1:
        adv = rng.choice(sorted(lex.FREQ_ADVS))
        return [adv, en_verb], [fr_verb, rng.choice(lex.FREQ_ADVS[adv])]
    return [en_verb], [fr_verb]


def _gen_vp(rng, size, num, gender, copula):
    if copula:
        is_en, is_fr = lex.COPULA[num]
        if size == 2:
            adj = rng.choice(lex.ADJS)
            return [is_en, adj.en], [is_fr, lex.adj_form(rng.choice(adj.fr), gender, num)]
        en, fr = _gen_pp(rng, size - 1)
        return [is_en] + en, [is_fr] + fr
    options = []  # (extra tokens before/after the verb, transitive)
    for extra in (0, 1, 2):
        rest = size - 1 - extra
        if rest in (0, 1) or rest >= 3:
            options.append((extra, False))
        if rest >= 2:
            options.append((extra, True))
    extra, transitive = rng.choices(options, weights=[(3, 1, 1)[e] for e, _ in options])[0]
    en, fr = _gen_verb_group(rng, extra, num, transitive)
    rest = size - 1 - extra
    if transitive:
        obj_en, obj_fr, _, _ = _gen_np(rng, rest)
        return en + obj_en, fr + obj_fr
    manner = rest == 1 or (rest >= 4 and rng.random() < 0.3)
    if manner:
        adv = rng.choice(sorted(lex.MANNER_ADVS))
        en, fr = en + [adv], fr + [rng.choice(lex.MANNER_ADVS[adv])]
    if rest - manner:
        pp_en, pp_fr = _gen_pp(rng, rest - manner)
        en, fr = en + pp_en, fr + pp_fr
    return en, fr


def generate_pair(rng: random.Random, tgt_len: int) -> Pair:
    """One sentence pair whose French side has exactly ``tgt_len`` tokens (>= 3)."""
    if tgt_len < MIN_TGT_LEN:
        raise ValueError(f"the shortest French sentence has {MIN_TGT_LEN} tokens, asked for {tgt_len}")
    en, fr = _gen_sentence(rng, tgt_len)
    return Pair(tuple(en), tuple(fr))


def make_pairs(n: int, seed: int, min_tgt_len: int = 3, max_tgt_len: int = 35) -> list[Pair]:
    """``n`` pairs with French lengths uniform over [min_tgt_len, max_tgt_len]; same seed, same pairs.
    Duplicates can occur (there are only a few hundred 3-token sentences)."""
    if not MIN_TGT_LEN <= min_tgt_len <= max_tgt_len:
        raise ValueError(f"need {MIN_TGT_LEN} <= min_tgt_len <= max_tgt_len, got {min_tgt_len}, {max_tgt_len}")
    rng = random.Random(seed)
    return [generate_pair(rng, rng.randint(min_tgt_len, max_tgt_len)) for _ in range(n)]


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
    wanted = dict(zip(SPLIT_NAMES, (n_train, n_valid, n_test), strict=True))
    if min(wanted.values()) < 0:
        raise ValueError("split sizes must be >= 0")
    lo, hi = len_kwargs.pop("min_tgt_len", 3), len_kwargs.pop("max_tgt_len", 35)
    if len_kwargs:
        raise TypeError(f"unexpected arguments: {', '.join(len_kwargs)}")
    if not MIN_TGT_LEN <= lo <= hi:
        raise ValueError(f"need {MIN_TGT_LEN} <= min_tgt_len <= max_tgt_len, got {lo}, {hi}")
    splits: dict[str, list[Pair]] = {name: [] for name in SPLIT_NAMES}
    if sum(wanted.values()) == 0:
        return splits
    fractions = [wanted[name] for name in SPLIT_NAMES]
    rng = random.Random(seed)
    while any(len(splits[s]) < wanted[s] for s in SPLIT_NAMES):
        pair = generate_pair(rng, rng.randint(lo, hi))
        name = _split_of(pair.en, fractions)
        if len(splits[name]) < wanted[name]:
            splits[name].append(pair)
    return splits


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
