"""The toy English→French grammar as an exact parser, and the translation checker built on it.

Grammar (English side; French realisation in brackets; no final period on either side):

    Sentence  → Clause ("and" Clause)*                                 [Clause ("et" Clause)*]
    Clause    → Subject VP                    (VP agrees with the subject in number)
    Subject   → NP | NP "and" NP              (plural; French gender masculine if either is)
    NP        → Det [PreAdj] [PostAdj] Noun [PP | RelClause]      [Det [PreAdj] Noun [PostAdj] …]
    PP        → Prep NP
    RelClause → "that" VP                     [qui VP]     (VP agrees with the head noun)
              | "that" NP VerbPre TransVerb   [que/qu' NP …]  (verb agrees with the inner NP)
    VP        → is/are (Adj | PP)             [est/sont Adj(agreeing with the subject) | PP]
              | VerbPre IntransVerb [MannerAdv] [PP]
              | VerbPre TransVerb NP
    VerbPre   → ε | FreqAdv | does/do "not"   [the adverb follows the French verb; ne … pas]

Only animate nouns can be the subject of a verb other than is/are; on/under/in take only
inanimate objects. French articles and adjectives
agree in gender and number with the French noun chosen, colour adjectives follow the noun, and
several words have synonyms (see toy_lexicon). The parser enumerates every parse, so ambiguous
sentences ("the cat sees the fish": one fish or several) accept every reading.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from . import toy_lexicon as lex
from .toy_lexicon import EN_WORDS, PL, SG, F, M

# ---------------------------------------------------------------------------------------------
# Translation lattices: a French token (str), a sequence ("s", items) or alternatives ("a", items).
# Checking walks the lattice with a set of positions, so synonyms never multiply into a list.


def _seq(*parts):
    items = []
    for p in parts:
        if p is None:
            continue
        items.extend(p[1] if type(p) is tuple and p[0] == "s" else (p,))
    return items[0] if len(items) == 1 else ("s", tuple(items))


def _alt(options):
    unique, seen = [], set()
    for o in options:
        key = o if type(o) is str else id(o)
        if key not in seen:
            seen.add(key)
            unique.append(o)
    return unique[0] if len(unique) == 1 else ("a", tuple(unique))


def _advance(node, fr, positions):
    if type(node) is str:
        return {p + 1 for p in positions if p < len(fr) and fr[p] == node}
    tag, items = node
    if tag == "s":
        for item in items:
            positions = _advance(item, fr, positions)
            if not positions:
                break
        return positions
    reached = set()
    for item in items:
        reached |= _advance(item, fr, positions)
    return reached


def _words_at(node, positions, table):
    """Like _advance, but over every translation at once: record each word that can stand at each position."""
    if type(node) is str:
        for p in positions:
            table.setdefault(p, set()).add(node)
        return {p + 1 for p in positions}
    tag, items = node
    if tag == "s":
        for item in items:
            positions = _words_at(item, positions, table)
        return positions
    reached = set()
    for item in items:
        reached |= _words_at(item, positions, table)
    return reached


def _expand(node):
    if type(node) is str:
        return [(node,)]
    tag, items = node
    if tag == "a":
        return [t for item in items for t in _expand(item)]
    return [sum(parts, ()) for parts in itertools.product(*(_expand(i) for i in items))]


def _first(node):
    if type(node) is str:
        return (node,)
    tag, items = node
    return _first(items[0]) if tag == "a" else sum((_first(i) for i in items), ())


class Lattice:
    """Every valid French translation of one English sentence, kept factored."""

    def __init__(self, node):
        self.node = node

    def accepts(self, fr: Sequence[str]) -> bool:
        fr = tuple(fr)
        return len(fr) in _advance(self.node, fr, {0})

    def expand(self) -> set[tuple[str, ...]]:
        return set(_expand(self.node))

    def first(self) -> tuple[str, ...]:
        return _first(self.node)

    def words_by_position(self) -> tuple[dict[int, set[str]], set[int]]:
        """Every word some valid translation has at each position, and the lengths translations can have."""
        table: dict[int, set[str]] = {}
        return table, _words_at(self.node, {0}, table)


# ---------------------------------------------------------------------------------------------
# Parser: memoised recursive descent returning every (end position, features) reachable from a
# start position, each with its French lattice. Gender-dependent lattices are dicts {gender: node}.


def _memo(method):
    def wrapper(self, *args):
        key = (method.__name__, *args)
        if key not in self.memo:
            self.memo[key] = method(self, *args)
        return self.memo[key]

    return wrapper


def _collect(table):
    """{key: {gender: [nodes]}} -> {key: {gender: node}}"""
    return {k: {g: _alt(ns) for g, ns in by_g.items()} for k, by_g in table.items()}


class _Parser:
    def __init__(self, words: Sequence[str]):
        self.w = tuple(words)
        self.memo: dict = {}

    def at(self, i):
        return self.w[i] if i < len(self.w) else None

    @_memo
    def np(self, i):
        """{(end, num, animate): {gender: node}}"""
        table: dict = {}
        det = self.at(i)
        if det not in lex.DETS or self.at(i + 1) is None:
            return {}
        if det in ("a", "an") and lex.starts_with_vowel_sound(self.w[i + 1]) != (det == "an"):
            return {}
        j = i + 1
        pre = lex.ADJ_BY_WORD.get(self.at(j))
        pre = pre if pre and pre.before_noun else None
        j += pre is not None
        post = lex.ADJ_BY_WORD.get(self.at(j))
        post = post if post and not post.before_noun else None
        j += post is not None
        for noun, num in lex.NOUN_FORMS.get(self.at(j), ()):
            if num not in lex.DETS[det]:
                continue
            mods = [(j + 1, False, {M: None, F: None})]
            mods += [(e, False, {M: n, F: n}) for e, n in self.pp(j + 1).items()]
            mods += [(e, needs, by_g) for (e, needs), by_g in self.rel(j + 1, num).items()]
            for fr_sg, fr_pl, g in noun.fr:
                head = _seq(
                    lex.DETS[det][num][g],
                    _adj_node(pre, g, num),
                    fr_pl if num == PL else fr_sg,
                    _adj_node(post, g, num),
                )
                for end, needs_animate, by_g in mods:
                    if needs_animate and not noun.animate:
                        continue
                    key = (end, num, noun.animate)
                    table.setdefault(key, {}).setdefault(g, []).append(_seq(head, by_g[g]))
        return _collect(table)

    @_memo
    def pp(self, i):
        """{end: node}"""
        prep = lex.PREPS.get(self.at(i))
        if prep is None:
            return {}
        ends: dict = {}
        for (end, _, animate), by_g in self.np(i + 1).items():
            if animate and self.w[i] in lex.PLACE_PREPS:
                continue
            ends.setdefault(end, []).append(_seq(prep, _alt(by_g.values())))
        return {e: _alt(ns) for e, ns in ends.items()}

    @_memo
    def rel(self, i, num):
        """{(end, head must be animate): {head gender: node}}"""
        if self.at(i) != "that":
            return {}
        table: dict = {}
        for (end, needs), by_g in self.vp(i + 1, num).items():
            for g, node in by_g.items():
                table.setdefault((end, needs), {}).setdefault(g, []).append(_seq(lex.SUBJECT_REL, node))
        for (e, inner_num, animate), by_g in self.np(i + 1).items():
            if not animate:
                continue
            for end, verb in self.verb_group(e, inner_num, transitive=True):
                node = _seq(lex.object_rel(self.w[i + 1]), _alt(by_g.values()), verb)
                for g in (M, F):
                    table.setdefault((end, False), {}).setdefault(g, []).append(node)
        return _collect(table)

    def verb_group(self, i, num, transitive):
        """[(end, node)] for VerbPre + verb: "does not see" -> ne voit pas."""
        options = [(i, False, None, None)]
        if self.at(i) in lex.FREQ_ADVS:
            options.append((i + 1, False, None, _alt(lex.FREQ_ADVS[self.w[i]])))
        if self.at(i) == lex.DO[num] and self.at(i + 1) == "not":
            options.append((i + 2, True, "ne", "pas"))
        found = []
        for j, negated, before, after in options:
            for verb in lex.VERBS_BY_WORD.get(self.at(j), ()):
                expected = verb.sg if num == SG and not negated else verb.bare
                if verb.transitive == transitive and self.w[j] == expected:
                    fr = _alt(forms[1 if num == PL else 0] for forms in verb.fr)
                    found.append((j + 1, _seq(before, fr, after)))
        return found

    @_memo
    def vp(self, i, num):
        """{(end, subject must be animate): {subject gender: node}}"""
        table: dict = {}

        def add(end, needs_animate, by_g):
            for g, node in by_g.items():
                table.setdefault((end, needs_animate), {}).setdefault(g, []).append(node)

        copula_en, copula_fr = lex.COPULA[num]
        if self.at(i) == copula_en:
            adj = lex.ADJ_BY_WORD.get(self.at(i + 1))
            if adj is not None:
                add(i + 2, False, {g: _seq(copula_fr, _adj_node(adj, g, num)) for g in (M, F)})
            for end, node in self.pp(i + 1).items():
                add(end, False, dict.fromkeys((M, F), _seq(copula_fr, node)))
        for j, verb in self.verb_group(i, num, transitive=False):
            tails = [(j, None)]
            if self.at(j) in lex.MANNER_ADVS:
                tails.append((j + 1, _alt(lex.MANNER_ADVS[self.w[j]])))
            for end, tail in tails:
                add(end, True, dict.fromkeys((M, F), _seq(verb, tail)))
                for pp_end, pp in self.pp(end).items():
                    add(pp_end, True, dict.fromkeys((M, F), _seq(verb, tail, pp)))
        for j, verb in self.verb_group(i, num, transitive=True):
            for (end, _, _), by_g in self.np(j).items():
                add(end, True, dict.fromkeys((M, F), _seq(verb, _alt(by_g.values()))))
        return _collect(table)

    def subject(self, i):
        """{(end, num, animate): {gender: node}}, with "NP and NP" coordination."""
        table = {k: {g: [n] for g, n in by_g.items()} for k, by_g in self.np(i).items()}
        for (e1, _, anim1), left in self.np(i).items():
            if self.at(e1) != "and":
                continue
            for (e2, _, anim2), right in self.np(e1 + 1).items():
                for (g1, n1), (g2, n2) in itertools.product(left.items(), right.items()):
                    g = M if M in (g1, g2) else F
                    key = (e2, PL, anim1 and anim2)
                    table.setdefault(key, {}).setdefault(g, []).append(_seq(n1, "et", n2))
        return _collect(table)

    @_memo
    def clause(self, i):
        """{end: node}"""
        ends: dict = {}
        for (e, num, animate), subj in self.subject(i).items():
            for (end, needs_animate), vp in self.vp(e, num).items():
                if needs_animate and not animate:
                    continue
                ends.setdefault(end, []).append(_alt(_seq(subj[g], vp[g]) for g in subj))
        return {e: _alt(ns) for e, ns in ends.items()}

    @_memo
    def sentence(self, i):
        """{end: node}; only parses that reach the end of the input survive."""
        found = []
        for end, node in self.clause(i).items():
            if end == len(self.w):
                found.append(node)
            elif self.w[end] == "and":
                found += [_seq(node, "et", rest) for rest in self.sentence(end + 1).values()]
        return {len(self.w): _alt(found)} if found else {}


def _adj_node(adj, gender, num):
    return None if adj is None else _alt(lex.adj_form(forms, gender, num) for forms in adj.fr)


MAX_PARSE_WORDS = 200  # longer input is treated as outside the language (bounds recursion depth)


def parse_english(en: Sequence[str]) -> Lattice | None:
    """The lattice of valid French translations, or None if ``en`` is not in the language."""
    words = tuple(en)
    if not 0 < len(words) <= MAX_PARSE_WORDS or not all(isinstance(w, str) for w in words):
        return None
    try:
        node = _Parser(words).sentence(0).get(len(words))
    except RecursionError:
        return None
    return None if node is None else Lattice(node)


def is_grammatical(en: Sequence[str]) -> bool:
    return parse_english(en) is not None


def translations(en: Sequence[str]) -> set[tuple[str, ...]]:
    """Every valid French translation (empty set if ``en`` is ungrammatical). Enumerates all
    synonym combinations: fine for teaching-sized sentences; use check_translation to test one."""
    lattice = parse_english(en)
    return set() if lattice is None else lattice.expand()


def check_translation(en: Sequence[str], fr: Sequence[str]) -> bool:
    lattice = parse_english(en)
    return lattice is not None and lattice.accepts(fr)


def canonical_translation(en: Sequence[str]) -> tuple[str, ...] | None:
    """One fixed translation (first synonym everywhere), for display."""
    lattice = parse_english(en)
    return None if lattice is None else lattice.first()


def valid_fills(en: Sequence[str], position: int) -> list[str]:
    """The English words that make the sentence grammatical at ``position`` (a masked slot)."""
    words = list(en)
    fills = []
    for w in EN_WORDS:
        words[position] = w
        if is_grammatical(words):
            fills.append(w)
    return fills
