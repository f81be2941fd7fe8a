"""The toy English→French language's generator: seeded sentence pairs of an exact French length.

Lowercase words separated by spaces, no punctuation: "the black cat sleeps" → "le chat noir dort".
The generator builds a sentence top-down to hit a requested French length exactly, so every
length bucket from 3 to 35+ tokens can be filled without rejection sampling. The grammar and checker
live in toy_grammar.py, the word tables in toy_lexicon.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from . import toy_lexicon as lex
from .toy_lexicon import PL, SG, F, M

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
