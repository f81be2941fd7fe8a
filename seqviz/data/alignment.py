"""Which English word each French word translates, from the toy language's own tables: the truth that
attention maps and saliency are scored against.

Every French word of a generated pair belongs to exactly one *translation class*, the English words it can
translate: "chat" and "chats" translate cat/cats, "noir"/"noire"/"noirs"/"noires" black, "le"/"la"/"les"
the, "qui"/"que"/"qu'" that, "ne" and "pas" the "not" of "does not". Inside one class the toy language
never reorders — French moves a post-nominal adjective behind its noun, a frequency adverb behind its verb,
and wraps "ne … pas" around the verb, but each of those moves crosses words of *other* classes — so the
k-th French word of a class translates the k-th English word of that class.

Links are *sure* (S) or *possible* (P, which includes S), as in the alignment error rate (Och & Ney 2003):
the English auxiliary of "does not sleep" has no French word of its own, so it is a possible link of the
verb and of "ne … pas"; everything else is a sure one-to-one link.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import toy_lexicon as lex


def _classes() -> tuple[dict[str, str], dict[str, str]]:
    """{English word: class} and {French word: class}; a class is named by one of its English words."""
    en, fr = {}, {}

    def add(name: str, english, french) -> None:
        en.update(dict.fromkeys(english, name))
        fr.update(dict.fromkeys(french, name))

    for det, forms in lex.DETS.items():
        name = "a" if det == "an" else det
        add(name, [det], [w for by_gender in forms.values() for w in by_gender.values()])
    for noun in lex.NOUNS:
        add(noun.sg, [noun.sg, noun.pl], [w for sg, pl, _ in noun.fr for w in (sg, pl)])
    for adj in lex.ADJS:
        add(adj.en, [adj.en], [w for forms in adj.fr for w in forms])
    for verb in lex.VERBS:
        add(verb.bare, [verb.sg, verb.bare], [w for forms in verb.fr for w in forms])
    for is_en, is_fr in lex.COPULA.values():
        add(is_en, [is_en], [is_fr])
    for table in (lex.FREQ_ADVS, lex.MANNER_ADVS):
        for adv, french in table.items():
            add(adv, [adv], french)
    for prep, french in lex.PREPS.items():
        add(prep, [prep], [french])
    add("that", ["that"], [lex.SUBJECT_REL, lex.OBJECT_REL, lex.object_rel("a")])
    add("and", ["and"], ["et"])
    add("not", ["not"], ["ne", "pas"])
    return en, fr


EN_CLASS, FR_CLASS = _classes()
AUXILIARIES = frozenset(lex.DO.values())  # "does", "do": only in "does not", no French word of their own


@dataclass(frozen=True)
class Alignment:
    """Per French position, the English positions it translates."""

    sure: tuple[tuple[int, ...], ...]
    possible: tuple[tuple[int, ...], ...]  # each a superset of sure

    def links(self, kind: str = "sure") -> set[tuple[int, int]]:
        """{(French position, English position)}."""
        table = self.sure if kind == "sure" else self.possible
        return {(t, s) for t, sources in enumerate(table) for s in sources}


def align(en: Sequence[str], fr: Sequence[str]) -> Alignment:
    """The true alignment of a toy pair. ValueError when the two sides do not match class by class (not a
    translation the toy language produces)."""
    unknown = [w for w in en if w not in EN_CLASS and w not in AUXILIARIES] + [w for w in fr if w not in FR_CLASS]
    if unknown:
        raise ValueError(f"words outside the toy language: {unknown}")
    english_at: dict[str, list[int]] = {}
    for i, word in enumerate(en):
        if word not in AUXILIARIES:
            english_at.setdefault(EN_CLASS[word], []).append(i)
    # "not" has two French words (ne, pas) per English word
    english_at["not"] = [i for i in english_at.get("not", []) for _ in range(2)]
    seen: dict[str, int] = {}
    sure = []
    for word in fr:
        name = FR_CLASS[word]
        k = seen.get(name, 0)
        seen[name] = k + 1
        positions = english_at.get(name, [])
        if k >= len(positions):
            raise ValueError(f"French {word!r} has no English {name!r} left to translate")
        sure.append((positions[k],))
    if any(seen.get(name, 0) != len(positions) for name, positions in english_at.items()):
        raise ValueError("some English words have no French translation")
    possible = [list(s) for s in sure]
    for aux in (i for i, w in enumerate(en) if w in AUXILIARIES):  # does not V -> ne V pas
        negation = aux + 1  # the "not" right after it
        ne = next(t for t, s in enumerate(sure) if s == (negation,))
        for t in (ne, ne + 1, ne + 2):  # ne, the verb, pas
            possible[t].append(aux)
    return Alignment(tuple(sure), tuple(tuple(sorted(p)) for p in possible))
